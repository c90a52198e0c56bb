// The shape of a merchant policy file, rules/policies/<id>.json (the path is the id), and of the
// policy test-case files beside them. A merchant policy is DATA: the commercial promises a merchant
// makes on top of the law (return window, holiday extension, non-returnable categories, return costs,
// refund, obligations of its marketplace sellers, a marketplace guarantee such as Amazon's A-to-z).
//
// Every parameter is a reviewed value: `{ "value": …, "status", "needsLegalReview", "source", "note" }`,
// or, for a list entry (a holiday extension, a category window, an exclusion clause), a record that
// carries the same review fields beside its own. A value the research marks anything but VERIFIED
// (primary) must say `needsLegalReview: true`; GET /v1/policies/{id} lists every such flag and a verdict
// that used one lists it in `reviewFlags`.
import { z } from 'zod';
import { CATEGORIES, INCIDENT_TYPES, ItemAttributesSchema } from '../../contract/request.js';
import { CivilDateSchema, LocalizedTextSchema } from '../../contract/primitives.js';
import type { LegalBasisFile, RuleFile } from './schema.js';

export const POLICY_STATUSES = ['VERIFIED', 'VERIFIED-SECONDARY', 'PARTIAL', 'UNVERIFIED', 'CONFLICTING'] as const;
export const POLICY_ID = /^[a-z0-9-]{1,64}$/;
export const SELLER_KINDS = ['platform', 'third_party', 'independent'] as const;
export const ITEM_KINDS = ['goods', 'service', 'digital_content'] as const;
export const WINDOW_ANCHORS = ['receipt', 'delivery', 'order'] as const;
export const CLAIM_ANCHORS = ['latest_estimated_delivery', 'delivery', 'order'] as const;
export const REFUND_FORMS = ['same_means', 'store_credit', 'consumer_choice'] as const;

const Category = z.enum(CATEGORIES);
const Attribute = ItemAttributesSchema.keyof().exclude(['supplyStartedAt']);
export type AttributeName = z.infer<typeof Attribute>;
const LegalBasisId = z.string().regex(/^[A-Z][A-Za-z0-9_.\-]+$/, 'must be an id of legal-basis.json such as FR.C_CONSO.L221-28');

const reviewShape = {
  status: z.enum(POLICY_STATUSES).meta({ description: 'How the value was verified (marketplace-policies.md): VERIFIED = read on the operator\'s own page.' }),
  needsLegalReview: z.boolean().meta({ description: 'True for every value not verified on a primary source: re-check before relying on it.' }),
  source: z.string().min(1).max(2000).meta({ description: 'Where the value was read (research fact ids, pages).' }),
  note: z.string().max(4000).optional(),
};

type Reviewable = { status: (typeof POLICY_STATUSES)[number]; needsLegalReview: boolean };
function reviewConsistent(v: Reviewable, ctx: z.RefinementCtx): void {
  if (v.status !== 'VERIFIED' && !v.needsLegalReview)
    ctx.addIssue({ code: 'custom', path: ['needsLegalReview'], message: `must be true when status is ${v.status} (only a primary-source VERIFIED value may skip legal review)` });
}

/** A single reviewed value. */
function reviewed<T extends z.ZodType>(value: T) {
  return z.strictObject({ value, ...reviewShape }).superRefine(reviewConsistent);
}

const dateOrder = (a: string, b: string) => a.localeCompare(b);

const CategoryWindowSchema = z
  .strictObject({
    categories: z.array(Category).min(1),
    days: z.number().int().min(0).max(3650),
    ...reviewShape,
  })
  .superRefine(reviewConsistent)
  .meta({ description: 'A window that replaces the standard one for these categories (counted from the same day).' });

const HolidayExtensionSchema = z
  .strictObject({
    purchasedFrom: CivilDateSchema,
    purchasedTo: CivilDateSchema,
    returnUntil: CivilDateSchema,
    orDaysAfterReceipt: z.number().int().min(0).max(3650).nullable().meta({
      description: 'The later of `returnUntil` and this many days after receipt applies (null: `returnUntil` alone, never less than the standard window).',
    }),
    excludedCategories: z.array(Category).default([]),
    excludedAttributes: z.array(Attribute).default([]).meta({ description: 'Items with any of these attributes do not get the extension.' }),
    ...reviewShape,
  })
  .superRefine(reviewConsistent)
  .superRefine((h, ctx) => {
    if (dateOrder(h.purchasedFrom, h.purchasedTo) > 0) ctx.addIssue({ code: 'custom', path: ['purchasedTo'], message: 'is before purchasedFrom' });
    if (dateOrder(h.purchasedTo, h.returnUntil) > 0) ctx.addIssue({ code: 'custom', path: ['returnUntil'], message: 'is before purchasedTo' });
  })
  .meta({ description: 'An extended return period for purchases made between two dates (e.g. the holiday season).' });

