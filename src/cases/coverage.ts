// Which rules the cases exercise: every rule case that expects a verdict and every policy verdict case
// is run through the compiled plan (the judge the service uses), and each rule that holds at least once
// is counted as fired. A case that expects a 400 or 422 does not count: what fired on the way to a
// refusal reaches no verdict, so no expectation proves it. A rule no case fires is a rule no test
// proves; test/rule-coverage.test.ts fails on it unless test/fixtures/rules-never-fired.json says why.
import { VerdictRequestSchema } from '../contract/request.js';
import type { CivilDate } from '../core/calendar.js';
import type { Ruleset } from '../core/index.js';
import { prepareRun } from '../core/run/prepare.js';
import { COMPILED, judgeCompiled } from '../core/run/runners.js';
import { StageWalk } from '../core/run/stages.js';
import { FIXTURES } from './match.js';
import { policyCaseFiles, policyVerdictCase, ruleCaseBody } from './run.js';

/** The keys (`<file id>#<rule name>`) of the rules that hold in one evaluation; none if it is refused. */
export function rulesFiredBy(body: unknown, ruleset: Ruleset, asOf: CivilDate): Set<string> {
  const fired = new Set<string>();
  const parsed = VerdictRequestSchema.safeParse(body);
  if (!parsed.success) return fired;
  try {
    const walk = new StageWalk(prepareRun(parsed.data, ruleset, asOf, COMPILED));
    for (let q = walk.next(); q; q = walk.next()) {
      const holds = judgeCompiled(q);
      q.rules.forEach((rule, i) => holds[i] && fired.add(rule.key));
      walk.answer(holds);
    }
  } catch {
    // Refused while its rules ran: nothing of it reaches a verdict.
    return new Set();
  }
  return fired;
}

/** Every rule key of the ruleset, and how many cases fire each (0 = never). */
export function ruleCoverage(ruleset: Ruleset, rulesDir: string, fixturesDir: string = FIXTURES): Map<string, number> {
  const counts = new Map(ruleset.plan.rules.map((r) => [r.key, 0]));
  const count = (fired: Set<string>) => fired.forEach((key) => counts.set(key, (counts.get(key) ?? 0) + 1));
  for (const file of ruleset.cases.values())
    for (const c of file.cases) if (c.expect.error === undefined) count(rulesFiredBy(ruleCaseBody(file, c, fixturesDir), ruleset, c.asOf));
  for (const { file } of policyCaseFiles(rulesDir))
    file.cases.forEach((c, i) => {
      const verdictCase = policyVerdictCase(ruleset, file, i, fixturesDir);
      if (verdictCase) count(rulesFiredBy(verdictCase.body, verdictCase.ruleset, c.asOf));
    });
  return counts;
}
