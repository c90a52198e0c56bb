// The shape of a rule file in rules/. Every file is validated with these schemas at start-up; a bad
// file stops the service with a message naming the file and the field.
//
// A rule file holds one article family: its source, validity, dated parameters and the
// json-rules-engine rules that turn facts into events. Events are the closed vocabulary below; the
// TypeScript machinery (src/core) knows how to apply each kind, never what the law says.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { HISTORY_TYPES, INCIDENT_TYPES } from '../../contract/request.js';
import { APPEAL_STEPS, HISTORY_FINDINGS, OUTCOMES, REMEDY_STATUSES, TRACKS } from '../../contract/verdict.js';
import { CivilDateSchema, LocalizedTextSchema, TextVersionDateSchema } from '../../contract/primitives.js';

export const VERIFICATION_STATUSES = ['VERIFIED', 'VERIFIED-SECONDARY', 'PARTIAL', 'UNVERIFIED', 'COMPUTED'] as const;
const VerificationStatus = z.enum(VERIFICATION_STATUSES);

// ---- Expressions: how events compute dates and amounts from facts and parameters ---------------

export type Expr =
  | { fact: string }
  | { param: string }
  | { value: string | number | boolean | null }
  | { addDays: [Expr, Expr] }
  | { addMonths: [Expr, Expr] }
  | { addYears: [Expr, Expr] }
  | { roll: Expr }
  | { daysBetween: [Expr, Expr] }
  | { max: Expr[] }
  | { min: Expr[] }
  | { sum: Expr[] }
  | { sub: [Expr, Expr] }
  | { mul: Expr[] }
  | { coalesce: Expr[] };

export const ExprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.strictObject({ fact: z.string().min(1) }),
    z.strictObject({ param: z.string().min(1) }),
    z.strictObject({ value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
    z.strictObject({ addDays: z.tuple([ExprSchema, ExprSchema]) }),
    z.strictObject({ addMonths: z.tuple([ExprSchema, ExprSchema]) }),
    z.strictObject({ addYears: z.tuple([ExprSchema, ExprSchema]) }),
    z.strictObject({ roll: ExprSchema }),
    z.strictObject({ daysBetween: z.tuple([ExprSchema, ExprSchema]) }),
    z.strictObject({ max: z.array(ExprSchema).min(1) }),
    z.strictObject({ min: z.array(ExprSchema).min(1) }),
    z.strictObject({ sum: z.array(ExprSchema).min(1) }),
    z.strictObject({ sub: z.tuple([ExprSchema, ExprSchema]) }),
    z.strictObject({ mul: z.array(ExprSchema).min(1) }),
    z.strictObject({ coalesce: z.array(ExprSchema).min(1) }),
  ]),
);

// ---- Conditions: json-rules-engine's format, restricted (no `path`: no JSONPath at all) -------

export const OPERATORS = [
  'equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn',
  'contains', 'doesNotContain', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter', 'isSet',
] as const;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { fact: string; operator: (typeof OPERATORS)[number]; value: unknown };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
    z.strictObject({
      fact: z.string().min(1),
      operator: z.enum(OPERATORS),
      // A literal, or { "fact": name } / { "param": name } to compare with another fact or a dated parameter.
      value: z.union([
        z.strictObject({ fact: z.string().min(1) }),
        z.strictObject({ param: z.string().min(1) }),
        z.string(), z.number(), z.boolean(), z.null(),
        z.array(z.union([z.string(), z.number(), z.boolean()])),
      ]),
    }),
  ]),
);

// ---- Events: what a rule does when its conditions hold ----------------------------------------

const Basis = z.array(z.string().min(1)).min(1);
const Rank = z.number().int().min(0).max(1000).meta({ description: 'Among events competing for the same slot, the highest rank wins.' });

