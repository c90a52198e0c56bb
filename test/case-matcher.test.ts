// The case matcher must reject a wrong verdict, not only accept a right one. Each test takes a real case
// and its real verdict (which match), then makes the verdict wrong the way issue 14 found unnoticed —
// a fake extra remedy, a fake deadline, a second chargeback step, a deleted rolledFrom, emptied basis
// arrays, a 422 of another cause — and proves the matcher now reports it.
import t from 'tap';
import { join } from 'node:path';
import { VerdictRequestSchema } from '../src/contract/request.js';
import type { Verdict } from '../src/contract/verdict.js';
import { evaluate, loadRuleset, OutsideCoverageError } from '../src/core/index.js';
import { InvalidCivilDateError } from '../src/core/calendar.js';
import { citationProblems, mismatches } from '../src/cases/match.js';
import { checkCoverageError, policyCaseFiles, policyVerdictCase, ruleCaseBody, runRuleCase, type RuleCase } from '../src/cases/run.js';
import type { CasesFile } from '../src/core/ruleset/schema.js';

const RULES = join(import.meta.dirname, '..', 'rules');
const ruleset = loadRuleset(RULES);

/** A case of rules/<id>.cases.json by the start of its name, with its file. */
function ruleCase(id: string, name: string): { file: CasesFile; c: RuleCase } {
  const file = ruleset.cases.get(id)!;
  const c = file.cases.find((x) => x.name.startsWith(name));
  if (!c) throw new Error(`no case "${name}" in rules/${id}.cases.json`);
  return { file, c };
}

async function verdictOf(id: string, name: string): Promise<{ verdict: Verdict; expect: Record<string, unknown> }> {
  const { file, c } = ruleCase(id, name);
  const request = VerdictRequestSchema.parse(ruleCaseBody(file, c));
  return { verdict: await evaluate(request, ruleset, c.asOf), expect: c.expect };
}

/** The verdict of a merchant-policy case (rules/policies/verdicts.cases.json) and its expectation. */
async function policyVerdictOf(name: string): Promise<{ verdict: Verdict; expect: Record<string, unknown> }> {
  const { file } = policyCaseFiles(RULES).find((f) => f.name === 'verdicts.cases.json')!;
  const index = file.cases.findIndex((c) => c.name.startsWith(name));
  const { ruleset: withPolicy, body } = policyVerdictCase(ruleset, file, index)!;
  const c = file.cases[index]!;
  return { verdict: await evaluate(VerdictRequestSchema.parse(body), withPolicy, c.asOf), expect: c.expect };
}

const copy = (v: Verdict): Verdict => structuredClone(v);

t.test('a fake extra remedy and a fake deadline on a merchant-policy case are mismatches', async (t) => {
  const { verdict, expect } = await policyVerdictOf('A 14-day window counted from the order');
  t.ok(expect.remedies && expect.deadlines, 'the case pins remedies and deadlines');
  t.same(mismatches(verdict, expect), [], 'the real verdict matches');
  t.notOk(verdict.remedies.some((r) => r.track === 'legal_conformity'), 'the real verdict has no conformity remedy');

  const extraRemedy = copy(verdict);
  extraRemedy.remedies.push({ track: 'legal_conformity', status: 'available', deadline: null, reason: 'fake', basis: ['FR.C_CONSO.L217-3'] });
  t.match(mismatches(extraRemedy, expect).join('\n'), /remedies\[legal_conformity\]: the verdict has it and the case does not name it/);

  const extraDeadline = copy(verdict);
  extraDeadline.deadlines.push({ ...verdict.deadlines[0]!, id: 'conformity.guarantee' });
  t.match(mismatches(extraDeadline, expect).join('\n'), /deadlines\[conformity\.guarantee\]: the verdict has it and the case does not name it/);
});

t.test('a second chargeback step is a mismatch', async (t) => {
  const { verdict, expect } = await verdictOf('fr/appeal/chargeback', 'The card chargeback is always the last step');
  t.same(mismatches(verdict, expect), [], 'the real verdict matches');
  const twice = copy(verdict);
  twice.appealPath.push({ ...twice.appealPath.find((s) => s.step === 'chargeback')! });
  t.match(mismatches(twice, expect).join('\n'), /appealPath\[chargeback\]: 2 entries have this id/);
});

