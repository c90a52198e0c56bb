// The verdict (200 response of POST /v1/verdicts), as ../shared/design/contract.md names it.
import { z } from 'zod';
import { CivilDateSchema, CountrySchema, LocaleSchema, TextVersionDateSchema } from './primitives.js';

export const TRACKS = [
  'withdrawal', 'legal_conformity', 'hidden_defects', 'delivery', 'transit_damage',
  'commercial_return', 'marketplace_guarantee', 'safety_recall',
] as const;
export const TrackSchema = z.enum(TRACKS).meta({ id: 'Track', description: 'A remedy the consumer may rely on: the law\'s (withdrawal, legal_conformity, hidden_defects, delivery, transit_damage, safety_recall: the recall remedy of Regulation (EU) 2023/988 art. 37) or a merchant\'s (commercial_return, marketplace_guarantee).' });
export type Track = z.infer<typeof TrackSchema>;

export const OUTCOMES = [
  'return_accepted', 'return_refused', 'repair_or_replace', 'price_reduction_or_rescission', 'refund_due',
  'redeliver_or_refund', 'escalate', 'insufficient_facts', 'recall_remedy',
] as const;
export const OutcomeSchema = z.enum(OUTCOMES).meta({
  id: 'Outcome',
  description: '`recall_remedy`: the repair, replacement or refund the operator responsible for a product safety recall must offer, at the consumer\'s choice, free of charge.',
});

export const REMEDY_STATUSES = ['available', 'expired', 'excluded', 'not_yet_open', 'not_applicable', 'insufficient_facts'] as const;
export const RemedyStatusSchema = z.enum(REMEDY_STATUSES).meta({ id: 'RemedyStatus' });

/** What is wrong with an act the client reports in `incident.history`, once checked. */
export const HISTORY_FINDINGS = ['premature', 'late', 'precondition_missing', 'not_open'] as const;

export const APPEAL_STEPS = [
  'contact_seller', 'written_complaint', 'marketplace_claim', 'formal_notice', 'consumer_mediation',
  'signalconso_report', 'european_consumer_centre', 'court', 'chargeback',
  'rappelconso_notice', 'recall_remedy_request', 'marketplace_recall_contact',
] as const;

const Basis = z.array(z.string()).meta({ description: 'Ids resolved in `legalBasis`.' });

/**
 * The most calendar days between two dates of the calendar's range (1900-01-01 to 2999-12-31):
 * the real bound of a count of days such as `daysLeft`.
 */
export const MAX_DAY_SPAN = 401_766;

export const RemedySchema = z.object({
  track: TrackSchema,
  status: RemedyStatusSchema,
  deadline: CivilDateSchema.nullable(),
  reason: z.string(),
  basis: Basis,
}).meta({ id: 'Remedy', description: 'One track the incident could engage, whatever its status.' });

export const ExclusionSchema = z.object({
  id: z.string().meta({ example: 'L221-28-3' }),
  itemIds: z.array(z.string()),
  effect: z.string().meta({ example: 'withdrawal_excluded' }),
  overriddenBy: TrackSchema.nullable(),
  reason: z.string(),
  basis: Basis,
}).meta({ id: 'Exclusion', description: 'An exclusion found, even when a defect overrides it.' });

export const DeadlineSchema = z.object({
  id: z.string().meta({ example: 'withdrawal.notice' }),
  start: CivilDateSchema.nullable(),
  end: CivilDateSchema,
  rolledFrom: CivilDateSchema.nullable().meta({ description: 'The raw end date when a weekend or public holiday pushed it.' }),
  extendedFrom: CivilDateSchema.nullable().meta({ description: 'The end before an extension (L221-20, a repair under L217-13).' }),
  status: z.enum(['open', 'passed']),
  daysLeft: z.number().int().min(-MAX_DAY_SPAN).max(MAX_DAY_SPAN).meta({ description: 'Calendar days from asOf to end (negative once passed).' }),
  explanation: z.string(),
  basis: Basis,
}).meta({ id: 'Deadline' });

export const PenaltyTrancheSchema = z
  .object({
    amount: z.number().meta({ description: 'The part of the sums due this tranche covers.' }),
    paidAt: CivilDateSchema.nullable().meta({ description: 'When it was paid; null while it is still unpaid (counted to asOf).' }),
    daysLate: z.number().int().min(0).max(MAX_DAY_SPAN),
    rate: z.number(),
    increase: z.number(),
  })
  .meta({ id: 'PenaltyTranche', description: 'A part of the sums due, paid (or still unpaid) after a given delay, and the increase it bears.' });

