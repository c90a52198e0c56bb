// GET /v1/policies, GET /v1/policies/{id}, POST /v1/policies/lint, and POST /v1/verdicts with a named
// policy, over fastify's inject: review flags are shown, findings cite their articles, bad input is a
// 4xx problem+json naming the field.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';

const holder = new RulesetHolder(DEFAULT_RULES_DIR);
const EXAMPLES = join(import.meta.dirname, '..', 'examples');
const example = (kind: string, name: string) =>
  (JSON.parse(readFileSync(join(EXAMPLES, kind, `${name}.json`), 'utf8')) as { value: Record<string, any> }).value;
const json = { 'content-type': 'application/json' };

async function app(t: Test, now = '2026-11-22T10:00:00Z') {
  const a = await buildApp({ rulesets: holder, now: () => new Date(now), checkResponses: true });
  t.teardown(() => a.close());
  return a;
}

t.test('GET /v1/policies lists amazon-fr with its count of values to review', async (t) => {
  const res = await (await app(t)).inject('/v1/policies');
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.match(body.digest, /^sha256:/);
  const amazon = body.policies.find((p: { id: string }) => p.id === 'amazon-fr');
  t.ok(amazon, 'amazon-fr is listed');
  t.equal(amazon.jurisdiction, 'FR');
  t.ok(amazon.reviewFlagCount > 0, 'unverified values are counted');
});

t.test('GET /v1/policies/amazon-fr shows every value with its review flag', async (t) => {
  const res = await (await app(t)).inject('/v1/policies/amazon-fr');
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.policy.returns.window.days.value, 30);
  t.equal(body.policy.returns.window.days.status, 'VERIFIED-SECONDARY');
  const paths = body.reviewFlags.map((f: { path: string }) => f.path);
  for (const p of ['returns.window.days', 'returns.window.rollsOverHolidays', 'returns.holidayExtensions.1', 'guarantee.claimWindowDays', 'mediator'])
    t.ok(paths.includes(p), `${p} is flagged`);
  t.notOk(paths.includes('guarantee.sellerAnswerHours'), 'the 48 hours read on Seller Central France are verified');
  t.ok(body.reviewFlags.every((f: { needsLegalReview: boolean; source: string }) => f.needsLegalReview && f.source), 'each flag says where the value was read');
});

t.test('an unknown policy id is a 404 problem', async (t) => {
  const res = await (await app(t)).inject('/v1/policies/fnac-fr');
  t.equal(res.statusCode, 404);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(res.json().status, 404);
});

t.test('POST /v1/policies/lint: a compliant policy has no finding', async (t) => {
  const res = await (await app(t)).inject({ method: 'POST', url: '/v1/policies/lint?asOf=2026-11-22', headers: json, payload: example('policies', '01-compliant-shop') });
  t.equal(res.statusCode, 200, res.body.slice(0, 500));
  const body = res.json();
  t.equal(body.compliant, true);
  t.same(body.findings, []);
  t.same(body.reviewFlags, []);
});

t.test('POST /v1/policies/lint: a policy below the floor gets one cited finding per clause', async (t) => {
  const a = await app(t);
  const res = await a.inject({ method: 'POST', url: '/v1/policies/lint?asOf=2026-11-22', headers: { ...json, 'accept-language': 'en' }, payload: example('policies', '02-below-the-floor') });
  t.equal(res.statusCode, 200, res.body.slice(0, 500));
  const body = res.json();
  t.equal(body.compliant, false);
  t.equal(body.locale, 'en');
  t.same(
    body.findings.map((f: { id: string }) => f.id).sort(),
    [
      'exclusion_outside_l221_28',
      'no_consumer_mediator',
      'odr_platform_link',
      'restocking_fee_on_withdrawal',
      'store_credit_only_on_withdrawal',
      'window_counted_from_wrong_day',
      'window_shorter_than_legal',
    ],
  );
  const short = body.findings.find((f: { id: string }) => f.id === 'window_shorter_than_legal');
  t.equal(short.clause, 'returns.window.days');
  t.match(short.issue, /7 days .* 14 days/);
  for (const f of body.findings) for (const b of f.basis) t.ok(body.legalBasis[b], `${f.id}: ${b} is resolved`);
  t.match(body.legalBasis['EU.REG.2024-3228'].citation, /2024\/3228/);
  const fr = (await a.inject({ method: 'POST', url: '/v1/policies/lint?asOf=2026-11-22&locale=fr', headers: json, payload: example('policies', '02-below-the-floor') })).json();
  t.match(fr.findings[0].issue, /La politique/);
});

