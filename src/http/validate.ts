// Request bodies validated by ajv, compiled once from the zod schema (zod stays the only place a shape
// is written). ajv accepts and fills in the defaults on the hot path; a body it refuses is handed to
// zod, whose field-by-field problems (paths and messages) are what clients get, as before. What JSON
// Schema cannot say of a string (a refinement such as "a real calendar date", zod's own url or email
// checks) becomes an ajv format that runs that very zod string schema. A schema with any other
// refinement or a transform is validated by zod alone. A parity test proves ajv and zod accept the same
// bodies and produce the same values.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

const ajv = new Ajv2020({
  strict: false, // zod's JSON Schema carries annotations (examples, ids) ajv need not know
  allErrors: false, // a refused body goes to zod for its problems: stop at the first error
  useDefaults: true, // zod's defaults, written into the body as zod would
  coerceTypes: false,
  removeAdditional: false, // strict bodies: an unknown key is refused, never dropped
  unicode: false, // string lengths in UTF-16 code units, as zod counts them
  validateFormats: true,
  logger: false,
});

class NotRepresentable extends Error {}

type Check = { _zod: { def: { check: string } } };
const hasCustomCheck = (schema: z.core.$ZodType) => ((schema._zod.def as { checks?: Check[] }).checks ?? []).some((c) => c._zod.def.check === 'custom');

/** One ajv format per zod string schema it stands for, running that schema (formats are ajv-wide). */
const formatNames = new WeakMap<z.core.$ZodType, string>();
function formatFor(schema: z.core.$ZodType): string {
  let name = formatNames.get(schema);
  if (!name) {
    name = `zod-string-${++formatCount}`;
    formatNames.set(schema, name);
    ajv.addFormat(name, { type: 'string', validate: (value: string) => z.safeParse(schema, value).success });
  }
  return name;
}
let formatCount = 0;

/** The JSON Schema ajv runs for a zod schema, or undefined when JSON Schema cannot say all of it. */
export function jsonSchemaForAjv(schema: z.ZodType): object | undefined {
  try {
    return z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'throw',
      cycles: 'ref',
      reused: 'inline',
      override: ({ zodSchema, jsonSchema }) => {
        // A string with a refinement or a format: ajv runs zod's string schema itself for it.
        if (zodSchema._zod.def.type === 'string' && (hasCustomCheck(zodSchema) || jsonSchema.format)) jsonSchema.format = formatFor(zodSchema);
        // Any other refinement (refine, superRefine on an object…): JSON Schema cannot say it.
        else if (hasCustomCheck(zodSchema)) throw new NotRepresentable();
      },
    });
  } catch {
    return undefined;
  }
}

export type FastValidator = (data: unknown) => { value: unknown } | { error: FastifySchemaValidationError[] | Error };

/** ajv's check of a zod schema (it fills in the defaults of what it accepts); undefined when JSON Schema cannot say it all. */
export function compileAjvCheck(schema: z.ZodType): ((data: unknown) => boolean) | undefined {
  const json = jsonSchemaForAjv(schema);
  return json ? ajv.compile(json) : undefined;
}

/** One body schema: ajv first, zod for the problems; zod alone when ajv cannot say the whole schema. */
export function compileBodyValidator(schema: z.ZodType): FastValidator {
  const byZod = zodValidatorCompiler({ schema } as never) as FastValidator;
  const byAjv = compileAjvCheck(schema);
  return byAjv ? (data) => (byAjv(data) ? { value: data } : byZod(data)) : byZod;
}

/** fastify's validator compiler: bodies through compileBodyValidator, the rest (params, queries) through zod. */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) =>
  route.httpPart === 'body' && route.schema instanceof z.ZodType ? compileBodyValidator(route.schema) : zodValidatorCompiler(route as never);
