// verdictId: the first 32 hex digits of SHA-256 over the canonical JSON of (request, ruleset digest,
// asOf): object keys sorted, undefined values left out, hashed as UTF-8. The generic serializer walks any
// value and writes a string; the compiled one knows every key a request can hold from its zod schema,
// reads them in sorted order and writes the UTF-8 bytes of the same text straight into a buffer, which
// is hashed as it is: no string is built, flattened and encoded again (that was ~15 % of a verdict's
// time). The same bytes, which the differential test checks.
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

/**
 * Where the compiled writers put the canonical text: its UTF-8 bytes in buf[0 .. length). One sink is
 * reused by every verdict: it is filled and hashed in one synchronous call, so overlapping evaluations
 * never share it mid-way.
 */
class ByteSink {
  buf = new Uint8Array(4096);
  length = 0;

  /** Room for `more` bytes after what is written. */
  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** `s` in UTF-8, as Node encodes a string it hashes (a lone surrogate as U+FFFD). */
  text(s: string): void {
    this.reserve(s.length * 3);
    const buf = this.buf;
    let n = this.length;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) buf[n++] = c;
      else if (c < 0x800) {
        buf[n++] = 0xc0 | (c >> 6);
        buf[n++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const low = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
            i++;
            buf[n++] = 0xf0 | (c >> 18);
            buf[n++] = 0x80 | ((c >> 12) & 0x3f);
            buf[n++] = 0x80 | ((c >> 6) & 0x3f);
            buf[n++] = 0x80 | (c & 0x3f);
            continue;
          }
          c = 0xfffd;
        }
        buf[n++] = 0xe0 | (c >> 12);
        buf[n++] = 0x80 | ((c >> 6) & 0x3f);
        buf[n++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = n;
  }

