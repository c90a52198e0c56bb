// The compiled plan checked against json-rules-engine, on one request: every stage question is put to
// both judges (they must agree rule by rule), and the verdict is computed both ways (compiled closures,
// or the oracle with interpreted expressions, sentences and verdict id); the two must be the same bytes.
// Used by the differential test on every corpus and by `recourse check`.
import type { VerdictRequest } from '../contract/request.js';
import type { CivilDate } from './calendar.js';
import { evaluateCompiled } from './evaluate.js';
import type { Ruleset } from './ruleset/load.js';
import { assembleVerdict } from './run/assemble.js';
import { prepareRun } from './run/prepare.js';
import { INTERPRETED, judgeCompiled, OracleJudge } from './run/runners.js';
import { StageWalk } from './run/stages.js';

export interface RuleDisagreement {
  rule: string;
  stage: number;
  itemId: string | null;
  compiled: boolean;
  oracle: boolean;
}

export interface DifferentialResult {
  /** Rules judged (one per rule per question: order rules once, item rules once per item). */
  checks: number;
  /** Rules that fired, by key (as the oracle judged them). */
  fired: Set<string>;
  disagreements: RuleDisagreement[];
  /** The outcome each way: the verdict's JSON, or the error's name and message. */
  compiled: string;
  oracle: string;
}

const outcomeOf = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;

export async function differential(input: VerdictRequest, ruleset: Ruleset, asOf: CivilDate): Promise<DifferentialResult> {
  // The trace exists only on the oracle's side: compare the verdicts without it.
  const request = input.explain ? { ...input, explain: false } : input;
  const result: DifferentialResult = { checks: 0, fired: new Set(), disagreements: [], compiled: '', oracle: '' };
  try {
    result.compiled = JSON.stringify(evaluateCompiled(request, ruleset, asOf));
  } catch (e) {
    result.compiled = outcomeOf(e);
  }
  try {
    const run = prepareRun(request, ruleset, asOf, INTERPRETED);
    const judge = new OracleJudge(run);
    const walk = new StageWalk(run);
    for (let question = walk.next(); question; question = walk.next()) {
      const compiled = judgeCompiled(question);
      const oracle = await judge.judge(question);
      question.rules.forEach((rule, i) => {
        result.checks++;
        if (oracle[i]) result.fired.add(rule.key);
        if (compiled[i] !== oracle[i])
          result.disagreements.push({ rule: rule.key, stage: question.stage, itemId: question.itemId, compiled: compiled[i]!, oracle: oracle[i]! });
      });
      walk.answer(oracle);
    }
    result.oracle = JSON.stringify(assembleVerdict(run));
  } catch (e) {
    result.oracle = outcomeOf(e);
  }
  return result;
}
