// Runs a ruleset's cases: every rules/**/*.cases.json (a legal sentence, a pinned asOf, a request made
// of a fixture plus a patch, and the part of the verdict it proves) and every
// rules/policies/*.cases.json (a patched merchant policy, linted or used in a verdict). Each case gives
// a list of checks; the test suite turns each check into an assertion, `recourse check` prints the
// failed ones. Both run exactly this code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VerdictRequestSchema } from '../contract/request.js';
import { InvalidCivilDateError } from '../core/calendar.js';
import { evaluate, InvalidRequestError, OutsideCoverageError, type Ruleset } from '../core/index.js';
import { lintPolicy } from '../core/policy-lint.js';
import { PolicyCasesFileSchema, PolicyFileSchema, policyReferenceProblems, type PolicyFile } from '../core/ruleset/policy-schema.js';
import type { CasesFile } from '../core/ruleset/schema.js';
import { citationProblems, FIXTURES, fixture, merge, mismatches } from './match.js';
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

/** A case's expected refusal. A 422 names its cause: the parameter, the path, the problem type or the families. */
interface ExpectedError {
  status: number;
  path?: string;
  parameter?: string;
  type?: string;
  /** Exactly the article families left uncovered, each with the date it is encoded from (null: never). */
  families?: Record<string, string | null>;
}

/** The causes a 422 expectation may name, as the HTTP problem names them. */
const COVERAGE_TYPE = 'outside-coverage';
const CALENDAR_TYPE = 'outside-calendar';

/** Whether a 422 is the one the case expects: every cause it names must hold, and it must name one. */
export function checkCoverageError(expected: ExpectedError, e: OutsideCoverageError | InvalidCivilDateError): CaseCheck {
  const named = (['parameter', 'path', 'type', 'families'] as const).filter((k) => expected[k] !== undefined);
  if (!named.length) return check(false, `a 422 case names its cause (parameter, path, type or families); got: ${e.message}`);
  const type = e instanceof OutsideCoverageError ? COVERAGE_TYPE : CALENDAR_TYPE;
  const details = e instanceof OutsideCoverageError ? e.details : {};
  const sorted = (o: Record<string, string | null>) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const families = sorted(Object.fromEntries((details.families ?? []).map((f) => [f.family, f.coveredFrom])));
  const wrong: string[] = [];
  if (expected.type !== undefined && expected.type !== type) wrong.push(`type ${type}, not ${expected.type}`);
  if (expected.parameter !== undefined && details.parameter !== expected.parameter) wrong.push(`parameter ${details.parameter ?? 'none'}, not ${expected.parameter}`);
  if (expected.path !== undefined && details.path !== expected.path) wrong.push(`path ${details.path ?? 'none'}, not ${expected.path}`);
  if (expected.families !== undefined && families !== sorted(expected.families)) wrong.push(`families ${families}, not ${sorted(expected.families)}`);
  return check(!wrong.length, wrong.length ? `the 422 has another cause: ${wrong.join('; ')} (${e.message})` : `422 names ${named.map((k) => `${k} ${JSON.stringify(expected[k])}`).join(', ')}: ${e.message}`);
}

/** The request body a rule case sends: its fixture, patched, with its asOf. */
export function ruleCaseBody(file: CasesFile, c: RuleCase, fixturesDir: string = FIXTURES): unknown {
  return merge(fixture(c.base ?? file.base, fixturesDir), { ...c.request, asOf: c.asOf });
}

