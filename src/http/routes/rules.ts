// GET /v1/rules, /v1/rules/{id}, /v1/legal-basis/{id}: the ruleset as data, for people and tools.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RuleFile } from '../../core/ruleset/schema.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { LocalizedTextSchema } from '../../contract/primitives.js';
import { API_VERSION } from '../../version.js';
import { NotModifiedSchema, notModified } from '../caching.js';
import { sendProblem } from '../errors.js';
import { AUTH_PROBLEMS, COMMON_PROBLEMS, jsonResponse, problem, problemResponses } from '../problem.js';

const RuleSourceSchema = z
  .object({ basis: z.array(z.string()), status: z.string(), urls: z.array(z.string()), note: z.string().optional() })
  .meta({ id: 'RuleSource', description: 'What the rule file rests on and how it was verified.' });
const RuleSummarySchema = z
  .object({
    id: z.string().meta({ example: 'fr/withdrawal/L221-18' }),
    family: z.string(),
    jurisdiction: z.string(),
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    source: RuleSourceSchema,
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    appliesBy: z.string(),
    incidentTypes: z.union([z.literal('all'), z.array(z.string())]),
    parameters: z.record(z.string(), z.unknown()).meta({ description: 'The dated parameters, as written in the file.' }),
    reviewFlags: z.array(z.string()).meta({ description: 'Parameters marked as needing legal review.' }),
    caseCount: z.number().int().min(0),
  })
  .meta({ id: 'RuleSummary', description: 'A rule file without its rules and cases.' });
const RuleDetailSchema = RuleSummarySchema.extend({
  rules: z.array(z.unknown()).meta({ description: 'The json-rules-engine rules, as written in the file.' }),
  cases: z.array(z.unknown()).meta({ description: 'The test cases proving the file, named as legal sentences.' }),
}).meta({ id: 'RuleFile', description: 'A rule file with its rules and its test cases.' });
const RuleListSchema = z
  .object({
    version: z.string(),
    digest: z.string(),
    total: z.number().int().min(0).meta({ description: 'Rule files in the ruleset, on every page.' }),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    rules: z.array(RuleSummarySchema).meta({ description: 'This page, in the order of the ids.' }),
  })
  .meta({ id: 'RuleList', description: 'A page of the rule files loaded.' });
const LegalBasisSchema = z
  .object({ id: z.string(), citation: LocalizedTextSchema, title: LocalizedTextSchema, url: z.string(), version: z.string().nullable(), status: z.string() })
  .loose()
  .meta({ id: 'LegalBasis', description: 'A citable article: citation, title, official URL, version in force, verification status.' });

export const RULES_PAGE_DEFAULT = 50;
export const RULES_PAGE_MAX = 200;
const RuleListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(RULES_PAGE_MAX).default(RULES_PAGE_DEFAULT).meta({ description: 'Rule files per page.' }),
  cursor: z.string().min(1).max(400).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
});
const NoQuery = z.strictObject({});

