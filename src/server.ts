// The process: configuration, logger, then either one server in this process (WORKERS=1) or a primary
// that runs WORKERS servers on the same port (src/cluster.ts). Each server (src/serve.ts) reloads its
// rules on SIGHUP (a bad ruleset is refused and the good one kept) and stops gracefully on SIGTERM/SIGINT.
import cluster from 'node:cluster';
import pino from 'pino';
import { runPrimary } from './cluster.js';
import { ConfigError, parseConfig } from './config.js';
import { RulesetError } from './core/index.js';
import { serve } from './serve.js';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const base = cluster.isWorker
    ? { service: 'recourse', pid: process.pid, worker: Number(process.env.RECOURSE_WORKER ?? cluster.worker?.id) }
    : { service: 'recourse', pid: process.pid };
  const logger = pino({ level: config.LOG_LEVEL, base });
  if (cluster.isPrimary && config.WORKERS > 1) runPrimary(config, logger);
  else await serve(config, logger, cluster.isWorker ? 'worker' : 'single');
}

main().catch((e: unknown) => {
  // A bad configuration or rule file stops the service with a message naming the variable or file and field.
  if (e instanceof RulesetError || e instanceof ConfigError) console.error(`recourse: cannot start: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
