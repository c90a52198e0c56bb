// Requests generated with fast-check from the OpenAPI document (itself generated from the zod schemas)
// and from mutations of the explorer's examples, and the properties every answer must have: never a
// 5xx, a problem+json with a request id on every error, the bad field named on every 400. Used by
// test/fuzz.test.ts (a few thousand, seeded), test/logs.test.ts (canaries in the logs), `npm run
// fuzz` (100,000) and `npm run reliability`.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;

export interface FuzzCase {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** What kind of case: for the figures. */
  kind: string;
}

/** Values that must never appear in a log line: free text, ids, dates, keys, headers, URLs. */
export const CANARIES = ['CANARYjeanneDUPONT', 'CANARY-12-rue-des-Lilas', 'CANARYkey', '2987-03-17', '1911-11-11', 'CANARYreqid with space', 'CANARYbearer'];

const EDGE_DATES = [
  '0000-01-01', '0001-01-01', '1899-12-31', '1900-01-01', '1900-01-02', '1900-02-28', '1919-12-31', '2000-02-29', '2024-02-29',
  '2025-02-29', '2026-11-11', '2026-12-25', '2979-01-01', '2998-12-31', '2999-01-01', '2999-12-20', '2999-12-21', '2999-12-31',
  '3000-01-01', '9999-01-01', '9999-12-21', '9999-12-31', '2026-00-10', '2026-13-01', '2026-02-30', '26-01-05', '2026-1-5', '2987-03-17', '1911-11-11',
];
const EDGE_DATE_TIMES = [
  '1900-01-01T00:30:00+14:00', '0001-01-01T00:30:00+14:00', '2999-12-31T23:30:00-12:00', '2999-12-31T23:59:59.999999999-14:00',
  '2026-10-29T24:00:00+01:00', '2026-10-29T23:60:00Z', '2026-10-29T10:00:00+15:00', '2026-10-29T10:00:00+14:30', '2026-03-29T02:30:00+01:00',
  '2026-10-25T02:30:00+02:00', '2026-10-29T10:00Z', '2026-10-29T10:00:00.123456789+05:45',
];
const NASTY: Json[] = [
  null, true, false, 0, -1, -0.01, 1.5, 1e9, 1e9 + 1, 1e308, -1e308, 2 ** 53, '', ' ', 'x'.repeat(5001), '\u0000', '\ud800', 'é', '🙂',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '<script>alert(1)</script>', '../../etc/passwd', '%C0%AF', 'FR', 'DE', 'XX',
  'FR-67', 'FR-999', 'amazon-fr', 'nope', 'fr', 'en', [], [null], {}, { __proto__: null }, ...EDGE_DATES, ...EDGE_DATE_TIMES, ...CANARIES,
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];

function load<T>(dir: string): T[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as T);
}

export const OPENAPI = JSON.parse(readFileSync(join(ROOT, 'openapi', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };
const VERDICT_EXAMPLES = load<{ value: Json }>(join(ROOT, 'examples', 'requests')).map((e) => e.value);
const POLICY_EXAMPLES = load<{ value: Json }>(join(ROOT, 'examples', 'policies')).map((e) => e.value);
const RULE_IDS = ['fr/withdrawal/L221-18', 'fr/conformity/L217-3', 'fr/appeal/chargeback', 'nope/x'];
const BASIS_IDS = ['FR.C_CONSO.L221-18', 'EU.CJEU.C-511-08', 'FR.C_CIV.1641', 'FR.NOPE'];

// ---------------------------------------------------------------------------------------------
// From a JSON Schema (the OpenAPI document's) to an arbitrary
// ---------------------------------------------------------------------------------------------

const YEAR_PATTERN = '(?:19\\d{2}|2\\d{3})';
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Mostly plausible dates (the examples' years), sometimes the calendar's edges and impossible ones. */
export const dateArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ y: fc.integer({ min: 2013, max: 2028 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }).map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`) },
  { weight: 2, arbitrary: fc.record({ y: fc.integer({ min: 1900, max: 2999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) }).map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`) },
  { weight: 2, arbitrary: fc.constantFrom(...EDGE_DATES) },
);
const dateTimeArb: fc.Arbitrary<string> = fc.oneof(
  dateArb,
  fc.constantFrom(...EDGE_DATE_TIMES),
  fc
    .record({ date: dateArb, h: fc.integer({ min: 0, max: 25 }), mi: fc.integer({ min: 0, max: 61 }), off: fc.integer({ min: -15 * 60, max: 15 * 60 }) })
    .map(({ date, h, mi, off }) => `${date}T${pad(h)}:${pad(mi)}:00${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`),
);

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  return resolve(OPENAPI.components.schemas[name] as Schema);
}

