// No personal data in the logs, at any level: the real server at LOG_LEVEL=trace takes generated requests
// and hand-made ones carrying canary values everywhere a client can put text (free text, ids, keys, dates,
// query, path, headers, API keys, malformed HTTP), and no log line may contain any of them, nor any
// date at all.
import t from 'tap';
import http from 'node:http';
import { hashKey } from '../src/http/auth.js';
import { example } from './helpers/app.js';
import { CANARIES, fuzzCases } from './helpers/fuzz.js';
import { startServer } from './helpers/process.js';
import { raw, send } from './helpers/wire.js';

const SECRET = 'CANARYkey-secret-of-the-backoffice';

t.test('a fuzz run at LOG_LEVEL=trace: no canary and no date in any log line', async (t) => {
  const server = await startServer({ LOG_LEVEL: 'trace', RECOURSE_API_KEYS: `backoffice:${hashKey(SECRET)}`, RATE_LIMIT_MAX: '0' });
  t.teardown(() => void server.child.kill('SIGKILL'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  t.teardown(() => agent.destroy());
  const auth = { authorization: `Bearer ${SECRET}` };
  let sent = 0;
  for (const c of fuzzCases(4242, 400)) {
    try {
      await send(server.url, { method: c.method, path: c.url, headers: { ...auth, ...c.headers }, ...(c.payload !== undefined ? { body: c.payload } : {}), agent });
      sent++;
    } catch {
      /* a header Node's client refuses to send */
    }
  }
  // Canaries in every place a client can put them, on requests that succeed and that fail.
  const body = example('01-withdrawal-change-of-mind') as { asOf: string; incident: Record<string, unknown>; order: { id?: string; items: Record<string, unknown>[]; seller: Record<string, unknown> } };
  body.incident.description = CANARIES.join(' ');
  body.order.id = 'CANARYjeanneDUPONT';
  body.order.items[0]!.title = 'CANARY-12-rue-des-Lilas';
  body.order.seller.name = 'CANARYjeanneDUPONT';
  const ok = await send(server.url, { method: 'POST', path: '/v1/verdicts', headers: auth, body: JSON.stringify(body) });
  t.equal(ok.kind === 'answered' && ok.status, 200);
  const datesLate = structuredClone(body);
  datesLate.asOf = '2987-03-17';
  (datesLate.order.items[0] as Record<string, unknown>).receivedAt = '2987-03-17';
  (datesLate as unknown as { order: { placedAt: string } }).order.placedAt = '2987-03-17';
  await send(server.url, { method: 'POST', path: '/v1/verdicts', headers: auth, body: JSON.stringify(datesLate) });
  const edge = structuredClone(body) as unknown as { asOf: string; order: { placedAt: string; items: { receivedAt: string }[] } };
  edge.asOf = '2999-12-31';
  edge.order.placedAt = '2999-12-20';
  edge.order.items[0]!.receivedAt = '2999-12-21';
  const late = await send(server.url, { method: 'POST', path: '/v1/verdicts', headers: auth, body: JSON.stringify(edge) });
  t.equal(late.kind === 'answered' && late.status, 422);
  await send(server.url, { method: 'POST', path: '/v1/verdicts/batch', headers: auth, body: JSON.stringify({ requests: [body, datesLate, edge, { CANARYkey: 1 }] }) });
  await send(server.url, { method: 'POST', path: '/v1/policies/lint?asOf=1911-11-11&CANARYkey=CANARYjeanneDUPONT', headers: auth, body: JSON.stringify({ CANARYkey: 'CANARYjeanneDUPONT' }) });
  await send(server.url, { path: '/v1/rules/CANARYjeanneDUPONT', headers: auth });
  await send(server.url, { path: '/v1/legal-basis/CANARYjeanneDUPONT?q=1911-11-11', headers: { ...auth, 'x-request-id': 'CANARYreqid with space', 'accept-language': 'CANARYjeanneDUPONT' } });
  await send(server.url, { path: '/v1/rules', headers: { authorization: 'Bearer CANARYbearer' } });
  await send(server.url, { method: 'POST', path: '/v1/verdicts', headers: { ...auth, 'content-type': 'text/plain' }, body: 'CANARYjeanneDUPONT 2987-03-17' });
  await send(server.url, { method: 'POST', path: '/v1/verdicts', headers: auth, body: '{"order": "CANARYjeanneDUPONT 2987-03-17"' });
  const host = new URL(server.url).host;
  await raw(server.url, ['CANARYjeanneDUPONT 2987-03-17\r\n\r\n'], 3000);
  await raw(server.url, [`GET /CANARYjeanneDUPONT HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'CANARYjeanneDUPONT'.repeat(2000)}\r\n\r\n`], 3000);
  await raw(server.url, [`POST /v1/verdicts HTTP/1.1\r\nHost: ${host}\r\nExpect: CANARYjeanneDUPONT\r\nContent-Length: 2\r\n\r\n{}`], 3000);
  await raw(server.url, [`GET /v1/rules/%C0%AFCANARYjeanneDUPONT HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`], 3000);
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);

  t.ok(sent > 350, `${sent} generated requests sent`);
  const lines = server.logs.map((l) => JSON.stringify(l));
  t.ok(lines.length > sent, `${lines.length} log lines`);
  t.ok(server.logs.some((l) => l.level === 20 && l.msg === 'configuration'), 'debug lines are written (the level is really trace)');
  t.ok(server.logs.some((l) => l.apiKey === 'backoffice'), 'the key is named by its name');
  const all = lines.join('\n') + server.stderr();
  for (const canary of [...CANARIES, SECRET, hashKey(SECRET)]) t.notOk(all.includes(canary), `no "${canary}" in any log line`, { lines: lines.filter((l) => l.includes(canary)).slice(0, 3), stderr: server.stderr().slice(0, 500) });
  const dated = lines.filter((l) => /\d{4}-\d{2}-\d{2}/.test(l));
  t.same(dated.slice(0, 3), [], 'no date in any log line');
  t.same(lines.filter((l) => /"(req|request|res|body|headers|url|query|params|rawPacket|err\.message|message)":/.test(l)).slice(0, 3), [], 'no request object, URL, headers, message or raw bytes logged');
});