export const PenaltyAfterCapSchema = z
  .object({
    from: CivilDateSchema.meta({ description: 'The first day of delay on which the increase on the whole sum due reached the cap.' }),
    rate: z.number().meta({ description: 'The statutory interest rate in force on that day.' }),
    amount: z.number().meta({ description: 'The increase at that rate on the sums still unpaid after that day (flat or pro rata, as the first tier is read).' }),
  })
  .meta({ id: 'PenaltyAfterCap', description: 'L242-4 "puis du taux d\'intérêt légal": what the sums still unpaid bear once the increase has reached the price of the product.' });

export const PenaltySchema = z.object({
  daysLate: z.number().int().min(0).max(MAX_DAY_SPAN).meta({ description: 'The longest delay of any part of the sums due.' }),
  rate: z.number().meta({ description: 'Increase as a fraction of the sums due at that delay (0.2 = 20 %).' }),
  amount: z.number().meta({ description: 'The whole increase owed: the sum of the tranches, within any cap.' }),
  tranches: z.array(PenaltyTrancheSchema).meta({ description: 'Each part of the sums due is increased according to its own delay.' }),
  cappedAt: z.number().nullable().meta({ description: 'The ceiling the increase reached (L242-4: the price of the product), else null.' }),
  afterCap: PenaltyAfterCapSchema.nullable().meta({ description: 'What the sums still unpaid bore after the cap was reached, else null.' }),
  explanation: z.string(),
  basis: Basis,
}).meta({ id: 'Penalty', description: 'The late-payment increase owed on top of the refund.' });

export const RefundSchema = z.object({
  due: z.boolean(),
  items: z.number(),
  outboundShipping: z.number(),
  total: z.number(),
  currency: z.string(),
  deadline: CivilDateSchema.nullable(),
  paid: z.number().meta({ description: 'Refunds received (refund_received entries).' }),
  outstanding: z.number().meta({ description: 'Still owed; never negative.' }),
  overpaid: z.number().meta({ description: 'Refunds received beyond what was owed.' }),
  computedFrom: z.enum(['amount_paid', 'prices', 'history']).meta({
    description:
      '`amount_paid`: from order.amountPaid (what the consumer actually paid, counted against the items first, then the delivery charge, then other charges); `prices`: from the item prices and the delivery charge; `history`: from amounts recorded in incident.history (postage paid).',
  }),
  penalty: PenaltySchema.nullable(),
  explanation: z.string(),
  basis: Basis,
}).meta({ id: 'Refund' });

export const AppealStepSchema = z.object({
  step: z.enum(APPEAL_STEPS),
  status: z.enum(['done', 'next', 'later', 'unavailable']),
  notBefore: CivilDateSchema.nullable(),
  notAfter: CivilDateSchema.nullable(),
  preconditions: z.array(z.string()),
  explanation: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  basis: Basis,
}).meta({ id: 'AppealStep', description: 'One step of the appeal path, in order: done, next, later or unavailable, and why.' });

export const HistoryFindingSchema = z
  .object({
    type: z.string().meta({ example: 'mediation_request', description: 'The type of the history entry.' }),
    at: CivilDateSchema.meta({ description: 'The date of the entry.' }),
    finding: z.enum(HISTORY_FINDINGS).meta({
      description:
        '`premature`: sent before the law let it have effect; `late`: sent after its time limit; `precondition_missing`: an act it needs had not happened; `not_open`: the right it exercises was not open when it was sent.',
    }),
    explanation: z.string(),
    basis: Basis,
  })
  .meta({ id: 'HistoryFinding', description: 'A reported act that does not count, and why.' });

export const EvidenceSchema = z
  .object({
    id: z.string().meta({ example: 'withdrawal.declaration' }),
    what: z.string().meta({ description: 'What to keep or gather.' }),
    why: z.string().meta({ description: 'What it proves, and for which right.' }),
    by: CivilDateSchema.nullable().meta({ description: 'The date by which it matters (an act to do, a period it proves), when there is one.' }),
    basis: Basis,
  })
  .meta({ id: 'Evidence', description: 'Something to keep or gather for a track that is open: a mediator, a court or the trader will ask for it.' });

