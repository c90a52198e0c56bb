// npm run bench [-- --quick] [--pairs N] [--duration S] [--warmup S] [--iterations N]
//
// (a) In-process: evaluate() on a fixed set of ~200 varied requests, µs per verdict (p50/p99) and
//     verdicts per second on one thread, after a warm-up.
//     The same mix through json-rules-engine (the oracle, as `explain: true` runs it), for comparison.
// (b) HTTP: the real application and a bare fastify app returning a same-size JSON body, each in its
//     own child process on 127.0.0.1, driven in the same run by autocannon (10 connections, no
//     pipelining) in paired runs; the figure that matters is the ratio service/bare of each pair.
//
//     Then the service at 80 % of its peak rate, open loop (requests sent on a fixed schedule, p99
//     there; the peak measured again before each round), and the bare route the same way at 80 % of
//     its own peak (the floor this machine and method give), the service's RSS idle and at peak, and the
//     real server (dist/server.js, built first, as `npm start` runs it) with WORKERS=1 against WORKERS=2,
//     each with the rate limit off and on (unpinned), same load generator: the throughput of the cores,
//     the server's CPU an answer (primary and workers together), and the RSS a user's process has.
// Method after ../shared/reference/perf-baseline*.md: servers pinned to core 0 and the load
// generator to core 1 when there are two cores; warm-up first; paired runs alternating which goes
// first; latency percentiles from every response (autocannon's own histogram rounds to 1 ms); the
// time the hypervisor took from the servers' core (steal, /proc/stat) and the generator's own
// event-loop delay beside each run's CPU, and the server's CPU time an answer.
// Loopback only, bounded in time. Prints a table and writes bench/last-result.json. No assertions:
// the numbers are what they are on this machine, in this run.
import autocannon, { type Result as AutocannonResult } from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { VerdictRequest } from '../src/contract/request.js';
import { START_NODE_OPTIONS } from './start-options.js';
import { buildVariants, SEED } from './variants.js';

// What is measured is the build `npm start` runs (dist/, compiled by tsc, built by `npm run bench`),
// not the sources through tsx, whose transform wraps every function it creates (keepNames) and
// makes closures measurably slower than in production.
const fromDist = <T>(module: string): Promise<T> => import(new URL(`../dist/${module}`, import.meta.url).href) as Promise<T>;
const { VerdictRequestSchema } = await fromDist<typeof import('../src/contract/request.js')>('contract/request.js');
const { evaluate, loadRuleset } = await fromDist<typeof import('../src/core/index.js')>('core/index.js');
const { toProblem } = await fromDist<typeof import('../src/http/errors.js')>('http/errors.js');
const { DEFAULT_RULES_DIR } = await fromDist<typeof import('../src/rules-dir.js')>('rules-dir.js');

// ---- Options ------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
function numArg(name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
  return n;
}
const opts = {
  variants: 200,
  // The compiled judges are generated functions that V8 optimises once they are hot: after 1,000 calls
  // the mix was still ~25 % slower (p50) than after 10,000, which a server reaches in seconds.
  warmupIterations: quick ? 1_000 : 10_000,
  iterations: numArg('iterations', quick ? 600 : 4_000),
  connections: 10,
  warmupSeconds: numArg('warmup', quick ? 2 : 10),
  pairs: numArg('pairs', quick ? 2 : 5),
  durationSeconds: numArg('duration', quick ? 2 : 5),
};

const here = fileURLToPath(new URL('.', import.meta.url));
const log = (s = '') => process.stdout.write(`${s}\n`);
const ms = (t: number) => t.toFixed(2);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const sortedF64 = (xs: number[]) => Float64Array.from(xs).sort();

// ---- Machine ------------------------------------------------------------------------------------

const cores = cpus();
const canPin = cores.length >= 2 && (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (canPin) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

const ruleset = loadRuleset(DEFAULT_RULES_DIR);
const env = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cores[0]?.model.trim() ?? 'unknown',
  cores: cores.length,
  pinning: canPin ? 'servers on core 0, load generator and in-process loop on core 1 (taskset)' : 'none (one core or no taskset)',
  serverNodeOptions: START_NODE_OPTIONS,
  ruleset: { version: ruleset.version, digest: ruleset.digest, files: ruleset.files.size },
  loadAverage1mAtStart: loadavg()[0] ?? 0,
};

log('Recourse benchmark');
log(`  date ${env.date} · Node ${env.node} · ${env.cpu} × ${env.cores}`);
log(`  pinning: ${env.pinning}`);
log(`  servers run with node ${env.serverNodeOptions.join(' ') || '(no options)'}, as \`npm start\` runs it`);
log(`  load average (1 min) at start: ${env.loadAverage1mAtStart.toFixed(2)}${env.loadAverage1mAtStart > 0.5 ? ' — other work is running on this machine: expect noisy absolute figures' : ''}`);
log(`  ruleset ${env.ruleset.version} ${env.ruleset.digest.slice(0, 19)}… (${env.ruleset.files} rule files)`);
log(`  options ${JSON.stringify(opts)}${quick ? ' (--quick)' : ''}`);
log();

// ---- The requests -------------------------------------------------------------------------------

interface Prepared {
  raw: Record<string, unknown>;
  parsed: VerdictRequest;
  asOf: string;
  verdictJson: string;
}
const prepared: Prepared[] = [];
const built = await buildVariants(opts.variants, async (raw) => {
  const parsed = VerdictRequestSchema.safeParse(raw);
  if (!parsed.success) return `400 invalid request (${parsed.error.issues[0]?.path.join('.')})`;
  try {
    const v = await evaluate(parsed.data, ruleset, raw.asOf as string);
    prepared.push({ raw, parsed: parsed.data, asOf: raw.asOf as string, verdictJson: JSON.stringify(v) });
    return null;
  } catch (e) {
    const p = toProblem(e);
    return `${p.status} ${p.title}`;
  }
});

