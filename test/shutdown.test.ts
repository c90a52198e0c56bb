// SIGTERM on the real process, on a real loopback port: nothing that was received is lost. Requests in
// flight (keep-alive included) are answered completely, readiness shows 503 on a connection still
// open, idle connections are closed, a batch is cut only at the grace limit and then with a complete
// 503 problem, and the exit code says which.
import t from 'tap';
import http from 'node:http';
import { example } from './helpers/app.js';
import { startServer } from './helpers/process.js';
import { raw, parseRaw, send, type Outcome } from './helpers/wire.js';

const body = (name: string) => JSON.stringify(example(name));
const batchOf = (n: number) => JSON.stringify({ requests: Array.from({ length: n }, () => example('05-defective-within-presumption')) });

function tally(outcomes: Outcome[]) {
  const count = (k: Outcome['kind']) => outcomes.filter((o) => o.kind === k).length;
  return { answered: count('answered'), refused: count('refused'), reset: count('reset'), truncated: count('truncated') };
}

/** Splits pipelined HTTP/1.1 answers (each with Content-Length). */
function answers(data: string): { status: number; headers: Record<string, string>; body: string }[] {
  const out: { status: number; headers: Record<string, string>; body: string }[] = [];
  let rest = data;
  for (;;) {
    const head = parseRaw(rest);
    if (!head) return out;
    const length = Number(head.headers['content-length'] ?? 0);
    const body = Buffer.from(head.body, 'latin1');
    if (body.length < length) return out;
    out.push({ ...head, body: body.subarray(0, length).toString('utf8') });
    rest = body.subarray(length).toString('latin1');
  }
}