export const ExclusionClauseSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case'),
    clause: LocalizedTextSchema.meta({ description: 'The clause as the merchant states it.' }),
    categories: z.array(Category).default([]).meta({ description: 'The clause applies to these categories only (empty: any category).' }),
    attributes: z.array(Attribute).default([]).meta({ description: 'The clause applies when the item has all these attributes.' }),
    unlessAttributes: z.array(Attribute).default([]).meta({ description: 'The clause does not apply when the item has any of these attributes.' }),
    itemKinds: z.array(z.enum(ITEM_KINDS)).default([]).meta({ description: 'The clause applies to these kinds of item only (empty: any kind).' }),
    basis: z.array(LegalBasisId).default([]).meta({ description: 'Legal basis the clause relies on, if any (must exist in legal-basis.json).' }),
    ...reviewShape,
  })
  .superRefine(reviewConsistent)
  .superRefine((c, ctx) => {
    if (!c.categories.length && !c.attributes.length && !c.itemKinds.length)
      ctx.addIssue({ code: 'custom', path: ['attributes'], message: 'a clause must name categories, attributes or item kinds' });
  });
export type ExclusionClause = z.infer<typeof ExclusionClauseSchema>;

const ReturnWindowSchema = z.strictObject({
  days: reviewed(z.number().int().min(0).max(3650)).meta({ description: 'Standard commercial return window, in calendar days.' }),
  anchor: reviewed(z.enum(WINDOW_ANCHORS)).meta({ description: 'The day the window is counted from.' }),
  rollsOverHolidays: reviewed(z.boolean().nullable()).meta({ description: 'Whether an end on a weekend or public holiday moves to the next working day (null: not stated, no roll).' }),
});

const ReturnsSchema = z.strictObject({
  window: ReturnWindowSchema.nullable().meta({ description: 'null: no commercial return beyond the law.' }),
  categoryWindows: z.array(CategoryWindowSchema).default([]),
  holidayExtensions: z.array(HolidayExtensionSchema).default([]),
  nonReturnableCategories: reviewed(z.array(Category)).meta({ description: 'Categories the merchant refuses to take back under its policy.' }),
  exclusions: z.array(ExclusionClauseSchema).default([]).meta({ description: 'Clauses excluding items from returns by their nature (attributes).' }),
  conditionRequirements: reviewed(LocalizedTextSchema.nullable()).meta({ description: 'The state the item must be in for a commercial return (null: not stated).' }),
  returnShipping: z.strictObject({
    defaultPayer: reviewed(z.enum(['consumer', 'merchant']).nullable()).meta({ description: 'Who pays the return postage by default (null: the policy does not say).' }),
    merchantPaysWhen: reviewed(z.array(z.enum(['merchant_error', 'defective']))),
    freeReturnCategories: reviewed(z.array(Category)),
    prepaidLabel: reviewed(z.boolean().nullable()),
  }),
  restockingFee: reviewed(
    z
      .strictObject({
        percent: z.number().min(0).max(100),
        appliesTo: z.array(z.enum(['commercial_return', 'withdrawal'])).min(1).meta({ description: 'Which returns the fee is charged on.' }),
      })
      .nullable(),
  ).meta({ description: 'A fee kept on returned items (null: none).' }),
  refund: z.strictObject({
    days: reviewed(z.number().int().min(0).max(365).nullable()).meta({ description: 'Service level for the refund, in calendar days (not the legal deadline).' }),
    anchor: reviewed(z.enum(['return_sent', 'return_received', 'request']).nullable()),
    form: reviewed(z.enum(REFUND_FORMS)).meta({ description: 'same_means: original payment method; store_credit: a voucher or credit only; consumer_choice: the consumer picks.' }),
    outboundShipping: reviewed(z.enum(['standard', 'all', 'none'])).meta({ description: 'Outbound delivery refunded on a commercial return: the standard rate, all of it, or none.' }),
  }),
  returnlessRefund: reviewed(
    z.strictObject({ maxItemPrice: z.number().nonnegative().nullable(), when: LocalizedTextSchema }).nullable(),
  ).meta({ description: 'When the merchant refunds without asking for the item back (null: never stated).' }),
});

