// Responses are built by code whose shapes zod already checks in tests: in service they are sent as
// the UTF-8 bytes of JSON.stringify's text, written by encodeJson (zod's encode of a 14 KB verdict cost
// as much as writing it). Tests build the app with `checkResponses`, which encodes every response
// through its zod schema first and fails when the schema refuses it or would send anything else than
// what was built (a key it strips, a value it transforms), and checks that encodeJson, which the
// service uses, writes the same bytes.
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

/** JSON.stringify(data) as fastify sends it: a plain object as its UTF-8 bytes (encodeShared), anything else as text. */
export function encodeJson(data: unknown): string | Buffer {
  return isPlainObject(data) ? encodeShared(data) : (JSON.stringify(data) as string);
}

// fastify sends a Buffer from a serializer as it is, with its length as Content-Length.
export const plainSerializerCompiler: FastifySerializerCompiler<unknown> = () => encodeJson as (data: unknown) => string;

const isPlainObject = (data: unknown): data is object =>
  data !== null && typeof data === 'object' && !Array.isArray(data) && typeof (data as { toJSON?: unknown }).toJSON !== 'function';

/** The UTF-8 bytes of the JSON text of deeply frozen objects, written once: verdicts share them. */
const frozenBytes = new WeakMap<object, Buffer>();

/**
 * Frozen all the way down, and made of plain objects and arrays holding data properties only: a getter,
 * a toJSON or a Date (whose time a frozen Date still lets change) could write other text another time.
 */
function deeplyFrozen(v: object): boolean {
  if (!Object.isFrozen(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false; // an own toJSON
  for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) {
    if (!('value' in d)) return false;
    const x: unknown = d.value;
    if (x !== null && typeof x === 'object' && !deeplyFrozen(x)) return false;
  }
  return true;
}

/** The cached bytes of a member, when it is an object frozen all the way down; any other is written every time. */
function sharedBytesOf(v: unknown): Buffer | undefined {
  if (v === null || typeof v !== 'object' || !Object.isFrozen(v)) return undefined;
  let bytes = frozenBytes.get(v);
  if (bytes === undefined && deeplyFrozen(v)) {
    const text = JSON.stringify(v);
    // Outside Buffer's pool: a cached slice of it would keep a whole 8 KB slab alive.
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    bytes.write(text);
    frozenBytes.set(v, bytes);
  }
  return bytes;
}

/** A character beyond Latin-1: V8 then holds the whole text two bytes a character. */
const WIDE = /[^\x00-\xff]/;

/**
 * The UTF-8 bytes of `${before}${JSON.stringify(data)}${after}` for a plain object, byte for byte (tests
 * check every response). The frozen members verdicts share (the legal-basis object of a set of
 * citations, the review flags of a set of parameters: half of a typical verdict) are encoded once per
 * process. The other members are written as text; a member holding a character beyond Latin-1 (a €, a
 * dash) is encoded on its own, the rest in one piece: joined to it, the whole text would be a two-byte
 * string, which Node 24 encodes about six times slower than a one-byte one (a test on a one-byte
 * string costs nothing: V8 knows it cannot match).
 */
export function encodeShared(data: object, before = '', after = ''): Buffer {
  const parts: Buffer[] = [];
  let text = `${before}{`;
  let first = true;
  for (const key of Object.keys(data)) {
    const value: unknown = (data as Record<string, unknown>)[key];
    const head = `${first ? '' : ','}${JSON.stringify(key)}:`;
    const shared = sharedBytesOf(value);
    if (shared) {
      parts.push(Buffer.from(text + head), shared);
      text = '';
    } else {
      const member = JSON.stringify(value) as string | undefined;
      if (member === undefined) continue; // as JSON.stringify: undefined and functions are left out
      if (WIDE.test(member)) {
        parts.push(Buffer.from(text + head), Buffer.from(member));
        text = '';
      } else text += head + member;
    }
    first = false;
  }
  parts.push(Buffer.from(`${text}}${after}`));
  return Buffer.concat(parts);
}

export class ResponseShapeError extends Error {
  override name = 'ResponseShapeError';
}

/** The zod schema of a response (fastify may hand it wrapped as `{properties}`); none for plugins' own routes. */
function zodSchemaOf(schema: unknown): z.ZodType | undefined {
  if (schema instanceof z.ZodType) return schema;
  const inner = (schema as { properties?: unknown } | undefined)?.properties;
  return inner instanceof z.ZodType ? inner : undefined;
}

export const checkedSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema: routeSchema, method, url, httpStatus }) => {
  const schema = zodSchemaOf(routeSchema);
  if (!schema) return (data) => JSON.stringify(data);
  const where = `${method} ${url} ${httpStatus}`;
  return (data) => {
    const sent = checkedStringify(schema, data, where);
    // What the service sends (encodeJson) must be these very bytes.
    const encoded = encodeJson(data);
    if (!sameBytes(encoded, sent)) throw new ResponseShapeError(`${where}: encodeJson wrote other bytes than JSON.stringify`);
    return encoded as string;
  };
};

/** Whether text or bytes are the UTF-8 bytes of `text`. */
export const sameBytes = (out: string | Buffer, text: string): boolean => (typeof out === 'string' ? out === text : out.equals(Buffer.from(text)));

/** JSON.stringify of data that its zod schema must accept and leave unchanged (tests). */
export function checkedStringify(schema: z.ZodType, data: unknown, where: string): string {
  const result = z.safeEncode(schema, data);
  if (!result.success) throw new ResponseShapeError(`${where}: the response does not match its schema: ${z.prettifyError(result.error)}`);
  const sent = JSON.stringify(data);
  if (JSON.stringify(result.data) !== sent) throw new ResponseShapeError(`${where}: the schema would send something else than was built (a key not in the schema?)`);
  return sent;
}
