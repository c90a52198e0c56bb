// WORKERS > 1: the primary process forks that many servers (src/serve.ts) sharing one port (node:cluster).
// It never serves a request itself. SIGTERM/SIGINT: every worker drains as one process would (readiness
// 503, no new connection, in-flight answered, batches cut with a 503 only at the grace limit) and the
// primary exits with the worst of their codes. SIGHUP: every worker reloads the rules. A worker that dies
// is logged and replaced; a worker that dies before it ever listened (a bad rule file) stops the start.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { FLUSH_MS } from './lifecycle.js';
import { PrimaryRateLimitCounters } from './rate-limit-store.js';
import type { PrimaryMessage, WorkerMessage } from './serve.js';

/** Replacements allowed in a minute before the primary gives up (a crash loop). */
const MAX_RESTARTS_PER_MINUTE = 10;

export function runPrimary(config: Config, logger: Logger): void {
  const counters = new PrimaryRateLimitCounters();
  const live = new Set<number>();
  const listening = new Set<number>();
  const everListened = new Set<number>();
  const restarts: number[] = [];
  const exitCodes: number[] = [];
  let announced = false;
  let stopping = false;
  let slot = 0;

  if (config.RECOURSE_API_KEYS.length === 0) logger.warn('RECOURSE_API_KEYS is not set: /v1 is open to anyone who can reach this port');

  const send = (worker: Worker, m: WorkerMessage) => {
    if (worker.isConnected()) worker.send(m);
  };

  const fork = (): Worker => {
    const worker = cluster.fork({ RECOURSE_WORKER: String(++slot) });
    live.add(worker.id);
    worker.on('message', (m: PrimaryMessage) => {
      if (counters.handle(worker, m)) return;
      if (m?.event === 'listening') {
        listening.add(worker.id);
        everListened.add(worker.id);
        if (!announced && listening.size === config.WORKERS) {
          announced = true;
          logger.info({ address: m.address, docs: `${m.address}/docs`, workers: config.WORKERS }, 'listening');
        }
        // A replacement that came up while the others were stopping is told at once.
        if (stopping) send(worker, { cmd: 'shutdown' });
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    live.delete(worker.id);
    if (stopping) {
      // A worker that never listened had nothing to lose, however it ended.
      exitCodes.push(everListened.has(worker.id) ? (code ?? 1) : 0);
      logger.info({ workerPid: worker.process.pid, code, signal }, 'worker stopped');
      if (live.size === 0) {
        const worst = Math.max(0, ...exitCodes);
        logger.info({ code: worst, workers: exitCodes.length }, worst === 0 ? 'stopped' : 'stopped: some requests were cut at the grace limit');
        process.exit(worst);
      }
      return;
    }
    if (!everListened.has(worker.id)) {
      // It never came up: the configuration or the rules are bad (the worker said why on stderr).
      logger.fatal({ workerPid: worker.process.pid, code, signal }, 'a worker failed to start; stopping');
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGKILL');
      process.exit(1);
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && now - restarts[0]! > 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      logger.fatal({ restarts: restarts.length }, 'workers keep dying; stopping');
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGKILL');
      process.exit(1);
    }
    const replacement = fork();
    logger.error({ workerPid: worker.process.pid, code, signal, replacementPid: replacement.process.pid }, 'worker died; started a replacement');
  });

  const stop = (signal: string) => {
    if (stopping) {
      logger.error({ signal }, `second ${signal}: killing the workers`);
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    logger.info({ signal, workers: workers.length }, 'shutting down: every worker finishes its in-flight requests');
    for (const w of workers) send(w, { cmd: 'shutdown' });
    // Behind the workers' own deadlines: a worker that still has not exited is killed.
    setTimeout(
      () => {
        logger.error('workers did not stop in time; killing them');
        for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGKILL');
        process.exit(1);
      },
      config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_GRACE_MS + FLUSH_MS + 5000,
    ).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    logger.info({ workers: Object.keys(cluster.workers ?? {}).length }, 'reloading the rules in every worker');
    for (const w of Object.values(cluster.workers ?? {})) if (w) send(w, { cmd: 'reload' });
  });

  // Each worker accepts its own connections from the shared listening socket (not round-robin through
  // the primary): a stopping worker then takes in what the kernel already holds before it closes, as a
  // single process does. With round-robin, connections queued in the primary are closed (reset) when
  // the last worker stops listening. Measured here: 400 fresh connections split 178/222 between two
  // workers (201/199 with round-robin), at the same throughput.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  logger.info({ workers: config.WORKERS }, 'starting workers');
  for (let i = 0; i < config.WORKERS; i++) fork();
}
