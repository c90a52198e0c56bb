// Runs every rules/**/*.cases.json: each case is a legal sentence, a pinned asOf, a request (a fixture
// plus a patch) and the part of the verdict it proves. Also proves each case is deterministic.
// The machinery is src/cases/ (`recourse check` runs the same code); each of its checks is an assertion.
import t from 'tap';
import { join } from 'node:path';
import { loadRuleset } from '../src/core/index.js';
import { ruleFilesWithoutCases, runRuleCase } from '../src/cases/run.js';

const ruleset = loadRuleset(join(import.meta.dirname, '..', 'rules'));

t.test('every rule file with rules has a cases file beside it', async (t) => {
  for (const [id, file] of ruleset.files) if (file.rules.length) t.ok(ruleset.cases.has(id), `rules/${id}.cases.json exists`);
  t.same(ruleFilesWithoutCases(ruleset), [], 'src/cases agrees');
});

for (const [id, file] of ruleset.cases) {
  t.test(`rules/${id}.cases.json`, async (t) => {
    for (const c of file.cases) {
      await t.test(c.name, async (t) => {
        for (const check of await runRuleCase(ruleset, file, c)) t.ok(check.ok, check.message);
      });
    }
  });
}