/** An opaque cursor: the last id of the page, base64url-encoded. */
export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export const ruleRoutes: FastifyPluginAsyncZod<{ rulesets: RulesetHolder }> = async (app, opts) => {
  const summary = (f: RuleFile, caseCount: number) => ({
    id: f.id,
    family: f.family,
    jurisdiction: f.jurisdiction,
    title: f.title,
    summary: f.summary,
    source: f.source,
    validFrom: f.validFrom,
    validUntil: f.validUntil,
    appliesBy: f.appliesBy,
    incidentTypes: f.incidentTypes,
    parameters: f.parameters,
    reviewFlags: Object.entries(f.parameters).filter(([, p]) => p.needsLegalReview).map(([n]) => n),
    caseCount,
  });
  const notFound = (what: string) => problem(404, 'not-found', 'Not found', what);

  app.get(
    '/rules',
    {
      schema: {
        operationId: 'listRules',
        summary: 'Every rule file with its legal basis, validity and parameters',
        description:
          'The rule files in the order of their ids, a page at a time (`limit`, default 50): follow `nextCursor` until it is null. A cursor stays valid across reloads: the next page starts after the last id seen.',
        tags: ['rules'],
        querystring: RuleListQuery,
        response: { 200: jsonResponse(RuleListSchema, 'A page of rule files.'), 304: NotModifiedSchema, ...problemResponses(400, ...AUTH_PROBLEMS, ...COMMON_PROBLEMS) },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      if (notModified(req, reply, ['rules', API_VERSION, rs.digest, String(req.query.limit), req.query.cursor ?? ''])) return reply;
      const ids = [...rs.files.keys()].sort();
      let start = 0;
      if (req.query.cursor !== undefined) {
        const after = decodeCursor(req.query.cursor);
        if (encodeCursor(after) !== req.query.cursor)
          return sendProblem(reply, problem(400, 'invalid-request', 'Invalid request', '1 field(s) are invalid: cursor.', [{ path: 'cursor', message: 'is not a cursor this service gave' }]));
        start = ids.findIndex((id) => id > after);
        if (start < 0) start = ids.length;
      }
      const page = ids.slice(start, start + req.query.limit);
      const last = page.at(-1);
      return {
        version: rs.version,
        digest: rs.digest,
        total: ids.length,
        nextCursor: last !== undefined && start + page.length < ids.length ? encodeCursor(last) : null,
        rules: page.map((id) => summary(rs.files.get(id)!, rs.cases.get(id)?.cases.length ?? 0)),
      };
    },
  );

  app.get(
    '/rules/:id',
    {
      schema: {
        operationId: 'getRule',
        summary: 'One rule file, its rules and its test cases',
        description: 'The id is the file path under rules/, URL-encoded (e.g. `fr%2Fwithdrawal%2FL221-18`).',
        tags: ['rules'],
        params: z.object({ id: z.string().min(1).max(200).meta({ example: 'fr/withdrawal/L221-18' }) }),
        querystring: NoQuery,
        response: { 200: jsonResponse(RuleDetailSchema, 'The rule file.'), 304: NotModifiedSchema, ...problemResponses(400, ...AUTH_PROBLEMS, 404, ...COMMON_PROBLEMS) },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      const f = rs.files.get(req.params.id);
      // The id is not echoed: it is the client's text.
      if (!f) return sendProblem(reply, notFound('No rule file has this id (GET /v1/rules lists them).'));
      if (notModified(req, reply, ['rule', API_VERSION, rs.digest, f.id])) return reply;
      const cases = rs.cases.get(f.id)?.cases ?? [];
      return { ...summary(f, cases.length), rules: f.rules, cases };
    },
  );

  app.get(
    '/legal-basis/:id',
    {
      schema: {
        operationId: 'getLegalBasis',
        summary: 'One citation: article, title, official URL, version in force',
        description: 'A citation of the ruleset\'s legal-basis.json, in French and English, as every verdict resolves it.',
        tags: ['rules'],
        params: z.object({ id: z.string().min(1).max(200).meta({ example: 'FR.C_CONSO.L221-18' }) }),
        querystring: NoQuery,
        response: { 200: jsonResponse(LegalBasisSchema, 'The citation.'), 304: NotModifiedSchema, ...problemResponses(400, ...AUTH_PROBLEMS, 404, ...COMMON_PROBLEMS) },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      // An own property only: `toString` or `__proto__` are not citations.
      const lb = Object.hasOwn(rs.legalBasis, req.params.id) ? rs.legalBasis[req.params.id] : undefined;
      if (!lb) return sendProblem(reply, notFound('No citation has this id.'));
      if (notModified(req, reply, ['legal-basis', API_VERSION, rs.digest, req.params.id])) return reply;
      return { id: req.params.id, ...lb };
    },
  );
};
