// `recourse`: the command line for rule authors and support staff. Same code as the service: the same
// request validation, evaluate(), ruleset loader, case runner and policy lint.
//
//   recourse verdict <request.json> [--text] [--as-of DATE] [--locale fr|en] [--rules DIR]
//   recourse check [rules-dir] [--fixtures DIR] [--verbose]
//   recourse lint-policy <policy.json> [--text] [--as-of DATE] [--locale fr|en] [--rules DIR]
//
// Exit codes: 0 done (a verdict, every case passed, a compliant policy); 1 the ruleset has a defect or
// a failing case, or the policy falls below the legal floor; 2 bad input or usage, with one line on
// stderr saying what.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runAllCases, ruleFilesWithoutCases, FIXTURES } from './cases/run.js';
import { CivilDateSchema, LocaleSchema, type Locale } from './contract/primitives.js';
import { VerdictRequestSchema } from './contract/request.js';
import type { Verdict } from './contract/verdict.js';
import { evaluate, InvalidRequestError, loadRuleset, OutsideCoverageError, RulesetError, todayIn, type Ruleset } from './core/index.js';
import { PolicyFileSchema } from './core/ruleset/policy-schema.js';
import { policyInputProblems, policyLintReport, type PolicyLintReport } from './lint-report.js';
import { DEFAULT_RULES_DIR, rulesDirProblem } from './rules-dir.js';

const USAGE = `Usage:
  recourse verdict <request.json> [--text] [--as-of YYYY-MM-DD] [--locale fr|en] [--rules DIR]
      Prints the verdict for a request (a POST /v1/verdicts body, or an examples/requests file):
      JSON, or a readable summary with --text. --as-of and --locale override the request's.
  recourse check [rules-dir] [--fixtures DIR] [--verbose]
      Loads a ruleset (default: the embedded rules/), validates every file, and runs every
      *.cases.json in it, as the test suite does. Prints the failed cases and a summary.
  recourse lint-policy <policy.json> [--text] [--as-of YYYY-MM-DD] [--locale fr|en] [--rules DIR]
      Checks a merchant policy (the format of rules/policies/*.json) against the legal floor.
      JSON (as POST /v1/policies/lint answers), or a readable list with --text.

Exit codes: 0 done; 1 a failing case, a ruleset defect or a policy below the legal floor;
2 bad input or usage (one line on stderr).`;

/** Bad input or usage: one line on stderr, exit code 2. */
class UsageError extends Error {}
/** The ruleset or the policy did not pass: exit code 1. */
class CheckFailed extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

function openRuleset(dir: string): Ruleset {
  const problem = rulesDirProblem(dir);
  if (problem) throw new UsageError(`rules directory: ${problem}`);
  try {
    return loadRuleset(dir);
  } catch (e) {
    if (e instanceof RulesetError) throw new CheckFailed(e.message);
    throw e;
  }
}

const fieldList = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');

