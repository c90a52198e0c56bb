// GET /v1/policies, GET /v1/policies/{id}, POST /v1/policies/lint: the merchant policies loaded (with
// the review flag of every value), and a check of any policy in the same format against the legal floor.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CivilDateSchema, LocaleSchema, LocalizedTextSchema, type Locale } from '../../contract/primitives.js';
import { OutsideCoverageError, todayIn } from '../../core/index.js';
import { POLICY_STATUSES, PolicyFileSchema, policyReviewRecords, type PolicyFile } from '../../core/ruleset/policy-schema.js';
import { policyInputProblems, policyLintReport } from '../../lint-report.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { EXAMPLES_DIR } from '../examples.js';
import { localeFrom } from '../locale.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, COMMON_PROBLEMS, jsonResponse, problem, problemResponses } from '../problem.js';
import { sendProblem } from '../errors.js';
import { LegalBasisEntrySchema } from '../../contract/verdict.js';
import '../../contract/policy-names.js';
import { API_VERSION } from '../../version.js';
import { NotModifiedSchema, notModified } from '../caching.js';

export interface PolicyRoutesOptions {
  rulesets: RulesetHolder;
  /** The clock, read only to default the lint's `asOf` to today. */
  now?: () => Date;
}

const PolicyReviewFlagSchema = z
  .object({
    path: z.string().meta({ example: 'returns.window.days' }),
    status: z.enum(POLICY_STATUSES),
    needsLegalReview: z.boolean(),
    source: z.string(),
    note: z.string().nullable(),
  })
  .meta({ id: 'PolicyReviewFlag', description: 'A value of the policy, where it was read and whether it needs legal review.' });
const MerchantSchema = z.object({ name: z.string(), url: z.string().optional() }).meta({ id: 'Merchant' });
const PolicySummarySchema = z
  .object({
    id: z.string().meta({ example: 'amazon-fr' }),
    jurisdiction: z.string(),
    merchant: MerchantSchema,
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    versionSeen: z.string(),
    checkedAt: z.string(),
    reviewFlagCount: z.number().int().min(0).meta({ description: 'Values that need legal review before being relied on.' }),
  })
  .meta({ id: 'PolicySummary' });
const PolicyDetailSchema = PolicySummarySchema.extend({
  policy: PolicyFileSchema.meta({ description: 'The policy as written in rules/policies/<id>.json; every value carries its status and review flag.' }),
  reviewFlags: z.array(PolicyReviewFlagSchema).meta({ description: 'Every value marked as needing legal review, with where it was read.' }),
}).meta({ id: 'MerchantPolicy' });
const PolicyListSchema = z
  .object({ version: z.string(), digest: z.string(), policies: z.array(PolicySummarySchema) })
  .meta({ id: 'PolicyList', description: 'The merchant policies loaded, with the ruleset they belong to.' });
const LintFindingSchema = z
  .object({
    id: z.string().meta({ example: 'window_shorter_than_legal' }),
    clause: z.string().meta({ example: 'returns.window.days' }),
    issue: z.string(),
    basis: z.array(z.string()),
  })
  .meta({ id: 'PolicyLintFinding', description: 'A clause that falls below the legal floor, and the articles it breaks.' });
const LintResultSchema = z
  .object({
    asOf: CivilDateSchema,
    policyId: z.string(),
    jurisdiction: z.string(),
    locale: LocaleSchema,
    compliant: z.boolean().meta({ description: 'No clause falls below the legal floor.' }),
    findings: z.array(LintFindingSchema),
    reviewFlags: z.array(PolicyReviewFlagSchema),
    legalBasis: z.record(z.string(), LegalBasisEntrySchema),
  })
  .meta({ id: 'PolicyLintResult' });

interface NamedExample {
  summary: string;
  description?: string;
  value: Record<string, unknown>;
}
/** The explorer's ready policies for POST /v1/policies/lint (examples/policies/*.json). */
export const LINT_EXAMPLES: Record<string, NamedExample> = (() => {
  const dir = join(EXAMPLES_DIR, 'policies');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => [n.slice(0, -'.json'.length), JSON.parse(readFileSync(join(dir, n), 'utf8')) as NamedExample]),
  );
})();

const NoQuery = z.strictObject({});

