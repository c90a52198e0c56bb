// Every error is a problem+json with a request id, bad input is never a 5xx, and nothing the client sent
// is echoed unescaped. Over fastify's inject; the errors only Node's HTTP server raises (431, 417,
// malformed HTTP, timeouts) are in test/http-wire.test.ts on a real port.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { build, example } from './helpers/app.js';

const json = { 'content-type': 'application/json' };

function isProblem(t: Test, res: LightMyRequestResponse, status: number, type?: string) {
  t.equal(res.statusCode, status, `status ${status}: ${res.body.slice(0, 300)}`);
  t.match(res.headers['content-type'], /^application\/problem\+json/, 'problem+json');
  t.ok(res.headers['x-request-id'], 'x-request-id');
  const p = res.json();
  t.equal(p.status, status, 'status in the body');
  t.match(p.type, /^urn:recourse:problem:[a-z-]+$/);
  if (type) t.equal(p.type, `urn:recourse:problem:${type}`);
  t.type(p.title, 'string');
  t.type(p.detail, 'string');
  t.equal(p.instance, res.headers['x-request-id'], 'instance is the request id');
  return p;
}

t.test('a wrong method on an existing path is a 405 with Allow', async (t) => {
  const app = await build(t);
  let res = await app.inject({ method: 'GET', url: '/v1/verdicts' });
  isProblem(t, res, 405, 'method-not-allowed');
  t.equal(res.headers.allow, 'POST');
  res = await app.inject({ method: 'DELETE', url: '/v1/rules/fr%2Fwithdrawal%2FL221-18' });
  isProblem(t, res, 405);
  t.equal(res.headers.allow, 'GET, HEAD');
  res = await app.inject({ method: 'PUT', url: '/v1/verdicts/batch/' });
  t.equal(res.headers.allow, 'POST', 'a trailing slash is the same path');
  // GET /v1/policies/lint is GET /v1/policies/{id} with the id "lint".
  t.equal((await app.inject({ method: 'PUT', url: '/v1/policies/lint' })).headers.allow, 'GET, HEAD, POST');
  isProblem(t, await app.inject({ method: 'GET', url: '/v1/verdict' }), 404, 'not-found');
});

t.test('a body that is not JSON is a 415, whatever its media type', async (t) => {
  const app = await build(t);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'])
    isProblem(t, await app.inject({ method: 'POST', url: '/v1/verdicts', headers: { 'content-type': type }, payload: 'order=1' }), 415, 'unsupported-media-type');
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/verdicts', payload: 'x', headers: {} }), 415);
});

t.test('a path that is not valid percent-encoding is a 400 problem; a path segment too long a 414 problem', async (t) => {
  const app = await build(t);
  isProblem(t, await app.inject('/v1/rules/%C0%AF'), 400, 'bad-url');
  isProblem(t, await app.inject('/v1/legal-basis/%E0%A4%A'), 400, 'bad-url');
  isProblem(t, await app.inject(`/v1/rules/${'a'.repeat(2500)}`), 414, 'uri-too-long');
});

t.test('ids are limited as the schemas say: 200 characters reach the lookup, 201 are a 400 naming params.id', async (t) => {
  const app = await build(t);
  // 200 characters, each percent-encoded on 3 bytes of UTF-8 (9 characters in the URL).
  isProblem(t, await app.inject(`/v1/rules/${'%E2%82%AC'.repeat(200)}`), 404, 'not-found');
  isProblem(t, await app.inject(`/v1/legal-basis/${'A'.repeat(200)}`), 404);
  const p = isProblem(t, await app.inject(`/v1/legal-basis/${'A'.repeat(201)}`), 400, 'invalid-request');
  t.same(p.errors.map((e: { path: string }) => e.path), ['params.id']);
  const q = isProblem(t, await app.inject(`/v1/policies/${'a'.repeat(65)}`), 400);
  t.same(q.errors.map((e: { path: string }) => e.path), ['params.id'], 'policy ids: 64');
});

t.test('ids that name Object.prototype properties are plain 404s', async (t) => {
  const app = await build(t);
  for (const id of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']) {
    isProblem(t, await app.inject(`/v1/legal-basis/${id}`), 404, 'not-found');
    isProblem(t, await app.inject(`/v1/rules/${id}`), 404);
    isProblem(t, await app.inject(`/v1/policies/${id.toLowerCase().replace(/_/g, '')}`), 404);
  }
  t.equal((await app.inject('/v1/legal-basis/FR.C_CONSO.L221-18')).statusCode, 200, 'a real id still answers');
});

t.test('404s do not echo the id or the path', async (t) => {
  const app = await build(t);
  for (const url of ['/v1/rules/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/v1/legal-basis/JeanneDupont', '/v1/nothing/JeanneDupont', '/v1/policies/jeanne-dupont']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 404);
    t.notMatch(res.body, /Jeanne|Dupont|jeanne|script/, `${url}: nothing of it in the answer`);
  }
});

