// The OpenAPI document: fastify-swagger builds it from the routes' zod schemas (through
// fastify-type-provider-zod); this module finishes it so that it generates good clients.
//
// - One component per shape. The type provider emits every registered schema twice, as `X` (the
//   output side, responses) and `XInput` (the input side, requests). Each component is kept on the
//   side that uses it, under its own name: a request shape in its input form (fields with defaults
//   optional), a response shape in its output form. A shape used on both sides with the same JSON is
//   one component; one that differs is an error here, unless listed in SHARED_INPUT_FORM.
// - A default in a request component is said in the description, not as `default`: openapi-typescript
//   (default flags) makes a property with `default` required, as it must be in a response.
// - No ±9007199254740991 bounds: that is z.int()'s safe-integer range, not a bound of the field.
// - Every response carries the headers the service sends (x-request-id, x-ruleset-digest; ETag and
//   Cache-Control where a 304 is documented; Content-Language and Vary where the texts follow
//   Accept-Language; Retry-After on a 429).
// - The explorer's ready examples, info (license, contact), servers and tags.
import type { OpenAPIV3_1 } from 'openapi-types';

type Doc = OpenAPIV3_1.Document;
type Json = unknown;

const REF = '#/components/schemas/';

/** Request shapes that a response returns as they were sent (the served policy file). */
const SHARED_INPUT_FORM = new Set(['PolicyFile']);

/** Operations whose texts are in the language asked (body `locale`, else Accept-Language). */
export const LANGUAGE_DEPENDENT_OPERATIONS = new Set(['createVerdict', 'createVerdictsBatch', 'lintPolicy', 'createLetter']);

export const HEADER_COMPONENTS: Record<string, OpenAPIV3_1.HeaderObject> = {
  RequestId: {
    description: 'The request id: yours if you sent a well-formed x-request-id (1–128 of [A-Za-z0-9_.:-]), else a UUID. Logged with the request.',
    schema: { type: 'string', maxLength: 128 },
  },
  RulesetDigest: {
    description: 'Digest of the ruleset that answered; changes whenever any rule file changes.',
    schema: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  },
  ETag: {
    description: 'Weak validator of the representation, keyed on the ruleset digest (and the query): send it back in If-None-Match for a 304.',
    schema: { type: 'string' },
  },
  CacheControl: {
    description: 'no-cache: a cache may store the answer but must revalidate it (If-None-Match) before each use, since a reload can change the ruleset at any time.',
    schema: { type: 'string' },
  },
  ContentLanguage: { description: 'The language of the texts: fr or en (both for a batch mixing them).', schema: { type: 'string' } },
  Vary: { description: 'Accept-Language: the texts depend on it when the body names no locale.', schema: { type: 'string' } },
  RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0, maximum: 86400 } },
};

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

// ---- JSON walking ------------------------------------------------------------------------------

function mapRefs(value: Json, rename: (name: string) => string): Json {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, rename));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(REF) ? REF + rename(v.slice(REF.length)) : mapRefs(v, rename);
  return out;
}

function refsIn(value: Json, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) out.add(v.slice(REF.length));
      else refsIn(v, out);
    }
  return out;
}

/** Every component reachable from `start`; the names for which `stop` is true are reached but not opened. */
function closure(start: Set<string>, schemas: Record<string, Json>, stop: (name: string) => boolean = () => false): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const name = todo.pop()!;
    if (seen.has(name) || !(name in schemas)) continue;
    seen.add(name);
    if (!stop(name)) todo.push(...refsIn(schemas[name]));
  }
  return seen;
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** Request form: `default` said in the description; no safe-integer pseudo-bounds anywhere. */
function tidy(value: Json, requestSide: boolean): Json {
  if (Array.isArray(value)) return value.map((v) => tidy(v, requestSide));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'maximum' || k === 'minimum') && (v === SAFE || v === -SAFE)) continue;
    // `properties` maps names to schemas: a property may well be called "default" or "maximum".
    out[k] = k === 'properties' || k === 'examples' || k === 'example' || k === 'enum' || k === 'const' ? tidyMap(k, v, requestSide) : tidy(v, requestSide);
  }
  if (requestSide && 'default' in out) {
    const said = `Default: ${JSON.stringify(out.default)}.`;
    out.description = typeof out.description === 'string' && out.description ? `${out.description} ${said}` : said;
    delete out.default;
  }
  return out;
}

function tidyMap(key: string, value: Json, requestSide: boolean): Json {
  if (key !== 'properties' || !value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, tidy(schema, requestSide)]));
}

const sameJson = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

// ---- the document ------------------------------------------------------------------------------