export const policyRoutes: FastifyPluginAsyncZod<PolicyRoutesOptions> = async (app, opts) => {
  const now = opts.now ?? (() => new Date());
  const flags = (p: PolicyFile) => policyReviewRecords(p).filter((f) => f.needsLegalReview);
  const summary = (p: PolicyFile) => ({
    id: p.id,
    jurisdiction: p.jurisdiction,
    merchant: p.merchant,
    title: p.title,
    summary: p.summary,
    versionSeen: p.versionSeen,
    checkedAt: p.checkedAt,
    reviewFlagCount: flags(p).length,
  });

  app.get(
    '/policies',
    {
      schema: {
        operationId: 'listPolicies',
        summary: 'The merchant policies loaded (name a policy in a verdict request with `policy`)',
        description: 'Every merchant policy of the ruleset, with the number of its values that need legal review.',
        tags: ['policies'],
        querystring: NoQuery,
        response: { 200: jsonResponse(PolicyListSchema, 'The policies loaded.'), 304: NotModifiedSchema, ...problemResponses(400, ...AUTH_PROBLEMS, ...COMMON_PROBLEMS) },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      if (notModified(req, reply, ['policies', API_VERSION, rs.digest])) return reply;
      return { version: rs.version, digest: rs.digest, policies: [...rs.policies.values()].map(summary) };
    },
  );

  app.get(
    '/policies/:id',
    {
      schema: {
        operationId: 'getPolicy',
        summary: 'One merchant policy, every value with its verification status and review flag',
        description: 'The policy file as loaded, with every value that needs legal review listed with where it was read.',
        tags: ['policies'],
        params: z.object({ id: z.string().min(1).max(64).meta({ example: 'amazon-fr' }) }),
        querystring: NoQuery,
        response: { 200: jsonResponse(PolicyDetailSchema, 'The policy.'), 304: NotModifiedSchema, ...problemResponses(400, ...AUTH_PROBLEMS, 404, ...COMMON_PROBLEMS) },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      const p = rs.policies.get(req.params.id);
      // The id is not echoed: it is the client's text.
      if (!p) return sendProblem(reply, problem(404, 'not-found', 'Not found', 'No merchant policy has this id (GET /v1/policies lists them).'));
      if (notModified(req, reply, ['policy', API_VERSION, rs.digest, p.id])) return reply;
      return { ...summary(p), policy: p, reviewFlags: flags(p) };
    },
  );

  app.post(
    '/policies/lint',
    {
      schema: {
        operationId: 'lintPolicy',
        summary: 'Check a merchant policy against the legal floor',
        description:
          'The body is a policy in the format of GET /v1/policies/{id}. Each finding names the clause that falls below the law (a window shorter than 14 days or counted from the order, a restocking fee or store credit on a withdrawal, an exclusion outside L221-28, no return-cost information, a link to the closed EU ODR platform, no consumer mediator) and cites the article. A compliant policy has no finding. `asOf` (default: today) dates the floor.',
        tags: ['policies'],
        body: PolicyFileSchema,
        querystring: z.strictObject({
          asOf: CivilDateSchema.optional().meta({ description: 'The date the legal floor is read for. Default: today in the jurisdiction\'s time zone.' }),
          locale: LocaleSchema.optional().meta({ description: 'Language of the findings; Accept-Language is honoured. Default: French.' }),
        }),
        headers: z.looseObject({ 'accept-language': z.string().max(1000).optional() }),
        response: {
          200: jsonResponse(LintResultSchema, 'The findings, in the language asked.'),
          ...problemResponses(...BODY_PROBLEMS, ...AUTH_PROBLEMS, 422, ...COMMON_PROBLEMS),
        },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      const policy = req.body;
      const jurisdiction = rs.jurisdictions.get(policy.jurisdiction);
      if (!jurisdiction)
        throw new OutsideCoverageError(`No rules are encoded for jurisdiction ${policy.jurisdiction}; covered: ${[...rs.jurisdictions.keys()].join(', ')}.`, { path: 'jurisdiction' });
      const problems = policyInputProblems(policy, rs);
      if (problems.length)
        return sendProblem(reply, problem(400, 'invalid-request', 'Invalid request', `${problems.length} field(s) are invalid: ${problems.map((p) => p.path).join(', ')}.`, problems));
      const locale: Locale = req.query.locale ?? localeFrom(req.headers['accept-language']);
      const asOf = req.query.asOf ?? todayIn(jurisdiction.spec.zone, now());
      const report = policyLintReport(policy, rs, asOf, locale);
      reply.header('content-language', report.locale).header('vary', 'Accept-Language');
      return report;
    },
  );
};
