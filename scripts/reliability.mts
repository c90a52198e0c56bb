// npm run reliability [-- --fuzz 20000 --soak 60 --sigterm-runs 4 --only fuzz,sigterm,batch,slow,soak]
// Measures what issue 9 asked for, on loopback only and bounded in time (about 4 minutes with the
// defaults): requests fuzzed over HTTP and the 5xx among them; resets and truncated answers when
// SIGTERM arrives with 50 requests and a batch in flight (one process, then two workers); how long a
// 1,000-element batch stalls a probe; what oversized bodies cost; when slow clients are cut; RSS over a
// soak. It starts its own servers (src/server.ts) on free ports and stops them. It asserts nothing: it
// prints the figures, and exits 1 only when a figure that must be zero is not.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { example } from '../test/helpers/app.js';
import { startServer, type RunningServer } from '../test/helpers/process.js';
import { raw, send, type Outcome } from '../test/helpers/wire.js';
import { fuzz } from './fuzz.mjs';

const { values } = parseArgs({
  options: {
    fuzz: { type: 'string', default: '20000' },
    soak: { type: 'string', default: '60' },
    'sigterm-runs': { type: 'string', default: '4' },
    seed: { type: 'string', default: '20261122' },
    only: { type: 'string', default: 'fuzz,sigterm,batch,slow,soak' },
  },
});
const ONLY = new Set(values.only.split(','));
const FUZZ = Number(values.fuzz);
const SOAK_S = Number(values.soak);
const RUNS = Number(values['sigterm-runs']);

const started = Date.now();
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  console.log(s);
};
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const verdict = JSON.stringify(example('01-withdrawal-change-of-mind'));
const batchOf = (n: number) => JSON.stringify({ requests: Array.from({ length: n }, (_, i) => example(i % 2 ? '05-defective-within-presumption' : '13-refund-late-penalty')) });
const mustBeZero: string[] = [];

/** GET /health/live every 10 ms on one keep-alive connection until stdin closes; prints [{at, ms}]. */
const PROBER = `
import http from 'node:http';
const url = new URL(process.argv[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const out = [];
let stop = false;
process.stdin.on('end', () => (stop = true)).resume();
const once = () => new Promise((resolve) => {
  const at = Date.now(); const s = performance.now();
  http.get({ host: url.hostname, port: url.port, path: '/health/live', agent }, (res) => { res.resume(); res.on('end', () => { out.push({ at, ms: performance.now() - s }); resolve(); }); }).on('error', resolve);
});
while (!stop) { await once(); await new Promise((r) => setTimeout(r, 10)); }
process.stdout.write(JSON.stringify(out));
agent.destroy();
`;

async function stop(server: RunningServer) {
  server.child.kill('SIGTERM');
  return server.exited;
}

console.log(`Recourse reliability run — node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; loopback only\n`);

