// Starts the real server process (src/server.ts, as `npm start` runs it but without a build step) on a
// free loopback port, and collects its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
}

const ROOT = join(import.meta.dirname, '..', '..');

const START_LIMIT_MS = 60_000;

export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let buffer = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'listening') resolve({ url: String(entry.address), child, logs, stderr: () => err, exited });
        } catch {
          /* not a log line */
        }
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${err}`)));
    // A bound, not a timing assertion: starting compiles the ruleset in every worker, which takes a few
    // seconds on a quiet machine and much longer on a loaded one (CI shares its cores).
    setTimeout(() => {
      // Not left running behind a caller that gives up.
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_LIMIT_MS / 1000} s: ${err}`));
    }, START_LIMIT_MS).unref();
  });
}
