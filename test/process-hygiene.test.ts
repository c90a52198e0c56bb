// Process hygiene as a user meets it: `npm start` (build, then node) stops on a SIGTERM sent to npm
// and leaves no server behind; the server binds to loopback unless HOST says otherwise; a bad
// RULES_DIR is one line on stderr and a non-zero exit; the image and compose file say the same.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';

const ROOT = join(import.meta.dirname, '..');

/** Every process whose parent chain leads to `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) if (pp === p) (out.push(child), walk(child));
  };
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs a command; resolves with its exit code and output once it exits. */
function run(cmd: string, args: string[], env: Record<string, string | undefined>) {
  const child = spawn(cmd, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

function envWithout(...names: string[]): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const n of names) delete env[n];
  return env;
}

t.test('npm start builds, serves on 127.0.0.1 by default, and a SIGTERM to npm stops the server (no orphan)', async (t) => {
  const npm = run('npm', ['start'], { ...envWithout('HOST'), PORT: '0', LOG_LEVEL: 'info' });
  const family: number[] = [];
  t.teardown(() => {
    for (const pid of [npm.child.pid!, ...family]) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
  const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const seen = () => {
      for (const line of npm.stdout().split('\n')) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === 'listening') return resolve(entry);
        } catch {
          /* npm's own lines */
        }
      }
    };
    npm.child.stdout.on('data', seen);
    void npm.exited.then(({ code }) => reject(new Error(`npm start exited (${code}) before listening: ${npm.stderr()}`)));
  });
  t.match(String(listening.address), /^http:\/\/127\.0\.0\.1:\d+$/, 'no HOST: the server listens on the loopback interface only');
  const url = String(listening.address);
  t.equal((await fetch(`${url}/health/live`)).status, 200, 'the server answers');

  family.push(...descendants(npm.child.pid!));
  const servers = family.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/server.js');
    } catch {
      return false;
    }
  });
  // npm execs node (no shell between): one dist/server.js is npm's own child, and any others are the
  // workers it forked (WORKERS defaults to one per core).
  const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
  const primaries = servers.filter((pid) => parentOf(pid) === npm.child.pid);
  t.equal(primaries.length, 1, 'one node dist/server.js directly under npm');
  t.same(servers.filter((pid) => !primaries.includes(pid)).map(parentOf), servers.slice(1).map(() => primaries[0]), 'the others are its workers');
  // The node options of the start script reach every server process, the workers the primary forks too.
  const argvOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  t.ok(
    servers.length >= 1 && servers.every((pid) => ['--max-semi-space-size=8', '--heap-growing-percent=20', '--no-maglev'].every((o) => argvOf(pid).includes(o))),
    'every server runs with the options that keep its memory small',
  );

  npm.child.kill('SIGTERM');
  const { code } = await npm.exited;
  t.equal(code, 0, 'npm exits 0: the server stopped gracefully');
  t.same(family.filter(alive), [], 'no process that npm started is left running');
  await t.rejects(fetch(`${url}/health/live`), 'nothing answers on the port any more');
  t.ok(npm.stdout().includes('"msg":"stopped"'), 'the server logged its graceful stop');

  // npm start has just built dist/: the compiled CLI, what the image's bin runs without tsx, works too.
  const compiled = run(process.execPath, ['--input-type=module', '-e', "const { runCli } = await import('./dist/cli.js'); await runCli(process.argv.slice(1));", 'verdict', 'examples/requests/01-withdrawal-change-of-mind.json', '--text'], process.env);
  t.equal((await compiled.exited).code, 0, compiled.stderr());
  t.match(compiled.stdout(), /^Outcome: return_accepted \(withdrawal\)$/m, 'dist/cli.js decides example 01');
});

t.test('a bad RULES_DIR is one line on stderr and exit code 1', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'recourse-empty-'));
  const cases: [string, RegExp][] = [
    ['/nonexistent/rules', /^recourse: cannot start: RULES_DIR: \/nonexistent\/rules does not exist$/],
    [join(ROOT, 'package.json'), /^recourse: cannot start: RULES_DIR: .*package\.json is not a directory$/],
    [empty, /^recourse: cannot start: RULES_DIR: .* is not a ruleset directory \(no ruleset\.json in it\)$/],
  ];
  for (const [dir, expected] of cases) {
    const server = run(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], { ...process.env, RULES_DIR: dir, PORT: '0' });
    const { code } = await server.exited;
    t.equal(code, 1, `${dir}: exit code 1`);
    const lines = server.stderr().split('\n').filter(Boolean);
    t.equal(lines.length, 1, `${dir}: one line on stderr, no stack trace`);
    t.match(lines[0] ?? '', expected);
    t.equal(server.stdout(), '', `${dir}: nothing served, nothing logged`);
  }
});

t.test('HOST defaults to 127.0.0.1 and can be set; the image sets 0.0.0.0; compose publishes on loopback with limits; npm start and the image run node alike', async (t) => {
  t.equal(parseConfig({}).HOST, '127.0.0.1');
  t.equal(parseConfig({ HOST: '0.0.0.0' }).HOST, '0.0.0.0');
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  t.match(dockerfile, /^ENV .*\bHOST=0\.0\.0\.0\b/m, 'the image listens on every interface of its container');
  t.match(dockerfile, /^ARG NODE_IMAGE=node:24-[a-z]+-slim@sha256:[0-9a-f]{64}$/m, 'official Node 24 slim image pinned by digest');
  const compose = readFileSync(join(ROOT, 'docker', 'compose.yaml'), 'utf8');
  t.match(compose, /^\s+- "127\.0\.0\.1:3000:3000"/m, 'published on the host loopback only');
  t.notMatch(compose, /^\s+- "3000:3000"/m);
  t.match(compose, /limits:\s*\n\s+cpus: "[\d.]+"\s*\n\s+memory: \d+[MG]/, 'CPU and memory limits');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
  const start = /^exec node ((?:--[\w-]+(?:=\S+)? )*)dist\/server\.js$/.exec(pkg.scripts.start ?? '');
  t.ok(start, 'npm start replaces its shell with node, so signals reach the server');
  const nodeOptions = (start?.[1] ?? '').trim().split(' ').filter(Boolean);
  t.same(
    nodeOptions,
    ['--max-semi-space-size=8', '--heap-growing-percent=20', '--no-maglev'],
    'young generation capped at 8 MB a semi-space, old generation collected once grown 20 %, no Maglev tier',
  );
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  t.same(cmd && (JSON.parse(cmd[1]!) as string[]), ['node', ...nodeOptions, 'dist/server.js'], 'the image runs node with the options npm start gives it');
  t.equal(pkg.engines.node, '>=22.12.0');
});
