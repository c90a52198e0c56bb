// Responses are built by code whose shapes zod already checks in tests: in service they are sent with
// plain JSON.stringify (zod's encode of a 14 KB verdict cost as much as writing it). Tests build the
// app with `checkResponses`, which encodes every response through its zod schema first and fails when
// the schema refuses it or would send anything else than what was built (a key it strips, a value it
// transforms).
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

export const plainSerializerCompiler: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

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
  return sent;
}
