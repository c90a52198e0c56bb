// The `recourse` command line: a verdict (the same bytes as POST /v1/verdicts), a readable summary,
// `check` on a ruleset (the same case machinery as test/rules-cases.test.ts), `lint-policy`, and one
// line on stderr with a non-zero exit code for each kind of bad input.
import t from 'tap';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { build, example } from './helpers/app.js';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLE_01 = join(ROOT, 'examples', 'requests', '01-withdrawal-change-of-mind.json');
const POLICY_OK = join(ROOT, 'examples', 'policies', '01-compliant-shop.json');
const POLICY_BELOW = join(ROOT, 'examples', 'policies', '02-below-the-floor.json');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = '';
  const err: string[] = [];
  const code = await main(argv, { out: (s) => (out += `${s}\n`), err: (s) => err.push(s), now: () => new Date('2026-11-05T10:00:00Z') });
  return { code, out, err };
}

function tmpFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-cli-'));
  writeFileSync(join(dir, name), content);
  return join(dir, name);
}

/** The real bin, as npx runs it. */
function bin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'recourse.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

t.test('recourse verdict prints the verdict that POST /v1/verdicts gives, byte for byte', async (t) => {
  const { code, out, err } = await cli('verdict', EXAMPLE_01);
  t.equal(code, 0);
  t.same(err, []);
  const app = await build(t);
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: example('01-withdrawal-change-of-mind') });
  t.equal(res.statusCode, 200);
  t.same(JSON.parse(out), res.json(), 'the same verdict');
  t.equal(JSON.parse(out).verdictId, res.json().verdictId, 'the same verdict id');
});