/** Runs one case of a rules/<id>.cases.json file. */
export async function runRuleCase(ruleset: Ruleset, file: CasesFile, c: RuleCase, fixturesDir: string = FIXTURES): Promise<CaseCheck[]> {
  const body = ruleCaseBody(file, c, fixturesDir);
  const expectedError = c.expect.error as ExpectedError | undefined;
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
    if (expectedError?.status === 422 && (e instanceof OutsideCoverageError || e instanceof InvalidCivilDateError)) return [checkCoverageError(expectedError, e)];
    return [check(false, `evaluate threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)];
  }
  if (expectedError) return [check(false, `expected a ${expectedError.status}, got outcome ${verdict.decision.outcome}`)];
  const diff = mismatches(verdict, c.expect);
  const citations = citationProblems(verdict);
  const again = await evaluate(parsed.data, ruleset, c.asOf);
  return [
    check(diff.length === 0, diff.length ? `${diff.join('\n')}\nrequest: ${JSON.stringify(body)}` : 'matches'),
    check(citations.length === 0, citations.length ? citations.join('\n') : 'every citation is resolved, every resolved id cited'),
    check(JSON.stringify(again) === JSON.stringify(verdict), 'same verdict byte for byte on a second run'),
  ];
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

/** The patched policy of case `index` of a policy cases file, installed as `id`, or what is wrong with it. */
function policyCase(ruleset: Ruleset, file: PolicyCasesFile, index: number): { id: string } & ReturnType<typeof policyOf> {
  const c = file.cases[index]!;
  const base = ruleset.policies.get(file.basePolicy);
  if (!base) return { id: '', problems: [{ path: 'basePolicy', message: `no loaded policy ${file.basePolicy}` }] };
  const id = `${file.basePolicy}-case-${index + 1}`;
  return { id, ...policyOf(ruleset, merge(merge(structuredClone(base), c.raw ? {} : file.basePatch), c.policy), id) };
}

/** A verdict case's ruleset (its patched policy installed beside the loaded ones) and request body. */
function verdictWithPolicy(ruleset: Ruleset, file: PolicyCasesFile, index: number, id: string, policy: PolicyFile, fixturesDir: string): { ruleset: Ruleset; body: unknown } | null {
  const c = file.cases[index]!;
  if (!file.base) return null;
  return {
    ruleset: { ...ruleset, policies: new Map([...ruleset.policies, [id, policy]]) },
    body: merge(fixture(file.base, fixturesDir), { ...c.request, policy: id, asOf: c.asOf }),
  };
}

/** A verdict case of a policy cases file, ready to evaluate; null for a lint case or a policy refused. */
export function policyVerdictCase(ruleset: Ruleset, file: PolicyCasesFile, index: number, fixturesDir: string = FIXTURES): { ruleset: Ruleset; body: unknown } | null {
  const result = policyCase(ruleset, file, index);
  return file.kind === 'verdict' && !('problems' in result) ? verdictWithPolicy(ruleset, file, index, result.id, result.policy, fixturesDir) : null;
}

/** Runs case `index` of a rules/policies/*.cases.json file. */
export async function runPolicyCase(ruleset: Ruleset, file: PolicyCasesFile, index: number, fixturesDir: string = FIXTURES): Promise<CaseCheck[]> {
  const c = file.cases[index]!;
  if (!ruleset.policies.get(file.basePolicy)) return [check(false, `no loaded policy ${file.basePolicy}`)];
  const result = policyCase(ruleset, file, index);
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

  const verdictCase = verdictWithPolicy(ruleset, file, index, result.id, policy, fixturesDir);
  if (!verdictCase) return [check(false, 'verdict cases need a base fixture')];
  const { ruleset: withPolicy, body } = verdictCase;
  const parsed = VerdictRequestSchema.safeParse(body);
  if (!parsed.success) return [check(false, `request does not validate: ${JSON.stringify(parsed.error.issues)}`)];
  const verdict = await evaluate(parsed.data, withPolicy, c.asOf);
  const diff = mismatches(verdict, c.expect);
  const citations = citationProblems(verdict);
  return [
    check(diff.length === 0, diff.length ? `${diff.join('\n')}\nrequest: ${JSON.stringify(body)}` : 'matches'),
    check(citations.length === 0, citations.length ? citations.join('\n') : 'every citation is resolved, every resolved id cited'),
  ];
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
