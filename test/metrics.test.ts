// GET /metrics: Prometheus text, counting exactly what was served.
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { build, example } from './helpers/app.js';

/** The value of one sample line, by its exact name and labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) return Number(m[3]);
  }
  return undefined;
}

t.test('requests by route and status, verdicts by outcome and track, evaluation time', async (t) => {
  const app = await build(t);
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
  t.equal((await post('/v1/verdicts', example('01-withdrawal-change-of-mind'))).json().decision.outcome, 'return_accepted');
  t.equal((await post('/v1/verdicts', example('01-withdrawal-change-of-mind'))).statusCode, 200);
  const excluded = (await post('/v1/verdicts', example('03-excluded-personalised-item'))).json().decision;
  const batch = await post('/v1/verdicts/batch', { requests: [example('01-withdrawal-change-of-mind'), { ...example('01-withdrawal-change-of-mind'), jurisdiction: 'DE' }] });
  t.same(batch.json().results.map((r: { status: number }) => r.status), [200, 422]);
  t.equal((await post('/v1/verdicts', { order: {} })).statusCode, 400);
  t.equal((await app.inject('/v1/rules/fr%2Fwithdrawal%2FL221-18')).statusCode, 200);
  t.equal((await app.inject('/no/such/route/12345')).statusCode, 404);

  const res = await app.inject('/metrics');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const text = res.body;
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
    t.match(line, /^[a-zA-Z_:][\w:]*(\{[^}]*\})? (-?[\d.]+(e[+-]?\d+)?|NaN|[+-]Inf)$/, 'a Prometheus sample line');

  t.equal(sample(text, 'recourse_http_requests_total', { method: 'POST', route: '/v1/verdicts', status_code: '200' }), 3);
  t.equal(sample(text, 'recourse_http_requests_total', { method: 'POST', route: '/v1/verdicts', status_code: '400' }), 1);
  t.equal(sample(text, 'recourse_http_requests_total', { method: 'POST', route: '/v1/verdicts/batch', status_code: '200' }), 1);
  t.equal(sample(text, 'recourse_http_requests_total', { method: 'GET', route: '/v1/rules/:id', status_code: '200' }), 1, 'the route pattern, not the URL');
  t.equal(sample(text, 'recourse_http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' }), 1, 'an unknown URL is "unmatched"');
  t.notOk(text.includes('/no/such/route'), 'no URL in a label');
  t.equal(sample(text, 'recourse_http_request_duration_seconds_count', { method: 'POST', route: '/v1/verdicts', status_code: '200' }), 3);
  t.equal(sample(text, 'recourse_verdicts_total', { outcome: 'return_accepted', track: 'withdrawal' }), 3, 'two alone, one in the batch');
  t.equal(sample(text, 'recourse_verdicts_total', { outcome: excluded.outcome, track: excluded.track ?? 'none' }), 1);
  t.equal(sample(text, 'recourse_verdict_evaluation_seconds_count'), 4, 'one evaluation per verdict given');
  t.ok((sample(text, 'recourse_verdict_evaluation_seconds_sum') ?? 0) > 0);
  for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'process_cpu_seconds_total'])
    t.ok(sample(text, name) !== undefined, `${name}`);
});

t.test('the ruleset in service, as an info metric that follows a reload', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-metrics-'));
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  const holder = new RulesetHolder(dir);
  const app = await build(t, { rulesets: holder });
  const before = (await app.inject('/metrics')).body;
  t.equal(sample(before, 'recourse_ruleset_info', { version: holder.current.version, digest: holder.current.digest }), 1);
  const path = join(dir, 'ruleset.json');
  writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(path, 'utf8')) as object), version: '2099.01.01' }));
  holder.reload();
  const after = (await app.inject('/metrics')).body;
  t.equal(sample(after, 'recourse_ruleset_info', { version: '2099.01.01', digest: holder.current.digest }), 1);
  t.equal(after.split('\n').filter((l) => l.startsWith('recourse_ruleset_info{')).length, 1, 'only the ruleset in service');
});
