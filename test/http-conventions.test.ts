// HTTP conventions a client library expects: compression (gzip, br) over 1 KB, identical once
// decompressed; ETag + Cache-Control on the ruleset's GET routes with a 304 on If-None-Match;
// Content-Language and Vary on language-dependent answers; pagination of GET /v1/rules; W3C
// traceparent in the logs.
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pino from 'pino';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { matchesIfNoneMatch } from '../src/http/caching.js';
import { parseTraceparent } from '../src/http/trace.js';
import { build, example } from './helpers/app.js';

const decode = { gzip: gunzipSync, br: brotliDecompressSync } as const;

t.test('a verdict and a batch come back compressed when asked, identical once decompressed', async (t) => {
  const app = await build(t);
  const ex = example('01-withdrawal-change-of-mind');
  const batch = { requests: Array.from({ length: 50 }, () => example('01-withdrawal-change-of-mind')) };
  for (const [url, payload] of [['/v1/verdicts', ex], ['/v1/verdicts/batch', batch]] as const) {
    const plain = await app.inject({ method: 'POST', url, payload, headers: { 'accept-encoding': 'identity' } });
    t.equal(plain.statusCode, 200);
    t.notOk(plain.headers['content-encoding'], `${url}: not compressed unless asked`);
    for (const encoding of ['gzip', 'br'] as const) {
      const res = await app.inject({ method: 'POST', url, payload, headers: { 'accept-encoding': encoding } });
      t.equal(res.headers['content-encoding'], encoding, `${url}: ${encoding}`);
      t.match(String(res.headers.vary), /accept-encoding/i, 'Vary: Accept-Encoding');
      const body = decode[encoding](res.rawPayload);
      t.ok(body.equals(plain.rawPayload), `${url} ${encoding}: the same bytes once decompressed`);
      t.ok(res.rawPayload.length * 2 < plain.rawPayload.length, `${url} ${encoding}: ${plain.rawPayload.length} bytes sent as ${res.rawPayload.length}`);
    }
  }
  const small = await app.inject({ url: '/health/live', headers: { 'accept-encoding': 'gzip, br' } });
  t.ok(small.rawPayload.length < 1024);
  t.notOk(small.headers['content-encoding'], 'under 1 KB: sent as is');
  const manyBad = example('01-withdrawal-change-of-mind') as { order: { items: unknown[] } };
  manyBad.order.items = Array.from({ length: 40 }, (_, i) => ({ id: `A${i}`, price: -1 }));
  const problem = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: manyBad, headers: { 'accept-encoding': 'gzip' } });
  t.equal(problem.statusCode, 400);
  t.ok(gunzipSync(problem.rawPayload).length > 1024, 'a problem naming 40 fields');
  t.equal(problem.headers['content-encoding'], 'gzip', 'a large problem+json is compressed too');
});

t.test('ETag and Cache-Control on every GET of the ruleset, 304 on If-None-Match', async (t) => {
  const app = await build(t);
  const urls = ['/v1/rules', '/v1/rules?limit=5', '/v1/rules/fr%2Fwithdrawal%2FL221-18', '/v1/legal-basis/FR.C_CONSO.L221-18', '/v1/policies', '/v1/policies/amazon-fr', '/openapi.json'];
  const tags = new Set<string>();
  for (const url of urls) {
    const first = await app.inject(url);
    t.equal(first.statusCode, 200, url);
    const etag = String(first.headers.etag);
    t.match(etag, /^W\/"[\w-]+"$/, `${url}: a weak ETag`);
    t.equal(first.headers['cache-control'], 'no-cache', `${url}: revalidate before each use`);
    tags.add(etag);
    const again = await app.inject({ url, headers: { 'if-none-match': etag } });
    t.equal(again.statusCode, 304, `${url}: 304 when the ETag is current`);
    t.equal(again.rawPayload.length, 0, 'no body');
    t.equal(again.headers.etag, etag);
    t.equal(again.headers['cache-control'], 'no-cache');
    t.equal((await app.inject({ url, headers: { 'if-none-match': `W/"other", ${etag}` } })).statusCode, 304, 'any entry of the list');
    t.equal((await app.inject({ url, headers: { 'if-none-match': 'W/"other"' } })).statusCode, 200, 'another ETag: the full answer');
  }
  t.equal(tags.size, urls.length, 'each answer has its own ETag');
  t.equal((await app.inject({ url: '/v1/rules/nope', headers: { 'if-none-match': '*' } })).statusCode, 404, 'a 404 stays a 404');
  t.ok(matchesIfNoneMatch('*', 'W/"x"'));
  t.notOk(matchesIfNoneMatch(undefined, 'W/"x"'));
});

