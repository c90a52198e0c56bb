// Offers the merchant policy a request names to the rules, as facts. Generic lookups only (which
// holiday extension covers the purchase date, which window a category gets, whether an item matches
// a clause); what the policy means next to the law is in rules/ (files with "policy": true).
//
// Order facts are `policy.*`, item facts `item.policy.*`. Every name is always present (null when the
// policy does not say), so rules never see undefined. Each fact remembers the policy paths it was
// read from, so that a verdict lists the review flags of the values it actually used.
import type { Item, VerdictRequest } from '../contract/request.js';
import { compareDates, type CivilDate } from './calendar.js';
import { incidentItems, SAMPLE_REQUEST, type FactValue } from './facts.js';
import { policyReviewAt, type ExclusionClause, type PolicyFile } from './ruleset/policy-schema.js';

/** The facts in the order they were read (always the same order), each with the policy paths it was read from. */
export interface PolicyFacts {
  readonly names: readonly string[];
  readonly values: readonly FactValue[];
  get(name: string): FactValue | undefined;
  sourcesOf(name: string): readonly string[] | undefined;
}

type Attrs = Item['attributes'];
const attr = (a: Attrs, name: string): boolean => (a as Record<string, unknown>)[name] === true;

function clauseMatches(c: ExclusionClause, item: Item): boolean {
  return (
    (!c.categories.length || c.categories.includes(item.category)) &&
    (!c.itemKinds.length || c.itemKinds.includes(item.kind)) &&
    c.attributes.every((n) => attr(item.attributes, n)) &&
    !c.unlessAttributes.some((n) => attr(item.attributes, n))
  );
}

/** The holiday extension whose purchase period contains the order date, with its index. */
function holidayFor(policy: PolicyFile | null, placed: CivilDate) {
  const list = policy?.returns.holidayExtensions ?? [];
  const i = list.findIndex((h) => compareDates(placed, h.purchasedFrom) >= 0 && compareDates(placed, h.purchasedTo) <= 0);
  return i < 0 ? null : { h: list[i]!, path: `returns.holidayExtensions.${i}` };
}

// Arrays, not dictionaries keyed by fact name: a store of a new key into an object is a lookup among
// the many shapes such objects pass through, for each fact of each request.
class Collector implements PolicyFacts {
  readonly names: string[] = [];
  readonly values: FactValue[] = [];
  readonly #paths: string[][] = [];
  set(name: string, value: FactValue, ...paths: string[]): void {
    this.names.push(name);
    this.values.push(value);
    this.#paths.push(paths); // may repeat a path: review keys are collected in a set
  }
  get(name: string): FactValue | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }
  sourcesOf(name: string): readonly string[] | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.#paths[i];
  }
}

/** Facts about one item under the policy. */
export function policyItemFacts(policy: PolicyFile | null, item: Item, placed: CivilDate): PolicyFacts {
  const c = new Collector();
  const r = policy?.returns;
  const catWindow = r?.categoryWindows.findIndex((w) => w.categories.includes(item.category)) ?? -1;
  if (!r?.window) c.set('item.policy.windowDays', null);
  else if (catWindow >= 0) c.set('item.policy.windowDays', r.categoryWindows[catWindow]!.days, `returns.categoryWindows.${catWindow}`);
  else c.set('item.policy.windowDays', r.window.days.value, 'returns.window.days');
  c.set('item.policy.nonReturnable', r ? r.nonReturnableCategories.value.includes(item.category) : null, 'returns.nonReturnableCategories');
  const clauses = (r?.exclusions ?? []).map((x, i) => ({ x, i })).filter(({ x }) => clauseMatches(x, item));
  c.set('item.policy.excludedByClause', r ? clauses.length > 0 : null, ...clauses.map(({ i }) => `returns.exclusions.${i}`));
  const hol = holidayFor(policy, placed);
  c.set(
    'item.policy.holidayExcluded',
    hol ? hol.h.excludedCategories.includes(item.category) || hol.h.excludedAttributes.some((n) => attr(item.attributes, n)) : null,
    ...(hol ? [hol.path] : []),
  );
  c.set('item.policy.freeReturn', r ? r.returnShipping.freeReturnCategories.value.includes(item.category) : null, 'returns.returnShipping.freeReturnCategories');
  const g = policy?.guarantee;
  c.set(
    'item.policy.guaranteeExcluded',
    g ? g.excludedItemKinds.value.includes(item.kind) || g.excludedCategories.value.includes(item.category) : null,
    'guarantee.excludedItemKinds',
    'guarantee.excludedCategories',
  );
  return c;
}

/**
 * Order-level facts about the policy, for the incident's items; `placed` is the order's civil date.
 * `perItem`: the items' own policy facts, when already read.
 */
