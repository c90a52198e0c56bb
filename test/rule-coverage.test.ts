// Every rule in rules/ fires in at least one case that expects a verdict (src/cases/coverage.ts runs the
// cases through the compiled plan), except the few in test/fixtures/rules-never-fired.json, each with the
// reason no such case can be written. A rule no case fires is a rule no test proves.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleset } from '../src/core/index.js';
import { ruleCoverage } from '../src/cases/coverage.js';

const RULES = join(import.meta.dirname, '..', 'rules');
const ruleset = loadRuleset(RULES);
const exceptions = (JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'rules-never-fired.json'), 'utf8')) as { rules: { rule: string; reason: string }[] }).rules;
const excepted = new Map(exceptions.map((x) => [x.rule, x.reason]));
const coverage = ruleCoverage(ruleset, RULES);

t.test('every rule fires in some case expecting a verdict, or is listed with its reason', async (t) => {
  t.ok(coverage.size > 400, `${coverage.size} rules counted`);
  const never = [...coverage].filter(([, n]) => n === 0).map(([key]) => key);
  t.same(never.filter((key) => !excepted.has(key)), [], 'rules no case fires and no exception explains');
});

t.test('the exceptions are few, reasoned, and still true', async (t) => {
  t.equal(excepted.size, exceptions.length, 'no rule listed twice');
  t.ok(exceptions.length <= 10, `a short list (${exceptions.length})`);
  for (const { rule, reason } of exceptions) {
    t.ok(coverage.has(rule), `${rule} is a rule of the ruleset`);
    t.equal(coverage.get(rule), 0, `${rule} still fires in no case (else it leaves the list)`);
    t.ok(reason.length >= 80 && /\s/.test(reason), `${rule} says why no case can fire it`);
  }
});

t.test('the count follows the cases: without its only case, a rule is reported as never fired', async (t) => {
  const key = 'fr/appeal/mediation#request-last-after-the-year';
  t.ok((coverage.get(key) ?? 0) > 0, `${key} fires with the cases as written`);
  const mediation = ruleset.cases.get('fr/appeal/mediation')!;
  const without = { ...mediation, cases: mediation.cases.filter((c) => !c.name.startsWith('A second mediation request on 1 February 2027')) };
  t.equal(without.cases.length, mediation.cases.length - 1, 'one case removed');
  const trimmed = { ...ruleset, cases: new Map([...ruleset.cases, ['fr/appeal/mediation', without]]) };
  t.equal(ruleCoverage(trimmed, RULES).get(key), 0, 'never fired without it');

  // A case that expects a refusal proves nothing a rule computed on the way: it is not counted.
  const refused = { ...mediation, cases: mediation.cases.map((c) => (c.name.startsWith('A second mediation request on 1 February 2027') ? { ...c, expect: { error: { status: 422, path: 'x' } } } : c)) };
  t.equal(ruleCoverage({ ...ruleset, cases: new Map([...ruleset.cases, ['fr/appeal/mediation', refused]]) }, RULES).get(key), 0, 'not counted from a refusal case');
});
