// The process: configuration, logger, then either one server in this process (WORKERS=1) or a primary
// that runs WORKERS servers on the same port (src/cluster.ts). Each server (src/serve.ts) reloads its
// rules on SIGHUP (a bad ruleset is refused and the good one kept) and stops gracefully on SIGTERM/SIGINT.
// This module stays light (the application is imported only where it runs), so that signal handlers are
// in place within moments of the start.
import cluster from 'node:cluster';
import pino from 'pino';
import { ConfigError, parseConfig } from './config.js';

// A worker stops on its primary's word, which may come (with a signal to the whole process group, as
// from a terminal's Ctrl-C) while it is still starting: noted now, acted on once it can stop gracefully.
const early = { stop: false };
if (cluster.isWorker) {
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => (early.stop = true));
  process.on('message', (m: { cmd?: string }) => m?.cmd === 'shutdown' && (early.stop = true));
}

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const base = cluster.isWorker
    ? { service: 'recourse', pid: process.pid, worker: Number(process.env.RECOURSE_WORKER ?? cluster.worker?.id) }
    : { service: 'recourse', pid: process.pid };
  const logger = pino({ level: config.LOG_LEVEL, base });
  if (cluster.isPrimary && config.WORKERS > 1) (await import('./cluster.js')).runPrimary(config, logger);
  else await (await import('./serve.js')).serve(config, logger, cluster.isWorker ? 'worker' : 'single', () => early.stop);
}

main().catch((e: unknown) => {
  // A bad configuration or rule file stops the service with a message naming the variable or file and field.
  // A system error (a port in use, an unreadable file) is one line too; anything else is a defect: stack.
  const systemError = e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && 'syscall' in e;
  if (e instanceof ConfigError || (e instanceof Error && e.name === 'RulesetError') || systemError) console.error(`recourse: cannot start: ${(e as Error).message}`);
  else console.error(e);
  process.exit(1);
});
