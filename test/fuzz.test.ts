// Property-based fuzzing, seeded: requests generated with fast-check from the OpenAPI document (itself
// generated from the zod schemas) and from mutations of the explorer's examples (dates at the calendar's
// edges, whole timelines moved to 1900 or 2999, prototype keys, unknown fields, nasty values), plus
// malformed bodies, ids, methods and paths. Every answer: no 5xx, a problem+json with a request id on
// every 4xx, the bad field named on every 400. `npm run fuzz` runs 100,000 of them.
import t from 'tap';
import { fuzzCases, violations } from './helpers/fuzz.js';
import { build } from './helpers/app.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);

t.test(`${COUNT} generated requests (seed ${SEED}): no 5xx, every error a complete problem`, async (t) => {
  const app = await build(t);
  const found: string[] = [];
  const statuses: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  let n = 0;
  for (const c of fuzzCases(SEED, COUNT)) {
    const res = await app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, ...(c.payload !== undefined ? { payload: c.payload } : {}) });
    n++;
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    for (const v of violations(c, { status: res.statusCode, headers: res.headers, body: res.body })) if (found.length < 20) found.push(v);
  }
  t.equal(n, COUNT);
  t.comment(`statuses: ${JSON.stringify(statuses)}; kinds: ${JSON.stringify(kinds)}`);
  t.same(found, [], 'no violation');
  // The generator really reaches the interesting answers (a fuzz that only makes 400s proves little).
  for (const status of ['200', '400', '404', '405', '415', '422']) t.ok((statuses[status] ?? 0) > 0, `some ${status}s`);
  t.ok((statuses['200'] ?? 0) > COUNT / 20, 'a fair share of verdicts');
});

t.test('the checker can fail: a 500, a 400 naming no field, a plain-JSON 404 and a batch element 500 are caught', async (t) => {
  const c = { kind: 'x', method: 'POST', url: '/v1/verdicts/batch', headers: {} };
  const problem = (status: number, extra = {}) => JSON.stringify({ type: 'urn:recourse:problem:x', title: 't', status, detail: 'd', ...extra });
  const ph = { 'x-request-id': 'r', 'content-type': 'application/problem+json; charset=utf-8' };
  t.ok(violations(c, { status: 500, headers: ph, body: problem(500) }).length);
  t.ok(violations(c, { status: 400, headers: ph, body: JSON.stringify({ type: 'urn:recourse:problem:invalid-request', title: 't', status: 400, detail: 'd', errors: [], errorCount: 0 }) }).length);
  t.ok(violations(c, { status: 404, headers: { 'x-request-id': 'r', 'content-type': 'application/json' }, body: problem(404) }).length);
  t.ok(violations(c, { status: 404, headers: { 'content-type': 'application/problem+json' }, body: problem(404) }).length, 'no request id');
  t.ok(violations(c, { status: 200, headers: { 'x-request-id': 'r' }, body: JSON.stringify({ results: [{ index: 0, status: 500, problem: JSON.parse(problem(500)) }] }) }).length);
  t.same(violations(c, { status: 200, headers: { 'x-request-id': 'r' }, body: JSON.stringify({ results: [{ index: 0, status: 200 }] }) }), []);
});
