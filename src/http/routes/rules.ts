// GET /v1/rules, /v1/rules/{id}, /v1/legal-basis/{id}: the ruleset as data, for people and tools.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RuleFile } from '../../core/ruleset/schema.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { sendProblem } from '../errors.js';
import { problem, readProblemResponses } from '../problem.js';

const Localized = z.object({ fr: z.string(), en: z.string() });
const RuleSummarySchema = z.object({
  id: z.string().meta({ example: 'fr/withdrawal/L221-18' }),
  family: z.string(),
  jurisdiction: z.string(),
  title: Localized,
  summary: Localized,
  source: z.object({ basis: z.array(z.string()), status: z.string(), urls: z.array(z.string()), note: z.string().optional() }),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  appliesBy: z.string(),
  incidentTypes: z.union([z.literal('all'), z.array(z.string())]),
  parameters: z.record(z.string(), z.unknown()),
  reviewFlags: z.array(z.string()).meta({ description: 'Parameters marked as needing legal review.' }),
  caseCount: z.number().int(),
});
const RuleDetailSchema = RuleSummarySchema.extend({
  rules: z.array(z.unknown()).meta({ description: 'The json-rules-engine rules, as written in the file.' }),
  cases: z.array(z.unknown()).meta({ description: 'The test cases proving the file, named as legal sentences.' }),
}).meta({ id: 'RuleFile' });
const LegalBasisSchema = z
  .object({ id: z.string(), citation: Localized, title: Localized, url: z.string(), version: z.string().nullable(), status: z.string() })
  .loose()
  .meta({ id: 'LegalBasis' });

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
        tags: ['rules'],
        response: { 200: z.object({ version: z.string(), digest: z.string(), rules: z.array(RuleSummarySchema) }) },
      },
    },
    async () => {
      const rs = opts.rulesets.current;
      return {
        version: rs.version,
        digest: rs.digest,
        rules: [...rs.files.values()].map((f) => summary(f, rs.cases.get(f.id)?.cases.length ?? 0)),
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
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: RuleDetailSchema, ...readProblemResponses },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      const f = rs.files.get(req.params.id);
      // The id is not echoed: it is the client's text.
      if (!f) return sendProblem(reply, notFound('No rule file has this id (GET /v1/rules lists them).'));
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
        tags: ['rules'],
        params: z.object({ id: z.string().min(1).max(200).meta({ example: 'FR.C_CONSO.L221-18' }) }),
        response: { 200: LegalBasisSchema, ...readProblemResponses },
      },
    },
    async (req, reply) => {
      // An own property only: `toString` or `__proto__` are not citations.
      const all = opts.rulesets.current.legalBasis;
      const lb = Object.hasOwn(all, req.params.id) ? all[req.params.id] : undefined;
      if (!lb) return sendProblem(reply, notFound('No citation has this id.'));
      return { id: req.params.id, ...lb };
    },
  );
};
