// RFC 9457 problem details: the shape of every 4xx and 5xx, served as application/problem+json.
import { z } from 'zod';

export const FieldErrorSchema = z
  .object({ path: z.string().meta({ example: 'order.items.0.price' }), message: z.string() })
  .meta({ id: 'FieldError', description: 'One bad field: its path in the request and what is wrong with it.' });

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:recourse:problem:invalid-request' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional().meta({ description: 'The request id (also the x-request-id header).' }),
    errors: z.array(FieldErrorSchema).optional().meta({ description: 'For validation errors: each bad field.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (slug: string) => `urn:recourse:problem:${slug}`;

export function problem(status: number, slug: string, title: string, detail: string, errors?: Problem['errors']): Problem {
  return { type: problemType(slug), title, status, detail, ...(errors ? { errors } : {}) };
}

/** A response documented (and serialized) as application/problem+json. */
export const problemResponse = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } });

/** A JSON response with its description (instead of fastify-swagger's "Default Response"). */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid request: each bad field is named in `errors`.',
  404: 'No such resource.',
  413: 'Request body larger than BODY_LIMIT_BYTES.',
  415: 'The body is not sent as application/json.',
  422: 'A valid request outside what the rules cover (e.g. a contract before the oldest rule version encoded, an unknown jurisdiction or policy).',
  429: 'Too many requests: wait for Retry-After seconds.',
  500: 'Unexpected failure (details are logged with the request id, not returned).',
  503: 'The service is overloaded or shutting down: retry later, on another instance.',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** The problem responses a route may give, documented as application/problem+json. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]): Record<S, ReturnType<typeof problemResponse>> {
  return Object.fromEntries(statuses.map((s) => [s, problemResponse(PROBLEM_DESCRIPTIONS[s])])) as Record<S, ReturnType<typeof problemResponse>>;
}

/** What any route may answer besides its own statuses: overload or shutdown, rate limit, failure. */
export const COMMON_PROBLEMS = [429, 500, 503] as const;
/** What any route with a JSON body may answer besides: bad body, too large, wrong media type. */
export const BODY_PROBLEMS = [400, 413, 415] as const;