t.test('recourse verdict --text is a readable summary; --as-of and --locale override the request', async (t) => {
  const { code, out } = await cli('verdict', EXAMPLE_01, '--text');
  t.equal(code, 0);
  t.match(out, /^Verdict [0-9a-f]{32}, as of 2026-11-05 \(FR; ruleset /);
  t.match(out, /^Outcome: return_accepted \(withdrawal\)$/m);
  t.match(out, /^ {2}withdrawal\.notice: 2026-11-02 to 2026-11-16, open, 11 day\(s\) left$/m);
  t.match(out, /^Refund: 83\.90 EUR due by 2026-11-19; paid 0\.00 EUR, outstanding 83\.90 EUR$/m);
  t.notMatch(out, /^\{/, 'not JSON');
  const fr = await cli('verdict', EXAMPLE_01, '--as-of', '2026-11-20', '--locale', 'fr');
  const v = JSON.parse(fr.out) as { asOf: string; locale: string; deadlines: { id: string; status: string }[] };
  t.equal(v.asOf, '2026-11-20');
  t.equal(v.locale, 'fr');
  t.equal(v.deadlines.find((d) => d.id === 'withdrawal.notice')?.status, 'passed', 'the period is over on 20 November');
});

t.test('recourse lint-policy: exit 0 for a compliant policy, 1 with findings below the floor', async (t) => {
  const ok = await cli('lint-policy', POLICY_OK, '--as-of', '2026-11-22');
  t.equal(ok.code, 0);
  t.equal(JSON.parse(ok.out).compliant, true);
  const below = await cli('lint-policy', POLICY_BELOW, '--as-of', '2026-11-22', '--locale', 'en');
  t.equal(below.code, 1, 'a policy below the legal floor exits 1, as a linter does');
  const report = JSON.parse(below.out) as { compliant: boolean; findings: { id: string }[] };
  t.equal(report.compliant, false);
  t.ok(report.findings.some((f) => f.id === 'window_shorter_than_legal'));
  const text = await cli('lint-policy', POLICY_BELOW, '--as-of', '2026-11-22', '--locale', 'en', '--text');
  t.match(text.out, /clause\(s\) fall below the legal floor/);
  t.match(text.out, /^ {2}returns\.window\.days \(window_shorter_than_legal\)/m);
  // The same answer as POST /v1/policies/lint.
  const app = await build(t);
  const body = (JSON.parse(readFileSync(POLICY_BELOW, 'utf8')) as { value: unknown }).value;
  const res = await app.inject({ method: 'POST', url: '/v1/policies/lint?asOf=2026-11-22&locale=en', payload: body as object });
  t.same(report, res.json(), 'the same report as the HTTP lint');
});

t.test('bad input: one line on stderr naming the problem, exit code 2', async (t) => {
  const notJson = tmpFile('request.json', '{ "order": ');
  const invalid = tmpFile('request.json', JSON.stringify({ order: { placedAt: '2026-10-01', items: [{ id: 'A', price: -3 }] }, incident: { type: 'change_of_mind' }, recievedAt: 'x' }));
  const future = tmpFile('request.json', JSON.stringify({ ...example('01-withdrawal-change-of-mind'), asOf: '2026-10-01' }));
  const badPolicy = tmpFile('policy.json', JSON.stringify({ id: 'shop', jurisdiction: 'FR' }));
  const cases: [string[], RegExp][] = [
    [[], /^recourse: missing command/],
    [['frobnicate'], /^recourse: unknown command "frobnicate"/],
    [['verdict'], /^recourse: verdict takes one request file/],
    [['verdict', '/nonexistent/request.json'], /^recourse: \/nonexistent\/request\.json: cannot read \(ENOENT\)$/],
    [['verdict', notJson], /: not valid JSON \(/],
    [['verdict', invalid], /: invalid request: .*order\.items\.0\.price: .*recievedAt/],
    [['verdict', future], /: impossible facts: /],
    [['verdict', EXAMPLE_01, '--as-of', '2026-02-30'], /^recourse: --as-of 2026-02-30: is not a real calendar date$/],
    [['verdict', EXAMPLE_01, '--locale', 'de'], /^recourse: --locale de: /],
    [['verdict', EXAMPLE_01, '--rules', '/nonexistent'], /^recourse: rules directory: \/nonexistent does not exist$/],
    [['verdict', EXAMPLE_01, '--bogus'], /^recourse: Unknown option '--bogus'/],
    [['check', '--text'], /^recourse: check does not take --text/],
    [['check', '/nonexistent/rules'], /^recourse: rules directory: \/nonexistent\/rules does not exist$/],
    [['lint-policy', badPolicy], /: invalid policy: /],
  ];
  for (const [argv, message] of cases) {
    const { code, out, err } = await cli(...argv);
    t.equal(code, 2, `recourse ${argv.join(' ')}: exit code 2`);
    t.equal(err.length, 1, `recourse ${argv.join(' ')}: one message`);
    t.notMatch(err[0] ?? '', /\n/, 'on one line');
    t.match(err[0] ?? '', message);
    t.equal(out, '', 'nothing on stdout');
  }
});

t.test('recourse check: a case that no longer holds fails the check, naming the file and the case', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-check-'));
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  const path = join(dir, 'fr', 'withdrawal', 'L221-18.cases.json');
  const file = JSON.parse(readFileSync(path, 'utf8')) as { cases: { name: string; expect: { deadlines: Record<string, { end: string }> } }[] };
  const broken = file.cases[0]!;
  broken.expect.deadlines['withdrawal.notice']!.end = '2026-11-17';
  writeFileSync(path, JSON.stringify(file));
  const { code, out } = await cli('check', dir);
  t.equal(code, 1);
  t.match(out, new RegExp(`^FAIL rules/fr/withdrawal/L221-18\\.cases\\.json: ${broken.name.replace(/[()]/g, '\\$&')}$`, 'm'));
  t.match(out, /withdrawal\.notice\]\.end: expected "2026-11-17", got "2026-11-16"/);
  const summary = /^(\d+) cases: (\d+) passed, 1 failed$/m.exec(out);
  t.ok(summary, 'one case failed, every other passed (check exits 0 when none fails)');
  t.ok(Number(summary?.[1]) > 600, 'every rule and policy case ran');
  t.equal(out.match(/^FAIL /gm)?.length, 1);

  // A rule file with a defect: the ruleset does not load; one line naming the file and the field.
  writeFileSync(join(dir, 'fr', 'withdrawal', 'L221-20.json'), '{"id": "fr/withdrawal/L221-20", "family": 3}');
  const defect = await cli('check', dir);
  t.equal(defect.code, 1);
  t.equal(defect.err.length, 1);
  t.match(defect.err[0] ?? '', /^recourse: rules\/fr\/withdrawal\/L221-20\.json: .*family/);
});

t.test('the bin: npx recourse runs src/cli.ts; bad input is one line on stderr', async (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  t.equal(pkg.bin.recourse, 'bin/recourse.js');
  const ok = await bin(['verdict', EXAMPLE_01, '--text']);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, /^Outcome: return_accepted \(withdrawal\)$/m);
  const bad = await bin(['verdict', '/nonexistent.json']);
  t.equal(bad.code, 2);
  t.equal(bad.stdout, '');
  t.equal(bad.stderr, 'recourse: /nonexistent.json: cannot read (ENOENT)\n', 'exactly one line on stderr');
  const none = await bin([]);
  t.equal(none.code, 2);
  t.equal(none.stderr.split('\n').filter(Boolean).length, 1);
});
