// verdictId: the first 32 hex digits of SHA-256 over the canonical JSON of (request, ruleset digest,
// asOf): object keys sorted, undefined values left out. The generic serializer walks any value; the
// compiled one knows every key a request can hold from its zod schema, reads them in sorted order and
// writes them: the same bytes, which the differential test checks.
import { hash } from 'node:crypto';
import type { z } from 'zod';

export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

/** `given` replaces the values of its keys, as if `v` held them (`{ ...v, ...given }` for an object). */
type Write = (v: unknown, given?: Readonly<Record<string, unknown>>) => string;

/** canonical() itself, `given` spread over an object. */
const generic: Write = (v, given) => canonical(given && v && typeof v === 'object' && !Array.isArray(v) ? { ...v, ...given } : v);

/**
 * JSON.stringify(s) for a string, without its call: the string between quotes as it is, unless it holds
 * a character JSON escapes (a control character, `"`, `\`, a surrogate, which JSON.stringify escapes
 * when lone): then JSON.stringify itself. Dates, enum values and ids never do.
 */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/** canonical(x) for any value, primitives written directly. */
function primitive(x: unknown): string {
  switch (typeof x) {
    case 'string':
      return quote(x);
    case 'number':
      return Number.isFinite(x) ? String(x) : 'null';
    case 'boolean':
      return x ? 'true' : 'false';
    default:
      return canonical(x);
  }
}

/** A property name JavaScript enumerates before all others, whatever the order it was added in. */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

/**
 * canonical() of an object of a fixed set of keys, as one generated function: its keys read by name in
 * sorted order, each written by its own writer after its key, quoted here once. Any other value, or an
 * object with a key the schema does not name, is written by canonical() itself.
 */
function objectWriter(fields: { key: string; write: Write }[]): Write {
  const names = new Set(fields.map((f) => f.key));
  const body = [
    "'use strict';",
    'return function write(v, given) {',
    "  if (!v || typeof v !== 'object' || Array.isArray(v)) return generic(v, given);",
    // A key the schema does not name would be left out here but written by canonical(): not ours to drop.
    '  for (const k in v) if (!names.has(k)) return generic(v, given);',
    '  if (given) for (const k in given) if (!names.has(k)) return generic(v, given);',
    "  let s = '';",
    ...fields.flatMap((f, i) => {
      const key = JSON.stringify(f.key);
      return [
        `  const x${i} = given !== undefined && ${key} in given ? given[${key}] : v[${key}];`,
        // The key with what comes before it, one literal each way: one concatenation fewer a key.
        `  if (x${i} !== undefined) s += (s === '' ? ${JSON.stringify(`{${key}:`)} : ${JSON.stringify(`,${key}:`)}) + w${i}(x${i});`,
      ];
    }),
    "  return s === '' ? '{}' : s + '}';",
    '};',
  ].join('\n');
  // The source holds only the schema's own key names, as JSON string literals.
  const writers = fields.map((_, i) => `w${i}`);
  return new Function('names', 'generic', ...writers, body)(names, generic, ...fields.map((f) => f.write)) as Write;
}

/**
 * A function writing what canonical() writes for values of the schema's output type, each object's keys
 * sorted once, here, instead of on every call. Where the schema does not fix the keys (a record, an
 * unknown, a loose object) or the shape (a union), that part is written by canonical().
 */
function compileWriter(schema: z.ZodType, memo = new Map<z.ZodType, Write>()): Write {
  const known = memo.get(schema);
  if (known) return known;
  // A recursive schema reaches itself through a lazy: the entry is filled in below.
  let compiled: Write = generic;
  memo.set(schema, (v, given) => compiled(v, given));
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      compiled = compileWriter(def.innerType!, memo);
      break;
    case 'pipe':
      compiled = compileWriter(def.out!, memo);
      break;
    case 'lazy':
      compiled = compileWriter(def.getter!(), memo);
      break;
    case 'array': {
      const element = compileWriter(def.element!, memo);
      compiled = (v) => {
        if (!Array.isArray(v) || v.length === 0) return canonical(v);
        let s = '';
        for (let i = 0; i < v.length; i++) {
          // canonical() writes nothing for an undefined element: not ours to write otherwise.
          if (v[i] === undefined) return canonical(v);
          s += (i ? ',' : '[') + element(v[i]);
        }
        return s + ']';
      };
      break;
    }
    case 'object': {
      const catchall = (schema as unknown as { _zod: { def: { catchall?: z.ZodType } } })._zod.def.catchall;
      if (catchall && defOf(catchall).type !== 'never') break; // a loose object may hold any key
      const keys = Object.keys(def.shape!).sort();
      // `v.__proto__` would read the prototype, not a key; index-like keys are left to canonical() too
      // (no request schema has one, and the tests compare that path).
      if (keys.some((k) => k === '__proto__' || INDEX_LIKE.test(k))) break;
      compiled = objectWriter(keys.map((key) => ({ key, write: compileWriter(def.shape![key]!, memo) })));
      break;
    }
    case 'string':
    case 'number':
    case 'int':
    case 'boolean':
    case 'enum':
    case 'literal':
      compiled = primitive;
      break;
    default:
      break; // unions, records, unknowns: canonical() itself
  }
  memo.set(schema, compiled);
  return compiled;
}

/**
 * canonical() for `{ asOf, request: { ...request, ...given }, ruleset }` with a request of the schema's
 * output type: `given` (the locale the verdict is in) is written in its place without copying the
 * request.
 */
export function compileCanonical(schema: z.ZodType): (request: unknown, digest: string, asOf: string, given?: Readonly<Record<string, unknown>>) => string {
  const request = compileWriter(schema);
  return (req, digest, asOf, given) =>
    `{"asOf":${primitive(asOf)}${req === undefined ? '' : `,"request":${request(req, given)}`},"ruleset":${primitive(digest)}}`;
}

export function verdictIdOf(canonicalText: string): string {
  // The one-shot hash: no Hash object per verdict (0.9 µs against 1.5 µs for 900 bytes here).
  return hash('sha256', canonicalText, 'hex').slice(0, 32);
}