export function policyOrderFacts(
  policy: PolicyFile | null,
  req: VerdictRequest,
  placed: CivilDate,
  perItem: readonly PolicyFacts[] = incidentItems(req).map((it) => policyItemFacts(policy, it, placed)),
): PolicyFacts {
  const c = new Collector();
  const items = incidentItems(req);
  const r = policy?.returns;

  c.set('policy.id', policy?.id ?? null);
  c.set('policy.name', policy?.merchant.name ?? null);
  c.set('policy.coversSeller', policy ? policy.appliesTo.value.includes(req.order.seller.kind) : null, 'appliesTo');

  // The shortest window among the incident's items: one window per incident.
  // Loops rather than map/filter chains: arrays of varying element kinds made V8 give up optimising this.
  const days: number[] = [];
  const windowPaths: string[] = [];
  for (const p of perItem) {
    const d = p.get('item.policy.windowDays');
    if (typeof d === 'number') days.push(d);
    for (const path of p.sourcesOf('item.policy.windowDays') ?? []) windowPaths.push(path);
  }
  c.set('policy.returnWindowDays', days.length ? Math.min(...days) : null, ...windowPaths);
  c.set('policy.returnWindowAnchor', r?.window?.anchor.value ?? null, 'returns.window.anchor');
  c.set('policy.returnWindowRolls', r?.window ? r.window.rollsOverHolidays.value === true : null, 'returns.window.rollsOverHolidays');

  const hol = r?.window ? holidayFor(policy, placed) : null;
  const hp = hol ? [hol.path] : [];
  c.set('policy.holidayWindow.applies', policy ? hol !== null : null, ...hp);
  c.set('policy.holidayWindow.purchasedFrom', hol?.h.purchasedFrom ?? null, ...hp);
  c.set('policy.holidayWindow.purchasedTo', hol?.h.purchasedTo ?? null, ...hp);
  c.set('policy.holidayWindow.returnUntil', hol?.h.returnUntil ?? null, ...hp);
  c.set('policy.holidayWindow.orDaysAfterReceipt', hol?.h.orDaysAfterReceipt ?? null, ...hp);

  const nonReturnable: string[] = [];
  for (const it of items) if (r?.nonReturnableCategories.value.includes(it.category)) nonReturnable.push(it.category);
  c.set('policy.categoryNonReturnable', r ? nonReturnable.length > 0 : null, 'returns.nonReturnableCategories');
  c.set('policy.nonReturnableCategories', [...new Set(nonReturnable)].sort(), 'returns.nonReturnableCategories');
  const clauseIds = new Set<string>();
  const clausePaths = new Set<string>();
  (r?.exclusions ?? []).forEach((x, i) => {
    if (items.some((it) => clauseMatches(x, it))) {
      clauseIds.add(x.id);
      clausePaths.add(`returns.exclusions.${i}`);
    }
  });
  c.set('policy.exclusionClauseApplies', r ? clauseIds.size > 0 : null, ...clausePaths);
  c.set('policy.exclusionClauses', [...clauseIds].sort(), ...clausePaths);

  c.set('policy.returnShipping.defaultPayer', r?.returnShipping.defaultPayer.value ?? null, 'returns.returnShipping.defaultPayer');
  c.set(
    'policy.returnShipping.freeForItems',
    r ? perItem.every((p) => p.get('item.policy.freeReturn') === true) : null,
    'returns.returnShipping.freeReturnCategories',
  );
  const fee = r?.restockingFee.value ?? null;
  const feePath = 'returns.restockingFee';
  c.set('policy.restockingFee.percent', r ? (fee?.percent ?? 0) : null, feePath);
  c.set('policy.restockingFee.rate', r ? (fee?.percent ?? 0) / 100 : null, feePath);
  c.set('policy.restockingFee.onWithdrawal', r ? (fee?.appliesTo.includes('withdrawal') ?? false) : null, feePath);
  c.set('policy.restockingFee.onCommercialReturn', r ? (fee?.appliesTo.includes('commercial_return') ?? false) : null, feePath);
  c.set('policy.restockingFee.commercialReturnRate', r ? (fee?.appliesTo.includes('commercial_return') ? fee.percent / 100 : 0) : null, feePath);
  c.set('policy.refund.form', r?.refund.form.value ?? null, 'returns.refund.form');
  c.set('policy.refund.days', r?.refund.days.value ?? null, 'returns.refund.days');
  c.set('policy.refund.anchor', r?.refund.anchor.value ?? null, 'returns.refund.anchor');
  c.set('policy.refund.outboundShipping', r?.refund.outboundShipping.value ?? null, 'returns.refund.outboundShipping');

  const tp = policy?.thirdPartySellers ?? null;
  c.set('policy.thirdParty.mustMatchOrExceed', tp?.mustMatchOrExceed.value ?? null, 'thirdPartySellers.mustMatchOrExceed');
  c.set('policy.thirdParty.prepaidLabelByDefault', tp?.prepaidLabelByDefault.value ?? null, 'thirdPartySellers.prepaidLabelByDefault');

  const g = policy?.guarantee ?? null;
  const fulfilled = req.order.fulfilledBy ?? null;
  c.set('policy.guarantee.offered', policy ? g !== null : null);
  c.set('policy.guarantee.name.fr', g?.name.fr ?? null);
  c.set('policy.guarantee.name.en', g?.name.en ?? null);
  c.set('policy.guarantee.coversSeller', g ? g.coversSellerKinds.value.includes(req.order.seller.kind) : null, 'guarantee.coversSellerKinds');
  c.set('policy.guarantee.coversFulfilment', g ? fulfilled === null || g.coversFulfilledBy.value.includes(fulfilled) : null, 'guarantee.coversFulfilledBy');
  c.set('policy.guarantee.coversIncident', g ? g.coversIncidents.value.includes(req.incident.type) : null, 'guarantee.coversIncidents');
  c.set('policy.guarantee.sellerAnswerHours', g?.sellerAnswerHours.value ?? null, 'guarantee.sellerAnswerHours');
  c.set('policy.guarantee.sellerAnswerDays', g ? Math.ceil(g.sellerAnswerHours.value / 24) : null, 'guarantee.sellerAnswerHours');
  c.set('policy.guarantee.claimWindowDays', g?.claimWindowDays.value ?? null, 'guarantee.claimWindowDays');
  c.set('policy.guarantee.claimAnchor', g?.claimAnchor.value ?? null, 'guarantee.claimAnchor');
  c.set('policy.guarantee.notReceivedWaitDays', g?.notReceivedWaitDays.value ?? null, 'guarantee.notReceivedWaitDays');
  c.set('policy.guarantee.notReceivedMaxDaysAfterOrder', g?.notReceivedMaxDaysAfterOrder.value ?? null, 'guarantee.notReceivedMaxDaysAfterOrder');
  c.set('policy.guarantee.chargebackClosesClaim', g?.chargebackClosesClaim.value ?? null, 'guarantee.chargebackClosesClaim');
  c.set('policy.mediator.name', policy?.mediator.value?.name ?? null, 'mediator');
  return c;
}