const ThirdPartySellersSchema = z.strictObject({
  mustMatchOrExceed: reviewed(z.boolean()).meta({ description: 'Marketplace sellers must offer return terms at least as favourable as the operator\'s own.' }),
  autoAuthoriseInPolicy: reviewed(z.boolean()),
  manualReviewHours: reviewed(z.number().int().positive().nullable()),
  prepaidLabelByDefault: reviewed(z.boolean().nullable()),
  refundBusinessDaysAfterReceipt: reviewed(z.number().int().positive().nullable()),
});

const GuaranteeSchema = z.strictObject({
  name: LocalizedTextSchema,
  coversSellerKinds: reviewed(z.array(z.enum(SELLER_KINDS)).min(1)),
  coversFulfilledBy: reviewed(z.array(z.enum(['platform', 'seller'])).min(1)).meta({ description: 'Orders shipped by these parties (an order whose fulfilment is unknown is covered).' }),
  coversIncidents: reviewed(z.array(z.enum(INCIDENT_TYPES)).min(1)),
  sellerAnswerHours: reviewed(z.number().int().min(0).max(8760)).meta({ description: 'Time left to the seller after the buyer contacted it, before a claim can be filed.' }),
  claimWindowDays: reviewed(z.number().int().min(1).max(3650)),
  claimAnchor: reviewed(z.enum(CLAIM_ANCHORS)),
  notReceivedWaitDays: reviewed(z.number().int().min(0).max(365).nullable()).meta({ description: 'Not received: days after the latest estimated delivery date before a claim.' }),
  notReceivedMaxDaysAfterOrder: reviewed(z.number().int().min(0).max(365).nullable()).meta({ description: 'Not received: a claim is possible at the latest this many days after the order, if sooner.' }),
  excludedItemKinds: reviewed(z.array(z.enum(ITEM_KINDS))),
  excludedCategories: reviewed(z.array(Category)),
  chargebackClosesClaim: reviewed(z.boolean()),
  amountCap: reviewed(z.number().positive().nullable()),
});

export const WITHDRAWAL_FUNCTION_FIELDS = ['name', 'contract', 'contact', 'reason', 'photos', 'return_label', 'other'] as const;

const WithdrawalFunctionSchema = z.strictObject({
  offered: reviewed(z.boolean().nullable()).meta({ description: 'Whether the merchant\'s online interface offers a withdrawal function (null: not stated).' }),
  label: reviewed(z.string().min(1).max(200).nullable()).meta({ description: 'The function\'s label as shown to consumers, e.g. « renoncer au contrat ici » (null: not stated).' }),
  asks: reviewed(z.array(z.enum(WITHDRAWAL_FUNCTION_FIELDS)).nullable())
    .optional()
    .meta({ description: 'What the function requires the consumer to give (absent or null: not stated): name, contract identification, an electronic contact; or a reason, photos, a return label, anything else.' }),
});

export const PolicyFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z.string().regex(POLICY_ID, 'must be a policy id such as amazon-fr'),
    jurisdiction: z.string().regex(/^[A-Z]{2}$/),
    merchant: z.strictObject({ name: z.string().min(1).max(200), url: z.url().optional() }),
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    versionSeen: z.string().min(1).max(500).meta({ description: 'Which version of the merchant\'s pages the values come from.' }),
    checkedAt: CivilDateSchema.meta({ description: 'When the values were last researched.' }),
    sources: z.array(z.strictObject({ id: z.string().min(1), url: z.url(), note: z.string().optional() })).min(1),
    basis: z.array(LegalBasisId).min(1).meta({ description: 'What makes the commercial promises binding (e.g. FR.C_CIV.1103).' }),
    appliesTo: reviewed(z.array(z.enum(SELLER_KINDS)).min(1)).meta({ description: 'Sales the policy covers, by who sells (platform, marketplace sellers, own shop).' }),
    returns: ReturnsSchema,
    thirdPartySellers: ThirdPartySellersSchema.nullable(),
    guarantee: GuaranteeSchema.nullable(),
    withdrawalFunction: WithdrawalFunctionSchema.nullable().default(null).meta({
      description: 'The online withdrawal function the merchant offers (L221-21, D221-5; mandatory for contracts concluded online from 2026-06-19). null: not described.',
    }),
    mediator: reviewed(z.strictObject({ name: z.string().min(1).max(200), url: z.url().optional() }).nullable()).meta({
      description: 'The consumer mediator the merchant designates (null: none named).',
    }),
    links: z
      .array(z.strictObject({ kind: z.enum(['returns', 'guarantee', 'terms', 'legal_guarantee', 'odr', 'mediator', 'other']), url: z.url() }))
      .default([])
      .meta({ description: 'Links the merchant shows to consumers.' }),
    notEncoded: z
      .array(z.strictObject({ fact: z.string().min(1), reason: z.string().min(1) }))
      .default([])
      .meta({ description: 'Facts of the research deliberately not encoded, and why.' }),
  })
  .superRefine((p, ctx) => {
    const h = [...p.returns.holidayExtensions].map((x, i) => ({ ...x, i })).sort((a, b) => dateOrder(a.purchasedFrom, b.purchasedFrom));
    for (let k = 1; k < h.length; k++)
      if (dateOrder(h[k - 1]!.purchasedTo, h[k]!.purchasedFrom) >= 0)
        ctx.addIssue({ code: 'custom', path: ['returns', 'holidayExtensions', h[k]!.i, 'purchasedFrom'], message: 'overlaps another holiday extension' });
  })
  .meta({ id: 'PolicyFile', description: 'A merchant policy in the format of rules/policies/<id>.json.' });
