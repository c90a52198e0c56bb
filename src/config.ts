// Configuration from environment variables, parsed once with zod at start-up. A bad value stops the
// process with a one-line message naming the variable.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseApiKeys, type ApiKey } from './http/auth.js';
import { DEFAULT_RULES_DIR, rulesDirProblem } from './rules-dir.js';

const ms = (def: number, max: number, description: string) => z.coerce.number().int().min(0).max(max).default(def).describe(description);

const ConfigSchema = z.object({
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Interface to listen on: loopback by default, so that a developer\'s server is not on the network; the image sets 0.0.0.0.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port.'),
  WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(availableParallelism())
    .describe('Server processes sharing the port (node:cluster); 1 runs the server in the process itself. Default: one per core.'),
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
  RECOURSE_API_KEYS: z
    .string()
    .default('')
    .transform((value, ctx): ApiKey[] => {
      try {
        return parseApiKeys(value);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    })
    .describe('API keys, as comma-separated name:sha256-hex-of-key. When set, every /v1 route needs Authorization: Bearer <key>. Empty: open (a warning is logged).'),
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).max(1_000_000).default(600).describe('Requests per minute per API key (per client address without keys) on /v1; 0 turns the limit off.'),
  ORACLE_SAMPLE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe('Fraction of verdicts (0 to 1) re-evaluated through json-rules-engine after the answer is sent; a divergence from the compiled evaluation is logged and counted (recourse_oracle_checks_total).'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024).describe('Largest request body accepted; larger is a 413.'),
  JSON_MAX_DEPTH: z.coerce.number().int().min(4).max(256).default(16).describe('Deepest nesting of a JSON body (checked before parsing); deeper is a 400.'),
  JSON_MAX_OBJECT_KEYS: z.coerce.number().int().min(16).max(100_000).default(128).describe('Most keys in one object of a JSON body (checked before parsing); more is a 400.'),
  BATCH_MAX: z.coerce.number().int().min(1).max(10000).default(1000).describe('Most requests in one POST /v1/verdicts/batch.'),
  BATCH_BUDGET_MS: ms(10_000, 600_000, 'CPU time one batch may spend deciding its elements; elements not reached by then get a 503 problem of their own.'),
  HEADERS_TIMEOUT_MS: ms(10_000, 600_000, 'Time a client has to send the request headers (then 408 and the connection is closed).'),
  REQUEST_TIMEOUT_MS: ms(30_000, 600_000, 'Time a client has to send the whole request, body included (then 408).'),
  KEEP_ALIVE_TIMEOUT_MS: ms(5_000, 600_000, 'How long an idle keep-alive connection is kept open.'),
  CONNECTION_TIMEOUT_MS: ms(60_000, 3_600_000, 'A connection with no traffic at all for this long is closed (a client that stops reading the answer).'),
  EVENT_LOOP_MAX_DELAY_MS: ms(500, 60_000, 'Mean event-loop delay over a second above which /v1 answers 503 with Retry-After; 0 turns the check off.'),
  MEMORY_MAX_RSS_BYTES: z.coerce.number().int().min(0).default(1536 * 1024 * 1024).describe('Resident memory above which /v1 answers 503 with Retry-After; 0 turns the check off.'),
  SHUTDOWN_GRACE_MS: ms(10_000, 600_000, 'How long SIGTERM waits for in-flight requests; batches still running then are cut with a 503.'),
  SHUTDOWN_DELAY_MS: ms(0, 60_000, 'After SIGTERM, how long the service keeps accepting connections (readiness already 503) before it stops listening, for a balancer to notice.'),
}).superRefine((c, ctx) => {
  if (c.CONNECTION_TIMEOUT_MS !== 0 && c.CONNECTION_TIMEOUT_MS <= c.BATCH_BUDGET_MS)
    ctx.addIssue({ code: 'custom', path: ['CONNECTION_TIMEOUT_MS'], message: `must be longer than BATCH_BUDGET_MS (${c.BATCH_BUDGET_MS}), or 0` });
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
