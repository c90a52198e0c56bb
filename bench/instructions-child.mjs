// Run by bench/instructions.ts under valgrind (callgrind, instrumentation off at start): prepares the
// mix, warms one phase up, then tells the parent it is ready (a file), waits for its go (another file:
// the parent has turned instrumentation on), runs the measured rounds and says it is done.
// Plain node runs it, as `npm start` runs the service: under tsx's loader the same build counted 3-13 %
// more instructions, and not the same number twice.
// usage: instructions-child.mjs <evaluate|encode> <dir holding mix.json> <warm-up rounds> <rounds>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A module of the build, as `npm start` runs it; each import below is typed as the source it is built from. */
const fromDist = (/** @type {string} */ module) => import(new URL(`../dist/${module}`, import.meta.url).href);
/** @type {typeof import('../src/contract/request.js')} */
const { VerdictRequestSchema } = await fromDist('contract/request.js');
/** @type {typeof import('../src/core/index.js')} */
const { evaluate, loadRuleset } = await fromDist('core/index.js');
/** @type {typeof import('../src/http/serialize.js')} */
const { encodeShared } = await fromDist('http/serialize.js');
/** @type {typeof import('../src/rules-dir.js')} */
const { DEFAULT_RULES_DIR } = await fromDist('rules-dir.js');

const USAGE = 'usage: instructions-child.mjs <evaluate|encode> <dir> <warm-up rounds> <rounds>';
const [phase, dir, warmArg, roundsArg] = process.argv.slice(2);
if ((phase !== 'evaluate' && phase !== 'encode') || !dir) throw new Error(USAGE);
const count = (/** @type {string | undefined} */ arg) => {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 0) throw new Error(USAGE);
  return n;
};
const warmRounds = count(warmArg);
const rounds = count(roundsArg);

const ruleset = loadRuleset(DEFAULT_RULES_DIR);
/** @type {{ asOf: string }[]} */
const raw = JSON.parse(readFileSync(join(dir, 'mix.json'), 'utf8'));
const requests = raw.map((r) => ({ request: VerdictRequestSchema.parse(r), asOf: r.asOf }));
// Only the encoding phase keeps the verdicts: held during evaluate(), they would make its collections dearer.
const verdicts = phase === 'encode' ? await Promise.all(requests.map((r) => evaluate(r.request, ruleset, r.asOf))) : [];

let bytes = 0;
const round = async () => {
  if (phase === 'evaluate') for (const r of requests) await evaluate(r.request, ruleset, r.asOf);
  else for (const v of verdicts) bytes += encodeShared(v).length;
};

for (let i = 0; i < warmRounds; i++) await round();
writeFileSync(join(dir, `${phase}.ready`), '');
// Waited for synchronously: an asynchronous wait allocates as long as it lasts, and the measured rounds
// would meet the collector at other points from one run to the next.
const pause = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(join(dir, `${phase}.go`))) Atomics.wait(pause, 0, 0, 20);
for (let i = 0; i < rounds; i++) await round();
writeFileSync(join(dir, `${phase}.done`), JSON.stringify({ verdicts: rounds * requests.length, bytes }));
