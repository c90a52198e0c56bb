// Runs every rules/**/*.cases.json: each case is a legal sentence, a pinned asOf, a request (a fixture
// plus a patch) and the part of the verdict it proves. Also proves each case is deterministic.
import t from 'tap';
import { join } from 'node:path';
import { evaluate, loadRuleset, InvalidRequestError, OutsideCoverageError } from '../src/core/index.js';
import { VerdictRequestSchema } from '../src/contract/request.js';
import { fixture, merge, mismatches } from './helpers/cases.js';

const ruleset = loadRuleset(join(import.meta.dirname, '..', 'rules'));

t.test('every rule file with rules has a cases file beside it', async (t) => {
  for (const [id, file] of ruleset.files) if (file.rules.length) t.ok(ruleset.cases.has(id), `rules/${id}.cases.json exists`);
});

for (const [id, file] of ruleset.cases) {
  t.test(`rules/${id}.cases.json`, async (t) => {
    for (const c of file.cases) {
      await t.test(c.name, async (t) => {
        const body = merge(fixture(c.base ?? file.base), { ...c.request, asOf: c.asOf });
        const expectedError = c.expect.error as { status: number; path?: string } | undefined;
        const parsed = VerdictRequestSchema.safeParse(body);
        if (!parsed.success) {
          if (expectedError?.status === 400) {
            if (expectedError.path) t.ok(parsed.error.issues.some((i) => i.path.join('.') === expectedError.path), `400 names ${expectedError.path}`);
            else t.pass('rejected as a 400');
            return;
          }
          t.fail(`request does not validate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
          return;
        }
        let verdict;
        try {
          verdict = await evaluate(parsed.data, ruleset, c.asOf);
        } catch (e) {
          if (expectedError?.status === 400 && e instanceof InvalidRequestError) {
            if (expectedError.path) t.ok(e.problems.some((p) => p.path === expectedError.path), `400 names ${expectedError.path}: ${e.message}`);
            else t.pass(e.message);
            return;
          }
          if (expectedError?.status === 422 && e instanceof OutsideCoverageError) return void t.pass(e.message);
          throw e;
        }
        if (expectedError) return void t.fail(`expected a ${expectedError.status}, got outcome ${verdict.decision.outcome}`);
        const diff = mismatches(verdict, c.expect);
        t.same(diff, [], diff.length ? `${diff.join('\n')}\nrequest: ${JSON.stringify(body)}` : 'matches');
        const again = await evaluate(parsed.data, ruleset, c.asOf);
        t.equal(JSON.stringify(again), JSON.stringify(verdict), 'same verdict byte for byte on a second run');
      });
    }
  });
}