const OPTIONS = {
  text: { type: 'boolean' },
  'as-of': { type: 'string' },
  locale: { type: 'string' },
  rules: { type: 'string' },
  fixtures: { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

/** The command's options and arguments; an option the command does not take is a usage error. */
function options(command: string, args: string[], allowed: (keyof typeof OPTIONS)[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!);
  }
  for (const name of Object.keys(parsed.values))
    if (!allowed.includes(name as keyof typeof OPTIONS)) throw new UsageError(`${command} does not take --${name} (recourse --help)`);
  return parsed;
}

function optionValue<T>(schema: z.ZodType<T>, value: string | undefined, name: string): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${name} ${value}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

// ---- recourse verdict --------------------------------------------------------------------------

async function verdictCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = options('verdict', args, ['text', 'as-of', 'locale', 'rules']);
  if (positionals.length !== 1) throw new UsageError('verdict takes one request file: recourse verdict <request.json>');
  const path = positionals[0]!;
  let raw = readJson(path);
  // An examples/requests file wraps the request: { summary, description, value }.
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'value' in raw && 'summary' in raw && !('order' in raw)) raw = (raw as { value: unknown }).value;
  const asOfOption = optionValue(CivilDateSchema, values['as-of'], 'as-of');
  const localeOption = optionValue(LocaleSchema, values.locale, 'locale');
  const parsed = VerdictRequestSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${path}: invalid request: ${fieldList(parsed.error.issues)}`);
  const ruleset = openRuleset(values.rules ?? DEFAULT_RULES_DIR);
  const body = parsed.data;
  const zone = ruleset.jurisdictions.get(body.jurisdiction)?.spec.zone ?? 'Europe/Paris';
  const asOf = asOfOption ?? body.asOf ?? todayIn(zone, io.now());
  let verdict: Verdict;
  try {
    // As POST /v1/verdicts decides it; --as-of and --locale act as if the request said so.
    verdict = await evaluate({ ...body, ...(asOfOption ? { asOf: asOfOption } : {}), locale: localeOption ?? body.locale ?? 'fr' }, ruleset, asOf);
  } catch (e) {
    if (e instanceof InvalidRequestError) throw new UsageError(`${path}: impossible facts: ${e.message}`);
    if (e instanceof OutsideCoverageError) throw new UsageError(`${path}: outside what the rules cover: ${e.message}`);
    throw e;
  }
  io.out(values.text ? verdictText(verdict) : JSON.stringify(verdict, null, 2));
  return 0;
}

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;
const wrapList = (items: string[]) => (items.length ? items.join(', ') : 'none');

/** A verdict for a person: the decision, then each part in one or two lines. */
export function verdictText(v: Verdict): string {
  const lines: string[] = [];
  lines.push(`Verdict ${v.verdictId}, as of ${v.asOf} (${v.jurisdiction}${v.region ? ` ${v.region}` : ''}${v.policy ? `, policy ${v.policy}` : ''}; ruleset ${v.ruleset.version})`);
  lines.push(`Outcome: ${v.decision.outcome}${v.decision.track ? ` (${v.decision.track})` : ''}`);
  lines.push(v.decision.summary);
  lines.push('', 'Remedies:');
  for (const r of v.remedies) lines.push(`  ${r.track}: ${r.status}${r.deadline ? `, until ${r.deadline}` : ''} [${r.basis.join(', ')}]`, `    ${r.reason}`);
  if (!v.remedies.length) lines.push('  none');
  lines.push('', 'Exclusions:');
  for (const x of v.exclusions) lines.push(`  ${x.id} (${x.effect}) on ${x.itemIds.join(', ')}${x.overriddenBy ? `, overridden by ${x.overriddenBy}` : ''}`, `    ${x.reason}`);
  if (!v.exclusions.length) lines.push('  none');
  lines.push('', 'Deadlines:');
  for (const d of v.deadlines)
    lines.push(`  ${d.id}: ${d.start ?? '…'} to ${d.end}${d.rolledFrom ? ` (rolled from ${d.rolledFrom})` : ''}, ${d.status}, ${d.daysLeft} day(s) left`);
  if (!v.deadlines.length) lines.push('  none');
  if (v.returnShipping) lines.push('', `Return shipping paid by: ${v.returnShipping.payer}`, `  ${v.returnShipping.reason}`);
  if (v.refund) {
    const r = v.refund;
    lines.push('', `Refund: ${r.due ? `${money(r.total, r.currency)} due${r.deadline ? ` by ${r.deadline}` : ''}` : 'none due'}; paid ${money(r.paid, r.currency)}, outstanding ${money(r.outstanding, r.currency)}`);
    if (r.penalty) lines.push(`  Late-payment penalty: ${money(r.penalty.amount, r.currency)} (${r.penalty.daysLate} days late)`);
  }
  lines.push('', 'Appeal path:');
  v.appealPath.forEach((s, i) => lines.push(`  ${i + 1}. ${s.step}: ${s.status}${s.notAfter ? `, until ${s.notAfter}` : ''}`));
  if (v.policyFindings.length) {
    lines.push('', 'Policy findings:');
    for (const f of v.policyFindings) lines.push(`  ${f.clause}: ${f.issue}`);
  }
  lines.push('', `Missing facts: ${wrapList(v.missingFacts)}`);
  lines.push(`Parameters awaiting legal review: ${wrapList(v.reviewFlags.map((f) => f.parameter))}`);
  return lines.join('\n');
}

// ---- recourse check ----------------------------------------------------------------------------

async function checkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = options('check', args, ['fixtures', 'verbose']);
  if (positionals.length > 1) throw new UsageError('check takes at most one rules directory: recourse check [rules-dir]');
  const dir = resolve(positionals[0] ?? DEFAULT_RULES_DIR);
  const fixtures = resolve(values.fixtures ?? FIXTURES);
  const ruleset = openRuleset(dir);
  io.out(`ruleset ${ruleset.version} (${ruleset.digest}) in ${dir}: ${ruleset.files.size} rule files, ${ruleset.policies.size} merchant policies, every file valid`);
  let passed = 0;
  let failed = 0;
  for (const id of ruleFilesWithoutCases(ruleset)) {
    failed++;
    io.out(`FAIL rules/${id}.json: has rules but no rules/${id}.cases.json beside it`);
  }
  for await (const report of runAllCases(ruleset, dir, fixtures)) {
    const bad = report.checks.filter((c) => !c.ok);
    if (bad.length) {
      failed++;
      io.out(`FAIL ${report.file}: ${report.name}`);
      for (const c of bad) io.out(`  ${c.message.replace(/\n/g, '\n  ')}`);
    } else {
      passed++;
      if (values.verbose) io.out(`ok   ${report.file}: ${report.name}`);
    }
  }
  io.out(`${passed + failed} cases: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