// Determinism: the same request, ruleset and asOf give the same verdict, byte for byte.
let identical = 0;
for (const p of prepared) if (JSON.stringify(await evaluate(p.parsed, ruleset, p.asOf)) === p.verdictJson) identical++;

const tally = (key: (p: Prepared) => string) => {
  const m = new Map<string, number>();
  for (const p of prepared) m.set(key(p), (m.get(key(p)) ?? 0) + 1);
  return Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));
};
const sizes = prepared.map((p) => p.verdictJson.length).sort((a, b) => a - b);
const typical = [...prepared].sort((a, b) => a.verdictJson.length - b.verdictJson.length)[Math.floor(prepared.length / 2)]!;
const requestSizes = prepared.map((p) => JSON.stringify(p.raw).length);
const mix = {
  seed: SEED,
  candidates: built.tried,
  accepted: prepared.length,
  refused: Object.fromEntries(built.refused),
  incidentTypes: tally((p) => p.parsed.incident.type),
  outcomes: tally((p) => (JSON.parse(p.verdictJson) as { decision: { outcome: string } }).decision.outcome),
  requestBytes: { median: median(requestSizes), min: Math.min(...requestSizes), max: Math.max(...requestSizes) },
  verdictBytes: { median: percentile(sizes, 50), min: sizes[0], max: sizes.at(-1), bareBody: typical.verdictJson.length },
  deterministic: `${identical}/${prepared.length} verdicts identical on a second evaluation`,
};
log(`Requests: ${mix.accepted} variants (seed ${SEED}) from ${mix.candidates} candidates built from examples/requests/*.json`);
if (built.refused.size) log(`  refused and left out: ${JSON.stringify(mix.refused)}`);
log(`  incident types ${JSON.stringify(mix.incidentTypes)}`);
log(`  outcomes ${JSON.stringify(mix.outcomes)}`);
log(`  request ${mix.requestBytes.median} B median; verdict ${mix.verdictBytes.median} B median (${mix.verdictBytes.min}–${mix.verdictBytes.max})`);
log(`  determinism: ${mix.deterministic}`);
log();
if (prepared.length === 0) throw new Error('no request of the mix produced a verdict: nothing to measure');

// ---- (a) In-process -----------------------------------------------------------------------------

// In a child run by plain node with the server's options (bench/in-process.mjs): not under this
// process's tsx loader, which made the same build slower.
const tmp = mkdtempSync(join(tmpdir(), 'recourse-bench-'));
const mixFile = join(tmp, 'mix.json');
writeFileSync(mixFile, JSON.stringify(prepared.map((p) => p.raw)));
// The oracle is ~50× slower: a tenth of the calls gives as many samples per request of the mix.
const oracleIterations = Math.max(prepared.length, Math.round(opts.iterations / 10));
log(`(a) in-process evaluate(): ${opts.warmupIterations} warm-up, then ${opts.iterations} timed calls, one at a time (node ${START_NODE_OPTIONS.join(' ')} bench/in-process.mjs)`);
log(`    and the same mix through json-rules-engine (the oracle): ${oracleIterations} timed calls`);
const measured = JSON.parse(
  execFileSync(process.execPath, [...START_NODE_OPTIONS, join(here, 'in-process.mjs'), mixFile, String(opts.warmupIterations), String(opts.iterations), String(oracleIterations)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  }),
) as { compiled: { us: number[]; seconds: number }; oracle: { us: number[]; seconds: number } };
const tSorted = sortedF64(measured.compiled.us);
const oSorted = sortedF64(measured.oracle.us);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const inProcess = {
  iterations: opts.iterations,
  p50Us: percentile(tSorted, 50),
  p99Us: percentile(tSorted, 99),
  meanUs: mean(measured.compiled.us),
  verdictsPerSecond: opts.iterations / measured.compiled.seconds,
  oracle: { iterations: oracleIterations, p50Us: percentile(oSorted, 50), p99Us: percentile(oSorted, 99), meanUs: mean(measured.oracle.us) },
};
log();

// ---- (b) HTTP -----------------------------------------------------------------------------------

const bareBodyFile = join(tmp, 'bare-body.json');
writeFileSync(bareBodyFile, typical.verdictJson);

// CPU seconds a process has used (Linux /proc; null elsewhere), to tell a saturated server from a
// saturated load generator.
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime + stime
  } catch {
    return null;
  }
}

/** The processes a process has started (a cluster's workers), from Linux /proc; none elsewhere. */
function childPidsOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds of a server: its process and the workers it started (a cluster's primary is not all of it). */
function serverCpuSecondsOf(pid: number | undefined): number | null {
  const own = cpuSecondsOf(pid);
  if (own === null) return null;
  let total = own;
  for (const child of childPidsOf(pid!)) total += cpuSecondsOf(child) ?? 0;
  return total;
}

/**
 * Time the hypervisor gave core 0 (the servers' core) to other guests, in seconds ("steal" in
 * /proc/stat): on this shared KVM guest the server can be ready to run and not run, a stall no code
 * of its own causes.
 */
function stealSecondsOfServerCore(): number | null {
  if (!canPin) return null;
  try {
    const line = /^cpu0 (.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    const steal = Number(line?.trim().split(/\s+/)[7]);
    return Number.isFinite(steal) ? steal / clockTicks : null;
  } catch {
    return null;
  }
}

/**
 * The load generator's own event-loop delay from now until stop(): a late loop reads answers late and
 * charges its own stall to the latencies it records.
 */
function generatorLoopDelay(): { stop: () => { p99Ms: number; maxMs: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop: () => {
      histogram.disable();
      return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
    },
  };
}

/** Resident memory of a process now (VmRSS) and at its peak so far (VmHWM), in MB (Linux /proc). */
function memoryOf(pid: number | undefined): { rssMb: number; peakMb: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

const children: ChildProcess[] = [];
const pids: Partial<Record<'service' | 'bare', number>> = {};
async function startServer(kind: 'service' | 'bare'): Promise<number> {
  const args = [...START_NODE_OPTIONS, join(here, 'server.mjs'), kind, ...(kind === 'bare' ? [bareBodyFile] : [])];
  const child = canPin
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: join(here, '..') })
    : spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: join(here, '..') });
  children.push(child);
  if (child.pid !== undefined) pids[kind] = child.pid; // taskset execs node: same pid
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 60 s`)), 60_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code}`)));
  });
}
function stopServers() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  stopServers();
  process.exit(130);
});

