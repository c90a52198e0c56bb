// One rate limit across the workers of a cluster: the counters live in the primary, and each worker's
// @fastify/rate-limit asks it over the cluster's IPC channel. Without it, N workers would let a client
// through N times RATE_LIMIT_MAX a minute (or MAX/N on one keep-alive connection).
import type { Worker } from 'node:cluster';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
interface Ask {
  rl: 'incr' | 'read';
  id: number;
  key: string;
  timeWindow: number;
}
interface Answer {
  rl: 'res';
  id: number;
  current: number;
  ttl: number;
}

const ASK_TIMEOUT_MS = 1000;

/** Worker side: a @fastify/rate-limit store (incr, read, child). */
export class ClusterRateLimitStore {
  static #next = 1;
  static readonly #pending = new Map<number, { cb: Callback; timer: NodeJS.Timeout }>();
  static #listening = false;

  constructor(_options?: unknown) {
    if (!ClusterRateLimitStore.#listening) {
      ClusterRateLimitStore.#listening = true;
      process.on('message', (m: Answer) => {
        if (m?.rl !== 'res') return;
        const p = ClusterRateLimitStore.#pending.get(m.id);
        if (!p) return;
        ClusterRateLimitStore.#pending.delete(m.id);
        clearTimeout(p.timer);
        p.cb(null, { current: m.current, ttl: m.ttl });
      });
    }
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
    if (!process.send?.({ rl, id, key, timeWindow } satisfies Ask)) {
      /* the message is queued even when send returns false; the timeout covers a lost channel */
    }
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
    const ask = m as Ask;
    if (!ask || (ask.rl !== 'incr' && ask.rl !== 'read') || typeof ask.key !== 'string') return false;
    const now = Date.now();
    let w = this.#windows.get(ask.key);
    if (!w || now - w.start >= ask.timeWindow) {
      w = { count: 0, start: now };
      if (ask.rl === 'incr') this.#windows.set(ask.key, w);
    }
    if (ask.rl === 'incr') w.count++;
    const answer: Answer = { rl: 'res', id: ask.id, current: w.count, ttl: Math.max(0, ask.timeWindow - (now - w.start)) };
    if (worker.isConnected()) worker.send(answer);
    return true;
  }
}
