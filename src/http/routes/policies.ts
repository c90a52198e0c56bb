// GET /v1/policies, GET /v1/policies/{id}, POST /v1/policies/lint: the merchant policies loaded (with
// the review flag of every value), and a check of any policy in the same format against the legal floor.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CivilDateSchema, LocaleSchema, type Locale } from '../../contract/primitives.js';
import { OutsideCoverageError, todayIn } from '../../core/index.js';
import { lintPolicy } from '../../core/policy-lint.js';
import { POLICY_STATUSES, PolicyFileSchema, policyReferenceProblems, policyReviewRecords, type PolicyFile } from '../../core/ruleset/policy-schema.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { EXAMPLES_DIR } from '../examples.js';
import { localeFrom } from '../locale.js';
import { sendProblem } from '../errors.js';
import { problem, problemResponses, readProblemResponses } from '../problem.js';

export interface PolicyRoutesOptions {
  rulesets: RulesetHolder;
  /** The clock, read only to default the lint's `asOf` to today. */
  now?: () => Date;
}

const Localized = z.object({ fr: z.string(), en: z.string() });
const ReviewFlagSchema = z.object({
  path: z.string().meta({ example: 'returns.window.days' }),
  status: z.enum(POLICY_STATUSES),
  needsLegalReview: z.boolean(),
  source: z.string(),
  note: z.string().nullable(),
});
const PolicySummarySchema = z.object({
  id: z.string().meta({ example: 'amazon-fr' }),
  jurisdiction: z.string(),
  merchant: z.object({ name: z.string(), url: z.string().optional() }),
  title: Localized,
  summary: Localized,
  versionSeen: z.string(),
  checkedAt: z.string(),
  reviewFlagCount: z.number().int().meta({ description: 'Values that need legal review before being relied on.' }),
});
const PolicyDetailSchema = PolicySummarySchema.extend({
  policy: z.record(z.string(), z.unknown()).meta({ description: 'The policy as written in rules/policies/<id>.json; every value carries its status and review flag.' }),
  reviewFlags: z.array(ReviewFlagSchema).meta({ description: 'Every value marked as needing legal review, with where it was read.' }),
}).meta({ id: 'MerchantPolicy' });
const LintResultSchema = z
  .object({
    asOf: CivilDateSchema,
    policyId: z.string(),
    jurisdiction: z.string(),
    locale: LocaleSchema,
    compliant: z.boolean().meta({ description: 'No clause falls below the legal floor.' }),
    findings: z.array(
      z.object({
        id: z.string().meta({ example: 'window_shorter_than_legal' }),
        clause: z.string().meta({ example: 'returns.window.days' }),
        issue: z.string(),
        basis: z.array(z.string()),
      }),
    ),
    reviewFlags: z.array(ReviewFlagSchema),
    legalBasis: z.record(z.string(), z.object({ citation: z.string(), title: z.string(), url: z.string(), version: z.string().nullable(), status: z.string() })),
  })
  .meta({ id: 'PolicyLintResult' });

interface NamedExample {
  summary: string;
  description?: string;
  value: Record<string, unknown>;
}
const LINT_EXAMPLES: NamedExample[] = (() => {
  const dir = join(EXAMPLES_DIR, 'policies');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as NamedExample);
})();

// Registered once (an id may name only one schema), with the explorer's ready examples.
const LintBodySchema = PolicyFileSchema.meta({
  id: 'PolicyLintRequest',
  description: 'A merchant policy, in the same format as rules/policies/<id>.json (GET /v1/policies/{id}).',
  examples: LINT_EXAMPLES.map((e) => e.value),
});

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
        tags: ['policies'],
        response: { 200: z.object({ version: z.string(), digest: z.string(), policies: z.array(PolicySummarySchema) }) },
      },
    },
    async () => {
      const rs = opts.rulesets.current;
      return { version: rs.version, digest: rs.digest, policies: [...rs.policies.values()].map(summary) };
    },
  );

  app.get(
    '/policies/:id',
    {
      schema: {
        operationId: 'getPolicy',
        summary: 'One merchant policy, every value with its verification status and review flag',
        tags: ['policies'],
        params: z.object({ id: z.string().min(1).max(64).meta({ example: 'amazon-fr' }) }),
        response: { 200: PolicyDetailSchema, ...readProblemResponses },
      },
    },
    async (req, reply) => {
      const p = opts.rulesets.current.policies.get(req.params.id);
      if (!p) return sendProblem(reply, problem(404, 'not-found', 'Not found', 'No merchant policy has this id (GET /v1/policies lists them).'));
      return { ...summary(p), policy: p as unknown as Record<string, unknown>, reviewFlags: flags(p) };
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
        body: LintBodySchema,
        querystring: z.strictObject({ asOf: CivilDateSchema.optional(), locale: LocaleSchema.optional() }),
        headers: z.looseObject({ 'accept-language': z.string().optional() }),
        response: { 200: LintResultSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const rs = opts.rulesets.current;
      const policy = req.body;
      const jurisdiction = rs.jurisdictions.get(policy.jurisdiction);
      if (!jurisdiction)
        throw new OutsideCoverageError(`No rules are encoded for jurisdiction ${policy.jurisdiction}; covered: ${[...rs.jurisdictions.keys()].join(', ')}.`, { path: 'jurisdiction' });
      const problems = policyReferenceProblems(policy, rs.legalBasis, new Set(rs.jurisdictions.keys()));
      if (problems.length)
        return sendProblem(reply, problem(400, 'invalid-request', 'Invalid request', `${problems.length} field(s) are invalid: ${problems.map((p) => p.path).join(', ')}.`, problems));
      const locale: Locale = req.query.locale ?? localeFrom(req.headers['accept-language']);
      const asOf = req.query.asOf ?? todayIn(jurisdiction.spec.zone, now());
      const findings = lintPolicy(policy, rs, asOf);
      const cited = [...new Set(findings.flatMap((f) => f.basis))].sort();
      return {
        asOf,
        policyId: policy.id,
        jurisdiction: policy.jurisdiction,
        locale,
        compliant: findings.length === 0,
        findings: findings.map((f) => ({ id: f.id, clause: f.clause, issue: f.issue[locale], basis: f.basis })),
        reviewFlags: policyReviewRecords(policy).filter((f) => f.needsLegalReview),
        legalBasis: Object.fromEntries(
          cited.map((id) => {
            const lb = rs.legalBasis[id]!;
            return [id, { citation: lb.citation[locale], title: lb.title[locale], url: lb.url, version: lb.version, status: lb.status }];
          }),
        ),
      };
    },
  );
};

