// openapi/openapi.json is generated from the zod schemas and committed. This fails when the committed
// document drifts from what the code generates, when it is not a valid OpenAPI 3.1 document, when it
// stops generating good clients (named components, optional defaults, real bounds, problem+json,
// every status and header), or when Redocly's `recommended` or Spectral's `spectral:oas` ruleset
// reports anything at all.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validate } from '@readme/openapi-parser';
import { generateOpenApi, OPENAPI_PATH } from '../scripts/write-openapi.mjs';
import { build } from './helpers/app.js';

const ROOT = join(import.meta.dirname, '..');
const run = promisify(execFile);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const doc = (): Any => JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
function operations(d: Any): [string, string, Any][] {
  return Object.entries(d.paths).flatMap(([path, item]) => METHODS.filter((m) => (item as Any)[m]).map((m): [string, string, Any] => [path, m, (item as Any)[m]]));
}

t.test('the committed OpenAPI document is what the code generates (run `npm run openapi` after a contract change)', async (t) => {
  const generated = await generateOpenApi();
  const committed = readFileSync(OPENAPI_PATH, 'utf8');
  t.equal(committed, generated, 'openapi/openapi.json is up to date');
});

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const d = doc();
  t.equal(d.openapi, '3.1.0');
  const result = await validate(structuredClone(d));
  t.ok(result.valid, JSON.stringify('errors' in result ? result.errors : [], null, 2).slice(0, 2000));
  // The validator can fail: the same document with a broken response object is rejected.
  const broken = structuredClone(d);
  broken.paths['/v1/verdicts'].post.responses['200'] = { content: 'not an object' };
  t.notOk((await validate(broken)).valid, 'a broken document is rejected');
});

t.test('every shape is a named component, once: no "…Input" twin, none unused, nested ones named', async (t) => {
  const d = doc();
  const schemas = d.components.schemas as Record<string, Any>;
  for (const name of ['VerdictRequest', 'Order', 'Item', 'ItemAttributes', 'Incident', 'HistoryEvent', 'Verdict', 'Decision', 'Remedy', 'Exclusion', 'Deadline', 'Refund', 'Penalty', 'AppealStep', 'LegalBasisEntry', 'Problem', 'FieldError', 'BatchRequest', 'BatchResponse', 'BatchResult', 'RuleList', 'RuleSummary', 'RuleFile', 'LegalBasis', 'PolicyList', 'MerchantPolicy', 'PolicyFile', 'PolicyLintResult', 'HealthStatus'])
    t.ok(schemas[name], `components.schemas.${name}`);
  t.same(Object.keys(schemas).filter((n) => n.endsWith('Input')), [], 'no …Input twin');
  const text = JSON.stringify(d.paths) + JSON.stringify(schemas);
  for (const name of Object.keys(schemas)) t.ok(text.includes(`"#/components/schemas/${name}"`), `${name} is used`);
  // Bodies are references to components, never inline shapes.
  for (const [path, method, op] of operations(d)) {
    const body = op.requestBody?.content?.['application/json']?.schema;
    if (body) t.ok(body.$ref, `${method} ${path}: the request body is a component`);
    for (const [status, response] of Object.entries(op.responses as Record<string, Any>))
      for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Any>))
        if (type.includes('json')) t.ok(media.schema.$ref, `${method} ${path} ${status} ${type}: a component`);
  }
  // Inside components, an inline object is only the reviewed-value wrapper of the policy format.
  const inline: string[] = [];
  const walk = (s: Any, path: string, top: boolean) => {
    if (!s || typeof s !== 'object') return;
    if (!top && s.type === 'object' && s.properties) {
      const wrapper = ['value', 'status', 'needsLegalReview', 'source'].every((k) => k in s.properties);
      if (!wrapper) inline.push(path);
    }
    for (const [k, v] of Object.entries(s)) if (k !== 'examples' && k !== 'example') walk(v, `${path}.${k}`, false);
  };
  for (const [name, s] of Object.entries(schemas)) walk(s, name, true);
  t.same(inline, [], 'no anonymous nested object');
  t.equal(d.paths['/v1/verdicts/batch'].post.requestBody.content['application/json'].schema.$ref, '#/components/schemas/BatchRequest');
  t.equal(schemas.BatchRequest.properties.requests.items.$ref, '#/components/schemas/VerdictRequest', 'batch elements are typed');
});

