// @recourse/client: a typed client for the Recourse API. The types are generated from the service's
// OpenAPI document by openapi-typescript with its default flags (src/schema.ts, `npm run generate`);
// the calls are openapi-fetch's, so every path, body, parameter and answer is checked by TypeScript.
import createClient, { type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

type Schemas = components['schemas'];
export type VerdictRequest = Schemas['VerdictRequest'];
export type Verdict = Schemas['Verdict'];
export type BatchRequest = Schemas['BatchRequest'];
export type BatchResponse = Schemas['BatchResponse'];
export type Problem = Schemas['Problem'];
export type PolicyFile = Schemas['PolicyFile'];
export type PolicyLintResult = Schemas['PolicyLintResult'];
export type RuleList = Schemas['RuleList'];

/** A client for one Recourse service: `baseUrl` is where it serves (e.g. http://localhost:3000). */
export function createRecourseClient(options: ClientOptions & { baseUrl: string }) {
  return createClient<paths>(options);
}
export type RecourseClient = ReturnType<typeof createRecourseClient>;

/** Every rule file, following GET /v1/rules' cursor from page to page. */
export async function listAllRules(client: RecourseClient, limit = 200): Promise<RuleList['rules']> {
  const rules: RuleList['rules'] = [];
  let cursor: string | undefined;
  for (;;) {
    const { data, error } = await client.GET('/v1/rules', { params: { query: { limit, ...(cursor ? { cursor } : {}) } } });
    if (error) throw new Error(`GET /v1/rules: ${error.status} ${error.title}: ${error.detail}`);
    rules.push(...data.rules);
    if (data.nextCursor === null) return rules;
    cursor = data.nextCursor;
  }
}
