// A bad rule file stops the load with a message naming the file and the field; it never replaces a
// good ruleset. Each defect is written into a copy of the real rules/.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleset, RulesetError } from '../src/core/index.js';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { expectLoadRefused, rulesCopyWith } from './helpers/rules-copy.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';

const FILE = 'fr/withdrawal/L221-18.json';

const copyWith = (edit: (json: Record<string, any>) => void, file = FILE): string => rulesCopyWith(file, edit);
const expectError = expectLoadRefused;

t.test('the embedded ruleset loads, with a stable digest', async (t) => {
  const a = loadRuleset(DEFAULT_RULES_DIR);
  const b = loadRuleset(DEFAULT_RULES_DIR);
  t.equal(a.digest, b.digest);
  t.match(a.digest, /^sha256:[0-9a-f]{64}$/);
});

t.test('any change to a rule file changes the digest', async (t) => {
  const dir = copyWith((j) => (j.summary.en += ' '));
  t.not(loadRuleset(dir).digest, loadRuleset(DEFAULT_RULES_DIR).digest);
});

t.test('invalid JSON is named', async (t) => {
  const dir = copyWith(() => {});
  writeFileSync(join(dir, FILE), '{ "id": ');
  expectError(t, dir, FILE, /not valid JSON/);
});

t.test('a misspelt field is named', async (t) => {
  expectError(t, copyWith((j) => (j.validFrm = '2014-06-14')), FILE, /validFrm/);
});

t.test('a parameter value with an impossible date is named', async (t) => {
  expectError(t, copyWith((j) => (j.parameters.periodDays.values[0].from = '2014-02-30')), FILE, /parameters\.periodDays\.values\.0\.from/);
});

t.test('a condition on a fact nobody provides is named', async (t) => {
  expectError(t, copyWith((j) => (j.rules[0].conditions.all[0].fact = 'order.itemz.kinds')), FILE, /unknown fact "order\.itemz\.kinds"/);
});

t.test('an unknown operator is named', async (t) => {
  expectError(t, copyWith((j) => (j.rules[0].conditions.all[0].operator = 'roughly')), FILE, /rules\.0\.conditions/);
});

t.test('a jurisdiction whose time zone the runtime does not know is named', async (t) => {
  expectError(t, copyWith((j) => (j.zone = 'Europe/Pariss'), 'fr/jurisdiction.json'), 'fr/jurisdiction.json', /zone: is not an IANA time zone/);
});

t.test('a citation missing from legal-basis.json is named', async (t) => {
  expectError(t, copyWith((j) => (j.source.basis = ['FR.C_CONSO.L999-1'])), FILE, /unknown legal basis "FR\.C_CONSO\.L999-1"/);
});

t.test('a reference to an unknown parameter is named', async (t) => {
  expectError(t, copyWith((j) => (j.rules[4].event.end.addDays[1].param = 'periodDayz')), FILE, /unknown parameter "periodDayz"/);
});

t.test('a late-refund ladder that uses the statutory rate without its rate table, or is no ladder, is named', async (t) => {
  const refund = 'fr/withdrawal/L221-24.json';
  const withoutTable = (j: Record<string, any>) => {
    for (const r of j.rules) if (r.event.type === 'refund' && r.event.penalty) r.event.penalty.legalRateTable = null;
  };
  expectError(t, copyWith(withoutTable, refund), refund, /event\.penalty\.legalRateTable: the ladder "fr\/withdrawal\/L242-4#ladder" \(value 0\) uses the statutory interest rate/);
  const notALadder = (j: Record<string, any>) => (j.parameters.ladder.values[0].value = { tiers: [] });
  expectError(t, copyWith(notALadder, 'fr/withdrawal/L242-4.json'), refund, /event\.penalty\.ladder: parameter "fr\/withdrawal\/L242-4#ladder" value 0 is not a ladder/);
});

t.test('an id that is not the file path is refused', async (t) => {
  expectError(t, copyWith((j) => (j.id = 'fr/withdrawal/other')), FILE, /id: must be "fr\/withdrawal\/L221-18"/);
});

t.test('two versions of one family valid on the same day are refused', async (t) => {
  const dir = copyWith(() => {});
  const json = JSON.parse(readFileSync(join(dir, FILE), 'utf8'));
  json.id = 'fr/withdrawal/L221-18-bis';
  json.validFrom = '2020-01-01';
  writeFileSync(join(dir, 'fr/withdrawal/L221-18-bis.json'), JSON.stringify(json));
  expectError(t, dir, 'fr/withdrawal/L221-18-bis.json', /overlaps fr\/withdrawal\/L221-18/);
});

t.test('a failed reload keeps serving the good ruleset', async (t) => {
  const dir = copyWith(() => {});
  const holder = new RulesetHolder(dir);
  const good = holder.current.digest;
  writeFileSync(join(dir, FILE), '{ broken');
  t.throws(() => holder.reload(), RulesetError);
  t.equal(holder.current.digest, good, 'still the previous ruleset');
});