export interface DocumentExamples {
  verdicts: Record<string, { summary: string; description?: string; value: unknown }>;
  batch: Record<string, { summary: string; description?: string; value: unknown }>;
  policies: Record<string, { summary: string; description?: string; value: unknown }>;
  letters: Record<string, { summary: string; description?: string; value: unknown }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export function finishDocument(input: Doc, examples: DocumentExamples): Doc {
  const doc = structuredClone(input) as Doc & { components: { schemas: Record<string, Json> } };
  const schemas = doc.components.schemas;

  // 1. Which components each side reaches.
  const requestRoots = new Set<string>();
  const responseRoots = new Set<string>();
  for (const item of Object.values(doc.paths ?? {}))
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      refsIn(op.requestBody, requestRoots);
      refsIn(op.parameters, requestRoots);
      refsIn(op.responses, responseRoots);
    }
  // A response that returns a request shape (SHARED_INPUT_FORM) uses its request form, parts included.
  const responseSide = closure(responseRoots, schemas, (name) => SHARED_INPUT_FORM.has(name));
  for (const name of SHARED_INPUT_FORM) if (responseSide.has(name)) requestRoots.add(`${name}Input` in schemas ? `${name}Input` : name);
  const requestSide = closure(requestRoots, schemas);

  // 2. One component per shape, under its own name.
  const base = (name: string) => (name.endsWith('Input') && name.slice(0, -'Input'.length) in schemas ? name.slice(0, -'Input'.length) : name);
  const finalName = (name: string) => base(name);
  const final: Record<string, Json> = {};
  const names = new Set([...requestSide, ...responseSide].map(base));
  for (const name of [...names].sort()) {
    const inName = `${name}Input` in schemas ? `${name}Input` : name;
    const asRequest = requestSide.has(inName) ? (tidy(mapRefs(schemas[inName], finalName), true) as Json) : undefined;
    const asResponse = responseSide.has(name) && !SHARED_INPUT_FORM.has(name) ? (tidy(mapRefs(schemas[name], finalName), false) as Json) : undefined;
    // A shape on both sides whose forms differ (defaults, transforms): a response that returns a request
    // shape as it was sent keeps the request form; anything else is a contract to fix.
    if (asRequest !== undefined && asResponse !== undefined && !sameJson(asRequest, asResponse))
      throw new Error(`OpenAPI: schema "${name}" differs between requests and responses; give each side its own id, or list it in SHARED_INPUT_FORM.`);
    final[name] = asRequest ?? asResponse;
  }
  doc.components.schemas = final as Record<string, OpenAPIV3_1.SchemaObject>;
  // Responses that named the output form of a request-form shape now name the one component.
  doc.paths = mapRefs(doc.paths, finalName) as Doc['paths'];

  // 3. Response headers, and the explorer's examples.
  doc.components.headers = { ...(doc.components.headers ?? {}), ...HEADER_COMPONENTS };
  for (const [path, item] of Object.entries(doc.paths ?? {}))
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const cached = Boolean(op.responses?.['304']);
      for (const [status, response] of Object.entries(op.responses ?? {}) as [string, OpenAPIV3_1.ResponseObject][]) {
        const headers: Record<string, Json> = { 'x-request-id': headerRef('RequestId'), 'x-ruleset-digest': headerRef('RulesetDigest') };
        if (cached && (status === '200' || status === '304')) Object.assign(headers, { ETag: headerRef('ETag'), 'Cache-Control': headerRef('CacheControl') });
        if (op.operationId && LANGUAGE_DEPENDENT_OPERATIONS.has(op.operationId) && status === '200')
          Object.assign(headers, { 'Content-Language': headerRef('ContentLanguage'), Vary: headerRef('Vary') });
        if (status === '429') headers['Retry-After'] = headerRef('RetryAfter');
        response.headers = { ...(response.headers ?? {}), ...headers } as OpenAPIV3_1.ResponseObject['headers'];
      }
      const media = (op.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content?.['application/json'];
      if (media) {
        const named = path === '/v1/verdicts' ? examples.verdicts : path === '/v1/verdicts/batch' ? examples.batch : path === '/v1/policies/lint' ? examples.policies : path === '/v1/letters' ? examples.letters : undefined;
        if (named) media.examples = named as Record<string, OpenAPIV3_1.ExampleObject>;
      }
    }
  // Only the headers some response uses.
  const used = JSON.stringify(doc.paths);
  for (const name of Object.keys(HEADER_COMPONENTS)) if (!used.includes(`"#/components/headers/${name}"`)) delete doc.components.headers[name];
  return doc;
}
