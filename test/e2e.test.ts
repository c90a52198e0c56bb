// End to end against the real process on a real loopback port: the answer, the log line, a graceful
// SIGTERM that lets an in-flight request finish, and a start refused on a bad rule file.
import t from 'tap';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { example } from './helpers/app.js';
import { startServer } from './helpers/process.js';

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

t.test('a verdict over a real port, logged in one line with its id and the ruleset digest, without personal data', async (t) => {
  const server = await startServer();
  t.teardown(() => void server.child.kill('SIGKILL'));
  const body = example('01-withdrawal-change-of-mind') as { incident: Record<string, unknown>; order: { items: Record<string, unknown>[]; seller: Record<string, unknown> } };
  body.incident.description = 'Jeanne Dupont, 12 rue des Lilas: the colour is ugly';
  body.order.items[0]!.title = 'Casque pour Jeanne Dupont';
  body.order.seller.name = 'Boutique Martin';
  const res = await post(server.url, '/v1/verdicts', body);
  t.equal(res.status, 200);
  const verdict = (await res.json()) as { verdictId: string; ruleset: { digest: string }; deadlines: { id: string; end: string }[] };
  t.equal(verdict.deadlines.find((d) => d.id === 'withdrawal.notice')?.end, '2026-11-16');
  t.equal(res.headers.get('x-ruleset-digest'), verdict.ruleset.digest);
  await new Promise((r) => setTimeout(r, 200));
  const lines = server.logs.filter((l) => l.msg === 'request' && l.route === '/v1/verdicts');
  t.equal(lines.length, 1, 'one line per request');
  t.equal(lines[0]!.verdictId, verdict.verdictId);
  t.equal(lines[0]!.rulesetDigest, verdict.ruleset.digest);
  t.equal(lines[0]!.statusCode, 200);
  t.ok(lines[0]!.reqId, 'request id');
  const all = JSON.stringify(server.logs);
  for (const secret of ['Jeanne', 'Dupont', 'Lilas', 'Martin', 'ugly']) t.notOk(all.includes(secret), `no "${secret}" in the logs`);
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});

t.test('SIGTERM lets an in-flight request finish, then the process exits 0', async (t) => {
  const server = await startServer();
  t.teardown(() => void server.child.kill('SIGKILL'));
  const requests = Array.from({ length: 400 }, () => example('02-withdrawal-ends-on-public-holiday'));
  const inFlight = post(server.url, '/v1/verdicts/batch', { requests });
  await new Promise((r) => setTimeout(r, 50));
  server.child.kill('SIGTERM');
  const res = await inFlight;
  t.equal(res.status, 200, 'the in-flight batch was answered');
  const { results } = (await res.json()) as { results: { status: number }[] };
  t.equal(results.length, 400);
  t.ok(results.every((r) => r.status === 200), 'every verdict of the batch is there');
  t.equal(await server.exited, 0, 'clean exit');
  const stopAt = server.logs.findIndex((l) => l.msg === 'shutting down: finishing in-flight requests');
  const answeredAt = server.logs.findIndex((l) => l.msg === 'request' && l.route === '/v1/verdicts/batch');
  t.ok(stopAt >= 0 && answeredAt > stopAt, 'the batch was still running when SIGTERM arrived');
});

t.test('a bad rule file stops the start with a message naming the file and the field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-bad-'));
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'fr/withdrawal/L221-20.json'), '{"id": "fr/withdrawal/L221-20", "family": 3}');
  await t.rejects(startServer({ RULES_DIR: dir }), /rules\/fr\/withdrawal\/L221-20\.json: .*family/);
});

t.test('SIGHUP with a broken rules directory keeps serving the good ruleset', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-reload-'));
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  const server = await startServer({ RULES_DIR: dir });
  t.teardown(() => void server.child.kill('SIGKILL'));
  const before = (await (await post(server.url, '/v1/verdicts', example('01-withdrawal-change-of-mind'))).json()) as { ruleset: { digest: string } };
  writeFileSync(join(dir, 'fr/withdrawal/L221-18.json'), '{ not json');
  server.child.kill('SIGHUP');
  // The reload reads and compiles every file: wait for its verdict in the log (bounded), not a fixed delay.
  for (let i = 0; i < 100 && !server.logs.some((l) => l.msg === 'ruleset reload refused; still serving the previous ruleset'); i++)
    await new Promise((r) => setTimeout(r, 100));
  t.ok(server.logs.some((l) => l.msg === 'ruleset reload refused; still serving the previous ruleset'));
  const after = await post(server.url, '/v1/verdicts', example('01-withdrawal-change-of-mind'));
  t.equal(after.status, 200);
  t.equal(((await after.json()) as { ruleset: { digest: string } }).ruleset.digest, before.ruleset.digest);
  server.child.kill('SIGTERM');
  await server.exited;
});
