// evaluate(request, ruleset, asOf): the pure core. No HTTP, logger, environment or clock in here:
// the same request, ruleset and asOf give the same verdict, byte for byte.
//
// One pipeline, top-down:
//   1. prepareRun    check the request, compute its facts into slots, select the rules in force
//   2. StageWalk     stage by stage, ask a judge which rules hold, apply their events in rule order
//   3. assembleVerdict  render the sentences, resolve the citations, compute the verdict id
// The judge is the ruleset's compiled plan (evaluateCompiled), or json-rules-engine itself
// (evaluateWithOracle), which `explain: true` uses for its trace and the differential test checks the
// compiled plan against. Every evaluation has its own state: nothing is shared between overlapping
// evaluations (a shared json-rules-engine Engine loses events under overlapping runs).
import type { VerdictRequest } from '../contract/request.js';
import type { Verdict } from '../contract/verdict.js';
import type { CivilDate } from './calendar.js';
import type { Ruleset } from './ruleset/load.js';
import { assembleVerdict } from './run/assemble.js';
import { prepareRun } from './run/prepare.js';
import { COMPILED, INTERPRETED, judgeCompiled, OracleJudge } from './run/runners.js';
import { StageWalk } from './run/stages.js';

/** The verdict through the compiled plan: synchronous, a few tens of microseconds. */
export function evaluateCompiled(request: VerdictRequest, ruleset: Ruleset, asOf: CivilDate): Verdict {
  const run = prepareRun(request, ruleset, asOf, COMPILED);
  const walk = new StageWalk(run);
  for (let q = walk.next(); q; q = walk.next()) walk.answer(judgeCompiled(q));
  return assembleVerdict(run);
}

/** The verdict with json-rules-engine judging every rule and expressions interpreted: the oracle. */
export async function evaluateWithOracle(request: VerdictRequest, ruleset: Ruleset, asOf: CivilDate): Promise<Verdict> {
  const run = prepareRun(request, ruleset, asOf, INTERPRETED);
  const judge = new OracleJudge(run);
  const walk = new StageWalk(run);
  for (let q = walk.next(); q; q = walk.next()) walk.answer(await judge.judge(q));
  return assembleVerdict(run);
}

/** A verdict: compiled, or through the oracle when the request asks for the trace (`explain`). */
export async function evaluate(request: VerdictRequest, ruleset: Ruleset, asOf: CivilDate): Promise<Verdict> {
  return request.explain ? evaluateWithOracle(request, ruleset, asOf) : evaluateCompiled(request, ruleset, asOf);
}
