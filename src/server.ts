// The process: configuration, logger, ruleset, listen, and a graceful stop on SIGTERM/SIGINT that
// lets in-flight requests finish. SIGHUP reloads the rules; a bad ruleset is refused and the good one kept.
import pino from 'pino';
import { buildApp } from './app.js';
import { ConfigError, parseConfig } from './config.js';
import { RulesetError } from './core/index.js';
import { RulesetHolder } from './ruleset-holder.js';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'recourse' } });
  const rulesets = new RulesetHolder(config.RULES_DIR);
  logger.info({ rulesetVersion: rulesets.current.version, rulesetDigest: rulesets.current.digest, rules: rulesets.current.files.size }, 'ruleset loaded');

  let shuttingDown = false;
  const app = await buildApp({
    rulesets,
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    batchMax: config.BATCH_MAX,
    isShuttingDown: () => shuttingDown,
  });

  const stop = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      logger.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'grace period over, exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    await app.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => {
    try {
      const next = rulesets.reload();
      logger.info({ rulesetVersion: next.version, rulesetDigest: next.digest }, 'ruleset reloaded');
    } catch (e) {
      logger.error({ err: e, rulesetDigest: rulesets.current.digest }, 'ruleset reload refused; still serving the previous ruleset');
    }
  });

  const address = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ address, docs: `${address}/docs` }, 'listening');
}

main().catch((e: unknown) => {
  // A bad configuration or rule file stops the service with a message naming the variable or file and field.
  // A system error (a port in use, an unreadable file) is one line too; anything else is a defect: stack.
  const systemError = e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && 'syscall' in e;
  if (e instanceof RulesetError || e instanceof ConfigError || systemError) console.error(`recourse: cannot start: ${(e as Error).message}`);
  else console.error(e);
  process.exit(1);
});
