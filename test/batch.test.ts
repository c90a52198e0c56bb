// POST /v1/verdicts/batch keeps its promise: each element is decided on its own (even one that fails
// unexpectedly), the batch yields to other clients between elements, its time budget leaves the
// elements it did not reach with a 503 of their own, and a shutdown cut answers a clean 503.
import t from 'tap';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { build, example, rulesets } from './helpers/app.js';

const json = { 'content-type': 'application/json' };

/** A ruleset whose jurisdiction lookup throws for "XX": an unexpected failure inside one element. */
function failingFor(code: string): RulesetHolder {
  const real = rulesets().current;
  const jurisdictions = new Map(real.jurisdictions);
  jurisdictions.get = (key: string) => {
    if (key === code) throw new TypeError('boom');
    return real.jurisdictions.get(key);
  };
  const broken = Object.assign(Object.create(Object.getPrototypeOf(real) as object) as object, real, { jurisdictions });
  return { dir: 'test', current: broken, reload: () => broken } as unknown as RulesetHolder;
}

t.test('an element that fails unexpectedly gets its own 500 problem; the others their verdicts', async (t) => {
  const app = await build(t, { rulesets: failingFor('XX') });
  const good = example('01-withdrawal-change-of-mind');
  const failing = example('01-withdrawal-change-of-mind');
  failing.jurisdiction = 'XX';
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: { requests: [good, failing, good] } });
  t.equal(res.statusCode, 200, res.body.slice(0, 300));
  const { results } = res.json();
  t.same(results.map((r: { status: number }) => r.status), [200, 500, 200]);
  t.equal(results[1].problem.type, 'urn:recourse:problem:internal');
  t.equal(results[0].verdict.verdictId, results[2].verdict.verdictId);
  // The same element alone is a 500 problem, not a crash.
  const alone = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: failing });
  t.equal(alone.statusCode, 500);
  t.match(alone.headers['content-type'], /problem\+json/);
});

t.test('every kind of bad element is its own 4xx, non-object elements included', async (t) => {
  const app = await build(t);
  const good = example('02-withdrawal-ends-on-public-holiday');
  const late = example('01-withdrawal-change-of-mind') as { asOf: string; order: { placedAt: string; items: { receivedAt: string }[] } };
  late.asOf = '2999-12-31';
  late.order.placedAt = '2999-12-20';
  late.order.items[0]!.receivedAt = '2999-12-21';
  const zero = example('01-withdrawal-change-of-mind');
  zero.asOf = '0000-01-01';
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: { requests: [good, late, zero, good] } });
  t.equal(res.statusCode, 200);
  t.same(res.json().results.map((r: { status: number }) => r.status), [200, 422, 400, 200]);
  // Each element is decided on its own, always: an element that is not even an object is its own 400.
  const bad = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: { requests: [good, 3, 'x'] } });
  t.equal(bad.statusCode, 200);
  const results = bad.json().results as { status: number; problem?: { errors: { path: string; message: string }[] } }[];
  t.same(results.map((r) => r.status), [200, 400, 400]);
  t.match(results[1]!.problem!.errors[0]!.message, /expected object/);
});

t.test('a batch yields between elements: a probe sent while it runs is answered before it ends', async (t) => {
  const app = await build(t);
  const requests = Array.from({ length: 60 }, () => example('05-defective-within-presumption'));
  const order: string[] = [];
  const batch = app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: { requests } }).then((r) => {
    order.push('batch');
    return r;
  });
  // Let the batch start deciding, then ask for liveness.
  await new Promise((r) => setTimeout(r, 30));
  const probe = app.inject('/health/live').then((r) => {
    order.push('probe');
    return r;
  });
  const [b, p] = await Promise.all([batch, probe]);
  t.equal(p.statusCode, 200);
  t.equal(b.statusCode, 200);
  t.same(order, ['probe', 'batch'], 'the probe did not wait for the batch');
  t.ok(b.json().results.every((r: { status: number }) => r.status === 200));
});

t.test('the batch time budget: elements not reached get a 503 problem each, the rest their verdicts', async (t) => {
  const app = await build(t, { batchBudgetMs: 1 });
  const requests = Array.from({ length: 20 }, () => example('01-withdrawal-change-of-mind'));
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: { requests } });
  t.equal(res.statusCode, 200);
  const { results } = res.json();
  t.equal(results.length, 20);
  t.same(results.map((r: { index: number }) => r.index), [...Array(20).keys()], 'in order');
  t.equal(results[0].status, 200, 'the first element is always decided');
  const cut = results.filter((r: { status: number }) => r.status === 503);
  t.ok(cut.length > 0, `${cut.length} elements beyond the budget`);
  t.ok(cut.every((r: { problem: { type: string } }) => r.problem.type === 'urn:recourse:problem:batch-budget-exceeded'));
  t.ok(results.every((r: { status: number }) => r.status === 200 || r.status === 503));
});

t.test('a shutdown cut while a batch runs answers a complete 503 problem with Retry-After', async (t) => {
  const cut = new AbortController();
  const app = await build(t, { cutSignal: cut.signal });
  const requests = Array.from({ length: 200 }, () => example('01-withdrawal-change-of-mind'));
  const pending = app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: { requests } });
  await new Promise((r) => setTimeout(r, 30));
  cut.abort();
  const res = await pending;
  t.equal(res.statusCode, 503);
  t.equal(res.json().type, 'urn:recourse:problem:shutting-down');
  t.equal(res.headers['retry-after'], '1');
  const after = await app.inject('/v1/rules');
  t.equal(after.statusCode, 503, 'a request arriving after the cut is refused cleanly');
  t.equal(after.json().type, 'urn:recourse:problem:shutting-down');
});

t.test('the batch size limit at its edges: BATCH_MAX elements are decided, one more is a 400 naming requests', async (t) => {
  const app = await build(t, { batchMax: 3 });
  const batch = (n: number) => ({ requests: Array.from({ length: n }, () => example('01-withdrawal-change-of-mind')) });
  for (const n of [2, 3]) {
    const res = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: batch(n) });
    t.equal(res.statusCode, 200, `${n} elements`);
    t.same(res.json().results.map((r: { status: number }) => r.status), Array(n).fill(200));
  }
  for (const n of [4, 0]) {
    const res = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: batch(n) });
    t.equal(res.statusCode, 400, `${n} elements`);
    t.same(res.json().errors.map((e: { path: string }) => e.path), ['requests']);
  }
});

t.test('the default batch size limit is 1000 elements', async (t) => {
  const app = await build(t);
  // Elements that are not requests are refused one by one without being evaluated: the limit is cheap to reach.
  const batch = (n: number) => ({ requests: Array.from({ length: n }, () => ({})) });
  const full = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: batch(1000) });
  t.equal(full.statusCode, 200, '1000 elements are taken');
  const results = full.json().results as { status: number }[];
  t.equal(results.length, 1000);
  t.ok(results.every((r) => r.status === 400), 'each its own 400');
  const over = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', headers: json, payload: batch(1001) });
  t.equal(over.statusCode, 400, '1001 elements are refused whole');
  t.same(over.json().errors.map((e: { path: string }) => e.path), ['requests']);
});