// 1. Fuzz over HTTP.
if (ONLY.has('fuzz')) {
  const server = await startServer({ RATE_LIMIT_MAX: '0', EVENT_LOOP_MAX_DELAY_MS: '0' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let skipped = 0;
  const figures = await fuzz(FUZZ, Number(values.seed), async (c) => {
    let o: Outcome;
    try {
      o = await send(server.url, { method: c.method, path: c.url, headers: c.headers, ...(c.payload !== undefined ? { body: c.payload } : {}), agent });
    } catch {
      skipped++;
      return null;
    }
    if (o.kind !== 'answered') return { status: 599, headers: {}, body: o.kind };
    return { status: o.status, headers: o.headers, body: o.body };
  });
  agent.destroy();
  await stop(server);
  say(`fuzz over HTTP: ${figures.requests - skipped} requests fuzzed (seed ${values.seed}, ${figures.seconds} s); 5xx: ${figures.fiveHundreds}; answers breaking a property: ${figures.violations}`);
  say(`  statuses: ${JSON.stringify(figures.statuses)}${skipped ? ` (${skipped} not sendable by Node's client, skipped)` : ''}`);
  for (const v of figures.first) say(`  - ${v}`);
  if (figures.fiveHundreds || figures.violations) mustBeZero.push('fuzz');
}

// 2. SIGTERM with 50 requests and a batch in flight.
async function sigtermRun(env: Record<string, string>) {
  const server = await startServer({ SHUTDOWN_GRACE_MS: '20000', ...env });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 25 });
  let written = 0;
  let all!: Promise<Outcome>[];
  await new Promise<void>((resolve) => {
    const onWritten = () => ++written === 51 && resolve();
    all = [
      send(server.url, { method: 'POST', path: '/v1/verdicts/batch', body: batchOf(200), onWritten }),
      ...Array.from({ length: 50 }, (_, i) => send(server.url, { method: 'POST', path: '/v1/verdicts', body: verdict, onWritten, ...(i % 2 ? { agent } : {}) })),
    ];
  });
  const signalAt = Date.now();
  server.child.kill('SIGTERM');
  const outcomes = await Promise.all(all);
  const code = await server.exited;
  agent.destroy();
  const stoppedLine = server.logs.filter((l) => l.msg === 'stopped').at(-1);
  return {
    answered: outcomes.filter((o) => o.kind === 'answered' && o.status === 200).length,
    reset: outcomes.filter((o) => o.kind === 'reset').length,
    truncated: outcomes.filter((o) => o.kind === 'truncated').length,
    other: outcomes.filter((o) => o.kind === 'refused' || (o.kind === 'answered' && o.status !== 200)).length,
    code,
    stopMs: stoppedLine ? Number(stoppedLine.time) - signalAt : NaN,
  };
}
for (const [label, env] of ONLY.has('sigterm') ? ([['one process', { WORKERS: '1' }], ['two workers', { WORKERS: '2' }]] as const) : []) {
  const runs: Awaited<ReturnType<typeof sigtermRun>>[] = [];
  for (let i = 0; i < (label === 'one process' ? RUNS : Math.max(1, Math.floor(RUNS / 2))); i++) runs.push(await sigtermRun(env));
  const sum = (k: 'answered' | 'reset' | 'truncated' | 'other') => runs.reduce((s, r) => s + r[k], 0);
  say(
    `SIGTERM with 50 requests and a 200-element batch in flight, ${label}, ${runs.length} runs: ${sum('answered')}/${runs.length * 51} answered 200, resets ${sum('reset')}, truncated ${sum('truncated')}, other ${sum('other')}; exit codes ${runs.map((r) => r.code).join(',')}${label === 'one process' ? `; "stopped" ${runs.map((r) => r.stopMs).join(', ')} ms after the signal` : ''}`,
  );
  if (sum('reset') || sum('truncated') || sum('other') || runs.some((r) => r.code !== 0)) mustBeZero.push(`sigterm ${label}`);
}

// 3. A batch of 1,000 and the clients beside it; oversized bodies.
if (ONLY.has('batch')) {
  const server = await startServer({ RATE_LIMIT_MAX: '0' });
  // The probe runs in its own process: a client parsing 13 MB of answer must not be mistaken for a stall.
  const prober = spawn(process.execPath, ['--input-type=module', '-e', PROBER, server.url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let probeOut = '';
  prober.stdout!.on('data', (d: Buffer) => (probeOut += d.toString()));
  // Warm: the first verdicts of a process build holiday calendars and compile code.
  await send(server.url, { method: 'POST', path: '/v1/verdicts/batch', body: batchOf(20) });
  await wait(300);
  const t0 = Date.now();
  const b = await send(server.url, { method: 'POST', path: '/v1/verdicts/batch', body: batchOf(1000) });
  const batchMs = Date.now() - t0;
  prober.stdin!.end();
  await new Promise((r) => prober.once('exit', r));
  const all = JSON.parse(probeOut) as { at: number; ms: number }[];
  const latencies = all.filter((x) => x.at >= t0 && x.at <= t0 + batchMs).map((x) => x.ms).sort((x, y) => x - y);
  const p = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  const statuses = b.kind === 'answered' ? JSON.parse(b.body).results.map((r: { status: number }) => r.status) : [];
  say(`batch of 1,000: answered in ${batchMs} ms (${statuses.filter((s: number) => s === 200).length} verdicts); probes from another process every 10 ms meanwhile: ${latencies.length}, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms`);
  if (p(1) > 100) say(`  (over 100 ms: the 2 cores are shared by the prober, the client, the server, and other work on the machine)`);

  const keys = `{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(',')}}`;
  const spread = `{"order":{${Array.from({ length: 120 }, (_, i) => `"k${i}":1`).join(',')}},"incident":{${Array.from({ length: 120 }, (_, i) => `"q${i}":1`).join(',')}}}`;
  const deep = '['.repeat(500_000) + ']'.repeat(500_000);
  for (const [label, body, type] of [
    ['60,000 unknown keys in one object (650 KB)', keys, 'application/json'],
    ['240 unknown keys in two objects', spread, 'application/json'],
    ['1 MB of nested arrays', deep.slice(0, 1_000_000 - 2) + ']]', 'application/json'],
    ['a text/plain body', 'hello', 'text/plain'],
  ] as const) {
    const s = performance.now();
    const o = await send(server.url, { method: 'POST', path: '/v1/verdicts', body, headers: { 'content-type': type } });
    const ms = Math.round(performance.now() - s);
    say(`  ${label}: ${o.kind === 'answered' ? `${o.status} ${JSON.parse(o.body).type}, ${o.body.length} bytes` : o.kind} in ${ms} ms`);
  }
  await stop(server);
}

// 4. Slow clients, with the default timeouts.
if (ONLY.has('slow')) {
  const server = await startServer({});
  const host = new URL(server.url).host;
  const [header, body, silent, idle] = await Promise.all([
    raw(server.url, [`GET /health/live HTTP/1.1\r\nHost: ${host}\r\n`, { pauseMs: 90_000 }], 90_000),
    raw(server.url, [`POST /v1/verdicts HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"order":`, { pauseMs: 90_000 }], 90_000),
    raw(server.url, [{ pauseMs: 90_000 }], 90_000),
    raw(server.url, [`GET /health/live HTTP/1.1\r\nHost: ${host}\r\n\r\n`, { pauseMs: 90_000 }], 90_000),
  ]);
  const show = (r: { closedByServer: boolean; ms: number; data: string }) => `${r.closedByServer ? `cut after ${(r.ms / 1000).toFixed(1)} s` : 'still open at 90 s'}${/^HTTP\/1\.1 408/.test(r.data) ? ' (408 problem)' : ''}`;
  say(`slow clients (default timeouts): slow headers ${show(header)}; slow body ${show(body)}; silent connection ${show(silent)}; idle keep-alive ${show(idle)}`);
  if (![header, body, silent, idle].every((r) => r.closedByServer && r.ms < 65_000)) mustBeZero.push('slow clients');
  await stop(server);
}

// 5. Soak: mixed load, RSS sampled.
if (ONLY.has('soak')) {
  const server = await startServer({ RATE_LIMIT_MAX: '0' });
  const pid = server.child.pid!;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const samples: number[] = [rssMb(pid)];
  const statuses: Record<string, number> = {};
  let count = 0;
  const until = Date.now() + SOAK_S * 1000;
  const bodies = ['01-withdrawal-change-of-mind', '05-defective-within-presumption', '10-not-delivered-after-formal-notice', '13-refund-late-penalty', '20-amazon-fr-day-20'].map((n) => JSON.stringify(example(n)));
  const sampler = setInterval(() => samples.push(rssMb(pid)), 5000);
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; Date.now() < until; i++) {
        const o =
          i % 50 === 49
            ? await send(server.url, { method: 'POST', path: '/v1/verdicts/batch', body: batchOf(20), agent })
            : i % 10 === 9
              ? await send(server.url, { method: 'POST', path: '/v1/verdicts', body: '{"order": 1, "x": [[[[', agent })
              : await send(server.url, { method: 'POST', path: '/v1/verdicts', body: bodies[(i + w) % bodies.length]!, agent });
        count++;
        const k = o.kind === 'answered' ? String(o.status) : o.kind;
        statuses[k] = (statuses[k] ?? 0) + 1;
      }
    }),
  );
  clearInterval(sampler);
  samples.push(rssMb(pid));
  agent.destroy();
  await stop(server);
  const firstHalf = samples.slice(1, Math.ceil(samples.length / 2));
  say(`soak ${SOAK_S} s, 8 connections: ${count} requests ${JSON.stringify(statuses)}; RSS ${samples[0]} MB at start, ${samples.at(-1)} MB at the end, max ${Math.max(...samples)} MB (max of the first half ${Math.max(...firstHalf)} MB)`);
  // 503 is load shedding (EVENT_LOOP_MAX_DELAY_MS), an answer the client is told to retry; anything else is a failure.
  if (Object.keys(statuses).some((k) => !/^(200|400|503)$/.test(k))) mustBeZero.push('soak');
}

say(`\n${mustBeZero.length ? `NOT ZERO: ${mustBeZero.join(', ')}` : 'every figure that must be zero is zero'} (${Math.round((Date.now() - started) / 1000)} s)`);
process.exit(mustBeZero.length ? 1 : 0);