export const LegalBasisEntrySchema = z.object({
  citation: z.string(),
  title: z.string(),
  url: z.string(),
  version: TextVersionDateSchema.nullable(),
  status: z.string(),
}).meta({ id: 'LegalBasisEntry', description: 'A citation resolved in the verdict\'s language.' });

export const TraceEntrySchema = z.object({
  rule: z.string(),
  stage: z.number().int().min(0).max(20),
  itemId: z.string().nullable(),
  fired: z.boolean(),
  conditions: z.unknown(),
}).meta({ id: 'TraceEntry', description: 'With explain=true: one rule evaluated, its conditions and result.' });

export const RulesetRefSchema = z
  .object({ version: z.string(), digest: z.string().meta({ example: 'sha256:3c353734073b2f0d88a1a8c74d8d66cae7415dae374bbd80535dd07fe8b76a82' }) })
  .meta({ id: 'RulesetRef', description: 'Which rules produced this: the digest changes whenever any rule file changes.' });

export const AlternativeSchema = z
  .object({ track: TrackSchema, summary: z.string() })
  .meta({ id: 'Alternative', description: 'Another remedy open on the same facts, in one sentence.' });

export const DecisionSchema = z
  .object({
    outcome: OutcomeSchema,
    track: TrackSchema.nullable(),
    summary: z.string(),
    alternatives: z.array(AlternativeSchema).meta({ description: 'The other remedies open to the consumer on the same facts, each in one sentence.' }),
  })
  .meta({ id: 'Decision', description: 'The outcome, the remedy it rests on, one sentence in `locale`, and the other open remedies.' });

export const ReturnShippingSchema = z
  .object({ payer: z.enum(['consumer', 'trader', 'none']), reason: z.string(), basis: Basis })
  .meta({ id: 'ReturnShipping', description: 'Who pays the return postage ("none": no return needed).' });

export const PolicyFindingSchema = z
  .object({ clause: z.string(), issue: z.string(), basis: Basis })
  .meta({
    id: 'PolicyFinding',
    description:
      'A merchant policy clause that falls below the law, or that the law overrides; also a practice the request reports that falls below the law (`clause` then names the request field: a withdrawal function not offered, no acknowledgement of a withdrawal, a recall offering fewer remedies than the law requires).',
  });

export const ReviewFlagSchema = z
  .object({ parameter: z.string(), note: z.string() })
  .meta({ id: 'ReviewFlag', description: 'A parameter used that the legal catalog marks as needing legal review.' });

export const VerdictSchema = z
  .object({
    verdictId: z.string(),
    asOf: CivilDateSchema,
    jurisdiction: CountrySchema,
    region: z.string().nullable(),
    policy: z.string().nullable(),
    locale: LocaleSchema,
    orderId: z.string().nullable(),
    ruleset: RulesetRefSchema,
    decision: DecisionSchema,
    remedies: z.array(RemedySchema),
    exclusions: z.array(ExclusionSchema),
    deadlines: z.array(DeadlineSchema),
    returnShipping: ReturnShippingSchema.nullable(),
    refund: RefundSchema.nullable(),
    appealPath: z.array(AppealStepSchema),
    policyFindings: z.array(PolicyFindingSchema),
    historyFindings: z
      .array(HistoryFindingSchema)
      .meta({ description: 'Acts reported in incident.history that were checked and do not count (they are never `done` in appealPath).' }),
    evidence: z
      .array(EvidenceSchema)
      .meta({ description: 'What to keep or gather for the tracks that are open, each with the date by which it matters where there is one.' }),
    missingFacts: z.array(z.string()),
    reviewFlags: z.array(ReviewFlagSchema).meta({ description: 'Parameters used that the legal catalog marks as needing legal review.' }),
    legalBasis: z.record(z.string(), LegalBasisEntrySchema),
    trace: z.array(TraceEntrySchema).optional(),
  })
  .meta({ id: 'Verdict', description: 'The decision, every remedy and deadline, the refund and the appeal path, each citing its legal basis.' });

export type Verdict = z.infer<typeof VerdictSchema>;
export type Remedy = z.infer<typeof RemedySchema>;
export type Deadline = z.infer<typeof DeadlineSchema>;
export type Exclusion = z.infer<typeof ExclusionSchema>;
export type AppealStep = z.infer<typeof AppealStepSchema>;
export type HistoryFinding = z.infer<typeof HistoryFindingSchema>;
export type Refund = z.infer<typeof RefundSchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