export function fromSchema(input: Schema, depth = 0): fc.Arbitrary<Json> {
  const schema = resolve(input);
  if (depth > 8) return fc.constant(null);
  if (Array.isArray(schema.enum)) return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...(schema.enum as Json[])) }, { weight: 1, arbitrary: fc.constantFrom<Json>('', 'NOPE', 0) });
  if ('const' in schema) return fc.constant(schema.const as Json);
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(options)) return fc.oneof(...options.map((o) => fromSchema(o, depth + 1)));
  switch (schema.type) {
    case 'string': {
      const pattern = typeof schema.pattern === 'string' ? schema.pattern : null;
      if (schema.format === 'date' || pattern?.startsWith(`^${YEAR_PATTERN}-\\d{2}-\\d{2}$`)) return dateArb;
      if (pattern?.includes(YEAR_PATTERN)) return dateTimeArb;
      const max = Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 40, 60);
      if (pattern) return fc.oneof({ weight: 8, arbitrary: fc.stringMatching(new RegExp(pattern)).filter((s) => s.length <= max) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
      if (schema.format === 'uri') return fc.constantFrom('https://example.org/mediator', 'nope', 'javascript:alert(1)');
      return fc.oneof({ weight: 8, arbitrary: fc.string({ minLength: Number(schema.minLength ?? 0), maxLength: max }) }, { weight: 1, arbitrary: fc.constantFrom(...CANARIES) });
    }
    case 'integer':
      return fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: Number(schema.minimum ?? -10), max: Math.min(Number(schema.maximum ?? 1000), 1_000_000) }) },
        { weight: 1, arbitrary: fc.constantFrom<Json>(-1, 0, 1e9 + 1, 1.5) },
      );
    case 'number':
      return fc.oneof(
        { weight: 8, arbitrary: fc.double({ min: Number(schema.minimum ?? -1000), max: Math.min(Number(schema.maximum ?? 1e6), 1e9), noNaN: true, noDefaultInfinity: true }) },
        { weight: 1, arbitrary: fc.constantFrom<Json>(-0.01, 1e9 + 1, 1e308, 0) },
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      const min = Number(schema.minItems ?? 0);
      return fc.array(fromSchema(items, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(Number(schema.maxItems ?? 3), 3)) });
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const model: Record<string, fc.Arbitrary<Json>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = fromSchema(v, depth + 1);
      const base = Object.keys(model).length ? fc.record(model, { requiredKeys: [...required].filter((k) => k in model) }) : fc.constant({});
      const extra = schema.additionalProperties && typeof schema.additionalProperties === 'object' ? fc.dictionary(fc.string({ maxLength: 10 }), fromSchema(schema.additionalProperties as Schema, depth + 1), { maxKeys: 3 }) : fc.constant({});
      return fc.tuple(base, extra).map(([a, b]) => ({ ...b, ...a }) as Json);
    }
    default:
      return fc.constantFrom<Json>(null, 1, 'x', true);
  }
}

function bodySchema(path: string): Schema {
  const op = OPENAPI.paths[path]?.post as { requestBody: { content: Record<string, { schema: Schema }> } };
  return op.requestBody.content['application/json']!.schema;
}

