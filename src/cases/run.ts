// Runs a ruleset's cases: every rules/**/*.cases.json (a legal sentence, a pinned asOf, a request made
// of a fixture plus a patch, and the part of the verdict it proves) and every
// rules/policies/*.cases.json (a patched merchant policy, linted or used in a verdict). Each case gives
// a list of checks; the test suite turns each check into an assertion, `recourse check` prints the
// failed ones. Both run exactly this code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VerdictRequestSchema } from '../contract/request.js';
import { evaluate, InvalidRequestError, OutsideCoverageError, type Ruleset } from '../core/index.js';
import { lintPolicy } from '../core/policy-lint.js';
import { PolicyCasesFileSchema, PolicyFileSchema, policyReferenceProblems, type PolicyFile } from '../core/ruleset/policy-schema.js';
import type { CasesFile } from '../core/ruleset/schema.js';
import { FIXTURES, fixture, merge, mismatches } from './match.js';
import { runLetterCases } from './letters.js';

export { FIXTURES, fixture, merge, mismatches } from './match.js';

/** One assertion of a case: what it checks and whether it held. */
export interface CaseCheck {
  ok: boolean;
  message: string;
}

export type RuleCase = CasesFile['cases'][number];

const check = (ok: boolean, message: string): CaseCheck => ({ ok, message });

/** Rule files that hold rules but have no cases file beside them (every one must have one). */
export function ruleFilesWithoutCases(ruleset: Ruleset): string[] {
  return [...ruleset.files].filter(([id, file]) => file.rules.length && !ruleset.cases.has(id)).map(([id]) => id);
}

/** Runs one case of a rules/<id>.cases.json file. */
export async function runRuleCase(ruleset: Ruleset, file: CasesFile, c: RuleCase, fixturesDir: string = FIXTURES): Promise<CaseCheck[]> {
  const body = merge(fixture(c.base ?? file.base, fixturesDir), { ...c.request, asOf: c.asOf });
  const expectedError = c.expect.error as
    | { status: number; path?: string; parameter?: string; families?: Record<string, string | null> }
    | undefined;
  const parsed = VerdictRequestSchema.safeParse(body);
  if (!parsed.success) {
    if (expectedError?.status === 400) {
      if (expectedError.path) return [check(parsed.error.issues.some((i) => i.path.join('.') === expectedError.path), `400 names ${expectedError.path}`)];
      return [check(true, 'rejected as a 400')];
    }
    return [check(false, `request does not validate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)];
  }
  let verdict;
  try {
    verdict = await evaluate(parsed.data, ruleset, c.asOf);
  } catch (e) {
    if (expectedError?.status === 400 && e instanceof InvalidRequestError) {
      if (expectedError.path) return [check(e.problems.some((p) => p.path === expectedError.path), `400 names ${expectedError.path}: ${e.message}`)];
      return [check(true, e.message)];
    }
    if (expectedError?.status === 422 && e instanceof OutsideCoverageError) {
      if (expectedError.parameter) return [check(e.details.parameter === expectedError.parameter, `422 names parameter ${expectedError.parameter}: ${e.message}`)];
      // `families`: exactly the article families left uncovered, each with the date it is encoded from.
      const families = expectedError.families && familiesNamed(e, expectedError.families);
      if (expectedError.path) return [check(e.details.path === expectedError.path, `422 names ${expectedError.path}: ${e.message}`), ...(families ? [families] : [])];
      if (families) return [families];
      return [check(true, e.message)];
    }
    return [check(false, `evaluate threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)];
  }
  if (expectedError) return [check(false, `expected a ${expectedError.status}, got outcome ${verdict.decision.outcome}`)];
  const diff = mismatches(verdict, c.expect);
  const again = await evaluate(parsed.data, ruleset, c.asOf);
  return [
    check(diff.length === 0, diff.length ? `${diff.join('\n')}\nrequest: ${JSON.stringify(body)}` : 'matches'),
    check(JSON.stringify(again) === JSON.stringify(verdict), 'same verdict byte for byte on a second run'),
  ];
}

/** Whether a 422 names exactly these uncovered families, each encoded from the date given. */
function familiesNamed(e: OutsideCoverageError, expected: Record<string, string | null>): CaseCheck {
  const sorted = (o: Record<string, string | null>) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const actual = Object.fromEntries((e.details.families ?? []).map((f) => [f.family, f.coveredFrom]));
  const ok = sorted(actual) === sorted(expected);
  return check(ok, ok ? `422 names the uncovered families: ${e.message}` : `422 names the uncovered families ${sorted(actual)}, expected ${sorted(expected)}`);
}

// ---- merchant policies -------------------------------------------------------------------------

export type PolicyCasesFile = ReturnType<typeof PolicyCasesFileSchema.parse>;

