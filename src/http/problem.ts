// RFC 9457 problem details: the shape of every 4xx and 5xx.
import { z } from 'zod';

/** At most this many fields are listed in `errors`; `errorCount` gives the total when there are more. */
export const MAX_LISTED_ERRORS = 20;

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:recourse:problem:invalid-request' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional().meta({ description: 'The request id (also in the x-request-id header).' }),
    errors: z
      .array(z.object({ path: z.string().meta({ example: 'order.items.0.price' }), message: z.string() }))
      .optional()
      .meta({ description: `For validation errors: each bad field (at most ${MAX_LISTED_ERRORS}; errorCount says how many there are).` }),
    errorCount: z.number().int().optional().meta({ description: 'With errors: how many fields are invalid in all, listed or not.' }),
  })
  .meta({ id: 'Problem' });
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

/** Problems every /v1 JSON route may answer, for the OpenAPI document. */
export const problemResponses = {
  400: ProblemSchema.describe('Invalid request: each bad field is named in `errors`.'),
  401: ProblemSchema.describe('API keys are configured and the request has no valid `Authorization: Bearer <key>`.'),
  413: ProblemSchema.describe('Request body too large.'),
  415: ProblemSchema.describe('The body is not application/json.'),
  422: ProblemSchema.describe(
    'Valid request outside what the rules cover (e.g. a contract before the oldest rule version encoded), or a deadline that would fall outside the calendar (1900-01-01 to 2999-12-31).',
  ),
  429: ProblemSchema.describe('Too many requests for this key (or address) this minute; see Retry-After and the RateLimit-* headers.'),
  500: ProblemSchema.describe('Unexpected failure (details are logged, not returned).'),
  503: ProblemSchema.describe('Shedding load (event loop lag or memory) or stopping; see Retry-After.'),
} as const;

/** The same for the read-only /v1 routes (no body). */
export const readProblemResponses = {
  400: problemResponses[400],
  401: problemResponses[401],
  404: ProblemSchema.describe('No such id.'),
  429: problemResponses[429],
  503: problemResponses[503],
} as const;