// ---------------------------------------------------------------------------------------------
// Mutations of the examples
// ---------------------------------------------------------------------------------------------

function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], f: (parent: Record<string, Json> | Json[], key: string | number) => void): Json {
  if (path.length === 0) return root;
  let cur = root as Record<string, Json> | Json[];
  for (const k of path.slice(0, -1)) cur = (cur as Record<string, Json>)[k as string] as Record<string, Json>;
  f(cur, path.at(-1)!);
  return root;
}

const DAY = 86_400_000;
/** Every plain date (and date-time) of the request moved by the same number of days, so asOf lands on `target`. */
function shiftTimeline(value: Json, target: string): Json {
  const asOf = (value as { asOf?: string }).asOf ?? '2026-11-05';
  const delta = Math.round((Date.parse(`${target}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / DAY);
  const move = (v: Json): Json => {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) {
      const t = Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
      if (Number.isNaN(t)) return v;
      const d = new Date(t + delta * DAY);
      const y = d.getUTCFullYear();
      if (y < 0 || y > 9999) return v;
      return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${v.slice(10)}`;
    }
    if (Array.isArray(v)) return v.map(move);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, move(x)]));
    return v;
  };
  return move(value);
}

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'timeline'; target: string }
  | { kind: 'canary'; at: number; value: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...NASTY), dateArb, dateTimeArb) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...PROTO_KEYS, 'recievedAt', 'CANARYkey', '<b>', 'k'.repeat(100)), fc.string({ maxLength: 12 })), value: fc.constantFrom(...NASTY) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('timeline' as const), target: fc.constantFrom('2999-12-31', '2999-12-25', '2999-11-01', '2998-06-30', '2990-01-01', '1900-01-01', '1900-01-20', '1901-03-01', '1920-01-01', '2026-11-05') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('canary' as const), at: fc.nat(), value: fc.constantFrom(...CANARIES) }) },
);

function mutate(example: Json, mutations: Mutation[]): Json {
  let value = structuredClone(example);
  for (const original of mutations) {
    // A copy of the value put in: the pools' objects are shared (and adding one into itself made a cycle).
    const m = 'value' in original ? { ...original, value: structuredClone(original.value) } : original;
    if (m.kind === 'timeline') {
      value = shiftTimeline(value, m.target);
      continue;
    }
    const all = paths(value);
    if (m.kind === 'add') {
      const objects = all.filter((p) => {
        let cur: Json = value;
        for (const k of p) cur = (cur as Record<string, Json>)[k as string]!;
        return cur !== null && typeof cur === 'object' && !Array.isArray(cur);
      });
      if (objects.length === 0) continue;
      const target = objects[m.at % objects.length]!;
      let cur: Json = value;
      for (const k of target) cur = (cur as Record<string, Json>)[k as string]!;
      // An own property even for "__proto__" (as JSON.parse would make it).
      Object.defineProperty(cur, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      continue;
    }
    const path = all[m.at % all.length]!;
    if (path.length === 0) {
      if (m.kind === 'replace') value = m.value;
      continue;
    }
    value = setAt(value, path, (parent, key) => {
      if (m.kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key as string];
      } else if (Array.isArray(parent)) parent[Number(key)] = m.value;
      else parent[key as string] = m.value;
    });
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const headerArb: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'accept-language': fc.constantFrom('en', 'fr', 'de-DE, en-GB;q=0.8, fr;q=0.5', 'en;q=abc', '*', ',,,', 'x'.repeat(300), 'CANARYjeanneDUPONT'),
    // A well-formed id (a token of at most 64 characters) is kept and logged, by design; others are replaced.
    'x-request-id': fc.constantFrom('ok-id-1', 'a'.repeat(65), 'CANARYreqid with space', 'CANARY/jeanne/DUPONT', '../x', '<x>'),
    authorization: fc.constantFrom('Bearer CANARYbearer', 'Basic CANARYbearer', 'Bearer ', 'x'.repeat(600)),
  },
  { requiredKeys: [] },
);

const idArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...RULE_IDS.map(encodeURIComponent), ...BASIS_IDS, 'amazon-fr', ...PROTO_KEYS),
  fc.constantFrom('%C0%AF', '%', '%zz', '%E0%A4%A', '..%2F..%2Fpackage.json', 'fr%2F..%2F..%2Fpackage', '%00', '%2e%2e', 'CANARYjeanneDUPONT', 'a'.repeat(101), 'a'.repeat(200), 'a'.repeat(201), 'a'.repeat(2500)),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 210 }).map(encodeURIComponent),
);

const queryValueArb = fc.oneof(dateArb, fc.constantFrom('', 'fr', 'en', 'xx', '2026-11-05&asOf=2026-11-06', '%C0%AF', 'CANARYjeanneDUPONT', '2987-03-17'));

const rawBodyArb: fc.Arbitrary<{ type: string | null; body: string }> = fc.record({
  type: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/problem+json', 'multipart/form-data; boundary=x', null),
  body: fc.oneof(
    fc.constantFrom('', '{', '[]', 'null', '0', '"x"', '{"order":', '{"__proto__":{"a":1}}', '{"constructor":{"prototype":{"a":1}}}', 'CANARYjeanneDUPONT', `{"description":"CANARYjeanneDUPONT"`),
    fc.integer({ min: 1, max: 200 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.integer({ min: 100, max: 3000 }).map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`),
    fc.json({ maxDepth: 4 }),
  ),
});

export const verdictBodyArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...VERDICT_EXAMPLES), fc.array(mutationArb, { minLength: 0, maxLength: 4 })).map(([e, ms]) => mutate(e, ms)) },
  { weight: 2, arbitrary: fromSchema(bodySchema('/v1/verdicts')) },
);

export const fuzzCaseArb: fc.Arbitrary<FuzzCase> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(verdictBodyArb, headerArb).map(([body, headers]) => ({ kind: 'verdict', method: 'POST', url: '/v1/verdicts', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(fc.oneof({ weight: 5, arbitrary: verdictBodyArb }, { weight: 1, arbitrary: fc.constantFrom(...NASTY) }), { minLength: 0, maxLength: 4 }), headerArb, fc.boolean())
      .map(([requests, headers, wrap]) => ({ kind: 'batch', method: 'POST', url: '/v1/verdicts/batch', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(wrap ? { requests } : requests) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.oneof({ weight: 3, arbitrary: fc.tuple(fc.constantFrom(...POLICY_EXAMPLES), fc.array(mutationArb, { maxLength: 3 })).map(([e, ms]) => mutate(e, ms)) }, { weight: 1, arbitrary: fromSchema(bodySchema('/v1/policies/lint')) }),
        fc.option(queryValueArb),
        fc.option(fc.constantFrom('fr', 'en', 'de', '')),
        fc.option(fc.constantFrom('x=1', 'asOf=2026-01-01&asOf=2026-01-02', '__proto__=1')),
      )
      .map(([body, asOf, locale, extra]) => {
        const q = [asOf !== null ? `asOf=${encodeURIComponent(asOf)}` : null, locale !== null ? `locale=${locale}` : null, extra].filter(Boolean).join('&');
        return { kind: 'lint', method: 'POST', url: `/v1/policies/lint${q ? `?${q}` : ''}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) };
      }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('/v1/rules/', '/v1/legal-basis/', '/v1/policies/'), idArb, headerArb).map(([base, id, headers]) => ({ kind: 'lookup', method: 'GET', url: base + id, headers })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('/v1/verdicts', '/v1/verdicts/batch', '/v1/policies/lint'), rawBodyArb).map(([url, { type, body }]): FuzzCase => ({ kind: 'raw-body', method: 'POST', url, headers: type ? { 'content-type': type } : {}, payload: body })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST', 'HEAD'), fc.constantFrom('/v1/verdicts', '/v1/verdicts/batch', '/v1/rules', '/v1/rules/x', '/v1/policies/lint', '/health/live', '/health/ready', '/openapi.json', '/v1/nothing', '/v2/verdicts', '/', '/docs/json', '/v1/rules?x=1', '/%', '//v1//rules', '/v1/rules/..%2f..'))
      .map(([method, url]) => ({ kind: 'method-path', method, url, headers: {} })),
  },
);

