// npm run bench:instructions [-- --node PATH] [--rounds N] [--warmup N]
//
// What a verdict costs in machine instructions, counted by valgrind's callgrind: evaluate() on the
// benchmark's mix, and the encoding of its verdicts as the service sends them (encodeShared). Unlike
// time on a shared virtual machine, whose speed here moved 3x within an hour, the count is the same
// run after run (within ~0.2 %), so a change of 1 % can be seen and kept or dropped on evidence.
// Instructions are not time (cache misses, memory traffic and the CPU's parallelism are not in them):
// `npm run bench` stays the measure of speed; this one tells whether a change does less work.
//
// Each phase runs in its own process under valgrind, instrumentation off while the mix is prepared and
// the code warms up, on for the measured rounds only (callgrind_control). Node runs --single-threaded
// and --predictable (no timer-driven heuristics) with bytecode kept: without them a run now and then
// compiled other functions at other moments and counted 3 % more. The optimising compiler works on the
// measured thread: its instructions are counted apart and left out of the net figure; the garbage
// collector's stay in it (and are shown beside it).
// Needs valgrind (Debian: apt-get install -y valgrind). Prints a table and writes
// bench/last-instructions.json.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { START_NODE_OPTIONS } from './start-options.js';
import { buildVariants, SEED } from './variants.js';

const fromDist = <T>(module: string): Promise<T> => import(new URL(`../dist/${module}`, import.meta.url).href) as Promise<T>;
const { VerdictRequestSchema } = await fromDist<typeof import('../src/contract/request.js')>('contract/request.js');
const { evaluate, loadRuleset } = await fromDist<typeof import('../src/core/index.js')>('core/index.js');
const { DEFAULT_RULES_DIR } = await fromDist<typeof import('../src/rules-dir.js')>('rules-dir.js');

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
};
const count = (name: string, fallback: number): number => {
  const v = option(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
};
const nodeBin = option('node') ?? process.execPath;
// 120 warm-up rounds of the 200 requests: the compiled judges and hot paths are optimised by then.
// After 40, functions that only some requests reach (a merchant policy's facts) were still being
// optimised in the counted rounds (155 k compiler instructions a verdict in one run), and the net count
// included their unoptimised runs.
const opts = { warmupRounds: count('warmup', 120), rounds: count('rounds', 5) };

for (const tool of ['valgrind', 'callgrind_control', 'callgrind_annotate']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    process.stderr.write(`bench:instructions needs ${tool} (valgrind): apt-get install -y valgrind\n`);
    process.exit(1);
  }
}

const here = fileURLToPath(new URL('.', import.meta.url));
const log = (s = '') => process.stdout.write(`${s}\n`);
const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();

// The benchmark's own mix (bench/variants.ts): the requests that get a verdict.
const ruleset = loadRuleset(DEFAULT_RULES_DIR);
const mix: Record<string, unknown>[] = [];
await buildVariants(200, async (raw) => {
  const parsed = VerdictRequestSchema.safeParse(raw);
  if (!parsed.success) return 'invalid';
  try {
    await evaluate(parsed.data, ruleset, raw.asOf as string);
    mix.push(raw);
    return null;
  } catch {
    return 'no verdict';
  }
});
const dir = mkdtempSync(join(tmpdir(), 'recourse-instructions-'));
writeFileSync(join(dir, 'mix.json'), JSON.stringify(mix));

log('Recourse instruction counts (callgrind)');
log(`  Node ${nodeVersion} · ruleset ${ruleset.version} ${ruleset.digest.slice(0, 19)}… · ${mix.length} requests (seed ${SEED})`);
log(`  ${opts.warmupRounds} warm-up rounds uncounted, then ${opts.rounds} rounds counted (${opts.rounds * mix.length} verdicts a phase)`);
log();

/** Inclusive instructions of the first function whose name contains `name` (callgrind_annotate). */
function inclusive(annotated: string, name: string): number {
  const line = annotated.split('\n').find((l) => l.includes(name));
  return line ? Number(/^\s*([\d,]+)/.exec(line)?.[1]?.replace(/,/g, '') ?? 0) : 0;
}

interface Phase {
  verdicts: number;
  perVerdict: { total: number; optimizingCompiler: number; garbageCollector: number; net: number };
}

async function measure(phase: 'evaluate' | 'encode'): Promise<Phase> {
  const out = join(dir, `${phase}.callgrind`);
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`, nodeBin, '--single-threaded', '--predictable', '--no-flush-bytecode', ...START_NODE_OPTIONS, join(here, 'instructions-child.mjs'), phase, dir, String(opts.warmupRounds), String(opts.rounds)],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: join(here, '..') },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const waitFor = async (file: string) => {
    while (!existsSync(join(dir, file))) {
      if (child.exitCode !== null) throw new Error(`the ${phase} process ended early (${child.exitCode}):\n${stderr}`);
      await sleep(200);
    }
  };
  await waitFor(`${phase}.ready`);
  execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
  writeFileSync(join(dir, `${phase}.go`), '');
  await waitFor(`${phase}.done`);
  execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore' });
  if ((await exited) !== 0) throw new Error(`the ${phase} process failed:\n${stderr}`);
  const { verdicts } = JSON.parse(readFileSync(join(dir, `${phase}.done`), 'utf8')) as { verdicts: number };
  const total = Number(/^totals:\s+(\d+)/m.exec(readFileSync(out, 'utf8'))?.[1] ?? NaN);
  const annotated = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const compiler = inclusive(annotated, 'Compiler::CompileOptimized(');
  const gc = inclusive(annotated, 'Heap::CollectGarbage(');
  const per = (n: number) => Math.round(n / verdicts);
  return { verdicts, perVerdict: { total: per(total), optimizingCompiler: per(compiler), garbageCollector: per(gc), net: per(total - compiler) } };
}

const results: Record<string, Phase> = {};
try {
  for (const phase of ['evaluate', 'encode'] as const) {
    results[phase] = await measure(phase);
    const p = results[phase].perVerdict;
    const k = (n: number) => `${(n / 1000).toFixed(1)} k`;
    log(`  ${phase.padEnd(9)} ${k(p.net).padStart(9)} instructions a verdict (total ${k(p.total)}, optimising compiler ${k(p.optimizingCompiler)} left out; garbage collector ${k(p.garbageCollector)} included)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
log();
const out = join(here, 'last-instructions.json');
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: nodeVersion, ruleset: { version: ruleset.version, digest: ruleset.digest }, requests: mix.length, options: opts, results }, null, 2)}\n`);
log(`written to ${out}`);