t.test('50 requests in flight and a running batch, then SIGTERM: every one answered completely, none reset, exit 0', async (t) => {
  const server = await startServer({ SHUTDOWN_GRACE_MS: '20000' });
  t.teardown(() => void server.child.kill('SIGKILL'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 25 });
  t.teardown(() => agent.destroy());
  const host = new URL(server.url).host;
  let batch!: Promise<Outcome>;
  let singles!: Promise<Outcome>[];
  // On one keep-alive connection, pipelined: a batch, then a probe.
  const batchBody = batchOf(100);
  const pipelined = raw(
    server.url,
    [
      `POST /v1/verdicts/batch HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(batchBody)}\r\n\r\n${batchBody}`,
      `GET /health/ready HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
    ],
    30000,
  );
  // 51 requests written to the server (each fully sent on its connection) before the signal.
  let written = 0;
  const allWritten = new Promise<void>((resolve) => {
    const onWritten = () => ++written === 51 && resolve();
    batch = send(server.url, { method: 'POST', path: '/v1/verdicts/batch', body: batchOf(300), onWritten });
    singles = Array.from({ length: 50 }, (_, i) =>
      send(server.url, { method: 'POST', path: '/v1/verdicts', body: body(i % 2 ? '01-withdrawal-change-of-mind' : '13-refund-late-penalty'), onWritten, ...(i % 2 ? { agent } : {}) }),
    );
  });
  await allWritten;
  server.child.kill('SIGTERM');
  const all = await Promise.all([batch, ...singles]);
  const counts = tally(all);
  const exitCode = await server.exited;
  t.same({ reset: counts.reset, truncated: counts.truncated }, { reset: 0, truncated: 0 }, JSON.stringify({ counts, logs: server.logs.filter((l) => l.msg !== 'request').slice(-4).map((l) => ({ ...l, time: undefined, service: undefined, pid: undefined, level: undefined })) }));
  t.equal(counts.answered, 51, 'every request that was sent before the signal is answered');
  const b = all[0]!;
  t.equal(b.kind === 'answered' && b.status, 200, 'the batch finished');
  if (b.kind === 'answered') {
    const { results } = JSON.parse(b.body) as { results: { status: number }[] };
    t.equal(results.length, 300);
    t.ok(results.every((r) => r.status === 200), 'all 300 verdicts');
  }
  for (const o of all.slice(1)) if (o.kind === 'answered') t.equal(o.status, 200, o.body.slice(0, 200));
  const conversation = await pipelined;
  const [first, second] = answers(conversation.data);
  t.equal(first?.status, 200, 'the pipelined batch is answered');
  t.equal(JSON.parse(first?.body ?? '{}').results?.length, 100);
  // fastify runs a pipelined request at once; Node sends its answer after the batch's. It is answered
  // (an answer that closed the connection after the batch would have dropped it).
  t.equal(second?.status, 200, 'the request pipelined behind the batch is answered too');
  t.ok(conversation.closedByServer, 'then the server closes that connection');
  t.equal(exitCode, 0, 'clean exit');
  const msgs = server.logs.map((l) => l.msg);
  t.ok(msgs.indexOf('shutting down: finishing in-flight requests') < msgs.lastIndexOf('request'), 'requests were answered after the signal');
  t.equal(msgs.filter((m) => m !== 'request').at(-1), 'stopped');
});

t.test('after SIGTERM the listener refuses new connections (not a reset), and idle keep-alive connections are closed', async (t) => {
  const server = await startServer({ KEEP_ALIVE_TIMEOUT_MS: '60000' });
  t.teardown(() => void server.child.kill('SIGKILL'));
  // An idle keep-alive connection: one request answered, then nothing.
  const idle = raw(server.url, ['GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n'], 20000);
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  server.child.kill('SIGTERM');
  const closed = await idle;
  t.ok(closed.closedByServer, 'the server closed the idle connection');
  t.ok(Date.now() - t0 < 15000, 'well before the 60 s keep-alive timeout');
  t.match(closed.data, /^HTTP\/1\.1 200/, 'its answer had come');
  t.equal(await server.exited, 0);
  const after = await send(server.url, { path: '/health/live' });
  t.equal(after.kind, 'refused', 'a new connection is refused once stopped');
});

t.test('the grace period runs out during a batch: a complete 503 problem, then exit 1', async (t) => {
  // 3,000 elements take a second or more even in a fast phase of the machine (~0.3 ms each), well past
  // the 300 ms of grace after the signal; 1,000 once finished inside it.
  const server = await startServer({
    SHUTDOWN_GRACE_MS: '300',
    BATCH_BUDGET_MS: '60000',
    CONNECTION_TIMEOUT_MS: '0',
    BATCH_MAX: '3000',
    BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
  });
  t.teardown(() => void server.child.kill('SIGKILL'));
  let written!: () => void;
  const sent = new Promise<void>((resolve) => (written = resolve));
  const batch = send(server.url, { method: 'POST', path: '/v1/verdicts/batch', body: batchOf(3000), onWritten: () => written() });
  await sent;
  await new Promise((r) => setTimeout(r, 100)); // parsed, and the batch under way
  server.child.kill('SIGTERM');
  const res = await batch;
  t.equal(res.kind, 'answered', `a complete answer (${res.kind})`);
  if (res.kind === 'answered') {
    t.equal(res.status, 503);
    t.match(res.headers['content-type'], /problem\+json/);
    t.equal(res.headers['retry-after'], '1');
    t.equal(JSON.parse(res.body).type, 'urn:recourse:problem:shutting-down');
  }
  t.equal(await server.exited, 1, 'exit 1: something was cut');
  t.ok(server.logs.some((l) => l.msg === 'stopped: grace period over, running batches were answered 503'));
});

t.test('SHUTDOWN_DELAY_MS: readiness is 503 on new connections while the service still answers', async (t) => {
  const server = await startServer({ SHUTDOWN_DELAY_MS: '1500' });
  t.teardown(() => void server.child.kill('SIGKILL'));
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  const ready = await send(server.url, { path: '/health/ready' });
  t.equal(ready.kind === 'answered' && ready.status, 503);
  const verdict = await send(server.url, { method: 'POST', path: '/v1/verdicts', body: body('01-withdrawal-change-of-mind') });
  t.equal(verdict.kind === 'answered' && verdict.status, 200, 'work sent during the delay is still done');
  t.equal(await server.exited, 0);
});