t.test('POST /v1/policies/lint: asOf defaults to today, and dates the floor (ODR platform closed on 20 July 2025)', async (t) => {
  const odr = example('policies', '01-compliant-shop');
  odr.links = [{ kind: 'odr', url: 'https://ec.europa.eu/consumers/odr' }];
  const before = (await (await app(t, '2025-07-19T10:00:00Z')).inject({ method: 'POST', url: '/v1/policies/lint', headers: json, payload: odr })).json();
  t.equal(before.asOf, '2025-07-19');
  t.same(before.findings, []);
  const after = (await (await app(t, '2025-07-20T10:00:00Z')).inject({ method: 'POST', url: '/v1/policies/lint', headers: json, payload: odr })).json();
  t.same(after.findings.map((f: { id: string }) => f.id), ['odr_platform_link']);
});

t.test('POST /v1/policies/lint: a malformed policy is a 400 naming the field', async (t) => {
  const a = await app(t);
  const lint = (payload: unknown) => a.inject({ method: 'POST', url: '/v1/policies/lint?asOf=2026-11-22', headers: json, payload: payload as object });
  const bad = example('policies', '01-compliant-shop');
  bad.returns.window.days.value = 'thirty';
  let res = await lint(bad);
  t.equal(res.statusCode, 400);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.ok(res.json().errors.some((e: { path: string }) => e.path === 'returns.window.days.value'), res.body);

  const typo = example('policies', '01-compliant-shop');
  typo.returns.windw = typo.returns.window;
  res = await lint(typo);
  t.equal(res.statusCode, 400);
  t.ok(res.json().errors.some((e: { path: string }) => e.path === 'returns.windw'), res.body);

  const unflagged = example('policies', '01-compliant-shop');
  unflagged.returns.window.days.status = 'UNVERIFIED';
  res = await lint(unflagged);
  t.equal(res.statusCode, 400);
  t.ok(res.json().errors.some((e: { path: string }) => e.path === 'returns.window.days.needsLegalReview'), res.body);

  const citation = example('policies', '01-compliant-shop');
  citation.returns.exclusions[0].basis = ['FR.C_CONSO.L999-1'];
  res = await lint(citation);
  t.equal(res.statusCode, 400);
  t.same(res.json().errors.map((e: { path: string }) => e.path), ['returns.exclusions.0.basis.0']);

  const elsewhere = example('policies', '01-compliant-shop');
  elsewhere.jurisdiction = 'DE';
  res = await lint(elsewhere);
  t.equal(res.statusCode, 422);
  t.same(res.json().errors.map((e: { path: string }) => e.path), ['jurisdiction']);
});

t.test('POST /v1/verdicts with policy amazon-fr: day 20 rests on the commercial return', async (t) => {
  const res = await (await app(t)).inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: example('requests', '20-amazon-fr-day-20') });
  t.equal(res.statusCode, 200, res.body.slice(0, 500));
  const v = res.json();
  t.equal(v.policy, 'amazon-fr');
  t.same([v.decision.outcome, v.decision.track], ['return_accepted', 'commercial_return']);
  t.equal(v.deadlines.find((d: { id: string }) => d.id === 'commercial_return.window').end, '2026-12-02');
  t.ok(v.reviewFlags.some((f: { parameter: string }) => f.parameter === 'policy:amazon-fr#returns.window.days'), 'the unverified 30 days are flagged');
  t.ok(v.legalBasis['FR.C_CIV.1103'], 'the commercial layer cites what makes it binding');
});

t.test('POST /v1/verdicts: the marketplace claim step sits between the written complaint and the formal notice', async (t) => {
  const v = (await (await app(t)).inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: example('requests', '21-amazon-fr-a-to-z-claim') })).json();
  const steps = v.appealPath.map((s: { step: string }) => s.step);
  const at = steps.indexOf('marketplace_claim');
  t.ok(at > steps.indexOf('written_complaint') && at < steps.indexOf('formal_notice'), steps.join(' > '));
  t.same(v.appealPath[at], { ...v.appealPath[at], status: 'next', notBefore: '2026-11-06', notAfter: '2027-01-31' });
});

t.test('POST /v1/verdicts naming a policy that is not loaded is a 422 naming `policy`', async (t) => {
  const body = example('requests', '20-amazon-fr-day-20');
  body.policy = 'fnac-fr';
  const res = await (await app(t)).inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body });
  t.equal(res.statusCode, 422);
  t.same(res.json().errors.map((e: { path: string }) => e.path), ['policy']);
  t.match(res.json().detail, /amazon-fr/, 'the detail lists the policies loaded');
});

t.test('the explorer offers the lint examples and a policy id example', async (t) => {
  const doc = (await (await app(t)).inject('/openapi.json')).json();
  const media = doc.paths['/v1/policies/lint'].post.requestBody.content['application/json'];
  t.equal(media.schema.$ref, '#/components/schemas/PolicyFile');
  t.equal(Object.keys(media.examples).length, 2);
  t.equal(doc.paths['/v1/policies/{id}'].get.parameters[0].schema.example, 'amazon-fr');
});