t.test('fields with defaults are optional in requests, and their default is said', async (t) => {
  const schemas = doc().components.schemas as Record<string, Any>;
  t.same(schemas.VerdictRequest.required, ['order', 'incident']);
  t.same(schemas.Item.required, ['id', 'price']);
  t.same(schemas.Order.required, ['placedAt', 'items']);
  t.notOk(JSON.stringify(schemas.VerdictRequest).includes('"default"'), 'no `default` keyword in a request component');
  t.match(schemas.Order.properties.currency.description, /Default: "EUR"\./);
  t.match(schemas.Item.properties.quantity.description, /Default: 1\./);
  // Responses keep their fields required.
  t.ok(schemas.Verdict.required.includes('remedies'));
});

t.test('integers carry their real bounds, never ±9007199254740991', async (t) => {
  const d = doc();
  t.notOk(JSON.stringify(d).includes('9007199254740991'));
  const s = d.components.schemas;
  t.same([s.Problem.properties.status.minimum, s.Problem.properties.status.maximum], [400, 599]);
  t.same([s.Deadline.properties.daysLeft.minimum, s.Deadline.properties.daysLeft.maximum], [-401766, 401766]);
  t.equal(s.Item.properties.quantity.minimum, 1);
});

t.test('every status a route can return is documented, problems as application/problem+json, with every header', async (t) => {
  const d = doc();
  const statuses = (path: string, method: string) => Object.keys(d.paths[path][method].responses).sort();
  t.same(statuses('/v1/verdicts', 'post'), ['200', '400', '401', '413', '415', '422', '429', '500', '503']);
  t.same(statuses('/v1/verdicts/batch', 'post'), ['200', '400', '401', '413', '415', '429', '500', '503']);
  t.same(statuses('/v1/policies/lint', 'post'), ['200', '400', '401', '413', '415', '422', '429', '500', '503']);
  t.same(statuses('/v1/rules', 'get'), ['200', '304', '400', '401', '429', '500', '503']);
  t.same(statuses('/v1/rules/{id}', 'get'), ['200', '304', '400', '401', '404', '429', '500', '503']);
  for (const [path, method, op] of operations(d)) {
    t.ok(op.description, `${method} ${path} has a description`);
    for (const [status, response] of Object.entries(op.responses as Record<string, Any>)) {
      t.not(response.description, 'Default Response', `${method} ${path} ${status} is described`);
      t.ok(response.headers?.['x-request-id'] && response.headers?.['x-ruleset-digest'], `${method} ${path} ${status}: x-request-id, x-ruleset-digest`);
      if (Number(status) >= 400 && !(path === '/health/ready' && status === '503')) {
        t.same(Object.keys(response.content), ['application/problem+json'], `${method} ${path} ${status} is a problem`);
        t.equal(response.content['application/problem+json'].schema.$ref, '#/components/schemas/Problem');
      }
      if (status === '304') t.ok(response.headers.ETag && response.headers['Cache-Control'], `${path} 304: ETag, Cache-Control`);
      if (status === '429') t.ok(response.headers['Retry-After'], `${path} 429: Retry-After`);
    }
    if (method === 'get' && path.startsWith('/v1/')) t.ok(op.responses['304'], `${path}: 304 on If-None-Match`);
  }
  for (const path of ['/v1/verdicts', '/v1/verdicts/batch', '/v1/policies/lint'])
    t.ok(d.paths[path].post.responses['200'].headers['Content-Language'] && d.paths[path].post.responses['200'].headers.Vary, `${path}: Content-Language, Vary`);
});