/** The names of the policy facts, order-level and item-level. */
export const POLICY_ORDER_FACT_NAMES: readonly string[] = [...policyOrderFacts(null, SAMPLE_REQUEST, '2026-01-01').names];
export const POLICY_ITEM_FACT_NAMES: readonly string[] = [...policyItemFacts(null, SAMPLE_REQUEST.order.items[0]!, '2026-01-01').names];
/** Each name, to the machinery's own string of it. */
const POLICY_FACT_NAMES: ReadonlyMap<string, string> = new Map([...POLICY_ORDER_FACT_NAMES, ...POLICY_ITEM_FACT_NAMES].map((n) => [n, n]));

/** Whether the machinery provides a policy fact of that name. */
export function isPolicyFact(name: string): boolean {
  return POLICY_FACT_NAMES.has(name);
}

const policyNamesOf = new WeakMap<object, string[]>();
/** The policy facts a rule mentions anywhere (conditions, expressions, texts), for review flags. */
export function policyFactsMentioned(spec: object): string[] {
  let names = policyNamesOf.get(spec);
  if (!names) {
    const text = JSON.stringify(spec);
    // The machinery's own strings, not the copies read from the rule: looking them up among the facts'
    // names then compares addresses, not characters.
    names = [...new Set(text.match(/(?:item\.)?policy\.[A-Za-z0-9_.]*[A-Za-z0-9_]/g) ?? [])].flatMap((n) => POLICY_FACT_NAMES.get(n) ?? []);
    policyNamesOf.set(spec, names);
  }
  return names;
}

/** The review-flag keys of policy values (`policy:<id>#<path>`), for those that need legal review. */
export function policyReviewKeys(policy: PolicyFile, paths: readonly string[]): string[] {
  const keys: string[] = [];
  for (const path of paths) {
    const key = reviewKeyOf(policy, path);
    if (key !== null) keys.push(key);
  }
  return keys;
}

/**
 * The review-flag key of one policy value, or null: found by walking the policy along the path once
 * per policy and path (a loaded policy does not change; a reload loads new objects), not for every
 * fired rule of every verdict.
 */
function reviewKeyOf(policy: PolicyFile, path: string): string | null {
  let byPath = reviewKeys.get(policy);
  if (!byPath) reviewKeys.set(policy, (byPath = new Map()));
  let key = byPath.get(path);
  if (key === undefined) {
    key = policyReviewAt(policy, path)?.needsLegalReview ? `policy:${policy.id}#${path}` : null;
    byPath.set(path, key);
  }
  return key;
}
const reviewKeys = new WeakMap<PolicyFile, Map<string, string | null>>();

/** The note shown for a policy review flag in a verdict. */
export function policyReviewNote(policies: ReadonlyMap<string, PolicyFile>, key: string): string | null {
  const m = /^policy:([^#]+)#(.+)$/.exec(key);
  if (!m) return null;
  const policy = policies.get(m[1]!);
  const flag = policy ? policyReviewAt(policy, m[2]!) : null;
  return flag ? `${flag.status} (${flag.source})${flag.note ? `: ${flag.note}` : ''}` : null;
}