export type PolicyFile = z.infer<typeof PolicyFileSchema>;
export type PolicyFileInput = z.input<typeof PolicyFileSchema>;

// ---- Review flags: every reviewed value, with its path ---------------------------------------------

export interface PolicyReviewFlag {
  path: string;
  status: (typeof POLICY_STATUSES)[number];
  needsLegalReview: boolean;
  source: string;
  note: string | null;
}

function isReviewRecord(v: unknown): v is Reviewable & { source: string; note?: string } {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'status' in v && 'needsLegalReview' in v && 'source' in v;
}

/** Every reviewed value of a policy, in document order. */
export function policyReviewRecords(policy: PolicyFile): PolicyReviewFlag[] {
  const out: PolicyReviewFlag[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (isReviewRecord(v)) out.push({ path: path.join('.'), status: v.status, needsLegalReview: v.needsLegalReview, source: v.source, note: v.note ?? null });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(policy, []);
  return out;
}

/** The reviewed value at a path, if any. */
export function policyReviewAt(policy: PolicyFile, path: string): PolicyReviewFlag | null {
  let v: unknown = policy;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return isReviewRecord(v) ? { path, status: v.status, needsLegalReview: v.needsLegalReview, source: v.source, note: v.note ?? null } : null;
}

// ---- The legal floor a policy is linted against (parameters of <jurisdiction>/marketplace/policy-floor) ----

export const FLOOR_FINDINGS = [
  'window_shorter_than_legal',
  'window_counted_from_wrong_day',
  'restocking_fee_on_withdrawal',
  'store_credit_only_on_withdrawal',
  'exclusion_outside_l221_28',
  'no_return_cost_information',
  'odr_platform_link',
  'no_consumer_mediator',
  'no_withdrawal_function',
  'withdrawal_function_label',
  'withdrawal_function_fields',
] as const;
export type FloorFindingId = (typeof FLOOR_FINDINGS)[number];

const ParamRef = z.strictObject({ param: z.string().regex(/^[A-Za-z0-9/_-]+#[a-zA-Z0-9]+$/) });
export const FLOOR_PARAMETERS = {
  minimumWindowDays: z.union([z.number().int().min(0), ParamRef]),
  windowAnchors: z.array(z.enum(WINDOW_ANCHORS)).min(1),
  maxRestockingFeePercentOnWithdrawal: z.number().min(0).max(100),
  refundFormsOnWithdrawal: z.array(z.enum(REFUND_FORMS)).min(1),
  exclusionGrounds: z
    .array(
      z.strictObject({
        ground: z.string().min(1),
        attributes: z.array(Attribute).min(1),
        unlessAttributes: z.array(Attribute).default([]),
        itemKinds: z.array(z.enum(ITEM_KINDS)).default([]),
      }),
    )
    .min(1),
  categoryGrounds: z.array(z.strictObject({ category: Category, ground: z.string().min(1) })),
  odrLinkAllowed: z.boolean(),
  odrPlatformUrls: z.array(z.string().min(3)).min(1),
  mediatorRequired: z.boolean(),
  withdrawalFunctionRequired: z.boolean(),
  withdrawalFunctionLabels: z.array(z.string().min(1)).min(1).meta({ description: 'Labels the decree gives, compared without case, accents or extra spaces; any other wording is reported for a check.' }),
  withdrawalFunctionFields: z.array(z.enum(WITHDRAWAL_FUNCTION_FIELDS)).min(1).meta({ description: 'What the function may ask of the consumer; anything else is a finding.' }),
  findings: z.record(z.enum(FLOOR_FINDINGS), z.strictObject({ basis: z.array(LegalBasisId).min(1), issue: LocalizedTextSchema })),
} as const;
export type FloorParameters = { [K in keyof typeof FLOOR_PARAMETERS]: z.infer<(typeof FLOOR_PARAMETERS)[K]> };

export const floorFileId = (jurisdiction: string) => `${jurisdiction.toLowerCase()}/marketplace/policy-floor`;

// ---- Test cases for policies (rules/policies/*.cases.json) ---------------------------------------

export const PolicyCasesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  kind: z.enum(['lint', 'verdict']).meta({ description: 'lint: lintPolicy findings; verdict: POST /v1/verdicts with the patched policy.' }),
  basePolicy: z.string().regex(POLICY_ID).meta({ description: 'A loaded policy every case starts from.' }),
  basePatch: z.record(z.string(), z.unknown()).default({}).meta({ description: 'Applied to the base policy before each case\'s own patch.' }),
  base: z.string().optional().meta({ description: 'verdict cases: the fixture the requests are merged onto.' }),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(10).meta({ description: 'The legal sentence the case proves.' }),
        asOf: CivilDateSchema,
        raw: z.boolean().default(false).meta({ description: 'Start from the base policy as loaded, without basePatch.' }),
        policy: z.record(z.string(), z.unknown()).default({}),
        request: z.record(z.string(), z.unknown()).default({}),
        expect: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1),
});
export type PolicyCasesFile = z.infer<typeof PolicyCasesFileSchema>;

// ---- Checks across files, run by the loader ------------------------------------------------------

/** Every legal basis id a policy cites, with the path citing it. */
function citedBasis(policy: PolicyFile): { path: string; id: string }[] {
  const out = policy.basis.map((id, i) => ({ path: `basis.${i}`, id }));
  policy.returns.exclusions.forEach((c, i) => c.basis.forEach((id, k) => out.push({ path: `returns.exclusions.${i}.basis.${k}`, id })));
  return out;
}

/** Problems of a policy that need the rest of the ruleset (legal basis ids, jurisdiction), each naming the field. */
export function policyReferenceProblems(
  policy: PolicyFile,
  legalBasis: LegalBasisFile,
  jurisdictions: ReadonlySet<string>,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!jurisdictions.has(policy.jurisdiction)) problems.push({ path: 'jurisdiction', message: `no rules are encoded for ${policy.jurisdiction}` });
  for (const { path, id } of citedBasis(policy)) if (!legalBasis[id]) problems.push({ path, message: `unknown legal basis "${id}"` });
  return problems;
}