/** `count` cases from `seed`, in chunks (the long run does not hold 100,000 cases in memory). */
export function* fuzzCases(seed: number, count: number, chunk = 500): Generator<FuzzCase> {
  for (let done = 0, i = 0; done < count; i++) {
    const n = Math.min(chunk, count - done);
    for (const c of fc.sample(fuzzCaseArb, { seed: seed + i, numRuns: n })) yield c;
    done += n;
  }
}

// ---------------------------------------------------------------------------------------------
// What every answer must be
// ---------------------------------------------------------------------------------------------

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

function problemViolations(p: unknown, status: number, where: string): string[] {
  const out: string[] = [];
  if (!p || typeof p !== 'object') return [`${where}: not a JSON object`];
  const q = p as { type?: unknown; title?: unknown; status?: unknown; detail?: unknown; errors?: unknown; errorCount?: unknown };
  if (typeof q.type !== 'string' || !q.type.startsWith('urn:recourse:problem:')) out.push(`${where}: no problem type`);
  if (typeof q.title !== 'string' || typeof q.detail !== 'string') out.push(`${where}: no title or detail`);
  if (q.status !== status) out.push(`${where}: status ${String(q.status)} in the body, ${status} on the wire`);
  if (status === 400 && /invalid-request|impossible-facts|malformed-json|body-too-complex/.test(String(q.type))) {
    if (!Array.isArray(q.errors) || q.errors.length === 0) out.push(`${where}: a 400 that names no field`);
    else if (!q.errors.every((e: { path?: unknown; message?: unknown }) => typeof e?.path === 'string' && e.path.length > 0 && typeof e.message === 'string'))
      out.push(`${where}: an error without path or message: ${JSON.stringify(q.errors).slice(0, 200)}`);
    if (typeof q.errorCount !== 'number' || (Array.isArray(q.errors) && q.errorCount < q.errors.length)) out.push(`${where}: no errorCount`);
  }
  return out;
}

/** The properties of one answer; an empty list when it keeps them all. */
export function violations(c: FuzzCase, res: Answer): string[] {
  const out: string[] = [];
  const where = `${c.method} ${c.url.slice(0, 80)} → ${res.status}`;
  if (res.status >= 500) out.push(`${where}: a 5xx`);
  if (!res.headers['x-request-id']) out.push(`${where}: no x-request-id`);
  if (res.status === 405 && !res.headers.allow) out.push(`${where}: a 405 without Allow`);
  if (res.status >= 400 && c.method !== 'HEAD') {
    if (!String(res.headers['content-type'] ?? '').startsWith('application/problem+json')) out.push(`${where}: not problem+json (${String(res.headers['content-type'])})`);
    if (/[<>]/.test(res.body)) out.push(`${where}: unescaped < or > in a problem`);
    try {
      out.push(...problemViolations(JSON.parse(res.body), res.status, where));
    } catch {
      out.push(`${where}: a body that is not JSON`);
    }
  }
  if (res.status === 200 && c.url.startsWith('/v1/verdicts/batch')) {
    try {
      const { results } = JSON.parse(res.body) as { results: { index: number; status: number; problem?: unknown }[] };
      results.forEach((r, i) => {
        if (r.index !== i) out.push(`${where}: results out of order`);
        if (r.status >= 500) out.push(`${where}: element ${i} is a ${r.status}`);
        if (r.status !== 200) out.push(...problemViolations(r.problem, r.status, `${where} element ${i}`));
      });
    } catch {
      out.push(`${where}: a batch answer that is not JSON`);
    }
  }
  return out;
}
