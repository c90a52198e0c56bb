// The answer to "does this merchant policy respect the legal floor?", as POST /v1/policies/lint and
// `recourse lint-policy` both give it: the findings of lintPolicy in one language, with the values that
// need legal review and every article cited, resolved.
import type { Locale } from './contract/primitives.js';
import { OutsideCoverageError, type Ruleset } from './core/index.js';
import { lintPolicy } from './core/policy-lint.js';
import { policyReferenceProblems, policyReviewRecords, type PolicyFile, type PolicyReviewFlag } from './core/ruleset/policy-schema.js';

export interface PolicyLintReport {
  asOf: string;
  policyId: string;
  jurisdiction: string;
  locale: Locale;
  compliant: boolean;
  findings: { id: string; clause: string; issue: string; basis: string[] }[];
  reviewFlags: PolicyReviewFlag[];
  legalBasis: Record<string, { citation: string; title: string; url: string; version: string | null; status: string }>;
}

/** The fields of a policy that cite unknown articles or jurisdictions (a 400, or bad input to the CLI). */
export function policyInputProblems(policy: PolicyFile, ruleset: Ruleset): { path: string; message: string }[] {
  return policyReferenceProblems(policy, ruleset.legalBasis, new Set(ruleset.jurisdictions.keys()));
}

/** Throws OutsideCoverageError when no rules are encoded for the policy's jurisdiction. */
export function policyLintReport(policy: PolicyFile, ruleset: Ruleset, asOf: string, locale: Locale): PolicyLintReport {
  if (!ruleset.jurisdictions.has(policy.jurisdiction))
    throw new OutsideCoverageError(`No rules are encoded for jurisdiction ${policy.jurisdiction}; covered: ${[...ruleset.jurisdictions.keys()].join(', ')}.`, { path: 'jurisdiction' });
  const findings = lintPolicy(policy, ruleset, asOf);
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
        const lb = ruleset.legalBasis[id]!;
        return [id, { citation: lb.citation[locale], title: lb.title[locale], url: lb.url, version: lb.version, status: lb.status }];
      }),
    ),
  };
}
