// What only a real socket shows: slow and idle clients are cut within seconds, and the errors Node's
// HTTP server raises itself (malformed HTTP, headers too large, Expect, no Host, bad percent-encoding)
// are complete problem+json answers with a request id and `Connection: close`.
import t, { type Test } from 'tap';
import { startServer, type RunningServer } from './helpers/process.js';
import { parseRaw, raw } from './helpers/wire.js';

let server: RunningServer;
t.before(async () => {
  server = await startServer({ HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '500', CONNECTION_TIMEOUT_MS: '20000', BATCH_BUDGET_MS: '5000' });
});
t.teardown(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const host = () => new URL(server.url).host;

function problemOf(t: Test, data: string, status: number) {
  const res = parseRaw(data);
  t.ok(res, `an HTTP answer: ${JSON.stringify(data.slice(0, 120))}`);
  if (!res) return;
  t.equal(res.status, status);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  t.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body, 'latin1'), 'complete body');
  const p = JSON.parse(res.body) as { status: number; type: string; instance: string };
  t.equal(p.status, status);
  t.match(p.type, /^urn:recourse:problem:/);
  t.equal(p.instance, res.headers['x-request-id']);
  return res;
}

// Generous bounds: the point is seconds, not the minutes it used to take, on a loaded 2-core machine.
const SECONDS = 15000;

t.test('slow headers: a 408 problem and the connection closed', async (t) => {
  const r = await raw(server.url, [`GET /health/live HTTP/1.1\r\nHost: ${host()}\r\n`, { pauseMs: 30000 }], 40000);
  t.ok(r.closedByServer, 'closed by the server');
  t.ok(r.ms < SECONDS, `after ${r.ms} ms`);
  const res = problemOf(t, r.data, 408);
  t.equal(res?.headers.connection, 'close');
});

t.test('a slow body: a 408 problem and the connection closed', async (t) => {
  const r = await raw(server.url, [`POST /v1/verdicts HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"order":`, { pauseMs: 30000 }], 40000);
  t.ok(r.closedByServer);
  t.ok(r.ms < SECONDS, `after ${r.ms} ms`);
  problemOf(t, r.data, 408);
});

t.test('a connection that sends nothing, and an idle keep-alive connection, are closed', async (t) => {
  const silent = await raw(server.url, [{ pauseMs: 30000 }], 40000);
  t.ok(silent.closedByServer, 'silent connection closed');
  t.ok(silent.ms < SECONDS, `after ${silent.ms} ms`);
  const idle = await raw(server.url, [`GET /health/live HTTP/1.1\r\nHost: ${host()}\r\n\r\n`, { pauseMs: 30000 }], 40000);
  t.match(idle.data, /^HTTP\/1\.1 200/);
  t.ok(idle.closedByServer, 'idle keep-alive connection closed');
  t.ok(idle.ms < SECONDS, `after ${idle.ms} ms`);
});

t.test('headers too large: a 431 problem with Connection: close', async (t) => {
  const r = await raw(server.url, [`GET /health/live HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`], 10000);
  const res = problemOf(t, r.data, 431);
  t.equal(res?.headers.connection, 'close');
  t.ok(r.closedByServer);
});

t.test('malformed HTTP: a 400 problem', async (t) => {
  for (const request of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', `GET /health/live HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: -1\r\n\r\n`, `GET /health/live HTTP/1.1\r\nHo st: x\r\n\r\n`]) {
    const r = await raw(server.url, [request], 10000);
    const res = problemOf(t, r.data, 400);
    t.equal(res?.headers.connection, 'close', JSON.stringify(request.slice(0, 30)));
  }
});

t.test('Expect other than 100-continue: a 417 problem; 100-continue works', async (t) => {
  const r = await raw(server.url, [`POST /v1/verdicts HTTP/1.1\r\nHost: ${host()}\r\nExpect: nope\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`], 10000);
  problemOf(t, r.data, 417);
  const ok = await raw(server.url, [`GET /health/live HTTP/1.1\r\nHost: ${host()}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`], 10000);
  t.match(ok.data, /HTTP\/1\.1 200/);
});

t.test('HTTP/1.1 without Host: a 400 problem', async (t) => {
  const r = await raw(server.url, ['GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n'], 10000);
  const res = problemOf(t, r.data, 400);
  t.match(res?.body ?? '', /missing-host/);
});

t.test('bad percent-encoding and an over-long id on the wire: problems with a request id', async (t) => {
  const a = await raw(server.url, [`GET /v1/rules/%C0%AF HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`], 10000);
  problemOf(t, a.data, 400);
  const b = await raw(server.url, [`GET /v1/rules/${'a'.repeat(3000)} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`], 10000);
  problemOf(t, b.data, 414);
});

t.test('the log lines of client errors name the error, never the bytes sent', async (t) => {
  await raw(server.url, [`GARBAGE-JeanneDupont\r\n\r\n`], 5000);
  await new Promise((r) => setTimeout(r, 200));
  const lines = server.logs.filter((l) => l.msg === 'client error');
  t.ok(lines.length > 0, 'client errors are logged');
  t.ok(lines.every((l) => typeof l.clientError === 'string' && typeof l.reqId === 'string'));
  t.notOk(JSON.stringify(server.logs).includes('JeanneDupont'), 'not the request bytes');
  t.notOk(JSON.stringify(server.logs).includes('rawPacket'));
});
