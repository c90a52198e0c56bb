// verdictId: the first 32 hex digits of SHA-256 over the canonical JSON of (request, ruleset digest,
// asOf): object keys sorted, undefined values left out. The generic serializer walks any value; the
// compiled one knows every key a request can hold from its zod schema and lets JSON.stringify write
// them in sorted order: the same bytes, which the differential test checks.
import { createHash } from 'node:crypto';
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

/**
 * Every object key the schema's values can hold, or null when some part of it may hold keys the schema
 * does not name (a record, an unknown, a loose object).
 */
function keysOf(schema: z.ZodType, out: Set<string>, seen = new Set<z.ZodType>()): boolean {
  if (seen.has(schema)) return true;
  seen.add(schema);
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return keysOf(def.innerType!, out, seen);
    case 'pipe':
      return keysOf(def.out!, out, seen);
    case 'lazy':
      return keysOf(def.getter!(), out, seen);
    case 'array':
      return keysOf(def.element!, out, seen);
    case 'union':
      return def.options!.every((o) => keysOf(o, out, seen));
    case 'object':
      if ((schema as unknown as { _zod: { def: { catchall?: z.ZodType } } })._zod.def.catchall) {
        const c = defOf((schema as unknown as { _zod: { def: { catchall: z.ZodType } } })._zod.def.catchall);
        if (c.type !== 'never') return false; // a loose object may hold any key
      }
      for (const [k, v] of Object.entries(def.shape!)) {
        out.add(k);
        if (!keysOf(v, out, seen)) return false;
      }
      return true;
    case 'record':
    case 'unknown':
    case 'any':
    case 'map':
    case 'set':
      return false;
    default:
      return true;
  }
}

/**
 * canonical() for `{ asOf, request, ruleset }` with a request of the schema's output type. When the
 * schema names every key a request can hold, JSON.stringify with the sorted list of those keys as its
 * replacer writes each object's keys in sorted order and leaves undefined out: the same bytes, natively.
 */
export function compileCanonical(schema: z.ZodType): (request: unknown, digest: string, asOf: string) => string {
  const keys = new Set<string>(['asOf', 'request', 'ruleset']);
  if (!keysOf(schema, keys)) return (request, digest, asOf) => canonical({ request, ruleset: digest, asOf });
  const sorted = [...keys].sort();
  return (request, digest, asOf) => JSON.stringify({ asOf, request, ruleset: digest }, sorted);
}

export function verdictIdOf(canonicalText: string): string {
  return createHash('sha256').update(canonicalText).digest('hex').slice(0, 32);
}
