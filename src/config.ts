// Configuration from environment variables, parsed once with zod at start-up. A bad value stops the
// process with a message naming the variable.
import { z } from 'zod';
import { DEFAULT_RULES_DIR, rulesDirProblem } from './rules-dir.js';

const ConfigSchema = z.object({
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Interface to listen on: loopback by default, so that a developer\'s server is not on the network; the image sets 0.0.0.0.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  RULES_DIR: z
    .string()
    .min(1)
    .default(DEFAULT_RULES_DIR)
    .superRefine((dir, ctx) => {
      const problem = rulesDirProblem(dir);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('Directory of the ruleset (default: the embedded rules/).'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024).describe('Largest request body accepted; larger is a 413.'),
  BATCH_MAX: z.coerce.number().int().min(1).max(10000).default(1000).describe('Most requests in one POST /v1/verdicts/batch.'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600000).default(10000).describe('How long SIGTERM waits for in-flight requests.'),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').replace(/\s*\n\s*/g, ' '));
  return Object.freeze(parsed.data);
}

/** The variables and what they mean, for the README and `--help`. */
export function describeConfig(): { name: string; description: string; default: unknown }[] {
  return Object.entries(ConfigSchema.shape).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
    default: (schema as z.ZodDefault<z.ZodTypeAny>).parse(undefined),
  }));
}
