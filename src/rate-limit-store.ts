// One rate limit across the workers of a cluster: the counters live in the primary, and each worker's
// @fastify/rate-limit asks it over the cluster's IPC channel. Without it, N workers would let a client
// through N times RATE_LIMIT_MAX a minute (or MAX/N on one keep-alive connection).
// The questions a worker asks in one turn of its event loop go in one message, and the primary answers
// them in one: a message each way costs a request more than the counting (~100 µs an answer with two
// workers under load, measured by `npm run bench`); the primary still counts them one by one, in order.
import type { Worker } from 'node:cluster';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
interface Ask {
  rl: 'incr' | 'read';
  id: number;
  key: string;
  timeWindow: number;
}
interface Answer {
  id: number;
  current: number;
  ttl: number;
}
/** A worker's questions of one turn of its event loop. */
interface Asks {
  rl: 'asks';
  asks: Ask[];
}
/** The primary's answers to one message of questions, in the same order. */
interface Answers {
  rl: 'answers';
  answers: Answer[];
}

const ASK_TIMEOUT_MS = 1000;

/** Worker side: a @fastify/rate-limit store (incr, read, child). */
export class ClusterRateLimitStore {
  static #next = 1;
  static readonly #pending = new Map<number, { cb: Callback; timer: NodeJS.Timeout }>();
  static #outbox: Ask[] = [];
  static #listening = false;

  constructor(_options?: unknown) {
    if (!ClusterRateLimitStore.#listening) {
      ClusterRateLimitStore.#listening = true;
      process.on('message', (m: Answers) => {
        if (m?.rl !== 'answers' || !Array.isArray(m.answers)) return;
        for (const a of m.answers) {
          const p = ClusterRateLimitStore.#pending.get(a.id);
          if (!p) continue;
          ClusterRateLimitStore.#pending.delete(a.id);
          clearTimeout(p.timer);
          p.cb(null, { current: a.current, ttl: a.ttl });
        }
      });
    }
  }

  /** Sends the questions of this turn of the event loop, in one message. */
  static #flush(): void {
    const asks = ClusterRateLimitStore.#outbox;
    ClusterRateLimitStore.#outbox = [];
    // The message is queued even when send returns false; the timeouts cover a lost channel.
    process.send?.({ rl: 'asks', asks } satisfies Asks);
  }

  #ask(rl: Ask['rl'], key: string, cb: Callback, timeWindow: number): void {
    const id = ClusterRateLimitStore.#next++;
    // No answer from the primary (it is stopping): fail open rather than refuse the request.
    const timer = setTimeout(() => {
      ClusterRateLimitStore.#pending.delete(id);
      cb(new Error('rate-limit store: no answer from the primary'));
    }, ASK_TIMEOUT_MS);
    timer.unref();
    ClusterRateLimitStore.#pending.set(id, { cb, timer });
    // After the I/O of this turn: the other requests that arrived with this one ask in the same message.
    if (ClusterRateLimitStore.#outbox.push({ rl, id, key, timeWindow }) === 1) setImmediate(() => ClusterRateLimitStore.#flush());
  }

  incr(key: string, cb: Callback, timeWindow: number): void {
    this.#ask('incr', key, cb, timeWindow);
  }

  read(key: string, cb: Callback, timeWindow: number): void {
    this.#ask('read', key, cb, timeWindow);
  }

  child(): ClusterRateLimitStore {
    return this;
  }
}

/** Primary side: fixed one-minute windows per key, answered to whichever worker asks. */
export class PrimaryRateLimitCounters {
  readonly #windows = new Map<string, { count: number; start: number }>();
  readonly #sweep: NodeJS.Timeout;

  constructor() {
    this.#sweep = setInterval(() => {
      const now = Date.now();
      for (const [k, w] of this.#windows) if (now - w.start > 10 * 60_000) this.#windows.delete(k);
    }, 60_000);
    this.#sweep.unref();
  }

  /** Handles a worker's message if it is a rate-limit question; returns whether it was one. */
  handle(worker: Worker, m: unknown): boolean {
    const message = m as Asks;
    if (message?.rl !== 'asks') return false;
    if (!Array.isArray(message.asks)) return true;
    const now = Date.now();
    const answers: Answer[] = [];
    for (const ask of message.asks) if ((ask?.rl === 'incr' || ask?.rl === 'read') && typeof ask.key === 'string') answers.push(this.#count(ask, now));
    if (worker.isConnected()) worker.send({ rl: 'answers', answers } satisfies Answers);
    return true;
  }

  #count(ask: Ask, now: number): Answer {
    let w = this.#windows.get(ask.key);
    if (!w || now - w.start >= ask.timeWindow) {
      w = { count: 0, start: now };
      if (ask.rl === 'incr') this.#windows.set(ask.key, w);
    }
    if (ask.rl === 'incr') w.count++;
    return { id: ask.id, current: w.count, ttl: Math.max(0, ask.timeWindow - (now - w.start)) };
  }
}