t.test('null means null: a deleted rolledFrom is a mismatch, and "$absent" means the key is not there', async (t) => {
  const { verdict, expect } = await verdictOf('fr/withdrawal/L221-18', 'Good Friday is not a national public holiday');
  t.same(mismatches(verdict, expect), [], 'the real verdict matches');
  const deleted = copy(verdict);
  delete (deleted.deadlines.find((d) => d.id === 'withdrawal.notice') as Partial<Verdict['deadlines'][number]>).rolledFrom;
  t.match(mismatches(deleted, expect).join('\n'), /deadlines\[withdrawal\.notice\]\.rolledFrom: missing \(expected null\)/);

  t.same(mismatches(verdict, { policy: null }), [], 'policy is null in a verdict without a policy');
  t.match(mismatches(verdict, { policy: '$absent' }).join('\n'), /policy: expected absent, got null/);
  t.same(mismatches(verdict, { trace: '$absent' }), [], 'no trace without explain');
  t.match(mismatches(verdict, { remedies: { withdrawal: null } }).join('\n'), /write "\$absent"/, 'a keyed entry cannot be null');
  t.same(mismatches(verdict, { remedies: { withdrawal: { status: 'available' }, legal_conformity: '$absent' } }), []);
});

t.test('"$open" lets a case leave entries unnamed, with a reason, and only then', async (t) => {
  const { verdict } = await verdictOf('fr/withdrawal/L221-18', 'Good Friday is not a national public holiday');
  const onlyNotice = { 'withdrawal.notice': { end: '2027-03-26' } };
  t.match(mismatches(verdict, { deadlines: onlyNotice }).join('\n'), /deadlines\[withdrawal\.refund\]: the verdict has it/);
  t.same(mismatches(verdict, { deadlines: { ...onlyNotice, $open: 'this case is about the notice period only' } }), []);
  t.match(mismatches(verdict, { deadlines: { ...onlyNotice, $open: true } }).join('\n'), /"\$open" must say why/);
  t.same(mismatches(verdict, { reviewFlags: { 'fr/withdrawal/L221-23#rollReturnPeriod': {} } }), [], 'reviewFlags stay open');
});

t.test('legalBasis expectations are checked against the basis arrays that cite them', async (t) => {
  const { verdict, expect } = await verdictOf('fr/withdrawal/L221-18', 'A distance contract concluded on 5 May 2015');
  t.ok(expect.legalBasis, 'the case pins legalBasis');
  t.same(mismatches(verdict, expect), [], 'the real verdict matches');
  t.same(citationProblems(verdict), [], 'every citation resolved and every resolved id cited');
  const uncited = copy(verdict);
  const empty = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(empty);
    else if (x && typeof x === 'object')
      for (const [k, v] of Object.entries(x)) {
        if (k === 'legalBasis') continue;
        if (k === 'basis' && Array.isArray(v)) v.length = 0;
        else empty(v);
      }
  };
  empty(uncited);
  t.match(mismatches(uncited, expect).join('\n'), /legalBasis\[FR\.C_CONSO_2014\.L121-21\]: no basis array of the verdict cites it/);
  t.ok(citationProblems(uncited).length > 0, 'and the verdict is inconsistent: resolved ids nobody cites');
});