  /**
   * JSON.stringify(s) for a string: the string between quotes as it is, unless it holds a character
   * JSON escapes (a control character, `"`, `\`, a surrogate, which JSON.stringify escapes when lone):
   * then what JSON.stringify writes. Dates, enum values and ids never do.
   */
  quoted(s: string): void {
    const start = this.length;
    this.reserve(s.length * 3 + 2);
    const buf = this.buf;
    let n = start;
    buf[n++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c === 0x22 || c === 0x5c) return this.escaped(start, s);
        buf[n++] = c;
      } else if (c < 0x800) {
        buf[n++] = 0xc0 | (c >> 6);
        buf[n++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) return this.escaped(start, s);
        buf[n++] = 0xe0 | (c >> 12);
        buf[n++] = 0x80 | ((c >> 6) & 0x3f);
        buf[n++] = 0x80 | (c & 0x3f);
      }
    }
    buf[n++] = 0x22;
    this.length = n;
  }

  private escaped(start: number, s: string): void {
    this.length = start;
    this.text(JSON.stringify(s));
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const TRUE = utf8('true');
const FALSE = utf8('false');
const NULL = utf8('null');
const EMPTY_OBJECT = utf8('{}');
const EMPTY_ARRAY = utf8('[]');
const [COMMA, OPEN_ARRAY, CLOSE_ARRAY, CLOSE_OBJECT] = [0x2c, 0x5b, 0x5d, 0x7d];

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

/**
 * Writes canonical(v) into the sink. `given` replaces the values of its keys, as if `v` held them
 * (`{ ...v, ...given }` for an object).
 */
type Write = (out: ByteSink, v: unknown, given?: Readonly<Record<string, unknown>>) => void;

/** canonical() itself, `given` spread over an object. */
const generic: Write = (out, v, given) => out.text(canonical(given && v && typeof v === 'object' && !Array.isArray(v) ? { ...v, ...given } : v));

/** canonical(x) for any value, primitives written directly. */
function primitive(out: ByteSink, x: unknown): void {
  switch (typeof x) {
    case 'string':
      return out.quoted(x);
    case 'number':
      return Number.isFinite(x) ? out.text(String(x)) : out.bytes(NULL);
    case 'boolean':
      return out.bytes(x ? TRUE : FALSE);
    default:
      return out.text(canonical(x));
  }
}

/** A property name JavaScript enumerates before all others, whatever the order it was added in. */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

/**
 * canonical() of an object of a fixed set of keys, as one generated function: its keys read by name in
 * sorted order, each written by its own writer after its key, whose bytes are encoded here once. Any other value, or an
 * object with a key the schema does not name, is written by canonical() itself.
 */
function objectWriter(fields: { key: string; write: Write }[]): Write {
  const names = new Set(fields.map((f) => f.key));
  const body = [
    "'use strict';",
    'return function write(out, v, given) {',
    "  if (!v || typeof v !== 'object' || Array.isArray(v)) return generic(out, v, given);",
    // A key the schema does not name would be left out here but written by canonical(): not ours to drop.
    '  for (const k in v) if (!names.has(k)) return generic(out, v, given);',
    '  if (given) for (const k in given) if (!names.has(k)) return generic(out, v, given);',
    '  let first = true;',
    ...fields.flatMap((f, i) => {
      const key = JSON.stringify(f.key);
      return [
        `  const x${i} = given !== undefined && ${key} in given ? given[${key}] : v[${key}];`,
        // The key with what comes before it, as bytes each way: `{"key":` first, `,"key":` after.
        `  if (x${i} !== undefined) { out.bytes(first ? open${i} : next${i}); first = false; w${i}(out, x${i}); }`,
      ];
    }),
    '  if (first) out.bytes(EMPTY_OBJECT);',
    '  else out.byte(CLOSE_OBJECT);',
    '};',
  ].join('\n');
  // The source holds only the schema's own key names, as JSON string literals.
  const params = fields.flatMap((_, i) => [`w${i}`, `open${i}`, `next${i}`]);
  const args = fields.flatMap((f) => [f.write, utf8(`{${JSON.stringify(f.key)}:`), utf8(`,${JSON.stringify(f.key)}:`)]);
  return new Function('names', 'generic', 'EMPTY_OBJECT', 'CLOSE_OBJECT', ...params, body)(names, generic, EMPTY_OBJECT, CLOSE_OBJECT, ...args) as Write;
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
  memo.set(schema, (out, v, given) => compiled(out, v, given));
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
      compiled = (out, v) => {
        if (!Array.isArray(v)) return generic(out, v);
        if (v.length === 0) return out.bytes(EMPTY_ARRAY);
        const start = out.length;
        for (let i = 0; i < v.length; i++) {
          // canonical() writes nothing for an undefined element: not ours to write otherwise.
          if (v[i] === undefined) {
            out.length = start;
            return generic(out, v);
          }
          out.byte(i ? COMMA : OPEN_ARRAY);
          element(out, v[i]);
        }
        out.byte(CLOSE_ARRAY);
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

const sink = new ByteSink();
const ASOF = utf8('{"asOf":');
const REQUEST = utf8(',"request":');
const RULESET = utf8(',"ruleset":');

/**
 * canonical() for `{ asOf, request: { ...request, ...given }, ruleset }` with a request of the schema's
 * output type, as UTF-8: `given` (the locale the verdict is in) is written in its place without copying
 * the request. The bytes are a view of the shared sink, valid until the next call: hash them at once.
 */
export function compileCanonical(schema: z.ZodType): (request: unknown, digest: string, asOf: string, given?: Readonly<Record<string, unknown>>) => Uint8Array {
  const request = compileWriter(schema);
  return (req, digest, asOf, given) => {
    sink.length = 0;
    sink.bytes(ASOF);
    primitive(sink, asOf);
    if (req !== undefined) {
      sink.bytes(REQUEST);
      request(sink, req, given);
    }
    sink.bytes(RULESET);
    primitive(sink, digest);
    sink.byte(CLOSE_OBJECT);
    return sink.buf.subarray(0, sink.length);
  };
}

/** The id of a canonical text, given as a string or as its UTF-8 bytes (the same id either way). */
export function verdictIdOf(canonicalText: string | Uint8Array): string {
  // The one-shot hash: no Hash object per verdict (0.9 µs against 1.5 µs for 900 bytes here).
  return hash('sha256', canonicalText, 'hex').slice(0, 32);
}
