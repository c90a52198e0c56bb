// POST /v1/verdicts over fastify's inject: the contract's success shape, and every kind of bad input as
// a 4xx problem+json naming the field, never a 5xx.
import t, { type Test } from 'tap';
import { build, example, examples } from './helpers/app.js';

const json = { 'content-type': 'application/json' };

t.test('every explorer example gets a verdict whose asOf is the pinned one', async (t) => {
  const app = await build(t);
  for (const ex of examples()) {
    const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: ex.value });
    t.equal(res.statusCode, 200, `${ex.name}: 200 (${res.body.slice(0, 300)})`);
    const v = res.json();
    t.equal(v.asOf, ex.value.asOf, `${ex.name}: asOf echoed`);
    t.match(v.ruleset.digest, /^sha256:[0-9a-f]{64}$/);
    for (const id of [...v.remedies, ...v.deadlines].flatMap((x: { basis: string[] }) => x.basis))
      t.ok(v.legalBasis[id], `${ex.name}: cited ${id} is resolved in legalBasis`);
  }
});

t.test('the change-of-mind example: withdrawal until Monday 16 November 2026, refund 83.90 EUR (L221-18, L221-24)', async (t) => {
  const app = await build(t);
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: example('01-withdrawal-change-of-mind') });
  const v = res.json();
  t.equal(v.decision.outcome, 'return_accepted');
  t.equal(v.decision.track, 'withdrawal');
  t.equal(v.deadlines.find((d: { id: string }) => d.id === 'withdrawal.notice').end, '2026-11-16');
  t.equal(v.refund.total, 83.9);
  t.equal(v.returnShipping.payer, 'consumer');
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  t.ok(res.headers['x-request-id'], 'request id header');
});

t.test('asOf defaults to today in Europe/Paris from the injected clock', async (t) => {
  const app = await build(t, { now: () => new Date('2026-11-05T23:30:00Z') }); // already 6 November in Paris
  const body = example('01-withdrawal-change-of-mind');
  delete body.asOf;
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body });
  t.equal(res.json().asOf, '2026-11-06');
});

t.test('locale: the body wins, then Accept-Language, then French', async (t) => {
  const app = await build(t);
  const body = example('01-withdrawal-change-of-mind');
  delete body.locale;
  const fr = (await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body })).json();
  t.match(fr.decision.summary, /16 novembre 2026/);
  t.equal(fr.locale, 'fr');
  const en = (await app.inject({ method: 'POST', url: '/v1/verdicts', headers: { ...json, 'accept-language': 'de-DE, en-GB;q=0.8, fr;q=0.5' }, payload: body })).json();
  t.match(en.decision.summary, /16 November 2026/);
  t.not(fr.verdictId, en.verdictId, 'the language is part of what the verdict id digests');
});

t.test('the same request twice gives the same verdict byte for byte', async (t) => {
  const app = await build(t);
  const body = example('02-withdrawal-ends-on-public-holiday');
  const a = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body });
  const b = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body });
  t.equal(a.body, b.body);
});

const problemOf = async (t: Test, payload: unknown, expectedStatus: number, paths: string[], headers = json) => {
  const app = await build(t);
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers, payload: payload as string });
  t.equal(res.statusCode, expectedStatus, res.body.slice(0, 400));
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  const p = res.json();
  t.equal(p.status, expectedStatus);
  t.match(p.type, /^urn:recourse:problem:/);
  t.type(p.title, 'string');
  t.type(p.detail, 'string');
  for (const path of paths) t.ok(p.errors?.some((e: { path: string }) => e.path === path), `names ${path}: ${JSON.stringify(p.errors)}`);
  return p;
};

t.test('an unknown field is a 400 naming it (strict bodies)', async (t) => {
  const body = example('01-withdrawal-change-of-mind');
  (body.order as Record<string, unknown>).recievedAt = '2026-11-02';
  (body as Record<string, unknown>).colour = 'red';
  await problemOf(t, body, 400, ['order.recievedAt', 'colour']);
});

t.test('negative money, an unknown enum value and an impossible calendar date are 400s naming each field', async (t) => {
  const body = example('01-withdrawal-change-of-mind') as { order: { items: Record<string, unknown>[]; placedAt: string }; incident: Record<string, unknown> };
  body.order.items[0]!.price = -1;
  body.order.placedAt = '2026-02-30';
  body.incident.type = 'broken';
  await problemOf(t, body, 400, ['order.items.0.price', 'order.placedAt', 'incident.type']);
});

t.test('a receipt before the order and a declaration after asOf are 400s naming the fields', async (t) => {
  const body = example('01-withdrawal-change-of-mind') as { order: { items: Record<string, unknown>[] }; incident: Record<string, unknown> };
  body.order.items[0]!.receivedAt = '2026-10-01';
  body.incident.notifiedAt = '2026-12-01';
  await problemOf(t, body, 400, ['order.items.0.receivedAt', 'incident.notifiedAt']);
});