t.test('the ETag changes with the ruleset digest', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-etag-'));
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  const holder = new RulesetHolder(dir);
  const app = await build(t, { rulesets: holder });
  const before = await app.inject('/v1/legal-basis/FR.C_CONSO.L221-18');
  const path = join(dir, 'ruleset.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { version: string };
  writeFileSync(path, JSON.stringify({ ...manifest, version: `${manifest.version}-b` }));
  holder.reload();
  const after = await app.inject({ url: '/v1/legal-basis/FR.C_CONSO.L221-18', headers: { 'if-none-match': String(before.headers.etag) } });
  t.equal(after.statusCode, 200, 'a reloaded ruleset: the old ETag no longer matches');
  t.not(after.headers.etag, before.headers.etag);
  t.equal(after.body, before.body, 'even when this answer is the same');
});

t.test('Content-Language and Vary: Accept-Language on language-dependent answers', async (t) => {
  const app = await build(t);
  const en = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: example('01-withdrawal-change-of-mind') });
  t.equal(en.headers['content-language'], 'en', 'the body says locale en');
  t.match(String(en.headers.vary), /^Accept-Language\b/);
  const body = example('01-withdrawal-change-of-mind');
  delete body.locale;
  const fr = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: body, headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' } });
  t.equal(fr.headers['content-language'], 'fr', 'Accept-Language when the body names no locale');
  t.equal(fr.json().locale, 'fr');
  const mixed = await app.inject({ method: 'POST', url: '/v1/verdicts/batch', payload: { requests: [example('01-withdrawal-change-of-mind'), body] }, headers: { 'accept-language': 'fr' } });
  t.equal(mixed.headers['content-language'], 'en, fr', 'a batch in two languages says both');
  t.match(String(mixed.headers.vary), /Accept-Language/);
  const policy = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', 'policies', '02-below-the-floor.json'), 'utf8')) as { value: object }).value;
  const lint = await app.inject({ method: 'POST', url: '/v1/policies/lint?asOf=2026-11-22', payload: policy, headers: { 'accept-language': 'en' } });
  t.equal(lint.statusCode, 200);
  t.equal(lint.headers['content-language'], 'en');
  t.match(String(lint.headers.vary), /Accept-Language/);
  const rules = await app.inject('/v1/rules');
  t.notOk(rules.headers['content-language'], 'the ruleset is served in both languages at once');
});

t.test('GET /v1/rules pages with limit and cursor', async (t) => {
  const app = await build(t);
  const all = (await app.inject('/v1/rules?limit=200')).json() as { total: number; nextCursor: string | null; rules: { id: string }[] };
  t.equal(all.rules.length, all.total);
  t.equal(all.nextCursor, null, 'one page holds them all');
  t.same(all.rules.map((r) => r.id), [...all.rules.map((r) => r.id)].sort(), 'in the order of the ids');
  const first = (await app.inject('/v1/rules')).json() as { rules: unknown[] };
  t.equal(first.rules.length, Math.min(50, all.total), 'default limit 50');
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await app.inject(`/v1/rules?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    t.equal(res.statusCode, 200);
    const page = res.json() as { total: number; nextCursor: string | null; rules: { id: string }[] };
    t.ok(page.rules.length <= 7);
    t.equal(page.total, all.total);
    seen.push(...page.rules.map((r) => r.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  t.same(seen, all.rules.map((r) => r.id), 'the pages hold every rule file once, in order');
  t.equal(pages, Math.ceil(all.total / 7));
  for (const query of ['limit=0', 'limit=201', 'limit=ten', 'cursor=%25%25', 'page=2']) {
    const res = await app.inject(`/v1/rules?${query}`);
    t.equal(res.statusCode, 400, `${query}: 400`);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
  }
});

t.test('a W3C traceparent is accepted and its ids are on the request log line', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = await build(t, { logger: pino({ level: 'info' }, sink) });
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const res = await app.inject({ url: '/health/live', headers: { traceparent } });
  t.equal(res.statusCode, 200);
  const bad = await app.inject({ url: '/health/live', headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } });
  t.equal(bad.statusCode, 200, 'a malformed traceparent is ignored, the request served');
  await new Promise((r) => setImmediate(r));
  const requests = lines.filter((l) => l.msg === 'request');
  t.equal(requests.length, 2);
  t.equal(requests[0]!.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  t.equal(requests[0]!.parentSpanId, '00f067aa0ba902b7');
  t.notOk('traceId' in requests[1]!, 'no trace id from a malformed header');
  t.same(parseTraceparent(traceparent), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', sampled: true });
  for (const badHeader of ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', 'nonsense'])
    t.equal(parseTraceparent(badHeader), null, badHeader);
  t.same(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-future')?.sampled, false, 'a later version may append fields');
});