/** Problems of a jurisdiction's policy floor file (shape of each dated value, citations, references). */
export function floorProblems(file: RuleFile, files: ReadonlyMap<string, RuleFile>, legalBasis: LegalBasisFile): string[] {
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(FLOOR_PARAMETERS)) {
    const p = file.parameters[name];
    if (!p) {
      problems.push(`parameters.${name}: missing (the policy lint reads it)`);
      continue;
    }
    p.values.forEach((v, i) => {
      const parsed = (schema as z.ZodType).safeParse(v.value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push(`parameters.${name}.values.${i}.value${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
        return;
      }
      const value = parsed.data as unknown;
      if (name === 'minimumWindowDays' && value && typeof value === 'object') {
        const [fileId, param] = (value as { param: string }).param.split('#');
        if (!files.get(fileId!)?.parameters[param!]) problems.push(`parameters.${name}.values.${i}.value.param: unknown parameter "${(value as { param: string }).param}"`);
      }
      if (name === 'findings') {
        for (const id of FLOOR_FINDINGS) if (!(value as Record<string, unknown>)[id]) problems.push(`parameters.findings.values.${i}.value.${id}: missing`);
        for (const [id, f] of Object.entries(value as Record<string, { basis: string[] }>))
          for (const b of f.basis) if (!legalBasis[b]) problems.push(`parameters.findings.values.${i}.value.${id}.basis: unknown legal basis "${b}"`);
      }
    });
  }
  return problems;
}
