// Merchant policies as data: runs every rules/policies/*.cases.json. A case starts from a loaded policy
// (plus the file's basePatch, unless `raw`), applies its own patch, and proves either the findings of
// lintPolicy against the legal floor (kind "lint"), or part of a verdict given with that patched
// policy (kind "verdict"). A malformed policy is named by the path of the bad field.
import t from 'tap';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, loadRuleset, RulesetError } from '../src/core/index.js';
import { lintPolicy } from '../src/core/policy-lint.js';
import { PolicyCasesFileSchema, PolicyFileSchema, policyReferenceProblems, type PolicyFile } from '../src/core/ruleset/policy-schema.js';
import { VerdictRequestSchema } from '../src/contract/request.js';
import { fixture, merge, mismatches } from './helpers/cases.js';

const RULES = join(import.meta.dirname, '..', 'rules');
const ruleset = loadRuleset(RULES);
const POLICIES = join(RULES, 'policies');

/** The policy a case describes, or the paths of what is wrong with it. */
function policyOf(raw: unknown, id: string): { policy: PolicyFile } | { problems: { path: string; message: string }[] } {
  const parsed = PolicyFileSchema.safeParse({ ...(raw as object), id });
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const refs = policyReferenceProblems(parsed.data, ruleset.legalBasis, new Set(ruleset.jurisdictions.keys()));
  return refs.length ? { problems: refs } : { policy: parsed.data };
}

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

t.test('every loaded policy lints without error and cites only known articles', async (t) => {
  t.ok(ruleset.policies.size > 0, 'at least one policy is loaded');
  for (const [id, policy] of ruleset.policies)
    for (const f of lintPolicy(policy, ruleset, '2026-11-22')) {
      t.ok(f.issue.fr && f.issue.en, `${id}: ${f.id} is said in French and English`);
      for (const b of f.basis) t.ok(ruleset.legalBasis[b], `${id}: ${f.id} cites ${b}, which exists`);
    }
});

for (const name of readdirSync(POLICIES).filter((n) => n.endsWith('.cases.json')).sort()) {
  const file = PolicyCasesFileSchema.parse(JSON.parse(readFileSync(join(POLICIES, name), 'utf8')));
  t.test(`rules/policies/${name}`, async (t) => {
    const base = ruleset.policies.get(file.basePolicy);
    if (!base) return void t.fail(`no loaded policy ${file.basePolicy}`);
    for (const [i, c] of file.cases.entries()) {
      await t.test(c.name, async (t) => {
        const id = `${file.basePolicy}-case-${i + 1}`;
        const raw = merge(merge(structuredClone(base), c.raw ? {} : file.basePatch), c.policy);
        const result = policyOf(raw, id);
        const expectedError = c.expect.error as { path: string } | undefined;
        if ('problems' in result) {
          if (expectedError) t.ok(result.problems.some((p) => p.path === expectedError.path), `names ${expectedError.path}: ${JSON.stringify(result.problems)}`);
          else t.fail(`the policy does not validate: ${JSON.stringify(result.problems)}`);
          return;
        }
        if (expectedError) return void t.fail(`expected the policy to be refused at ${expectedError.path}`);
        const policy = result.policy;

        if (file.kind === 'lint') {
          const findings = lintPolicy(policy, ruleset, c.asOf);
          t.same(findings.map((f) => f.id).sort(), [...(c.expect.findings as string[])].sort(), 'finding ids');
          if (c.expect.clauses) t.same(findings.map((f) => f.clause).sort(), [...(c.expect.clauses as string[])].sort(), 'clauses named');
          for (const f of findings) for (const b of f.basis) t.ok(ruleset.legalBasis[b], `${f.id} cites ${b}`);
          t.same(lintPolicy(policy, ruleset, c.asOf), findings, 'the same findings on a second run');
          return;
        }

        // A verdict given with the patched policy, installed beside the loaded ones.
        const withPolicy = { ...ruleset, policies: new Map([...ruleset.policies, [id, policy]]) };
        if (!file.base) return void t.fail('verdict cases need a base fixture');
        const body = merge(fixture(file.base), { ...c.request, policy: id, asOf: c.asOf });
        const parsed = VerdictRequestSchema.safeParse(body);
        if (!parsed.success) return void t.fail(`request does not validate: ${JSON.stringify(parsed.error.issues)}`);
        const verdict = await evaluate(parsed.data, withPolicy, c.asOf);
        const diff = mismatches(verdict, c.expect);
        t.same(diff, [], diff.length ? `${diff.join('\n')}\nrequest: ${JSON.stringify(body)}` : 'matches');
      });
    }
  });
}