const requests = prepared.map((p) => ({
  method: 'POST',
  path: '/v1/verdicts',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(p.raw),
}));

/** What a run records besides its answers: the CPU on both sides, the hypervisor's steal, the generator's delay. */
interface RunConditions {
  /** CPU used by the server (its process and any workers) and by this (load generator) process, in % of one core. */
  serverCpuPct: number | null;
  /**
   * The server's CPU time per answer, in µs: what a request costs it whether or not it had a core to
   * itself (throughput says that only for a server that saturates its core).
   */
  serverCpuUsPerResponse: number | null;
  clientCpuPct: number;
  /** Time taken from the servers' core by the hypervisor, in % of the run (null when not pinned). */
  serverCoreStealPct: number | null;
  /** How late this process's (the load generator's) event loop ran, 99th percentile and worst, in ms. */
  generatorLoopDelay: { p99Ms: number; maxMs: number };
}

/** Starts recording a run's conditions; the function returned ends it, given the run's length and answers. */
function recordConditions(kind: 'service' | 'bare'): (wallSeconds: number, responses: number) => RunConditions {
  const serverCpu0 = serverCpuSecondsOf(pids[kind]);
  const steal0 = stealSecondsOfServerCore();
  const loopDelay = generatorLoopDelay();
  const clientCpu0 = process.cpuUsage();
  return (wall, responses) => {
    const serverCpu1 = serverCpuSecondsOf(pids[kind]);
    const steal1 = stealSecondsOfServerCore();
    const clientCpu = process.cpuUsage(clientCpu0);
    const serverCpu = serverCpu0 === null || serverCpu1 === null ? null : serverCpu1 - serverCpu0;
    return {
      serverCpuPct: serverCpu === null ? null : (100 * serverCpu) / wall,
      serverCpuUsPerResponse: serverCpu === null || responses === 0 ? null : (1e6 * serverCpu) / responses,
      serverCoreStealPct: steal0 === null || steal1 === null ? null : (100 * (steal1 - steal0)) / wall,
      generatorLoopDelay: loopDelay.stop(),
      clientCpuPct: (100 * (clientCpu.user + clientCpu.system)) / 1e6 / wall,
    };
  };
}

interface Run extends RunConditions {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
async function drive(kind: 'service' | 'bare', port: number, seconds: number): Promise<Run> {
  const latencies: number[] = [];
  const conditions = recordConditions(kind);
  const wall0 = performance.now();
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: opts.connections,
    pipelining: 1,
    duration: seconds,
    requests,
  });
  instance.on('response', (_c, _status, _bytes, t) => {
    latencies.push(t);
  });
  const r: AutocannonResult = await instance;
  const wall = (performance.now() - wall0) / 1000;
  const sorted = sortedF64(latencies);
  return {
    rps: latencies.length / r.duration,
    ...conditions(wall, latencies.length),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    responses: latencies.length,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/**
 * The service at a fixed rate, open loop (wrk2's method): request k is dispatched at start + k/rate
 * whatever the answers before it, over keep-alive connections (as many as the peak was measured with,
 * then a queue here), and its latency counts from its dispatch (at most one 1 ms timer tick after its
 * scheduled time), queue included, so a server stall is charged to every request due during it.
 * autocannon's own rate is a per-second quota each connection spends back to back: its "80 %" was a
 * burst at peak load for 0.8 s in every second. Requests are written as prepared bytes and answers
 * read by their Content-Length, so the generator stays light (half the CPU of node:http's client here).
 */
async function driveAtRate(kind: 'service' | 'bare', port: number, seconds: number, rate: number): Promise<Run> {
  const wire = requests.map((r) =>
    Buffer.from(`POST ${r.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(r.body)}\r\n\r\n${r.body}`),
  );
  interface Conn {
    socket: Socket;
    since: number | null;
    pending: Buffer;
  }
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let dispatched = 0;
  const idle: Conn[] = [];
  const queue: { since: number; bytes: Buffer }[] = [];
  let open = 0;
  const send = (c: Conn, r: { since: number; bytes: Buffer }) => {
    c.since = r.since;
    c.socket.write(r.bytes);
  };
  const answered = (c: Conn, ok: boolean) => {
    latencies.push(performance.now() - c.since!);
    if (!ok) non2xx++;
    const next = queue.shift();
    if (next) send(c, next);
    else {
      c.since = null;
      idle.push(c);
    }
  };
  const connection = (): Conn => {
    open++;
    const c: Conn = { socket: connect({ host: '127.0.0.1', port, noDelay: true }), since: null, pending: Buffer.alloc(0) };
    c.socket.on('data', (chunk: Buffer) => {
      c.pending = c.pending.length ? Buffer.concat([c.pending, chunk]) : chunk;
      const headEnd = c.pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = c.pending.subarray(0, headEnd).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      const total = headEnd + 4 + Number(length?.[1] ?? 0);
      if (c.pending.length < total) return;
      c.pending = c.pending.subarray(total);
      const status = Number(head.slice(9, 12));
      answered(c, !!length && status >= 200 && status <= 299);
    });
    c.socket.on('error', () => {}); // 'close' follows and counts the request in flight
    c.socket.on('close', () => {
      open--;
      if (idle.includes(c)) idle.splice(idle.indexOf(c), 1);
      if (c.since !== null) {
        errors++;
        latencies.push(performance.now() - c.since);
        c.since = null;
      }
    });
    return c;
  };
  const conditions = recordConditions(kind);
  const start = performance.now();
  const end = start + seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (; start + (dispatched * 1000) / rate <= Math.min(now, end - 1e-9); dispatched++) {
        const r = { since: now, bytes: wire[dispatched % wire.length]! };
        const c = idle.pop();
        if (c) send(c, r);
        else if (open < opts.connections) send(connection(), r);
        else queue.push(r);
      }
      if (start + (dispatched * 1000) / rate < end) setTimeout(tick, 1);
      else {
        // Every answer, or 30 s: what is still unanswered then counts as an error.
        const giveUp = performance.now() + 30_000;
        const drained = () => {
          if (latencies.length >= dispatched) return resolve();
          if (performance.now() < giveUp) return void setTimeout(drained, 5);
          errors += dispatched - latencies.length;
          resolve();
        };
        drained();
      }
    };
    tick();
  });
  const wall = (performance.now() - start) / 1000;
  for (const c of idle) c.socket.destroy();
  const sorted = sortedF64(latencies);
  return {
    rps: latencies.length / wall,
    ...conditions(wall, latencies.length),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    responses: latencies.length,
    non2xx,
    errors,
    timeouts: 0,
  };
}

