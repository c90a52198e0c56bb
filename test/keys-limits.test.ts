// API keys (Authorization: Bearer, SHA-256 configured), the rate limit per key or address, and load
// shedding: each answered with a problem+json and the headers a client needs to behave.
import t from 'tap';
import { hashKey, parseApiKeys } from '../src/http/auth.js';
import { parseConfig } from '../src/config.js';
import { build, example } from './helpers/app.js';

const json = { 'content-type': 'application/json' };
const KEYS = parseApiKeys(`backoffice:${hashKey('s3cret-backoffice')},support:${hashKey('s3cret-support')}`);

t.test('with keys configured, /v1 needs a valid bearer key; probes, /docs and /openapi.json stay open', async (t) => {
  const app = await build(t, { apiKeys: KEYS });
  const body = example('01-withdrawal-change-of-mind');
  for (const authorization of [undefined, 'Bearer nope', 'Bearer s3cret-backoffice ', 'Basic czNjcmV0', 'bearer s3cret-backoffice', `Bearer ${hashKey('s3cret-backoffice')}`]) {
    const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: { ...json, ...(authorization ? { authorization } : {}) }, payload: body });
    t.equal(res.statusCode, 401, `${authorization}: 401`);
    t.equal(res.json().type, 'urn:recourse:problem:unauthorized');
    t.equal(res.headers['www-authenticate'], 'Bearer realm="recourse"');
    t.ok(res.headers['x-request-id']);
  }
  t.equal((await app.inject({ url: '/v1/rules' })).statusCode, 401, 'reads too');
  t.equal((await app.inject({ url: '/v1/nothing' })).statusCode, 401, 'unknown /v1 paths do not reveal themselves');
  for (const key of ['s3cret-backoffice', 's3cret-support']) {
    const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: { ...json, authorization: `Bearer ${key}` }, payload: body });
    t.equal(res.statusCode, 200, key);
  }
  for (const url of ['/health/live', '/health/ready', '/openapi.json', '/docs/']) t.equal((await app.inject(url)).statusCode, 200, `${url} open`);
});

t.test('without keys, /v1 is open', async (t) => {
  const app = await build(t);
  t.equal((await app.inject('/v1/rules')).statusCode, 200);
});

t.test('RECOURSE_API_KEYS: name:sha256-hex, a bad entry stops the start naming the variable (not the value)', async (t) => {
  t.equal(parseConfig({ RECOURSE_API_KEYS: `a:${hashKey('x')}, b.c-d_e:${hashKey('y').toUpperCase()}` }).RECOURSE_API_KEYS.length, 2);
  t.same(parseConfig({}).RECOURSE_API_KEYS, []);
  for (const bad of ['a:1234', `a ${hashKey('x')}`, `:${hashKey('x')}`, `a:${hashKey('x')},a:${hashKey('y')}`, `a:${hashKey('x')},`])
    t.throws(() => parseConfig({ RECOURSE_API_KEYS: bad }), /^RECOURSE_API_KEYS: entry \d/, bad);
  try {
    parseConfig({ RECOURSE_API_KEYS: 'prod:not-a-hash-TOPSECRET' });
  } catch (e) {
    t.notMatch((e as Error).message, /TOPSECRET/, 'the value is not repeated');
  }
});

t.test('the rate limit: RATE_LIMIT_MAX a minute per key, then a 429 problem with Retry-After and RateLimit-*', async (t) => {
  const app = await build(t, { apiKeys: KEYS, rateLimitMax: 3 });
  const get = (key: string) => app.inject({ url: '/v1/rules', headers: { authorization: `Bearer ${key}` } });
  for (let i = 0; i < 3; i++) {
    const res = await get('s3cret-backoffice');
    t.equal(res.statusCode, 200);
    t.equal(res.headers['ratelimit-limit'], '3');
    t.equal(res.headers['ratelimit-remaining'], String(2 - i));
  }
  const res = await get('s3cret-backoffice');
  t.equal(res.statusCode, 429);
  t.match(res.headers['content-type'], /problem\+json/);
  t.equal(res.json().type, 'urn:recourse:problem:rate-limited');
  t.ok(Number(res.headers['retry-after']) > 0 && Number(res.headers['retry-after']) <= 60, `Retry-After ${res.headers['retry-after']}`);
  t.equal(res.headers['ratelimit-remaining'], '0');
  t.ok(res.headers['ratelimit-reset']);
  t.equal((await get('s3cret-support')).statusCode, 200, 'another key has its own budget');
  t.equal((await app.inject('/health/live')).statusCode, 200, 'probes are never limited');
});

t.test('without keys, the limit is per client address, and wrong keys count against it', async (t) => {
  const app = await build(t, { rateLimitMax: 2 });
  const from = (ip: string) => app.inject({ url: '/v1/rules', remoteAddress: ip });
  t.equal((await from('10.0.0.1')).statusCode, 200);
  t.equal((await from('10.0.0.1')).statusCode, 200);
  t.equal((await from('10.0.0.1')).statusCode, 429);
  t.equal((await from('10.0.0.2')).statusCode, 200);
  const keyed = await build(t, { apiKeys: KEYS, rateLimitMax: 2 });
  const guess = () => keyed.inject({ url: '/v1/rules', headers: { authorization: 'Bearer guess' }, remoteAddress: '10.0.0.3' });
  t.equal((await guess()).statusCode, 401);
  t.equal((await guess()).statusCode, 401);
  t.equal((await guess()).statusCode, 429, 'guessing keys is rate limited by address');
});

t.test('load shedding: past the memory threshold /v1 answers 503 with Retry-After; probes still answer', async (t) => {
  const app = await build(t, { underPressure: { maxEventLoopDelayMs: 0, maxRssBytes: 1, sampleIntervalMs: 10 } });
  await new Promise((r) => setTimeout(r, 50));
  const res = await app.inject('/v1/rules');
  t.equal(res.statusCode, 503);
  t.equal(res.json().type, 'urn:recourse:problem:overloaded');
  t.equal(res.headers['retry-after'], '5');
  t.ok(res.headers['x-request-id']);
  t.equal((await app.inject('/health/live')).statusCode, 200);
  t.equal((await app.inject('/health/ready')).statusCode, 200);
});

t.test('load shedding: an event loop that lags makes /v1 answer 503', async (t) => {
  const app = await build(t, { underPressure: { maxEventLoopDelayMs: 20, maxRssBytes: 0, sampleIntervalMs: 50 } });
  // Block the loop in steps, so that each sample's mean delay is well above 20 ms, and ask at once.
  for (let i = 0; i < 6; i++) {
    const until = Date.now() + 120;
    while (Date.now() < until);
    await new Promise((r) => setImmediate(r));
  }
  const res = await app.inject('/v1/rules');
  t.equal(res.statusCode, 503, res.body.slice(0, 200));
  t.equal(res.json().type, 'urn:recourse:problem:overloaded');
});