export const EventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('define'),
    name: z.string().regex(/^[a-z][a-zA-Z0-9_.]*$/),
    value: ExprSchema,
    rank: Rank.default(0),
  }),
  z.strictObject({
    type: z.literal('deadline'),
    id: z.string().regex(/^[a-z_]+\.[a-z_.]+$/),
    start: ExprSchema.nullable(),
    end: ExprSchema,
    extendedFrom: ExprSchema.nullable().default(null).meta({ description: 'The end before an extension (shown as extendedFrom), when one applies.' }),
    roll: z.union([z.boolean(), z.strictObject({ param: z.string().min(1) })]).meta({
      description: 'Roll an end falling on a Saturday, Sunday or public holiday to the next working day (or a boolean parameter saying so).',
    }),
    internal: z.boolean().default(false).meta({ description: 'Computed for other rules, not shown in the verdict.' }),
    track: z.enum(TRACKS).nullable().default(null).meta({
      description: 'The remedy this deadline belongs to: shown only when the verdict lists that remedy.',
    }),
    explanation: LocalizedTextSchema,
    basis: Basis,
    rank: Rank.default(0),
  }),
  z.strictObject({
    type: z.literal('remedy'),
    track: z.enum(TRACKS),
    status: z.enum(REMEDY_STATUSES),
    deadline: z.string().nullable().default(null),
    reason: LocalizedTextSchema,
    basis: Basis,
    rank: Rank,
  }),
  z.strictObject({
    type: z.literal('exclusion'),
    id: z.string().min(1),
    effect: z.string().min(1),
    overridableBy: z.array(z.enum(TRACKS)).default([]).meta({
      description: 'Tracks that, when available for the item, override this exclusion (e.g. a defect on an excluded item).',
    }),
    reason: LocalizedTextSchema,
    basis: Basis,
  }),
  z.strictObject({
    type: z.literal('returnShipping'),
    payer: z.enum(['consumer', 'trader', 'none']),
    reason: LocalizedTextSchema,
    basis: Basis,
    rank: Rank,
  }),
  z.strictObject({
    type: z.literal('refund'),
    due: z.boolean(),
    amountFrom: z.enum(['sums_paid', 'history']).default('sums_paid').meta({
      description: 'What the amount is computed from: what the consumer paid for the order (sums_paid), or amounts recorded in the history (e.g. postage paid).',
    }),
    items: ExprSchema,
    outboundShipping: ExprSchema,
    deadline: z.string().nullable(),
    penalty: z
      .strictObject({
        ladder: z.string().min(1).meta({ description: 'A parameter holding the penalty ladder.' }),
        legalRateTable: z.string().min(1).nullable().default(null).meta({
          description: 'A parameter whose dated values are the statutory interest rate, for ladder tiers that use it: the rate in force on the refund deadline (or on the day the cap was reached) is read.',
        }),
        legalRateProRata: ExprSchema.nullable().default(null).meta({
          description: 'Reading of the interest tiers: true = interest for the days of delay, false (default) = a flat increase by the rate.',
        }),
        cap: ExprSchema.nullable().default(null).meta({ description: 'Ceiling of the increase (e.g. the price of the product).' }),
        basis: Basis,
      })
      .nullable()
      .default(null),
    explanation: LocalizedTextSchema,
    basis: Basis,
    rank: Rank,
  }),
  z.strictObject({
    type: z.literal('decision'),
    outcome: z.enum(OUTCOMES),
    track: z.enum(TRACKS).nullable(),
    summary: LocalizedTextSchema,
    rank: Rank,
  }),
  z.strictObject({
    type: z.literal('missingFact'),
    path: z.string().min(1).meta({ description: 'Request path of the missing fact; {item.index} stands for the item in item-scoped rules.' }),
  }),
  z.strictObject({
    type: z.literal('appealStep'),
    step: z.enum(APPEAL_STEPS),
    status: z.enum(['done', 'next', 'later', 'unavailable']),
    notBefore: ExprSchema.nullable().default(null),
    notAfter: ExprSchema.nullable().default(null),
    preconditions: z.array(z.string()).default([]),
    explanation: LocalizedTextSchema,
    details: z.record(z.string(), ExprSchema).default({}),
    basis: Basis,
    rank: Rank,
    order: z.number().int().min(0).max(1000).meta({ description: 'Position of the step in the path.' }),
  }),
  z.strictObject({
    type: z.literal('historyFinding'),
    act: z.enum(HISTORY_TYPES).meta({ description: 'The type of the history entry judged.' }),
    at: ExprSchema.meta({ description: 'The date of the entry judged (e.g. { "fact": "history.mediation_request.last" }).' }),
    finding: z.enum(HISTORY_FINDINGS),
    explanation: LocalizedTextSchema,
    basis: Basis,
  }),
  z.strictObject({
    type: z.literal('policyFinding'),
    clause: z.string().min(1),
    issue: LocalizedTextSchema,
    basis: Basis,
  }),
  z.strictObject({
    type: z.literal('evidence'),
    id: z.string().regex(/^[a-z_]+\.[a-z_.]+$/).meta({ description: 'Names the item in the verdict; several rules may give the same item (the highest rank wins).' }),
    what: LocalizedTextSchema.meta({ description: 'What to keep or gather.' }),
    why: LocalizedTextSchema.meta({ description: 'What it proves, and for which right.' }),
    by: ExprSchema.nullable().default(null).meta({ description: 'The date by which it matters (an act to do, a period it proves), when there is one.' }),
    basis: Basis,
    rank: Rank.default(0),
  }),
]);
export type RuleEvent = z.infer<typeof EventSchema>;

export const RuleSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case'),
  description: z.string().min(1).optional(),
  stage: z.number().int().min(0).max(20).meta({ description: 'Rules run stage by stage; a stage sees what earlier stages computed.' }),
  scope: z.enum(['order', 'item']).default('order'),
  conditions: ConditionSchema.refine((c) => 'all' in c || 'any' in c || 'not' in c, 'must be a boolean group (all, any or not)'),
  event: EventSchema,
});
export type RuleSpec = z.infer<typeof RuleSchema>;

const DatedValue = z.strictObject({
  from: CivilDateSchema,
  until: CivilDateSchema.nullable().default(null),
  value: z.unknown(),
});