// ---- recourse lint-policy ----------------------------------------------------------------------

async function lintCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = options('lint-policy', args, ['text', 'as-of', 'locale', 'rules']);
  if (positionals.length !== 1) throw new UsageError('lint-policy takes one policy file: recourse lint-policy <policy.json>');
  const path = positionals[0]!;
  let raw = readJson(path);
  // An examples/policies file wraps the policy: { summary, description, value }.
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'value' in raw && 'summary' in raw && !('id' in raw)) raw = (raw as { value: unknown }).value;
  const asOfOption = optionValue(CivilDateSchema, values['as-of'], 'as-of');
  const locale: Locale = optionValue(LocaleSchema, values.locale, 'locale') ?? 'fr';
  const parsed = PolicyFileSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${path}: invalid policy: ${fieldList(parsed.error.issues)}`);
  const ruleset = openRuleset(values.rules ?? DEFAULT_RULES_DIR);
  const problems = policyInputProblems(parsed.data, ruleset);
  if (problems.length) throw new UsageError(`${path}: invalid policy: ${fieldList(problems.map((p) => ({ path: p.path.split('.'), message: p.message })))}`);
  const zone = ruleset.jurisdictions.get(parsed.data.jurisdiction)?.spec.zone ?? 'Europe/Paris';
  let report: PolicyLintReport;
  try {
    report = policyLintReport(parsed.data, ruleset, asOfOption ?? todayIn(zone, io.now()), locale);
  } catch (e) {
    if (e instanceof OutsideCoverageError) throw new UsageError(`${path}: outside what the rules cover: ${e.message}`);
    throw e;
  }
  io.out(values.text ? lintText(report) : JSON.stringify(report, null, 2));
  return report.compliant ? 0 : 1;
}

export function lintText(r: PolicyLintReport): string {
  const lines = [`Policy ${r.policyId} (${r.jurisdiction}), as of ${r.asOf}: ${r.compliant ? 'no clause falls below the legal floor' : `${r.findings.length} clause(s) fall below the legal floor`}`];
  for (const f of r.findings) lines.push(`  ${f.clause} (${f.id}) [${f.basis.join(', ')}]`, `    ${f.issue}`);
  if (r.reviewFlags.length) lines.push(`Values awaiting legal review: ${r.reviewFlags.map((f) => f.path).join(', ')}`);
  return lines.join('\n');
}

// ---- entry point -------------------------------------------------------------------------------

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  verdict: verdictCommand,
  check: checkCommand,
  'lint-policy': lintCommand,
};

/** Runs the CLI; returns the exit code. Never throws for bad input. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  const run = command ? COMMANDS[command] : undefined;
  try {
    if (!command) throw new UsageError('missing command: verdict, check or lint-policy (recourse --help)');
    if (!run) throw new UsageError(`unknown command "${command}" (verdict, check, lint-policy; recourse --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`recourse: ${e.message}`);
      return 2;
    }
    if (e instanceof CheckFailed) {
      io.err(`recourse: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** The process entry (bin/recourse.js): runs main on the command line and sets the exit code. */
export async function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await main(argv, {
    out: (text) => process.stdout.write(`${text}\n`),
    // Messages on stderr are one line each, whatever they quote.
    err: (text) => process.stderr.write(`${text.replace(/\s*\n\s*/g, ' ')}\n`),
    now: () => new Date(),
  });
}
