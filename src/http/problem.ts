// RFC 9457 problem details: the shape of every 4xx and 5xx.
import { z } from 'zod';

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:recourse:problem:invalid-request' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string().meta({ example: 'order.items.0.price' }), message: z.string() }))
      .optional()
      .meta({ description: 'For validation errors: each bad field.' }),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (slug: string) => `urn:recourse:problem:${slug}`;

export function problem(status: number, slug: string, title: string, detail: string, errors?: Problem['errors']): Problem {
  return { type: problemType(slug), title, status, detail, ...(errors ? { errors } : {}) };
}

/** Problems every JSON route may answer, for the OpenAPI document. */
export const problemResponses = {
  400: ProblemSchema.describe('Invalid request: each bad field is named in `errors`.'),
  413: ProblemSchema.describe('Request body too large.'),
  422: ProblemSchema.describe('Valid request outside what the rules cover (e.g. a contract before the oldest rule version encoded).'),
  500: ProblemSchema.describe('Unexpected failure (details are logged, not returned).'),
} as const;