t.test('a 422 case names its cause, and a 422 of another cause fails it', async (t) => {
  const families = new OutsideCoverageError('not encoded', { path: 'order.placedAt', families: [{ family: 'fr.withdrawal.period', coveredFrom: '2014-06-14' }] });
  const parameter = new OutsideCoverageError('no rate', { parameter: 'fr/withdrawal/L242-4#legalInterestRate' });
  t.notOk(checkCoverageError({ status: 422 }, families).ok, 'a bare 422 expectation is refused');
  t.ok(checkCoverageError({ status: 422, path: 'order.placedAt', families: { 'fr.withdrawal.period': '2014-06-14' } }, families).ok);
  t.notOk(checkCoverageError({ status: 422, path: 'order.placedAt', families: { 'fr.withdrawal.period': '2016-07-01' } }, families).ok, 'the family encoded from another date');
  t.notOk(checkCoverageError({ status: 422, parameter: 'fr/withdrawal/L242-4#legalInterestRate' }, families).ok, 'a parameter expected, a family refused');
  t.notOk(checkCoverageError({ status: 422, path: 'order.placedAt', families: { 'fr.delivery.deadline': '2014-06-14' } }, families).ok, 'another family');
  t.notOk(checkCoverageError({ status: 422, path: 'incident.type' }, parameter).ok, 'a path expected, a parameter refused');
  t.notOk(checkCoverageError({ status: 422, type: 'outside-calendar' }, parameter).ok, 'another problem type');
  t.ok(checkCoverageError({ status: 422, type: 'outside-calendar' }, new InvalidCivilDateError('past 2999')).ok);

  // Through the runner: the real pre-2014 case passes; the same case expecting another cause fails.
  const { file, c } = ruleCase('fr/withdrawal/L221-18', 'A contract concluded before 14 June 2014');
  t.ok((await runRuleCase(ruleset, file, c)).every((x) => x.ok), 'the case as written passes');
  for (const error of [{ status: 422 }, { status: 422, parameter: 'fr/withdrawal/L242-4#legalInterestRate' }, { status: 422, path: 'policy' }]) {
    const checks = await runRuleCase(ruleset, file, { ...c, expect: { error } });
    t.notOk(checks.every((x) => x.ok), `expecting ${JSON.stringify(error)} fails: ${checks.map((x) => x.message).join('; ')}`);
  }
});

t.test('every closed list rejects an entry the case does not name, and an object-form expect with none named rejects any', async (t) => {
  // A real verdict with exclusions and every other closed list named: two items under the former
  // rules, one of them time-barred; its case names no history finding ({} = none).
  const { verdict, expect } = await verdictOf('fr/conformity/2016/L217-4', 'Former rules: of two items of one order');
  t.same(mismatches(verdict, expect), [], 'the real verdict matches');
  t.ok(verdict.exclusions.length > 0, 'it has exclusions');
  const fakes: Record<string, () => Verdict> = {
    remedies: () => {
      const v = copy(verdict);
      v.remedies.push({ track: 'withdrawal', status: 'available', deadline: null, reason: 'fake', basis: ['FR.C_CONSO.L221-18'] });
      return v;
    },
    deadlines: () => {
      const v = copy(verdict);
      v.deadlines.push({ ...v.deadlines[0]!, id: 'withdrawal.notice' });
      return v;
    },
    exclusions: () => {
      const v = copy(verdict);
      v.exclusions.push({ ...v.exclusions[0]!, id: 'L221-28-3' });
      return v;
    },
    appealPath: () => {
      const v = copy(verdict);
      v.appealPath.push({ ...v.appealPath[0]!, step: 'odr_platform' as never });
      return v;
    },
    historyFindings: () => {
      const v = copy(verdict);
      v.historyFindings.push({ type: 'termination_notice', at: '2022-02-25', finding: 'not_open', explanation: 'fake', basis: ['FR.C_CONSO_2016.L217-10'] } as never);
      return v;
    },
  };
  for (const [key, fake] of Object.entries(fakes)) {
    t.ok(key in expect, `the case names ${key}`);
    t.match(mismatches(fake(), expect).join('\n'), new RegExp(`${key}\\[[^\\]]+\\]: the verdict has it and the case does not name it`), `an extra entry of ${key} is a mismatch`);
  }
  // An empty object is closed too: "none".
  const finding = fakes.historyFindings!();
  t.match(mismatches(finding, { historyFindings: {} }).join('\n'), /historyFindings\[termination_notice@2022-02-25\]: the verdict has it/);
  t.same(mismatches(verdict, { historyFindings: {} }), [], 'no finding, none named');
});

t.test('an extra policy finding is a mismatch', async (t) => {
  const { verdict } = await policyVerdictOf('A 14-day window counted from the order');
  const named = Object.fromEntries(verdict.policyFindings.map((f) => [f.clause, {}]));
  t.same(mismatches(verdict, { policyFindings: named }), [], 'all named, it matches');
  const extra = copy(verdict);
  extra.policyFindings.push({ ...(verdict.policyFindings[0] ?? ({ basis: [] } as never)), clause: 'returns.window.days' } as never);
  t.match(mismatches(extra, { policyFindings: named }).join('\n'), /policyFindings\[returns\.window\.days\]: the verdict has it and the case does not name it/);
});