export const ParameterSchema = z.strictObject({
  description: z.string().min(1),
  unit: z.string().optional(),
  status: VerificationStatus,
  needsLegalReview: z.boolean().default(false),
  note: z.string().optional(),
  values: z.array(DatedValue).min(1),
});
export type ParameterSpec = z.infer<typeof ParameterSchema>;

export const RuleFileSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9/_-]*[A-Za-z0-9]*$/i),
  family: z.string().min(1).meta({ description: 'Versions of the same article family share a family; their validity must not overlap.' }),
  jurisdiction: z.string().regex(/^[A-Z]{2}$/),
  title: LocalizedTextSchema,
  summary: LocalizedTextSchema,
  source: z.strictObject({
    basis: Basis,
    status: VerificationStatus,
    urls: z.array(z.url()).min(1),
    note: z.string().optional(),
  }),
  validFrom: CivilDateSchema,
  validUntil: CivilDateSchema.nullable(),
  appliesBy: z.enum(['contract_date', 'event_date', 'filing_date', 'as_of', 'recall_date']).meta({
    description: 'The date that picks the version in force: order.placedAt, incident.notifiedAt (else asOf), asOf, or the recall notice (incident.recall.noticeAt, else asOf).',
  }),
  incidentTypes: z.union([z.literal('all'), z.array(z.enum(INCIDENT_TYPES)).min(1)]),
  policy: z.boolean().default(false).meta({ description: 'Merchant-policy rules run only when the request names a policy.' }),
  parameters: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), ParameterSchema).default({}),
  rules: z.array(RuleSchema).default([]).meta({ description: 'Empty for a file that only holds dated parameters other files read.' }),
});
export type RuleFile = z.infer<typeof RuleFileSchema>;

// ---- Test cases beside each rule file ----------------------------------------------------------

export const CaseSchema = z.strictObject({
  name: z.string().min(10).meta({ description: 'The legal sentence the case proves.' }),
  asOf: CivilDateSchema,
  base: z.string().optional(),
  request: z.record(z.string(), z.unknown()).default({}),
  expect: z.record(z.string(), z.unknown()),
});
export const CasesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  rules: z.string().min(1),
  base: z.string().min(1).meta({ description: 'Fixture the case requests are merged onto (test/fixtures/requests/<base>.json).' }),
  cases: z.array(CaseSchema).min(1),
});
export type CasesFile = z.infer<typeof CasesFileSchema>;

// ---- Jurisdiction and legal basis reference data ----------------------------------------------

export const JurisdictionSchema = z.strictObject({
  $schema: z.string().optional(),
  code: z.string().regex(/^[A-Z]{2}$/),
  // The IANA zone of the jurisdiction's civil dates (today's date, the date of a date-time).
  zone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'is not an IANA time zone known to this runtime'),
  currency: z.string().regex(/^[A-Z]{3}$/),
  calendar: z.strictObject({
    country: z.string().regex(/^[A-Z]{2}$/),
    holidayTypes: z.array(z.string()).min(1),
    regions: z.record(z.string(), z.string().nullable()),
    extraHolidays: z
      .array(
        z.strictObject({
          date: z.string().regex(/^\d{2}-\d{2}$/),
          regions: z.array(z.string()),
          name: z.string(),
          validFrom: CivilDateSchema.optional(),
          validTo: CivilDateSchema.optional(),
        }),
      )
      .default([]),
    excludeRules: z
      .array(
        z.strictObject({
          rule: z.string().min(1),
          regions: z.array(z.string()),
          reason: z.string().optional(),
          sources: z.array(z.url()).default([]).meta({ description: 'Where the exclusion was checked.' }),
          validFrom: CivilDateSchema.optional(),
          validTo: CivilDateSchema.optional(),
        }),
      )
      .default([]),
    basis: Basis,
  }),
  euMemberStates: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
});
export type JurisdictionSpec = z.infer<typeof JurisdictionSchema>;

export const LegalBasisFileSchema = z.record(
  z.string().regex(/^[A-Z][A-Za-z0-9_.\-]+$/),
  z.looseObject({
    citation: LocalizedTextSchema,
    title: LocalizedTextSchema,
    url: z.url(),
    version: TextVersionDateSchema.nullable(),
    status: VerificationStatus,
    formerly: z
      .array(
        z.strictObject({
          id: z.string().min(1),
          until: CivilDateSchema,
          by: z
            .literal('contract_date')
            .optional()
            .meta({
              description:
                'The former number is cited whenever the contract was concluded by `until`, whatever date the citing rule file turns on: the old text still governs such contracts (e.g. ord. 2016-131 art. 9 for the Civil Code).',
            }),
        }),
      )
      .default([])
      .meta({
        description:
          'Earlier numbering: up to `until` (inclusive) this rule was the article `id`. A verdict cites the number in force on the date the citing rule file turns on, or on the contract date for an entry `by: contract_date`.',
      }),
  }),
);
export type LegalBasisFile = z.infer<typeof LegalBasisFileSchema>;

export const RulesetManifestSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string().min(1),
  jurisdictions: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
});
