// The case runner's check of a 422 that names what the rules do not cover: `families` must list exactly
// the article families left uncovered, each with the date it is encoded from, or the case fails (one
// check: the 422's cause, path and families together, src/cases/run.ts checkCoverageError).
import t from 'tap';
import { loadRuleset } from '../src/core/index.js';
import { runRuleCase, type RuleCase } from '../src/cases/run.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';

const ruleset = loadRuleset(DEFAULT_RULES_DIR);
const file = { rules: 'fr/withdrawal/L221-18', base: 'withdrawal-basic', cases: [] as RuleCase[] };
// The withdrawal families and the evidence checklists that start with them (fr.evidence.common and
// fr.evidence.withdrawal, from 2014-06-14 too).
const WITHDRAWAL = [
  ...['period', 'extension', 'exercise', 'return', 'refund', 'exceptions', 'online-function'].map((f) => `fr.withdrawal.${f}`),
  'fr.evidence.common',
  'fr.evidence.withdrawal',
];
const from = (families: string[], date: string) => Object.fromEntries(families.map((f) => [f, date]));

// A change of mind under a contract of 13 June 2014, the day before the 14 days of loi Hamon: only
// the withdrawal families (and their evidence) are left uncovered.
const before2014 = (families: Record<string, string | null>): RuleCase => ({
  name: 'a contract of 13 June 2014',
  asOf: '2014-06-20',
  request: { order: { placedAt: '2014-06-13', items: [{ receivedAt: '2014-06-16' }] }, incident: { notifiedAt: '2014-06-18' } },
  expect: { error: { status: 422, path: 'order.placedAt', families } },
});

t.test('the families left uncovered, each with its start date, pass', async (t) => {
  const checks = await runRuleCase(ruleset, file, before2014(from(WITHDRAWAL, '2014-06-14')));
  t.same(checks.map((c) => c.ok), [true], checks.map((c) => c.message).join('\n'));
});

t.test('a family missing from the list fails', async (t) => {
  const checks = await runRuleCase(ruleset, file, before2014(from(WITHDRAWAL.slice(1), '2014-06-14')));
  t.same(checks.map((c) => c.ok), [false]);
  t.match(checks[0]!.message, /fr\.withdrawal\.period/);
});

t.test('a family listed that is covered fails', async (t) => {
  const checks = await runRuleCase(ruleset, file, before2014(from([...WITHDRAWAL, 'fr.hidden-defects'], '2014-06-14')));
  t.same(checks.map((c) => c.ok), [false]);
});

t.test('a wrong start date fails', async (t) => {
  const checks = await runRuleCase(ruleset, file, before2014({ ...from(WITHDRAWAL, '2014-06-14'), 'fr.withdrawal.period': '2016-07-01' }));
  t.same(checks.map((c) => c.ok), [false]);
});
