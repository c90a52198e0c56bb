// The verdict (200 response of POST /v1/verdicts), as ../shared/design/contract.md names it.
import { z } from 'zod';
import { CivilDateSchema, CountrySchema, LocaleSchema, TextVersionDateSchema } from './primitives.js';

export const TRACKS = [
  'withdrawal', 'legal_conformity', 'hidden_defects', 'delivery', 'transit_damage',
  'commercial_return', 'marketplace_guarantee',
] as const;
export const TrackSchema = z.enum(TRACKS);
export type Track = z.infer<typeof TrackSchema>;

export const OUTCOMES = [
  'return_accepted', 'return_refused', 'repair_or_replace', 'price_reduction_or_rescission', 'refund_due',
  'redeliver_or_refund', 'escalate', 'insufficient_facts',
] as const;
export const OutcomeSchema = z.enum(OUTCOMES);

export const REMEDY_STATUSES = ['available', 'expired', 'excluded', 'not_yet_open', 'not_applicable', 'insufficient_facts'] as const;
export const RemedyStatusSchema = z.enum(REMEDY_STATUSES);

export const APPEAL_STEPS = [
  'contact_seller', 'written_complaint', 'marketplace_claim', 'formal_notice', 'consumer_mediation',
  'signalconso_report', 'european_consumer_centre', 'court', 'chargeback',
] as const;

const Basis = z.array(z.string()).meta({ description: 'Ids resolved in `legalBasis`.' });

export const RemedySchema = z.object({
  track: TrackSchema,
  status: RemedyStatusSchema,
  deadline: CivilDateSchema.nullable(),
  reason: z.string(),
  basis: Basis,
});

export const ExclusionSchema = z.object({
  id: z.string().meta({ example: 'L221-28-3' }),
  itemIds: z.array(z.string()),
  effect: z.string().meta({ example: 'withdrawal_excluded' }),
  overriddenBy: TrackSchema.nullable(),
  reason: z.string(),
  basis: Basis,
});

export const DeadlineSchema = z.object({
  id: z.string().meta({ example: 'withdrawal.notice' }),
  start: CivilDateSchema.nullable(),
  end: CivilDateSchema,
  rolledFrom: CivilDateSchema.nullable().meta({ description: 'The raw end date when a weekend or public holiday pushed it.' }),
  status: z.enum(['open', 'passed']),
  daysLeft: z.number().int().meta({ description: 'Calendar days from asOf to end (negative once passed).' }),
  explanation: z.string(),
  basis: Basis,
});

export const PenaltySchema = z.object({
  daysLate: z.number().int(),
  rate: z.number().meta({ description: 'Increase as a fraction of the sums due (0.2 = 20 %).' }),
  amount: z.number(),
  explanation: z.string(),
  basis: Basis,
});

export const RefundSchema = z.object({
  due: z.boolean(),
  items: z.number(),
  outboundShipping: z.number(),
  total: z.number(),
  currency: z.string(),
  deadline: CivilDateSchema.nullable(),
  paid: z.number(),
  outstanding: z.number(),
  penalty: PenaltySchema.nullable(),
  explanation: z.string(),
  basis: Basis,
});

export const AppealStepSchema = z.object({
  step: z.enum(APPEAL_STEPS),
  status: z.enum(['done', 'next', 'later', 'unavailable']),
  notBefore: CivilDateSchema.nullable(),
  notAfter: CivilDateSchema.nullable(),
  preconditions: z.array(z.string()),
  explanation: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  basis: Basis,
});

export const LegalBasisEntrySchema = z.object({
  citation: z.string(),
  title: z.string(),
  url: z.string(),
  version: TextVersionDateSchema.nullable(),
  status: z.string(),
});

export const TraceEntrySchema = z.object({
  rule: z.string(),
  stage: z.number().int(),
  itemId: z.string().nullable(),
  fired: z.boolean(),
  conditions: z.unknown(),
});

export const VerdictSchema = z
  .object({
    verdictId: z.string(),
    asOf: CivilDateSchema,
    jurisdiction: CountrySchema,
    region: z.string().nullable(),
    policy: z.string().nullable(),
    locale: LocaleSchema,
    orderId: z.string().nullable(),
    ruleset: z.object({ version: z.string(), digest: z.string() }),
    decision: z.object({ outcome: OutcomeSchema, track: TrackSchema.nullable(), summary: z.string() }),
    remedies: z.array(RemedySchema),
    exclusions: z.array(ExclusionSchema),
    deadlines: z.array(DeadlineSchema),
    returnShipping: z
      .object({ payer: z.enum(['consumer', 'trader', 'none']), reason: z.string(), basis: Basis })
      .nullable(),
    refund: RefundSchema.nullable(),
    appealPath: z.array(AppealStepSchema),
    policyFindings: z.array(z.object({ clause: z.string(), issue: z.string(), basis: Basis })),
    missingFacts: z.array(z.string()),
    reviewFlags: z
      .array(z.object({ parameter: z.string(), note: z.string() }))
      .meta({ description: 'Parameters used that the legal catalog marks as needing legal review.' }),
    legalBasis: z.record(z.string(), LegalBasisEntrySchema),
    trace: z.array(TraceEntrySchema).optional(),
  })
  .meta({ id: 'Verdict' });

export type Verdict = z.infer<typeof VerdictSchema>;
export type Remedy = z.infer<typeof RemedySchema>;
export type Deadline = z.infer<typeof DeadlineSchema>;
export type Exclusion = z.infer<typeof ExclusionSchema>;
export type AppealStep = z.infer<typeof AppealStepSchema>;
export type Refund = z.infer<typeof RefundSchema>;
