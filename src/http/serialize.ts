// Responses are built by code whose shapes zod already checks in tests: in service they are sent as
// JSON.stringify's text, written by stringifyShared (zod's encode of a 14 KB verdict cost as much as
// writing it). Tests build the
// app with `checkResponses`, which encodes every response through its zod schema first and fails when
// the schema refuses it or would send anything else than what was built (a key it strips, a value it
// transforms), and checks that stringifyShared, which the service uses, writes the same bytes.
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

export const plainSerializerCompiler: FastifySerializerCompiler<unknown> = () => stringifyShared;

/** The JSON text of deeply frozen objects, written once: verdicts share them (citations, review flags). */
const frozenText = new WeakMap<object, string>();

/**
 * Frozen all the way down, and made of plain objects and arrays holding data properties only: a getter,
 * a toJSON or a Date (whose time a frozen Date still lets change) could write other text another time.
 */
function deeplyFrozen(v: object): boolean {
  if (!Object.isFrozen(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) {
    if (!('value' in d)) return false;
    const x: unknown = d.value;
    if (x !== null && typeof x === 'object' && !deeplyFrozen(x)) return false;
  }
  return true;
}

/** JSON.stringify(value) of a member of an object, from the cache when it is a deeply frozen object. */
function memberText(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || !Object.isFrozen(v)) return JSON.stringify(v);
  let text = frozenText.get(v);
  if (text === undefined) {
    text = JSON.stringify(v);
    // Only an object frozen all the way down keeps the text it had; any other is written every time.
    if (deeplyFrozen(v)) frozenText.set(v, text);
  }
  return text;
}

/**
 * The same text as JSON.stringify(data), byte for byte (tests check every response): a plain object's
 * members are written one by one so that the frozen ones verdicts share (the legal-basis object of a
 * set of citations, the review flags of a set of parameters: half of a typical verdict) are written
 * once per process, not once per response.
 */
export function stringifyShared(data: unknown): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || typeof (data as { toJSON?: unknown }).toJSON === 'function')
    return JSON.stringify(data);
  let out = '{';
  for (const key of Object.keys(data)) {
    const text = memberText((data as Record<string, unknown>)[key]);
    if (text === undefined) continue; // as JSON.stringify: undefined and functions are left out
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${text}`;
  }
  return `${out}}`;
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
  return (data) => checkedStringify(schema, data, where);
};

/** JSON.stringify of data that its zod schema must accept and leave unchanged (tests). */
export function checkedStringify(schema: z.ZodType, data: unknown, where: string): string {
  const result = z.safeEncode(schema, data);
  if (!result.success) throw new ResponseShapeError(`${where}: the response does not match its schema: ${z.prettifyError(result.error)}`);
  const sent = JSON.stringify(data);
  if (JSON.stringify(result.data) !== sent) throw new ResponseShapeError(`${where}: the schema would send something else than was built (a key not in the schema?)`);
  // What the service sends (stringifyShared) must be these very bytes.
  if (stringifyShared(data) !== sent) throw new ResponseShapeError(`${where}: stringifyShared wrote other bytes than JSON.stringify`);
  return sent;
}