/** rules/policies/*.cases.json, by file name (parsed; a malformed file throws naming it). */
export function policyCaseFiles(rulesDir: string): { name: string; file: PolicyCasesFile }[] {
  const dir = join(rulesDir, 'policies');
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.cases.json'))
    .sort()
    .map((name) => ({ name, file: PolicyCasesFileSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8'))) }));
}

/** The policy a case describes, or the paths of what is wrong with it. */
export function policyOf(ruleset: Ruleset, raw: unknown, id: string): { policy: PolicyFile } | { problems: { path: string; message: string }[] } {
  const parsed = PolicyFileSchema.safeParse({ ...(raw as object), id });
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const refs = policyReferenceProblems(parsed.data, ruleset.legalBasis, new Set(ruleset.jurisdictions.keys()));
  return refs.length ? { problems: refs } : { policy: parsed.data };
}

/** Runs case `index` of a rules/policies/*.cases.json file. */
export async function runPolicyCase(ruleset: Ruleset, file: PolicyCasesFile, index: number, fixturesDir: string = FIXTURES): Promise<CaseCheck[]> {
  const c = file.cases[index]!;
  const base = ruleset.policies.get(file.basePolicy);
  if (!base) return [check(false, `no loaded policy ${file.basePolicy}`)];
  const id = `${file.basePolicy}-case-${index + 1}`;
  const raw = merge(merge(structuredClone(base), c.raw ? {} : file.basePatch), c.policy);
  const result = policyOf(ruleset, raw, id);
  const expectedError = c.expect.error as { path: string } | undefined;
  if ('problems' in result) {
    if (expectedError) return [check(result.problems.some((p) => p.path === expectedError.path), `names ${expectedError.path}: ${JSON.stringify(result.problems)}`)];
    return [check(false, `the policy does not validate: ${JSON.stringify(result.problems)}`)];
  }
  if (expectedError) return [check(false, `expected the policy to be refused at ${expectedError.path}`)];
  const policy = result.policy;

  if (file.kind === 'lint') {
    const findings = lintPolicy(policy, ruleset, c.asOf);
    const out: CaseCheck[] = [];
    const same = (actual: string[], expected: string[], what: string) =>
      out.push(check(JSON.stringify(actual) === JSON.stringify(expected), JSON.stringify(actual) === JSON.stringify(expected) ? what : `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`));
    same(findings.map((f) => f.id).sort(), [...(c.expect.findings as string[])].sort(), 'finding ids');
    if (c.expect.clauses) same(findings.map((f) => f.clause).sort(), [...(c.expect.clauses as string[])].sort(), 'clauses named');
    for (const f of findings) for (const b of f.basis) out.push(check(Boolean(ruleset.legalBasis[b]), `${f.id} cites ${b}`));
    out.push(check(JSON.stringify(lintPolicy(policy, ruleset, c.asOf)) === JSON.stringify(findings), 'the same findings on a second run'));
    return out;
  }

  // A verdict given with the patched policy, installed beside the loaded ones.
  const withPolicy = { ...ruleset, policies: new Map([...ruleset.policies, [id, policy]]) };
  if (!file.base) return [check(false, 'verdict cases need a base fixture')];
  const body = merge(fixture(file.base, fixturesDir), { ...c.request, policy: id, asOf: c.asOf });
  const parsed = VerdictRequestSchema.safeParse(body);
  if (!parsed.success) return [check(false, `request does not validate: ${JSON.stringify(parsed.error.issues)}`)];
  const verdict = await evaluate(parsed.data, withPolicy, c.asOf);
  const diff = mismatches(verdict, c.expect);
  return [check(diff.length === 0, diff.length ? `${diff.join('\n')}\nrequest: ${JSON.stringify(body)}` : 'matches')];
}

// ---- a whole ruleset ---------------------------------------------------------------------------

export interface CaseReport {
  file: string;
  name: string;
  checks: CaseCheck[];
}

/** Every case of the ruleset (rule files, merchant policies, then letters), in file order. */
export async function* runAllCases(ruleset: Ruleset, rulesDir: string, fixturesDir: string = FIXTURES): AsyncGenerator<CaseReport> {
  for (const [id, file] of ruleset.cases)
    for (const c of file.cases) {
      let checks: CaseCheck[];
      try {
        checks = await runRuleCase(ruleset, file, c, fixturesDir);
      } catch (e) {
        checks = [check(false, `the case could not run: ${(e as Error).message}`)];
      }
      yield { file: `rules/${id}.cases.json`, name: c.name, checks };
    }
  for (const { name, file } of policyCaseFiles(rulesDir))
    for (const [i, c] of file.cases.entries()) {
      let checks: CaseCheck[];
      try {
        checks = await runPolicyCase(ruleset, file, i, fixturesDir);
      } catch (e) {
        checks = [check(false, `the case could not run: ${(e as Error).message}`)];
      }
      yield { file: `rules/policies/${name}`, name: c.name, checks };
    }
  yield* runLetterCases(ruleset, fixturesDir);
}
