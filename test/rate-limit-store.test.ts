// The rate limit shared across workers (src/rate-limit-store.ts), both sides in one process: the
// worker's store sends what it is asked in one turn of the event loop as one message, the primary
// counts each ask in order and answers them in one message, and every caller gets its own count.
import type { Worker } from 'node:cluster';
import t from 'tap';
import { ClusterRateLimitStore, PrimaryRateLimitCounters } from '../src/rate-limit-store.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

t.test("a worker's asks of one turn go in one message, and each gets its own count", async (t) => {
  const sent: unknown[] = [];
  const originalSend = process.send;
  process.send = ((m: unknown) => (sent.push(m), true)) as typeof process.send;
  t.teardown(() => {
    process.send = originalSend;
  });
  const store = new ClusterRateLimitStore();
  const counts: (number | string)[] = [];
  const record = (err: Error | null, res?: { current: number }) => counts.push(err ? err.message : res!.current);
  store.incr('client-a', record, 60_000);
  store.incr('client-a', record, 60_000);
  store.read('client-a', record, 60_000);
  store.incr('client-b', record, 60_000);
  t.equal(sent.length, 0, 'nothing is sent before the turn ends');
  await nextTurn();
  t.equal(sent.length, 1, 'one message for the four asks');

  const answers: unknown[] = [];
  const primary = new PrimaryRateLimitCounters();
  const worker = { isConnected: () => true, send: (m: unknown) => answers.push(m) } as unknown as Worker;
  t.equal(primary.handle(worker, sent[0]), true, 'the primary takes it as a rate-limit message');
  t.equal(answers.length, 1, 'and answers in one message');
  process.emit('message', answers[0] as never, undefined as never);
  t.same(counts, [1, 2, 2, 1], 'counted in order, per key: a read does not count');

  store.incr('client-a', record, 60_000);
  await nextTurn();
  t.equal(sent.length, 2, 'an ask of a later turn goes in a message of its own');
  primary.handle(worker, sent[1]);
  process.emit('message', answers[1] as never, undefined as never);
  t.equal(counts.at(-1), 3, 'and counts on');
});

t.test("the primary leaves other workers' messages to others", async (t) => {
  const primary = new PrimaryRateLimitCounters();
  const worker = { isConnected: () => true, send: () => t.fail('nothing to answer') } as unknown as Worker;
  t.equal(primary.handle(worker, { event: 'listening', address: 'http://127.0.0.1:3000' }), false);
  t.equal(primary.handle(worker, null), false);
});