const CLEAN_CPU_PCT = 85;
const pct = (x: number | null) => (x === null ? '?' : `${Math.round(x)} %`);
/** A series of the service's own Prometheus metrics (GET /metrics) as a number, or NaN when absent. */
type MetricReader = (series: string) => number;
async function metricsOf(port: number): Promise<MetricReader | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return (series) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? NaN : Number(line.slice(series.length + 1));
    };
  } catch {
    return null;
  }
}
/** The service's own count and total time of evaluations so far (its Prometheus metric), or null. */
async function evaluationSeconds(port: number): Promise<{ sum: number; count: number } | null> {
  const read = await metricsOf(port);
  const sum = read?.('recourse_verdict_evaluation_seconds_sum') ?? NaN;
  const count = read?.('recourse_verdict_evaluation_seconds_count') ?? NaN;
  return Number.isFinite(sum) && Number.isFinite(count) ? { sum, count } : null;
}
/**
 * The service's major collections so far and their time (nodejs_gc_duration_seconds, kind "major"), or
 * null. A major collection marks the whole heap (~50 ms of CPU on one core here): at 80 % of peak the
 * queue it leaves takes several times that to drain, so a round's p99 says whether one fell in it.
 */
async function majorCollections(port: number): Promise<{ count: number; seconds: number } | null> {
  const read = await metricsOf(port);
  const count = read?.('nodejs_gc_duration_seconds_count{kind="major"}') ?? NaN;
  const seconds = read?.('nodejs_gc_duration_seconds_sum{kind="major"}') ?? NaN;
  return Number.isFinite(count) && Number.isFinite(seconds) ? { count, seconds } : null;
}
const perResponse = (us: number | null) => (us === null ? '?' : `${int(us)} µs`);
const signedUs = (us: number | null) => (us === null ? '?' : `${us >= 0 ? '+' : '−'}${int(Math.abs(us))} µs`);
type RealServerResult = Run & { label: string; rssMb: number | null; cpuUsPerResponseMedian: number | null; runs: Run[] };
const cpuNote = (r: Run) =>
  `(CPU server ${pct(r.serverCpuPct)}, ${perResponse(r.serverCpuUsPerResponse)} an answer; load generator ${pct(r.clientCpuPct)}${r.serverCoreStealPct === null ? '' : `, core 0 stolen by the hypervisor ${pct(r.serverCoreStealPct)}`}, ` +
  `generator's event-loop delay p99 ${ms(r.generatorLoopDelay.p99Ms)} ms, worst ${ms(r.generatorLoopDelay.maxMs)} ms)`;

