// The in-process part of `npm run bench`, in a process of its own run by plain node, as `npm start`
// runs the service: bench/run.ts itself runs under tsx, whose loader left the same build ~8 % slower
// and counting 3-13 % more instructions (callgrind), from one run to the next.
// usage: node [options] bench/in-process.mjs <mix.json> <warm-up calls> <calls> <oracle calls>
// Prints one JSON line: every timed call's µs, compiled then json-rules-engine (the oracle).
import { readFileSync } from 'node:fs';

/** A module of the build, as `npm start` runs it; each import below is typed as the source it is built from. */
const fromDist = (/** @type {string} */ module) => import(new URL(`../dist/${module}`, import.meta.url).href);
/** @type {typeof import('../src/contract/request.js')} */
const { VerdictRequestSchema } = await fromDist('contract/request.js');
/** @type {typeof import('../src/core/index.js')} */
const { evaluate, evaluateWithOracle, loadRuleset } = await fromDist('core/index.js');
/** @type {typeof import('../src/rules-dir.js')} */
const { DEFAULT_RULES_DIR } = await fromDist('rules-dir.js');

const USAGE = 'usage: in-process.mjs <mix.json> <warm-up calls> <calls> <oracle calls>';
const [mixFile, warmupArg, callsArg, oracleArg] = process.argv.slice(2);
if (!mixFile) throw new Error(USAGE);
const count = (/** @type {string | undefined} */ arg) => {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 0) throw new Error(USAGE);
  return n;
};
const [warmup, calls, oracleCalls] = [count(warmupArg), count(callsArg), count(oracleArg)];
const ruleset = loadRuleset(DEFAULT_RULES_DIR);
/** @typedef {{ request: import('../src/contract/request.js').VerdictRequest, asOf: string }} Call */
/** @type {Call[]} */
const mix = JSON.parse(readFileSync(mixFile, 'utf8')).map((/** @type {{ asOf: string }} */ raw) => ({ request: VerdictRequestSchema.parse(raw), asOf: raw.asOf }));

/**
 * µs of each call of `run` over the mix in turn, after `warm` untimed calls, and the seconds they took.
 * @param {(call: Call) => unknown} run
 * @param {number} warm
 * @param {number} n
 */
async function timed(run, warm, n) {
  const callAt = (/** @type {number} */ i) => /** @type {Call} */ (mix[i % mix.length]);
  for (let i = 0; i < warm; i++) await run(callAt(i));
  const us = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const p = callAt(i);
    const s = performance.now();
    await run(p);
    us.push((performance.now() - s) * 1000);
  }
  return { us, seconds: (performance.now() - t0) / 1000 };
}

const compiled = await timed((p) => evaluate(p.request, ruleset, p.asOf), warmup, calls);
const oracle = await timed((p) => evaluateWithOracle(p.request, ruleset, p.asOf), Math.min(mix.length, warmup), oracleCalls);
process.stdout.write(`${JSON.stringify({ compiled, oracle })}\n`);
