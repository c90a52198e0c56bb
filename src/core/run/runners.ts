// The two ways of running an evaluation, behind one pipeline (prepare → stages → assemble):
// - compiled: predicates, expression closures and split templates from the plan, answered synchronously;
// - oracle: json-rules-engine judges every rule (a fresh Engine per run, never shared between
//   evaluations), expressions and sentences are interpreted. It gives `explain: true` its trace, and
//   is what the compiled runner is checked against.
import type { RuleResult } from 'json-rules-engine';
import { VerdictRequestSchema } from '../../contract/request.js';
import { evalExpr } from '../expr.js';
import type { FactValue } from '../facts.js';
import { missingParameter } from '../plan/expressions.js';
import { CUSTOM_OPERATORS } from '../plan/operators.js';
import { qualify } from '../plan/conditions.js';
import { renderCompiled } from '../plan/templates.js';
import { render } from '../text.js';
import type { StageQuestion } from './stages.js';
import type { Outcomes, Run, Strategy } from './state.js';
import { canonical, compileCanonical, verdictIdOf } from './verdict-id.js';

const requestCanonical = compileCanonical(VerdictRequestSchema);

export const COMPILED: Strategy = {
  expr: (e, run) => e.fn(run.slots, run.env),
  say: (t, run) => renderCompiled(t, run.locale, run.slots, run.currency),
  verdictId: (request, locale, digest, asOf) => verdictIdOf(requestCanonical(request, digest, asOf, { locale })),
};

/** A fact's value for the oracle, read by name. */
const factByName = (run: Run, name: string): FactValue | undefined => {
  const slot = run.plan.slots.find(name);
  return slot === undefined ? undefined : (run.slots[slot] as FactValue | undefined);
};

export const INTERPRETED: Strategy = {
  expr: (e, run) =>
    evalExpr(e.expr, {
      fact: (name) => factByName(run, name),
      param: (ref) => {
        const q = qualify(e.fileId, ref);
        const v = factByName(run, `param:${q}`);
        if (v === undefined) throw missingParameter(q);
        return v;
      },
      calendar: run.calendar,
      region: run.region,
    }),
  say: (t, run) => render(t.text, run.locale, (name) => factByName(run, name), run.currency),
  verdictId: (request, locale, digest, asOf) => verdictIdOf(canonical({ request: { ...request, locale }, ruleset: digest, asOf })),
};

/** The compiled judge: the stage's conditions, compiled into one function, on the slots. */
export function judgeCompiled(q: StageQuestion): boolean[] {
  return q.judge(q.slots, q.holds);
}

// json-rules-engine and its dependencies (~1 MB of heap for the life of the process) are loaded with
// the first evaluation that asks for the oracle (`explain: true`, a sampled re-evaluation, the
// differential tests), not at start: the compiled runner never needs them.
const importEngine = () => import('json-rules-engine');
let engineLoading: ReturnType<typeof importEngine> | undefined;
const loadEngine = () => (engineLoading ??= importEngine());

/** json-rules-engine as the judge, recording the trace `explain` returns. */
export class OracleJudge {
  constructor(private readonly run: Run) {}

  get trace(): Outcomes['trace'] {
    return this.run.out.trace;
  }

  async judge(q: StageQuestion): Promise<boolean[]> {
    const { Engine } = await loadEngine();
    const engine = new Engine([], { allowUndefinedFacts: true });
    for (const [name, fn] of Object.entries(CUSTOM_OPERATORS)) engine.addOperator(name, fn);
    for (const r of q.rules) engine.addRule(r.engineRule);
    // Only the facts these rules read: the engine hashes and caches every fact it is given.
    const facts: Record<string, FactValue | undefined> = {};
    for (const r of q.rules) for (const name of r.facts) if (!(name in facts)) facts[name] = factByName(this.run, name);
    const result = await engine.run(facts);
    const byKey = new Map(q.rules.map((r, i) => [r.key, i]));
    const holds = q.rules.map(() => false);
    const collect = (results: RuleResult[], fired: boolean) => {
      for (const res of results) {
        const i = byKey.get(String(res.name))!;
        holds[i] = fired;
        if (this.run.request.explain)
          this.trace.push({
            rule: q.rules[i]!.key,
            stage: q.stage,
            itemId: q.itemId,
            fired,
            conditions: (res.toJSON(false) as { conditions: unknown }).conditions,
          });
      }
    };
    collect(result.results, true);
    collect(result.failureResults, false);
    return holds;
  }
}