t.test('an incident naming an item the order does not have is a 400', async (t) => {
  const body = example('01-withdrawal-change-of-mind') as { incident: Record<string, unknown> };
  body.incident.itemIds = ['ZZ'];
  await problemOf(t, body, 400, ['incident.itemIds.0']);
});

t.test('malformed JSON is a 400, a wrong media type a 415', async (t) => {
  await problemOf(t, '{"order": ', 400, []);
  await problemOf(t, 'order=1', 415, [], { 'content-type': 'application/x-www-form-urlencoded' });
});

t.test('a body over the limit is a 413 problem', async (t) => {
  const app = await build(t, { bodyLimit: 2048 });
  const body = example('01-withdrawal-change-of-mind') as { incident: Record<string, unknown> };
  body.incident.description = 'x'.repeat(4000);
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body });
  t.equal(res.statusCode, 413);
  t.equal(res.json().type, 'urn:recourse:problem:body-too-large');
});

t.test('a contract before the oldest rule version encoded is a 422 that says so', async (t) => {
  const body = example('01-withdrawal-change-of-mind') as { order: { items: Record<string, unknown>[]; placedAt: string } };
  body.order.placedAt = '2013-05-01';
  body.order.items[0]!.receivedAt = '2013-05-03';
  const p = await problemOf(t, body, 422, ['order.placedAt']);
  t.match(p.detail, /encoded from 2014-06-14/);
});

t.test('a jurisdiction with no rules is a 422 naming it', async (t) => {
  const body = example('01-withdrawal-change-of-mind');
  body.jurisdiction = 'DE';
  await problemOf(t, body, 422, ['jurisdiction']);
});

t.test('an unknown route is a 404 problem', async (t) => {
  const app = await build(t);
  const res = await app.inject({ method: 'GET', url: '/v1/nothing' });
  t.equal(res.statusCode, 404);
  t.equal(res.json().type, 'urn:recourse:problem:not-found');
});

t.test('batch: each request is decided on its own, a bad one costs the others nothing', async (t) => {
  const app = await build(t);
  const good = example('01-withdrawal-change-of-mind');
  const bad = example('01-withdrawal-change-of-mind');
  (bad.order as Record<string, unknown>).unknownField = 1;
  const outside = example('01-withdrawal-change-of-mind');
  outside.jurisdiction = 'DE';
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: { requests: [good, bad, outside, good] } });
  t.equal(res.statusCode, 200);
  const { results } = res.json();
  t.same(results.map((r: { status: number }) => r.status), [200, 400, 422, 200]);
  t.equal(results[1].problem.errors[0].path, 'order.unknownField');
  t.equal(results[0].verdict.verdictId, results[3].verdict.verdictId);
});

t.test('rules and citations are readable over HTTP', async (t) => {
  const app = await build(t);
  const list = (await app.inject('/v1/rules')).json();
  t.ok(list.rules.some((r: { id: string }) => r.id === 'fr/withdrawal/L221-18'));
  const one = await app.inject('/v1/rules/fr%2Fwithdrawal%2FL221-18');
  t.equal(one.statusCode, 200);
  t.ok(one.json().cases.length >= 10, 'the rule comes with its cases');
  t.equal((await app.inject('/v1/rules/nope')).statusCode, 404);
  const lb = (await app.inject('/v1/legal-basis/FR.C_CONSO.L221-18')).json();
  t.match(lb.url, /^https:\/\/www\.legifrance\.gouv\.fr\//);
  t.equal((await app.inject('/v1/legal-basis/FR.NOPE')).statusCode, 404);
});

t.test('health probes; readiness drops when shutting down', async (t) => {
  let down = false;
  const app = await build(t, { isShuttingDown: () => down });
  t.equal((await app.inject('/health/live')).statusCode, 200);
  t.equal((await app.inject('/health/ready')).statusCode, 200);
  down = true;
  t.equal((await app.inject('/health/ready')).statusCode, 503);
});

t.test('explain: true adds the trace of every rule evaluated, with its conditions; without it there is none', async (t) => {
  const app = await build(t);
  const body = example('03-excluded-personalised-item');
  const plain = (await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body })).json();
  t.notOk('trace' in plain);
  body.explain = true;
  const explained = (await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body })).json();
  const fired = explained.trace.filter((e: { fired: boolean }) => e.fired).map((e: { rule: string }) => e.rule);
  t.ok(fired.includes('fr/withdrawal/L221-28#made-to-specifications-or-personalised'), 'the exclusion rule fired');
  t.ok(fired.includes('fr/withdrawal/L221-21#all-items-excluded'));
  const notFired = explained.trace.find((e: { rule: string; fired: boolean }) => e.rule === 'fr/withdrawal/L221-28#perishable');
  t.equal(notFired.fired, false);
  t.equal(notFired.itemId, 'A1', 'item rules are traced per item');
  t.match(JSON.stringify(notFired.conditions), /item\.attributes\.perishable/);
  t.same(explained.decision, plain.decision, 'explaining does not change the answer');
});
