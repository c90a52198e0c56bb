// The in-process part of `npm run bench`, in a process of its own run by plain node, as `npm start`
// runs the service: bench/run.ts itself runs under tsx, whose loader left the same build ~8 % slower
// and counting 3-13 % more instructions (callgrind), from one run to the next.
// usage: node [options] bench/in-process.mjs <mix.json> <warm-up calls> <calls> <oracle calls>
// Prints one JSON line: every timed call's µs, compiled then json-rules-engine (the oracle).
import { readFileSync } from 'node:fs';

const fromDist = (module) => import(new URL(`../dist/${module}`, import.meta.url).href);
const { VerdictRequestSchema } = await fromDist('contract/request.js');
const { evaluate, evaluateWithOracle, loadRuleset } = await fromDist('core/index.js');
const { DEFAULT_RULES_DIR } = await fromDist('rules-dir.js');

const [mixFile, warmupArg, callsArg, oracleArg] = process.argv.slice(2);
const [warmup, calls, oracleCalls] = [warmupArg, callsArg, oracleArg].map(Number);
const ruleset = loadRuleset(DEFAULT_RULES_DIR);
/** @type {{ request: unknown, asOf: string }[]} */
const mix = JSON.parse(readFileSync(mixFile, 'utf8')).map((raw) => ({ request: VerdictRequestSchema.parse(raw), asOf: raw.asOf }));

/** µs of each call of `run` over the mix in turn, after `warm` untimed calls, and the seconds they took. */
async function timed(run, warm, n) {
  for (let i = 0; i < warm; i++) await run(mix[i % mix.length]);
  const us = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const p = mix[i % mix.length];
    const s = performance.now();
    await run(p);
    us.push((performance.now() - s) * 1000);
  }
  return { us, seconds: (performance.now() - t0) / 1000 };
}

const compiled = await timed((p) => evaluate(p.request, ruleset, p.asOf), warmup, calls);
const oracle = await timed((p) => evaluateWithOracle(p.request, ruleset, p.asOf), Math.min(mix.length, warmup), oracleCalls);
process.stdout.write(`${JSON.stringify({ compiled, oracle })}\n`);
