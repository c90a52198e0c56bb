// One server process: the ruleset, the application on the port, SIGHUP reload, and a graceful stop
// (src/lifecycle.ts). Run on its own (WORKERS=1) or as a worker of src/cluster.ts, which then tells it
// when to reload and when to stop.
import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { errorForLog } from './http/errors.js';
import { FLUSH_MS, Lifecycle } from './lifecycle.js';
import { ClusterRateLimitStore } from './rate-limit-store.js';
import { RulesetHolder } from './ruleset-holder.js';

/** Exit codes: 0 every request answered in the grace period; 1 the grace period ran out and running batches were cut (with a 503), or a failure. */
export const EXIT_CLEAN = 0;
export const EXIT_CUT = 1;

export type WorkerMessage = { cmd: 'shutdown' } | { cmd: 'reload' };
export type PrimaryMessage = { event: 'listening'; address: string } | { event: 'stopping' };

export async function serve(config: Config, logger: Logger, role: 'single' | 'worker', stopRequested: () => boolean = () => false): Promise<void> {
  const rulesets = new RulesetHolder(config.RULES_DIR);
  logger.info({ rulesetVersion: rulesets.current.version, rulesetDigest: rulesets.current.digest, rules: rulesets.current.files.size }, 'ruleset loaded');
  if (config.RECOURSE_API_KEYS.length === 0 && role === 'single')
    logger.warn('RECOURSE_API_KEYS is not set: /v1 is open to anyone who can reach this port');

  // Numbers and names only: never a key or its hash.
  logger.debug(
    {
      role,
      apiKeys: config.RECOURSE_API_KEYS.map((k) => k.name),
      rateLimitMax: config.RATE_LIMIT_MAX,
      bodyLimit: config.BODY_LIMIT_BYTES,
      batchMax: config.BATCH_MAX,
      batchBudgetMs: config.BATCH_BUDGET_MS,
      oracleSample: config.ORACLE_SAMPLE,
      jsonMaxDepth: config.JSON_MAX_DEPTH,
      jsonMaxObjectKeys: config.JSON_MAX_OBJECT_KEYS,
      timeoutsMs: { headersTimeout: config.HEADERS_TIMEOUT_MS, requestTimeout: config.REQUEST_TIMEOUT_MS, keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS, connectionTimeout: config.CONNECTION_TIMEOUT_MS },
      shutdownMs: { grace: config.SHUTDOWN_GRACE_MS, delay: config.SHUTDOWN_DELAY_MS },
      shedding: { eventLoopMaxDelayMs: config.EVENT_LOOP_MAX_DELAY_MS, memoryMaxRssBytes: config.MEMORY_MAX_RSS_BYTES },
    },
    'configuration',
  );
  const lifecycle = new Lifecycle();
  const app = await buildApp({
    rulesets,
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    batchMax: config.BATCH_MAX,
    batchBudgetMs: config.BATCH_BUDGET_MS,
    oracleSample: config.ORACLE_SAMPLE,
    isShuttingDown: () => lifecycle.shuttingDown,
    closesConnection: (socket) => lifecycle.closesConnection(socket),
    cutSignal: lifecycle.cutSignal,
    apiKeys: config.RECOURSE_API_KEYS,
    rateLimitMax: config.RATE_LIMIT_MAX,
    ...(role === 'worker' && config.RATE_LIMIT_MAX > 0 ? { rateLimitStore: ClusterRateLimitStore } : {}),
    jsonLimits: { maxDepth: config.JSON_MAX_DEPTH, maxObjectKeys: config.JSON_MAX_OBJECT_KEYS },
    timeouts: {
      headersMs: config.HEADERS_TIMEOUT_MS,
      requestMs: config.REQUEST_TIMEOUT_MS,
      keepAliveMs: config.KEEP_ALIVE_TIMEOUT_MS,
      connectionMs: config.CONNECTION_TIMEOUT_MS,
    },
    ...(config.EVENT_LOOP_MAX_DELAY_MS > 0 || config.MEMORY_MAX_RSS_BYTES > 0
      ? { underPressure: { maxEventLoopDelayMs: config.EVENT_LOOP_MAX_DELAY_MS, maxRssBytes: config.MEMORY_MAX_RSS_BYTES } }
      : {}),
  });
  lifecycle.attach(app.server);

  let stopping: Promise<number> | null = null;
  const stop = (reason: string): Promise<number> =>
    (stopping ??= (async () => {
      logger.info({ signal: reason, inFlight: lifecycle.inFlight }, 'shutting down: finishing in-flight requests');
      const result = await lifecycle.drain({
        graceMs: config.SHUTDOWN_GRACE_MS,
        delayMs: config.SHUTDOWN_DELAY_MS,
        onStopListening: (state) => logger.info(state, 'stopped listening'),
      });
      await app.close();
      if (result.cut)
        logger.warn({ ms: result.ms, abandoned: result.abandoned, graceMs: config.SHUTDOWN_GRACE_MS }, 'stopped: grace period over, running batches were answered 503');
      else logger.info({ ms: result.ms }, 'stopped');
      return result.cut ? EXIT_CUT : EXIT_CLEAN;
    })());

  const reload = () => {
    try {
      const next = rulesets.reload();
      logger.info({ rulesetVersion: next.version, rulesetDigest: next.digest }, 'ruleset reloaded');
    } catch (e) {
      // The message names the rule file and field, never request content.
      logger.error({ err: { type: (e as Error).name, message: (e as Error).message }, rulesetDigest: rulesets.current.digest }, 'ruleset reload refused; still serving the previous ruleset');
    }
  };

  // close-with-grace: the signals (or, in a worker, the primary's word), a hard deadline behind the
  // drain's own, and a stop on an uncaught error. SIGHUP is a reload, not a stop.
  const hardDeadline = config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_GRACE_MS + FLUSH_MS + 3000;
  const signals = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGUSR2', 'SIGTERM'] as const;
  const graceful = closeWithGrace(
    {
      delay: hardDeadline,
      logger: { error: (m: unknown) => logger.error({ err: errorForLog(m) }, typeof m === 'string' ? m : 'close-with-grace') },
      skip: role === 'single' ? ['SIGHUP'] : [...signals],
      onTimeout: (ms: number) => logger.error({ ms }, 'stop did not finish in time; exiting'),
    },
    async ({ signal, err }: { signal?: string; err?: Error }) => {
      if (err) logger.error({ err: errorForLog(err) }, 'uncaught error; stopping');
      const code = await stop(signal ?? (err ? 'error' : 'stop'));
      process.exit(err ? 1 : code);
    },
  );
  process.on('SIGHUP', reload);
  if (role === 'worker') {
    // The primary drains every worker on SIGTERM/SIGINT and forwards SIGHUP; a terminal's Ctrl-C reaches
    // the whole process group, so a worker waits for the primary's word rather than acting on SIGINT.
    process.removeListener('SIGHUP', reload);
    process.on('SIGINT', () => {});
    process.on('SIGHUP', () => {});
    process.on('SIGTERM', () => void graceful.close());
    process.on('message', (m: WorkerMessage) => {
      if (m?.cmd === 'shutdown') void graceful.close();
      else if (m?.cmd === 'reload') reload();
    });
    // The primary is gone (killed): stop as gracefully as on SIGTERM.
    process.on('disconnect', () => void graceful.close());
  }

  const address = await app.listen({ host: config.HOST, port: config.PORT });
  if (role === 'worker') {
    logger.info({ address }, 'worker listening');
    process.send?.({ event: 'listening', address } satisfies PrimaryMessage);
    // Told to stop while it was starting.
    if (stopRequested()) void graceful.close();
  } else logger.info({ address, docs: `${address}/docs` }, 'listening');
}
