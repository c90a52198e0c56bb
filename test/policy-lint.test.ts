// Merchant policies as data: runs every rules/policies/*.cases.json. A case starts from a loaded policy
// (plus the file's basePatch, unless `raw`), applies its own patch, and proves either the findings of
// lintPolicy against the legal floor (kind "lint"), or part of a verdict given with that patched
// policy (kind "verdict"). A malformed policy is named by the path of the bad field. The case machinery
// is src/cases/ (`recourse check` runs the same code); each of its checks is an assertion.
import t from 'tap';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleset, RulesetError } from '../src/core/index.js';
import { lintPolicy } from '../src/core/policy-lint.js';
import { policyCaseFiles, runPolicyCase } from '../src/cases/run.js';

const RULES = join(import.meta.dirname, '..', 'rules');
const ruleset = loadRuleset(RULES);
const POLICIES = join(RULES, 'policies');

/** A copy of rules/ with one policy file edited. */
function copyWithPolicy(edit: (json: Record<string, any>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-policies-'));
  cpSync(RULES, dir, { recursive: true });
  const path = join(dir, 'policies', 'amazon-fr.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

t.test('a bad policy file stops the load, naming the file and the field', async (t) => {
  const cases: [string, (j: Record<string, any>) => void, RegExp][] = [
    ['a window given as text', (j) => (j.returns.window.days.value = 'thirty'), /returns\.window\.days\.value/],
    ['an unverified value without a review flag', (j) => (j.guarantee.claimWindowDays.needsLegalReview = false), /guarantee\.claimWindowDays\.needsLegalReview/],
    ['a citation missing from legal-basis.json', (j) => (j.basis = ['FR.C_CIV.9999']), /basis\.0: unknown legal basis "FR\.C_CIV\.9999"/],
    ['an id that is not the file name', (j) => (j.id = 'amazon-de'), /id: must be "amazon-fr"/],
    ['a misspelt field', (j) => (j.returns.windw = j.returns.window), /returns: Unrecognized key: "windw"/],
  ];
  for (const [what, edit, field] of cases) {
    try {
      loadRuleset(copyWithPolicy(edit));
      t.fail(`${what}: the load should have failed`);
    } catch (e) {
      t.type(e, RulesetError, what);
      t.equal((e as RulesetError).file, 'rules/policies/amazon-fr.json', what);
      t.match((e as Error).message, field, what);
    }
  }
});

t.test('policy files are part of the ruleset digest', async (t) => {
  const changed = loadRuleset(copyWithPolicy((j) => (j.checkedAt = '2026-11-23')));
  t.not(changed.digest, ruleset.digest);
  t.equal(changed.policies.get('amazon-fr')?.checkedAt, '2026-11-23');
});

t.test('every loaded policy lints to its known findings, each said in both languages and citing known articles', async (t) => {
  // Amazon.fr as shipped: three blanket category exclusions that L221-28 (read strictly) does not allow
  // (digital content is excluded only under 13°'s conditions, grocery only when perishable, 4°), and
  // no consumer mediator named (L612-1, L616-1); and no online withdrawal function recorded, required for
  // contracts from 2026-06-19 (L221-21, D221-5; the lint runs on 2026-11-22).
  const expected: Record<string, string[]> = {
    'amazon-fr': [
      'exclusion_outside_l221_28@returns.nonReturnableCategories.digital_content',
      'exclusion_outside_l221_28@returns.nonReturnableCategories.gift_cards',
      'exclusion_outside_l221_28@returns.nonReturnableCategories.grocery',
      'no_consumer_mediator@mediator',
      'no_withdrawal_function@withdrawalFunction.offered',
    ],
  };
  t.same([...ruleset.policies.keys()].sort(), Object.keys(expected).sort(), 'the policies loaded');
  for (const [id, policy] of ruleset.policies) {
    const findings = lintPolicy(policy, ruleset, '2026-11-22');
    t.same(findings.map((f) => `${f.id}@${f.clause}`).sort(), expected[id], `${id}: its findings`);
    for (const f of findings) {
      t.ok(f.issue.fr && f.issue.en, `${id}: ${f.id} is said in French and English`);
      for (const b of f.basis) t.ok(ruleset.legalBasis[b], `${id}: ${f.id} cites ${b}, which exists`);
    }
  }
});

for (const { name, file } of policyCaseFiles(RULES)) {
  t.test(`rules/policies/${name}`, async (t) => {
    for (const [i, c] of file.cases.entries()) {
      await t.test(c.name, async (t) => {
        for (const check of await runPolicyCase(ruleset, file, i)) t.ok(check.ok, check.message);
      });
    }
  });
}

t.test('the policy cases files are found (src/cases reads the same folder)', async (t) => {
  t.same(policyCaseFiles(RULES).map((f) => f.name), readdirSync(POLICIES).filter((n) => n.endsWith('.cases.json')).sort());
});