let http;
try {
  const ports = { service: await startServer('service'), bare: await startServer('bare') };
  const idleMemory = memoryOf(pids.service);
  log(`(b) HTTP: service on 127.0.0.1:${ports.service}, bare fastify on 127.0.0.1:${ports.bare}; ${opts.connections} connections, no pipelining`);
  log(`    warm-up ${opts.warmupSeconds} s each, then ${opts.pairs} paired runs of ${opts.durationSeconds} s (order alternates)`);
  await drive('service', ports.service, opts.warmupSeconds);
  await drive('bare', ports.bare, opts.warmupSeconds);
  const pairs: { service: Run; bare: Run; ratio: number; cpuRatio: number | null; clean: boolean }[] = [];
  const evaluationBefore = await evaluationSeconds(ports.service);
  for (let i = 0; i < opts.pairs; i++) {
    const order = i % 2 === 0 ? (['service', 'bare'] as const) : (['bare', 'service'] as const);
    const got: Partial<Record<'service' | 'bare', Run>> = {};
    for (const k of order) got[k] = await drive(k, ports[k], opts.durationSeconds);
    // A pair is clean when both servers had their core (>= 85 % CPU): otherwise other work competed.
    const clean = [got.service!, got.bare!].every((r) => r.serverCpuPct === null || r.serverCpuPct >= CLEAN_CPU_PCT);
    // The CPU each server spent on an answer, bare over service: the ratio of what a request costs each,
    // which the throughput ratio gives only when both had their core.
    const [serviceUs, bareUs] = [got.service!.serverCpuUsPerResponse, got.bare!.serverCpuUsPerResponse];
    const cpuRatio = serviceUs === null || bareUs === null ? null : bareUs / serviceUs;
    const pair = { service: got.service!, bare: got.bare!, ratio: got.service!.rps / got.bare!.rps, cpuRatio, clean };
    pairs.push(pair);
    log(
      `    pair ${i + 1}: service ${int(pair.service.rps)} req/s ${cpuNote(pair.service)}, bare ${int(pair.bare.rps)} req/s ${cpuNote(pair.bare)}, ratio ${pair.ratio.toFixed(4)}${pair.clean ? '' : ' (not clean: a server had < 85 % of its core)'}, CPU an answer bare/service ${pair.cpuRatio?.toFixed(4) ?? '?'}` +
        (pair.service.non2xx + pair.service.errors + pair.service.timeouts + pair.bare.non2xx + pair.bare.errors + pair.bare.timeouts
          ? `  (non-2xx/errors/timeouts: service ${pair.service.non2xx}/${pair.service.errors}/${pair.service.timeouts}, bare ${pair.bare.non2xx}/${pair.bare.errors}/${pair.bare.timeouts})`
          : ''),
    );
  }
  const summary = (k: 'service' | 'bare') => ({
    rpsMedian: median(pairs.map((p) => p[k].rps)),
    rpsMin: Math.min(...pairs.map((p) => p[k].rps)),
    rpsMax: Math.max(...pairs.map((p) => p[k].rps)),
    p50MsMedian: median(pairs.map((p) => p[k].p50Ms)),
    p99MsMedian: median(pairs.map((p) => p[k].p99Ms)),
    serverCpuPctMedian: pairs.every((p) => p[k].serverCpuPct !== null) ? median(pairs.map((p) => p[k].serverCpuPct!)) : null,
    serverCpuUsPerResponseMedian: pairs.every((p) => p[k].serverCpuUsPerResponse !== null) ? median(pairs.map((p) => p[k].serverCpuUsPerResponse!)) : null,
    clientCpuPctMedian: median(pairs.map((p) => p[k].clientCpuPct)),
    serverCoreStealPctMedian: pairs.every((p) => p[k].serverCoreStealPct !== null) ? median(pairs.map((p) => p[k].serverCoreStealPct!)) : null,
    non2xx: pairs.reduce((a, p) => a + p[k].non2xx, 0),
    errors: pairs.reduce((a, p) => a + p[k].errors, 0),
    timeouts: pairs.reduce((a, p) => a + p[k].timeouts, 0),
  });
  // What a verdict costs inside the server (its own metric, recourse_verdict_evaluation_seconds), beside
  // the in-process loop: the HTTP work around each verdict makes the same evaluation slower there.
  const evaluationAfter = await evaluationSeconds(ports.service);
  const inServerUs =
    evaluationBefore && evaluationAfter && evaluationAfter.count > evaluationBefore.count
      ? ((evaluationAfter.sum - evaluationBefore.sum) / (evaluationAfter.count - evaluationBefore.count)) * 1e6
      : null;
  log(`    a verdict inside the service during the pairs: ${inServerUs === null ? '?' : `${int(inServerUs)} µs`} on average (in-process loop: ${int(inProcess.meanUs)} µs on average)`);
  // The service at 80 % of its peak: the latency a client sees below saturation, open loop. This
  // machine's speed drifts by 2x within minutes, so each round measures the peak again just before
  // (autocannon, closed loop) and the figure is the median round. Each round then does the same for
  // the bare route, at 80 % of its own peak: what this machine and this method give a server that does
  // nothing but parse and answer (its own stalls, the generator's), the floor under the service's figure;
  // and the bare route at the very rate the service was sent: the stalls of the machine and the
  // generator at that rate, with the server itself mostly idle.
  type At80Run = Run & { askedRps: number; peakRps: number };
  type MajorGcs = { count: number; ms: number } | null;
  const atEightyPercent = async (kind: 'service' | 'bare'): Promise<At80Run & { majorGcs: MajorGcs }> => {
    const peakRps = (await drive(kind, ports[kind], opts.durationSeconds)).rps;
    const askedRps = Math.max(1, Math.round(0.8 * peakRps));
    // The bare route has no metrics: its collections are not counted.
    const majorBefore = kind === 'service' ? await majorCollections(ports.service) : null;
    const run = await driveAtRate(kind, ports[kind], opts.durationSeconds * 2, askedRps);
    const majorAfter = kind === 'service' ? await majorCollections(ports.service) : null;
    const majorGcs = majorBefore && majorAfter ? { count: majorAfter.count - majorBefore.count, ms: (majorAfter.seconds - majorBefore.seconds) * 1000 } : null;
    return { askedRps, peakRps, ...run, majorGcs };
  };
  const describeAt80 = (r: At80Run) =>
    `peak ${int(r.peakRps)} req/s just before; ${int(r.askedRps)} req/s sent on schedule, ${int(r.rps)} served, p50 ${ms(r.p50Ms)} ms, p99 ${ms(r.p99Ms)} ms ${cpuNote(r)}` +
    (r.non2xx + r.errors ? ` (non-2xx/errors: ${r.non2xx}/${r.errors})` : '');
  const rounds: (At80Run & { majorGcs: MajorGcs; bare: At80Run; bareAtServiceRate: Run })[] = [];
  for (let i = 0; i < Math.max(2, Math.min(3, opts.pairs)); i++) {
    const service = await atEightyPercent('service');
    const bareAtServiceRate = await driveAtRate('bare', ports.bare, opts.durationSeconds * 2, service.askedRps);
    const { majorGcs: _, ...bare } = await atEightyPercent('bare');
    rounds.push({ ...service, bare, bareAtServiceRate });
    const { majorGcs } = service;
    log(
      `    at 80 % of peak, round ${i + 1}: service: ${describeAt80(service)}, ` +
        `${majorGcs ? `${majorGcs.count} major collection${majorGcs.count === 1 ? '' : 's'} (${ms(majorGcs.ms)} ms of pauses)` : 'major collections ?'}; ` +
        `bare at the service's rate: p50 ${ms(bareAtServiceRate.p50Ms)} ms, p99 ${ms(bareAtServiceRate.p99Ms)} ms ${cpuNote(bareAtServiceRate)}; bare: ${describeAt80(bare)}`,
    );
  }
  // The same figures for each kind of open-loop run over the rounds: medians, and the p99's spread.
  const summarizeOpenLoop = (runs: Run[]) => {
    const steals = runs.map((r) => r.serverCoreStealPct);
    return {
      rps: median(runs.map((r) => r.rps)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      p99MsMin: Math.min(...runs.map((r) => r.p99Ms)),
      p99MsMax: Math.max(...runs.map((r) => r.p99Ms)),
      serverCoreStealPct: steals.every((x) => x !== null) ? median(steals as number[]) : null,
      generatorLoopDelayP99Ms: median(runs.map((r) => r.generatorLoopDelay.p99Ms)),
    };
  };
  const at80 = {
    askedRps: median(rounds.map((r) => r.askedRps)),
    ...summarizeOpenLoop(rounds),
    roundsWithMajorGc: rounds.filter((r) => (r.majorGcs?.count ?? 0) > 0).length,
    bare: { askedRps: median(rounds.map((r) => r.bare.askedRps)), ...summarizeOpenLoop(rounds.map((r) => r.bare)) },
    bareAtServiceRate: summarizeOpenLoop(rounds.map((r) => r.bareAtServiceRate)),
    rounds,
  };
  const describeOpenLoop = (what: string, x: ReturnType<typeof summarizeOpenLoop>, extra = '') =>
    `    ${what}, open loop: p99 ${ms(x.p99Ms)} ms (${extra}${ms(x.p99MsMin)}–${ms(x.p99MsMax)}), p50 ${ms(x.p50Ms)} ms, core 0 stolen ${pct(x.serverCoreStealPct)}, generator's loop delay p99 ${ms(x.generatorLoopDelayP99Ms)} ms`;
  log(describeOpenLoop('service at 80 % of peak', at80, `median of ${rounds.length} rounds, ${at80.roundsWithMajorGc} with a major collection; `));
  log(describeOpenLoop("bare fastify at the service's rate", at80.bareAtServiceRate));
  log(describeOpenLoop('bare fastify at 80 % of its own peak', at80.bare));
  const loadMemory = memoryOf(pids.service);
  log(`    service RSS: ${idleMemory ? `${idleMemory.rssMb.toFixed(0)} MB idle after start` : '?'}, ${loadMemory ? `${loadMemory.rssMb.toFixed(0)} MB after the runs, ${loadMemory.peakMb.toFixed(0)} MB peak` : '?'}`);
  const ratios = pairs.map((p) => p.ratio);
  const cleanRatios = pairs.filter((p) => p.clean).map((p) => p.ratio);
  const cpuRatios = pairs.every((p) => p.cpuRatio !== null) ? pairs.map((p) => p.cpuRatio!) : null;
  http = {
    connections: opts.connections,
    warmupSeconds: opts.warmupSeconds,
    durationSeconds: opts.durationSeconds,
    service: summary('service'),
    bare: summary('bare'),
    ratio: {
      median: median(ratios),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
      cleanPairs: cleanRatios.length,
      cleanMedian: cleanRatios.length ? median(cleanRatios) : null,
      cleanMin: cleanRatios.length ? Math.min(...cleanRatios) : null,
      cleanMax: cleanRatios.length ? Math.max(...cleanRatios) : null,
      cpu: cpuRatios && { median: median(cpuRatios), min: Math.min(...cpuRatios), max: Math.max(...cpuRatios) },
    },
    pairs,
    at80,
    memory: { idleRssMb: idleMemory?.rssMb ?? null, loadRssMb: loadMemory?.rssMb ?? null, peakRssMb: loadMemory?.peakMb ?? null },
    evaluationInServiceMeanUs: inServerUs,
  };
} finally {
  stopServers();
}
log();

// ---- (c) Workers --------------------------------------------------------------------------------

/** A free port on the loopback, for the real server (which takes its port from PORT). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A real server: dist/server.js as `npm start` runs it, in its own process, unpinned. */
interface RealServer {
  label: string;
  port: number;
  child: ChildProcess;
  runs: Run[];
  rssMb: number | null;
}

/**
 * Starts the real server with WORKERS=n. Without `rateLimited` the rate limit is off (RATE_LIMIT_MAX=0);
 * with it, on and counting every request but refusing none (its highest setting, 1,000,000 a minute):
 * with workers, each request then asks the primary over IPC, as it does with `npm start`'s default limit.
 */
async function startRealServer(label: string, workers: number, rateLimited: boolean): Promise<RealServer> {
  const port = await freePort();
  const args = [...START_NODE_OPTIONS, join(here, '..', 'dist', 'server.js')];
  // A child inherits this process's pinning to core 1, the generator's: given every core back, as a
  // user's server has them (taskset execs node, so the pid is the server's).
  const child = spawn(canPin ? 'taskset' : process.execPath, canPin ? ['-c', `0-${cores.length - 1}`, process.execPath, ...args] : args, {
    stdio: 'ignore',
    cwd: join(here, '..'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WORKERS: String(workers), RATE_LIMIT_MAX: rateLimited ? '1000000' : '0', LOG_LEVEL: 'info' },
  });
  const server: RealServer = { label, port, child, runs: [], rssMb: null };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server ${label} exited with code ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return server;
    if (i > 600) {
      child.kill('SIGKILL');
      throw new Error(`server ${label} not ready within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopRealServer(server: RealServer): Promise<void> {
  server.child.kill('SIGTERM');
  await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
}

/** The RSS of a real server after its latest run: the primary's and its workers' (the primary's children). */
function serverRssMb(pid: number | undefined): number | null {
  let rssMb = memoryOf(pid)?.rssMb ?? null;
  for (const k of pid === undefined ? [] : childPidsOf(pid)) rssMb = rssMb === null ? null : rssMb + (memoryOf(k)?.rssMb ?? 0);
  return rssMb;
}

// All four configurations run at once, each idle while another is driven, and are driven in turn,
// round after round, the first of a round changing: this machine's speed drifts by 2-3x within
// minutes, and one configuration measured a minute after another said more of the minute than of the
// configuration. On two cores the generator takes part of one, so the throughput understates how the
// cluster scales; the server's CPU an answer (primary and workers together) says what the cluster, and
// the rate limit it shares over IPC, add to each request.
const realServerRounds = Math.max(1, Math.min(3, opts.pairs));
log(
  `(c) the real server (dist/server.js, as npm start runs it) with WORKERS=1 and 2, the rate limit off and on: four servers, unpinned, ` +
    `warm-up ${opts.warmupSeconds} s each, then ${realServerRounds} rounds of ${opts.durationSeconds} s each in turn; the load generator stays on core ${canPin ? '1' : 'any'}`,
);
const realServers: RealServer[] = [];
let workers;
try {
  for (const [label, n, rateLimited] of [
    ['WORKERS=1', 1, false],
    ['WORKERS=2', 2, false],
    ['WORKERS=1, rate limit on', 1, true],
    ['WORKERS=2, rate limit on', 2, true],
  ] as const)
    realServers.push(await startRealServer(label, n, rateLimited));
  for (const server of realServers) {
    pids.service = server.child.pid;
    await drive('service', server.port, opts.warmupSeconds);
  }
  for (let round = 0; round < realServerRounds; round++) {
    for (let i = 0; i < realServers.length; i++) {
      const server = realServers[(i + round) % realServers.length]!;
      pids.service = server.child.pid;
      server.runs.push(await drive('service', server.port, opts.durationSeconds));
      server.rssMb = serverRssMb(server.child.pid);
    }
  }
  const [one, two, oneLimited, twoLimited] = realServers.map((server) => {
    const median_ = [...server.runs].sort((a, b) => a.rps - b.rps)[server.runs.length >> 1]!;
    const perAnswer = server.runs.map((r) => r.serverCpuUsPerResponse);
    const cpuUsPerResponseMedian = perAnswer.every((x) => x !== null) ? median(perAnswer as number[]) : null;
    return { label: server.label, ...median_, rssMb: server.rssMb, cpuUsPerResponseMedian, runs: server.runs };
  }) as [RealServerResult, RealServerResult, RealServerResult, RealServerResult];
  // Against WORKERS=1 in the same round: throughput, and the server's CPU an answer.
  const againstOne = (x: RealServerResult) => {
    const speedups = x.runs.map((r, i) => r.rps / one.runs[i]!.rps);
    const extra = x.runs.map((r, i) => (r.serverCpuUsPerResponse === null || one.runs[i]!.serverCpuUsPerResponse === null ? null : r.serverCpuUsPerResponse - one.runs[i]!.serverCpuUsPerResponse));
    return {
      speedup: median(speedups),
      speedupMin: Math.min(...speedups),
      speedupMax: Math.max(...speedups),
      extraCpuUsPerResponse: extra.every((e) => e !== null) ? median(extra as number[]) : null,
    };
  };
  const describe = (x: RealServerResult, vs?: ReturnType<typeof againstOne>) =>
    `    ${x.label}: ${int(x.rps)} req/s, p50 ${ms(x.p50Ms)} ms, p99 ${ms(x.p99Ms)} ms, RSS ${x.rssMb?.toFixed(0) ?? '?'} MB, CPU an answer ${perResponse(x.cpuUsPerResponseMedian)}` +
    (vs ? ` — against WORKERS=1 in the same rounds: ${vs.speedup.toFixed(2)}× (${vs.speedupMin.toFixed(2)}–${vs.speedupMax.toFixed(2)}), CPU an answer ${signedUs(vs.extraCpuUsPerResponse)}` : '') +
    ` (median run: ${cpuNote(x)})`;
  const vsTwo = againstOne(two);
  const vsOneLimited = againstOne(oneLimited);
  const vsTwoLimited = againstOne(twoLimited);
  log(describe(one));
  log(describe(two, vsTwo));
  log(describe(oneLimited, vsOneLimited));
  log(describe(twoLimited, vsTwoLimited));
  workers = {
    rounds: realServerRounds,
    one,
    two: { ...two, ...vsTwo },
    oneRateLimited: { ...oneLimited, ...vsOneLimited },
    twoRateLimited: { ...twoLimited, ...vsTwoLimited },
    speedup: vsTwo.speedup,
  };
} finally {
  await Promise.all(realServers.map(stopRealServer));
}
log();

// ---- Report -------------------------------------------------------------------------------------

const rows: [string, string, string, string, string][] = [
  ['what', 'throughput', 'p50', 'p99', 'ratio to bare'],
  ['in-process evaluate(), 1 thread', `${int(inProcess.verdictsPerSecond)} verdicts/s`, `${int(inProcess.p50Us)} µs`, `${int(inProcess.p99Us)} µs`, '—'],
  ['in-process, json-rules-engine (oracle)', `${int(1e6 / inProcess.oracle.meanUs)} verdicts/s`, `${int(inProcess.oracle.p50Us)} µs`, `${int(inProcess.oracle.p99Us)} µs`, '—'],
  [
    `HTTP bare fastify (${mix.verdictBytes.bareBody} B body)`,
    `${int(http.bare.rpsMedian)} req/s`,
    `${ms(http.bare.p50MsMedian)} ms`,
    `${ms(http.bare.p99MsMedian)} ms`,
    '1',
  ],
  [
    'HTTP service POST /v1/verdicts',
    `${int(http.service.rpsMedian)} req/s`,
    `${ms(http.service.p50MsMedian)} ms`,
    `${ms(http.service.p99MsMedian)} ms`,
    `${http.ratio.median.toFixed(4)} (${http.ratio.min.toFixed(4)}–${http.ratio.max.toFixed(4)})`,
  ],
  ['HTTP service at 80 % of peak, open loop', `${int(http.at80.rps)} req/s`, `${ms(http.at80.p50Ms)} ms`, `${ms(http.at80.p99Ms)} ms`, '—'],
  ['HTTP bare fastify at that same rate, open loop', `${int(http.at80.bareAtServiceRate.rps)} req/s`, `${ms(http.at80.bareAtServiceRate.p50Ms)} ms`, `${ms(http.at80.bareAtServiceRate.p99Ms)} ms`, '—'],
  ['HTTP bare fastify at 80 % of its peak, open loop', `${int(http.at80.bare.rps)} req/s`, `${ms(http.at80.bare.p50Ms)} ms`, `${ms(http.at80.bare.p99Ms)} ms`, '—'],
  ['real server, WORKERS=1 (unpinned)', `${int(workers.one.rps)} req/s`, `${ms(workers.one.p50Ms)} ms`, `${ms(workers.one.p99Ms)} ms`, '—'],
  ['real server, WORKERS=2 (unpinned)', `${int(workers.two.rps)} req/s`, `${ms(workers.two.p50Ms)} ms`, `${ms(workers.two.p99Ms)} ms`, `${workers.two.speedup.toFixed(2)}× WORKERS=1`],
  ['real server, WORKERS=1, rate limit on', `${int(workers.oneRateLimited.rps)} req/s`, `${ms(workers.oneRateLimited.p50Ms)} ms`, `${ms(workers.oneRateLimited.p99Ms)} ms`, `${workers.oneRateLimited.speedup.toFixed(2)}× WORKERS=1`],
  ['real server, WORKERS=2, rate limit on', `${int(workers.twoRateLimited.rps)} req/s`, `${ms(workers.twoRateLimited.p50Ms)} ms`, `${ms(workers.twoRateLimited.p99Ms)} ms`, `${workers.twoRateLimited.speedup.toFixed(2)}× WORKERS=1`],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
log('Results (HTTP: medians over the pairs; ratio: median of per-pair ratios, min–max)');
log(line(rows[0]!));
log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) log(line(r));
log(`HTTP latency at ${opts.connections} connections is mostly queueing; in-process µs is the cost of one verdict.`);
log(
  http.ratio.cleanMedian === null
    ? `Ratio over clean pairs (both servers >= ${CLEAN_CPU_PCT} % of their core): none of the ${opts.pairs} pairs was clean.`
    : `Ratio over the ${http.ratio.cleanPairs} clean pair(s) of ${opts.pairs} (both servers >= ${CLEAN_CPU_PCT} % of their core): ` +
        `${http.ratio.cleanMedian.toFixed(4)} (${http.ratio.cleanMin!.toFixed(4)}–${http.ratio.cleanMax!.toFixed(4)}).`,
);
log(
  http.ratio.cpu === null
    ? 'CPU an answer: not measured (no /proc).'
    : `CPU an answer, bare over service, over all ${opts.pairs} pairs: ${http.ratio.cpu.median.toFixed(4)} (${http.ratio.cpu.min.toFixed(4)}–${http.ratio.cpu.max.toFixed(4)}); ` +
        `service ${perResponse(http.service.serverCpuUsPerResponseMedian)}, bare ${perResponse(http.bare.serverCpuUsPerResponseMedian)} (medians).`,
);
log(
  `Median CPU during the runs (% of one core): service ${pct(http.service.serverCpuPctMedian)}, bare ${pct(http.bare.serverCpuPctMedian)}; ` +
    `load generator ${pct(http.service.clientCpuPctMedian)} / ${pct(http.bare.clientCpuPctMedian)}. A server well below 100 % was not the bottleneck (other load on its core, or the generator).`,
);
log(`Targets (reported, not asserted): evaluate() p50 ${int(inProcess.p50Us)} µs (≤ 50), HTTP ratio ${(http.ratio.cleanMedian ?? http.ratio.median).toFixed(2)} (≥ 0.5), p99 at 80 % of peak ${ms(http.at80.p99Ms)} ms (≤ 5; open loop, median round; bare fastify at the same rate: ${ms(http.at80.bareAtServiceRate.p99Ms)} ms, at 80 % of its own peak: ${ms(http.at80.bare.p99Ms)} ms), RSS of the real server under load ${workers.one.rssMb?.toFixed(0) ?? '?'} MB with one worker (≤ 150; the bench's own service: ${http.memory.peakRssMb?.toFixed(0) ?? '?'} MB peak).`);
log(`json-rules-engine per verdict: p50 ${int(inProcess.oracle.p50Us)} µs, ${(inProcess.oracle.p50Us / inProcess.p50Us).toFixed(0)}× the compiled plan.`);
if (http.evaluationInServiceMeanUs !== null)
  log(`A verdict inside the service: ${int(http.evaluationInServiceMeanUs)} µs on average, ${(http.evaluationInServiceMeanUs / inProcess.meanUs).toFixed(1)}× the in-process loop's average (${int(inProcess.meanUs)} µs).`);
const warnings: string[] = [];
if (http.ratio.cleanPairs < opts.pairs)
  warnings.push(
    `${opts.pairs - http.ratio.cleanPairs} of ${opts.pairs} pairs were not clean (a server had < ${CLEAN_CPU_PCT} % of its core): other work competed for the CPU; ` +
      'prefer the clean-pair ratio, or run again on a quiet machine',
  );
const bad = http.service.non2xx + http.service.errors + http.service.timeouts + http.bare.non2xx + http.bare.errors + http.bare.timeouts;
if (bad) warnings.push(`${bad} non-2xx responses, errors or timeouts during the HTTP runs: the figures above are not clean`);
for (const w of warnings) log(`WARNING: ${w}.`);

const loadAverage1mAtEnd = loadavg()[0]!;
log(`Load average (1 min) at end: ${loadAverage1mAtEnd.toFixed(2)} (this benchmark itself keeps about 2 cores busy).`);
const out = join(here, 'last-result.json');
writeFileSync(out, `${JSON.stringify({ env: { ...env, loadAverage1mAtEnd }, options: { ...opts, quick }, mix, inProcess, http, workers, warnings }, null, 2)}\n`);
log(`Written: ${out}`);