t.test('dates the calendar cannot hold: 400 naming the field, 422 for a computed deadline past 2999-12-31', async (t) => {
  const app = await build(t);
  const post = (body: unknown, url = '/v1/verdicts') => app.inject({ method: 'POST', url, headers: json, payload: body as object });
  for (const asOf of ['0000-01-01', '1899-12-31', '3000-01-01', '9999-12-31']) {
    const body = example('01-withdrawal-change-of-mind');
    body.asOf = asOf;
    const p = isProblem(t, await post(body), 400, 'invalid-request');
    t.same(p.errors.map((e: { path: string }) => e.path), ['asOf'], asOf);
  }
  for (const placedAt of ['0001-01-01T00:30:00+14:00', '1900-01-01T00:30:00+14:00', '2026-10-29T24:00:00+01:00', '2026-10-29T10:00:00+15:00']) {
    const body = example('01-withdrawal-change-of-mind') as { order: Record<string, unknown> };
    body.order.placedAt = placedAt;
    const p = isProblem(t, await post(body), 400);
    t.same(p.errors.map((e: { path: string }) => e.path), ['order.placedAt'], placedAt);
  }
  // A whole timeline at the end of the calendar: the withdrawal period would end in 3000.
  const late = example('01-withdrawal-change-of-mind') as { asOf: string; order: { placedAt: string; items: { receivedAt: string }[] } };
  late.asOf = '2999-12-31';
  late.order.placedAt = '2999-12-20';
  late.order.items[0]!.receivedAt = '2999-12-21';
  const p = isProblem(t, await post(late), 422, 'outside-calendar');
  const paths = p.errors.map((e: { path: string }) => e.path);
  t.ok(paths.includes('order.items.0.receivedAt') && paths.includes('asOf'), `names the dates that led there: ${paths}`);
  t.notMatch(p.detail, /2999-12-2/, 'no request date in the detail');
  // The lint's asOf in the query.
  const policy = JSON.parse(JSON.stringify((await import('../examples/policies/01-compliant-shop.json', { with: { type: 'json' } })).default.value));
  const q = isProblem(t, await post(policy, '/v1/policies/lint?asOf=0000-01-01'), 400);
  t.same(q.errors.map((e: { path: string }) => e.path), ['querystring.asOf']);
  t.equal((await post(policy, '/v1/policies/lint?asOf=2999-12-31')).statusCode, 200, 'the last day of the calendar lints');
});

t.test('JSON nesting and keys per object are checked before validation; error lists are capped with a count', async (t) => {
  const app = await build(t);
  const post = (payload: string) => app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload });
  const deep = isProblem(t, await post('['.repeat(200_000) + ']'.repeat(200_000)), 400, 'body-too-complex');
  t.match(deep.detail, /deeper than 16/);
  isProblem(t, await post(`{"a":${'{"b":'.repeat(20)}1${'}'.repeat(20)}}`), 400, 'body-too-complex');
  const wide = isProblem(t, await post(`{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(',')}}`), 400, 'body-too-complex');
  t.match(wide.detail, /more than 128 keys/);
  // 100 unknown keys in each of two objects: within the limits, 202 errors, 20 listed.
  const many = (await post(`{"order":{${Array.from({ length: 100 }, (_, i) => `"k${i}":1`).join(',')}},"incident":{${Array.from({ length: 100 }, (_, i) => `"q${i}":1`).join(',')}}}`));
  const p = isProblem(t, many, 400, 'invalid-request');
  t.equal(p.errors.length, 20);
  t.ok(p.errorCount > 200, `errorCount ${p.errorCount}`);
  t.ok(many.body.length < 5000, `a small answer (${many.body.length} bytes)`);
  t.equal((await post('{"order": "Jeanne" ')).json().errors[0].message.includes('Jeanne'), false, 'a parse error does not quote the body');
  isProblem(t, await post('{"__proto__": {"polluted": 1}}'), 400, 'malformed-json');
  isProblem(t, await post('{"constructor": {"prototype": {"polluted": 1}}}'), 400, 'malformed-json');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'nothing polluted');
  isProblem(t, await post(''), 400, 'malformed-json');
});

t.test('a key the client sent is named escaped and cut at 64 characters', async (t) => {
  const app = await build(t);
  const body = example('01-withdrawal-change-of-mind');
  body['<img src=x onerror=alert(1)>'] = 1;
  body['k'.repeat(500)] = 1;
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: body });
  const p = isProblem(t, res, 400);
  t.notMatch(res.body, /[<>]/, 'no raw < or > in the answer');
  t.ok(p.errors.some((e: { path: string }) => e.path === '<img src=x onerror=alert(1)>'), 'named, as JSON escapes');
  t.ok(p.errors.some((e: { path: string }) => e.path === `${'k'.repeat(64)}…`), 'cut');
});

t.test('a client request id is kept only when it is a short token', async (t) => {
  const app = await build(t);
  const id = async (given: string) => (await app.inject({ url: '/health/live', headers: { 'x-request-id': given } })).headers['x-request-id'];
  t.equal(await id('abc-123.x:y_z'), 'abc-123.x:y_z');
  for (const bad of ['a'.repeat(65), 'jeanne dupont', 'a/b', '<x>', 'é'])
    t.not(await id(bad), bad, `replaced: ${JSON.stringify(bad.slice(0, 20))}`);
});

t.test('security headers suited to an API, and to the explorer', async (t) => {
  const app = await build(t);
  const res = await app.inject('/health/live');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['x-frame-options'], 'DENY');
  t.match(res.headers['content-security-policy'], /default-src 'none'/);
  t.match(res.headers['strict-transport-security'], /max-age=/);
  t.equal(res.headers['referrer-policy'], 'no-referrer');
  const docs = await app.inject('/docs/');
  t.match(docs.headers['content-security-policy'], /script-src 'self'/, 'the explorer may run its own scripts');
  t.notMatch(docs.headers['content-security-policy'], /upgrade-insecure-requests/);
});