t.test('info, servers, tags, security and the explorer examples', async (t) => {
  const d = doc();
  t.ok(d.info.license?.name && d.info.contact?.name, 'license and contact');
  t.same(d.servers, [{ url: '/', description: 'The server that serves this document' }]);
  const tags = new Set(d.tags.map((x: Any) => x.name));
  for (const [path, method, op] of operations(d)) for (const tag of op.tags) t.ok(tags.has(tag), `${method} ${path}: tag ${tag} is declared`);
  t.same(d.security, [], 'open by default');
  for (const path of ['/health/live', '/health/ready']) t.same(d.paths[path].get.security, [], `${path} stays open when a security scheme is declared`);
  const post = d.paths['/v1/verdicts'].post;
  t.ok(Object.keys(post.requestBody.content['application/json'].examples).length >= 4, 'ready examples for the explorer');
  t.ok(Object.keys(d.paths['/v1/verdicts/batch'].post.requestBody.content['application/json'].examples).length >= 1, 'a ready batch');
  t.ok(Object.keys(d.paths['/v1/policies/lint'].post.requestBody.content['application/json'].examples).length >= 2, 'ready policies');
  const text = JSON.stringify(d);
  for (const word of ['refund_late', 'not_delivered', 'bedding_mattresses', 'withdrawal.notice', 'appealPath', 'legalBasis']) t.ok(text.includes(word), `mentions ${word}`);
});

/** Runs Redocly's recommended and Spectral's spectral:oas rulesets (redocly.yaml, .spectral.yaml) on a file. */
async function lint(file: string): Promise<{ redocly: { errors: number; warnings: number; problems: Any[] }; spectral: Any[] }> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
  const redocly = await run(bin('redocly'), ['lint', file, '--format=json'], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }).catch((e: Any) => e);
  const out = join(mkdtempSync(join(tmpdir(), 'recourse-spectral-')), 'result.json');
  await run(bin('spectral'), ['lint', file, '-f', 'json', '-o', out, '--fail-severity', 'hint'], { cwd: ROOT, env }).catch((e: Any) => e);
  const r = JSON.parse(redocly.stdout);
  return { redocly: { errors: r.totals.errors, warnings: r.totals.warnings, problems: r.problems }, spectral: JSON.parse(readFileSync(out, 'utf8')) };
}

t.test('Redocly (recommended) and Spectral (spectral:oas): 0 errors, 0 warnings', async (t) => {
  t.same(readFileSync(join(ROOT, 'redocly.yaml'), 'utf8').trim(), 'extends:\n  - recommended', 'Redocly: the recommended ruleset, no rule turned off');
  t.same(readFileSync(join(ROOT, '.spectral.yaml'), 'utf8').trim(), 'extends: ["spectral:oas"]', 'Spectral: the oas ruleset, no rule turned off');
  const result = await lint(OPENAPI_PATH);
  t.equal(result.redocly.errors, 0, JSON.stringify(result.redocly.problems.slice(0, 5), null, 2));
  t.equal(result.redocly.warnings, 0);
  t.same(result.spectral.map((p: Any) => `${p.code}: ${p.message} at ${p.path.join('.')}`), [], 'Spectral reports nothing');

  // Both can fail: a document without a license, with an undeclared tag and an unused component.
  const broken = doc();
  delete broken.info.license;
  broken.paths['/v1/rules'].get.tags = ['undeclared'];
  broken.components.schemas.Unused = { type: 'string' };
  const file = join(mkdtempSync(join(tmpdir(), 'recourse-openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(broken));
  const bad = await lint(file);
  t.ok(bad.redocly.errors + bad.redocly.warnings >= 2, 'Redocly reports the defects');
  t.ok(bad.spectral.length >= 2, 'Spectral reports the defects');
});

t.test('GET /openapi.json serves the same document', async (t) => {
  const app = await build(t);
  const res = await app.inject('/openapi.json');
  t.equal(res.statusCode, 200);
  t.same(res.json(), doc());
});
