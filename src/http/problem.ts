// RFC 9457 problem details: the shape of every 4xx and 5xx, served as application/problem+json.
import { z } from 'zod';

/** At most this many fields are listed in `errors`; `errorCount` gives the total when there are more. */
export const MAX_LISTED_ERRORS = 20;

export const FieldErrorSchema = z
  .object({ path: z.string().meta({ example: 'order.items.0.price' }), message: z.string() })
  .meta({ id: 'FieldError', description: 'One bad field: its path in the request and what is wrong with it.' });

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:recourse:problem:invalid-request' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional().meta({ description: 'The request id (also in the x-request-id header).' }),
    errors: z
      .array(FieldErrorSchema)
      .optional()
      .meta({ description: `For validation errors: each bad field (at most ${MAX_LISTED_ERRORS}; errorCount says how many there are).` }),
    errorCount: z.number().int().optional().meta({ description: 'With errors: how many fields are invalid in all, listed or not.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
export type Problem = z.infer<typeof ProblemSchema>;
export type FieldError = { path: string; message: string };

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (slug: string) => `urn:recourse:problem:${slug}`;

/** A problem; a list of field errors is capped at MAX_LISTED_ERRORS, with the total in errorCount. */
export function problem(status: number, slug: string, title: string, detail: string, errors?: FieldError[], total?: number): Problem {
  if (!errors) return { type: problemType(slug), title, status, detail };
  const count = Math.max(total ?? errors.length, errors.length);
  return { type: problemType(slug), title, status, detail, errors: errors.slice(0, MAX_LISTED_ERRORS), errorCount: count };
}

/** JSON with <, > and & written as \u escapes: a problem never carries markup, even when it names a key the client sent. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A response documented (and serialized) as application/problem+json. */
export const problemResponse = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } });

/** A JSON response with its description (instead of fastify-swagger's "Default Response"). */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid request: each bad field is named in `errors`.',
  401: 'API keys are configured and the request has no valid `Authorization: Bearer <key>`.',
  404: 'No such resource.',
  413: 'Request body larger than BODY_LIMIT_BYTES.',
  415: 'The body is not sent as application/json.',
  422: 'A valid request outside what the rules cover (e.g. a contract before the oldest rule version encoded, an unknown jurisdiction or policy), or a deadline that would fall outside the calendar (1900-01-01 to 2999-12-31).',
  429: 'Too many requests for this key (or address) this minute: see Retry-After and the RateLimit-* headers.',
  500: 'Unexpected failure (details are logged with the request id, not returned).',
  503: 'Shedding load (event-loop lag or memory) or stopping: retry after Retry-After, or on another instance.',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** The problem responses a route may give, documented as application/problem+json. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]): Record<S, ReturnType<typeof problemResponse>> {
  return Object.fromEntries(statuses.map((s) => [s, problemResponse(PROBLEM_DESCRIPTIONS[s])])) as Record<S, ReturnType<typeof problemResponse>>;
}

/** What any route may answer besides its own statuses: overload or shutdown, rate limit, failure. */
export const COMMON_PROBLEMS = [429, 500, 503] as const;
/** What any /v1 route may answer when API keys are configured. */
export const AUTH_PROBLEMS = [401] as const;
/** What any route with a JSON body may answer besides: bad body, too large, wrong media type. */
export const BODY_PROBLEMS = [400, 413, 415] as const;
