// Turns a validated request into the flat facts the rules read. Generic bookkeeping only (civil
// dates, sums, maxima, history aggregates): what the law makes of them is in rules/.
import { DateTime } from 'luxon';
import { HISTORY_TYPES, type Item, type VerdictRequest } from '../contract/request.js';
import { civilDateInZone, compareDates, isCivilDate, minDate, type CivilDate } from './calendar.js';

export type FactValue = string | number | boolean | null | readonly (string | number | boolean | null)[];
export type Facts = Record<string, FactValue>;

export interface InputProblem {
  path: string;
  message: string;
}

/** The civil date of a date or a date-time with offset, in the jurisdiction's zone. */
export function civilDateOf(value: string, zone: string): CivilDate {
  return value.length === 10 ? value : civilDateInZone(value, zone);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function incidentItems(req: VerdictRequest): Item[] {
  const ids = req.incident.itemIds;
  return ids ? req.order.items.filter((i) => ids.includes(i.id)) : req.order.items;
}

/**
 * Dates that cannot be true (after asOf, before the order, receipt after return…) and references to
 * unknown items. Each problem names the field, as the 400 response must.
 */
export function checkRequest(req: VerdictRequest, asOf: CivilDate, zone: string, placed = civilDateOf(req.order.placedAt, zone)): InputProblem[] {
  const problems: InputProblem[] = [];
  // Each part read once: requests differ in shape with their optional fields (megamorphic loads).
  const { order, incident } = req;
  const { delivery, disclosures } = order;
  // A date-time inside the contract's years can still fall outside them once read in the zone
  // (1900-01-01T00:30:00+14:00 is 1899-12-31 in Paris): the calendar cannot compute with it.
  if (!isCivilDate(placed)) return [{ path: 'order.placedAt', message: `falls outside 1900-01-01 to 2999-12-31 once read in the time zone ${zone}` }];
  const notAfterAsOf = (path: string, d: string | null | undefined) => {
    if (d && compareDates(d, asOf) > 0) problems.push({ path, message: `is after asOf (${asOf}): a verdict cannot rest on a future fact` });
  };
  const notBeforeOrder = (path: string, d: string | null | undefined) => {
    if (d && compareDates(d, placed) < 0) problems.push({ path, message: `is before the order was placed (${placed})` });
  };
  const dated = (path: string, d: string | null | undefined) => {
    notAfterAsOf(path, d);
    notBeforeOrder(path, d);
  };
  notAfterAsOf('order.placedAt', placed);
  const seen = new Set<string>();
  order.items.forEach((item, i) => {
    if (seen.has(item.id)) problems.push({ path: `order.items.${i}.id`, message: `duplicates item id "${item.id}"` });
    seen.add(item.id);
    dated(`order.items.${i}.receivedAt`, item.receivedAt);
    dated(`order.items.${i}.attributes.supplyStartedAt`, item.attributes.supplyStartedAt);
    dated(`order.items.${i}.service.fullyPerformedAt`, item.service?.fullyPerformedAt);
    if (item.receivedAt && delivery?.shippedAt && compareDates(item.receivedAt, delivery.shippedAt) < 0)
      problems.push({ path: `order.items.${i}.receivedAt`, message: `is before the goods were shipped (${delivery.shippedAt})` });
  });
  dated('order.delivery.shippedAt', delivery?.shippedAt);
  notBeforeOrder('order.delivery.promisedBy', delivery?.promisedBy);
  dated('order.disclosures.withdrawalInfoGivenAt', disclosures.withdrawalInfoGivenAt);
  const acknowledged = disclosures.withdrawalAcknowledgedAt;
  if (acknowledged) {
    const path = 'order.disclosures.withdrawalAcknowledgedAt';
    const day = civilDateOf(acknowledged, zone);
    if (!isCivilDate(day)) problems.push({ path, message: `falls outside 1900-01-01 to 2999-12-31 once read in the time zone ${zone}` });
    else {
      notAfterAsOf(path, day);
      // A withdrawal confirmed before the contract was concluded: to the minute when both carry a time.
      if (confirmedBeforeOrder(acknowledged, order.placedAt, day, placed))
        problems.push({ path, message: `is before the order was placed (${order.placedAt}): a withdrawal cannot be confirmed before the contract` });
    }
    if (disclosures.withdrawalFunctionOffered === false)
      problems.push({ path, message: 'records a declaration made through the trader\'s online withdrawal function, but order.disclosures.withdrawalFunctionOffered is false' });
  }
  incident.itemIds?.forEach((id, i) => {
    if (!seen.has(id)) problems.push({ path: `incident.itemIds.${i}`, message: `names no item of the order ("${id}")` });
  });
  dated('incident.notifiedAt', incident.notifiedAt);
  dated('incident.discoveredAt', incident.discoveredAt);
  dated('incident.returnedAt', incident.returnedAt);
  dated('incident.receivedByTraderAt', incident.receivedByTraderAt);
  if (incident.receivedByTraderAt && incident.notifiedAt && compareDates(incident.receivedByTraderAt, incident.notifiedAt) < 0)
    problems.push({ path: 'incident.receivedByTraderAt', message: `is before the declaration or request was sent (incident.notifiedAt, ${incident.notifiedAt})` });
  const received = incidentItems(req).map((i) => i.receivedAt).filter((d): d is string => !!d);
  const firstReceipt = received.length ? minDate(...received) : null;
  if (firstReceipt && incident.returnedAt && compareDates(incident.returnedAt, firstReceipt) < 0)
    problems.push({ path: 'incident.returnedAt', message: `is before the goods were received (${firstReceipt})` });
  if (firstReceipt && incident.discoveredAt && compareDates(incident.discoveredAt, firstReceipt) < 0)
    problems.push({ path: 'incident.discoveredAt', message: `is before the goods were received (${firstReceipt})` });
  const recall = incident.recall;
  if (incident.type === 'product_recall' && !recall) problems.push({ path: 'incident.recall', message: 'is required for a product_recall incident' });
  if (incident.type !== 'product_recall' && recall) problems.push({ path: 'incident.recall', message: 'only applies to a product_recall incident' });
  if (recall) {
    // A recall may predate the order (a recalled product sold anyway), never asOf.
    notAfterAsOf('incident.recall.noticeAt', recall.noticeAt);
    dated('incident.recall.remedyRequestedAt', recall.remedyRequestedAt);
    dated('incident.recall.remedyCompletedAt', recall.remedyCompletedAt);
    if (recall.remedyRequestedAt && compareDates(recall.remedyRequestedAt, recall.noticeAt) < 0)
      problems.push({ path: 'incident.recall.remedyRequestedAt', message: `is before the recall notice (${recall.noticeAt})` });
    if (recall.remedyCompletedAt && recall.remedyRequestedAt && compareDates(recall.remedyCompletedAt, recall.remedyRequestedAt) < 0)
      problems.push({ path: 'incident.recall.remedyCompletedAt', message: `is before the remedy was requested (${recall.remedyRequestedAt})` });
    if (recall.offered && new Set(recall.offered).size !== recall.offered.length)
      problems.push({ path: 'incident.recall.offered', message: 'names a remedy twice' });
  }
  incident.history.forEach((h, i) => {
    dated(`incident.history.${i}.at`, h.at);
    if ((h.type === 'refund_received' || h.type === 'return_postage_paid') && h.amount === undefined)
      problems.push({ path: `incident.history.${i}.amount`, message: `is required for ${h.type}` });
    if (h.afterFailedRepair !== undefined && h.type !== 'replaced')
      problems.push({ path: `incident.history.${i}.afterFailedRepair`, message: 'only applies to a replaced entry' });
    if (h.extraPeriodUntil && h.type !== 'formal_notice')
      problems.push({ path: `incident.history.${i}.extraPeriodUntil`, message: 'only applies to a formal_notice' });
    if (h.extraPeriodUntil && compareDates(h.extraPeriodUntil, h.at) < 0)
      problems.push({ path: `incident.history.${i}.extraPeriodUntil`, message: `is before the notice itself (${h.at})` });
  });
  return problems;
}

/**
 * Whether a confirmation came before the contract: compared as instants when both carry a time of day,
 * else as civil dates in the jurisdiction's zone (a date alone names the whole day).
 */
function confirmedBeforeOrder(confirmed: string, placedAt: string, confirmedDay: CivilDate, placedDay: CivilDate): boolean {
  if (confirmed.length > 10 && placedAt.length > 10) return DateTime.fromISO(confirmed).toMillis() < DateTime.fromISO(placedAt).toMillis();
  return compareDates(confirmedDay, placedDay) < 0;
}

// ---- Facts as tables ------------------------------------------------------------------------------
// Each fact is a name and how to read it. The compiled plan gives every name a slot, once per ruleset;
// a request then fills the slots in table order, without building a dictionary.

/** Facts about one item, read by item-scoped rules (exclusions). */
export const ITEM_FACTS: readonly (readonly [string, (item: Item) => FactValue])[] = [
  ['item.id', (i) => i.id],
  ['item.kind', (i) => i.kind],
  ['item.category', (i) => i.category],
  ['item.price', (i) => i.price],
  ['item.quantity', (i) => i.quantity],
  ['item.condition', (i) => i.condition],
  ['item.receivedAt', (i) => i.receivedAt ?? null],
  ['item.attributes.supplyStartedAt', (i) => i.attributes.supplyStartedAt ?? null],
  ['item.service.type', (i) => i.service?.type ?? null],
  ['item.service.scheduledFor', (i) => i.service?.scheduledFor ?? null],
  ['item.service.fullyPerformedAt', (i) => i.service?.fullyPerformedAt ?? null],
  // One reader per flag (not one reading `attributes[flag]`): each reads its own property by name.
  ['item.attributes.priceTiedToFinancialMarket', (i) => i.attributes.priceTiedToFinancialMarket ?? false],
  ['item.attributes.madeToConsumerSpecifications', (i) => i.attributes.madeToConsumerSpecifications ?? false],
  ['item.attributes.clearlyPersonalized', (i) => i.attributes.clearlyPersonalized ?? false],
  ['item.attributes.perishable', (i) => i.attributes.perishable ?? false],
  ['item.attributes.sealedForHygiene', (i) => i.attributes.sealedForHygiene ?? false],
  ['item.attributes.sealedMedia', (i) => i.attributes.sealedMedia ?? false],
  ['item.attributes.sealBroken', (i) => i.attributes.sealBroken ?? false],
  ['item.attributes.inseparablyMixed', (i) => i.attributes.inseparablyMixed ?? false],
  ['item.attributes.alcoholMarketPriced', (i) => i.attributes.alcoholMarketPriced ?? false],
  ['item.attributes.pressPublication', (i) => i.attributes.pressPublication ?? false],
  ['item.attributes.subscription', (i) => i.attributes.subscription ?? false],
  ['item.attributes.consentToImmediateSupply', (i) => i.attributes.consentToImmediateSupply ?? false],
  ['item.attributes.acknowledgedLossOfWithdrawal', (i) => i.attributes.acknowledgedLossOfWithdrawal ?? false],
  ['item.attributes.confirmationOnDurableMedium', (i) => i.attributes.confirmationOnDurableMedium ?? false],
  ['item.attributes.giftCard', (i) => i.attributes.giftCard ?? false],
];

/** Facts about one item, as a dictionary (for tools and the oracle's trace). */
export function itemFacts(item: Item): Facts {
  const f: Facts = {};
  for (const [name, read] of ITEM_FACTS) f[name] = read(item);
  return f;
}

const HISTORY_INDEX = new Map<string, number>(HISTORY_TYPES.map((type, i) => [type, i]));

interface HistoryAggregate {
  count: number;
  first: CivilDate | null;
  last: CivilDate | null;
  amount: number;
}

/** What the order facts are read from: the request, with its aggregates computed once. */
export interface OrderContext {
  req: VerdictRequest;
  // The request's parts, read once: a request's objects differ in shape with the optional fields they
  // hold, so each load through them is a megamorphic lookup.
  order: VerdictRequest['order'];
  buyer: VerdictRequest['order']['buyer'];
  seller: VerdictRequest['order']['seller'];
  shipping: VerdictRequest['order']['shipping'];
  delivery: VerdictRequest['order']['delivery'];
  disclosures: VerdictRequest['order']['disclosures'];
  incident: VerdictRequest['incident'];
  recall: VerdictRequest['incident']['recall'];
  asOf: CivilDate;
  placed: CivilDate;
  incidentItems: Item[];
  sellerInEu: boolean | null;
  consumerInEu: boolean;
  /** By the index of the entry's type in HISTORY_TYPES. */
  history: HistoryAggregate[];
  extraPeriodUntil: CivilDate | null;
  /** The last replacement that followed a repair the consumer chose and the seller did not carry out. */
  replacedAfterFailedRepair: CivilDate | null;
  orderReceipts: ReceiptStats;
  incidentReceipts: ReceiptStats;
  /** order.disclosures.withdrawalAcknowledgedAt as a civil date in the jurisdiction's zone. */
  acknowledgedOn: CivilDate | null;
}

export function orderContext(
  req: VerdictRequest,
  asOf: CivilDate,
  zone: string,
  euMemberStates: readonly string[] = [],
  placed = civilDateOf(req.order.placedAt, zone),
): OrderContext {
  const sellerCountry = req.order.seller.country ?? null;
  const history: HistoryAggregate[] = HISTORY_TYPES.map(() => ({ count: 0, first: null, last: null, amount: 0 }));
  // Entries in date order (a stable sort): sums are added in that order, as they always were.
  const sorted = [...req.incident.history].sort((a, b) => compareDates(a.at, b.at));
  let extraPeriodUntil: CivilDate | null = null;
  let replacedAfterFailedRepair: CivilDate | null = null;
  for (const h of sorted) {
    if (h.type === 'replaced' && h.afterFailedRepair === true) replacedAfterFailedRepair = h.at;
    const agg = history[HISTORY_INDEX.get(h.type)!]!;
    agg.count++;
    agg.first ??= h.at;
    agg.last = h.at;
    agg.amount += h.amount ?? 0;
    if (h.type === 'formal_notice' && h.extraPeriodUntil && (extraPeriodUntil === null || h.extraPeriodUntil > extraPeriodUntil))
      extraPeriodUntil = h.extraPeriodUntil;
  }
  for (const agg of history) agg.amount = round2(agg.amount);
  const items = incidentItems(req);
  const { order, incident } = req;
  return {
    req,
    order,
    buyer: order.buyer,
    seller: order.seller,
    shipping: order.shipping,
    delivery: order.delivery,
    disclosures: order.disclosures,
    incident,
    recall: incident.recall,
    asOf,
    placed,
    incidentItems: items,
    orderReceipts: receiptStats(req.order.items),
    // Separate lists even when the incident covers the whole order: facts never share an array.
    incidentReceipts: receiptStats(items),
    sellerInEu: sellerCountry === null ? null : euMemberStates.includes(sellerCountry),
    consumerInEu: euMemberStates.includes(req.order.buyer.country ?? req.jurisdiction),
    history,
    extraPeriodUntil,
    replacedAfterFailedRepair,
    acknowledgedOn: req.order.disclosures.withdrawalAcknowledgedAt ? civilDateOf(req.order.disclosures.withdrawalAcknowledgedAt, zone) : null,
  };
}

type OrderFact = readonly [string, (c: OrderContext) => FactValue];

/** How order.amountPaid splits into items (as a share of their prices), delivery and other sums. */
function paidSplit(c: OrderContext): { itemsShare: number; shipping: number; other: number } {
  const o = c.req.order;
  const itemsTotal = c.orderReceipts.total;
  if (o.amountPaid === undefined) return { itemsShare: 1, shipping: o.shipping.cost, other: 0 };
  const toItems = Math.min(o.amountPaid, itemsTotal);
  const toShipping = Math.min(o.shipping.cost, Math.max(0, o.amountPaid - itemsTotal));
  return {
    // Not rounded: a rounded share times a large price could be a cent off once multiplied back.
    itemsShare: itemsTotal > 0 ? toItems / itemsTotal : 1,
    shipping: round2(toShipping),
    other: round2(Math.max(0, o.amountPaid - itemsTotal - o.shipping.cost)),
  };
}

/** What the receipt facts of a list of items are read from, computed once per list. */
interface ReceiptStats {
  count: number;
  first: CivilDate | null;
  last: CivilDate | null;
  received: number;
  kinds: string[];
  categories: string[];
  conditions: string[];
  anySubscription: boolean;
  total: number;
}

/**
 * The distinct values of one field of the items, in code-unit order: `[...new Set(values)].sort()`
 * without the Set, the spread and the sort call (~1.3 k instructions each for an order of a few items).
 */
function distinctSorted(items: readonly Item[], read: (item: Item) => string): string[] {
  const out: string[] = [];
  for (const item of items) {
    const v = read(item);
    if (out.includes(v)) continue;
    let j = out.length;
    out.push(v);
    for (; j > 0 && out[j - 1]! > v; j--) out[j] = out[j - 1]!;
    out[j] = v;
  }
  return out;
}

function receiptStats(items: Item[]): ReceiptStats {
  let first: CivilDate | null = null;
  let last: CivilDate | null = null;
  let received = 0;
  for (const i of items) {
    const d = i.receivedAt ?? null;
    if (d === null) continue;
    received++;
    if (first === null || compareDates(d, first) < 0) first = d;
    if (last === null || compareDates(d, last) > 0) last = d;
  }
  return {
    count: items.length,
    first,
    last,
    received,
    kinds: distinctSorted(items, (i) => i.kind),
    categories: distinctSorted(items, (i) => i.category),
    conditions: distinctSorted(items, (i) => i.condition),
    anySubscription: items.some((i) => i.attributes.subscription === true),
    total: round2(items.reduce((s, i) => s + i.price * i.quantity, 0)),
  };
}

function receiptFacts(prefix: string, statsOf: (c: OrderContext) => ReceiptStats): OrderFact[] {
  return [
    [`${prefix}.count`, (c) => statsOf(c).count],
    [`${prefix}.receivedAt.first`, (c) => statsOf(c).first],
    [`${prefix}.receivedAt.last`, (c) => statsOf(c).last],
    [`${prefix}.allReceived`, (c) => statsOf(c).received === statsOf(c).count],
    [`${prefix}.anyReceived`, (c) => statsOf(c).received > 0],
    [`${prefix}.kinds`, (c) => statsOf(c).kinds],
    [`${prefix}.categories`, (c) => statsOf(c).categories],
    [`${prefix}.conditions`, (c) => statsOf(c).conditions],
    [`${prefix}.anySubscription`, (c) => statsOf(c).anySubscription],
    [`${prefix}.total`, (c) => statsOf(c).total],
  ];
}

/**
 * Order-level facts. Every name is always present (null when unknown), so rules never see undefined.
 * `seller.inEu` and `seller.crossBorderEu` read the jurisdiction's member states (jurisdiction.json):
 * seller and consumer in two different member states; the consumer's country is `buyer.country`, else
 * the request's jurisdiction; null when the seller's country is unknown.
 */
export const ORDER_FACTS: readonly OrderFact[] = [
  ['asOf', (c) => c.asOf],
  ['jurisdiction', (c) => c.req.jurisdiction],
  ['region', (c) => c.req.region ?? null],
  ['policy', (c) => c.req.policy ?? null],
  ['order.placedDate', (c) => c.placed],
  ['order.channel', (c) => c.order.channel],
  ['order.currency', (c) => c.order.currency],
  ['order.amountPaid', (c) => c.order.amountPaid ?? round2(c.order.items.reduce((s, i) => s + i.price * i.quantity, 0) + c.shipping.cost)],
  // What the consumer actually paid, when order.amountPaid says it (a deposit, a partial payment): it goes
  // to the items first, in proportion to their prices, then to the delivery charge, then to anything else.
  ['paid.given', (c) => c.order.amountPaid !== undefined],
  ['paid.itemsShare', (c) => paidSplit(c).itemsShare],
  ['paid.shipping', (c) => paidSplit(c).shipping],
  ['paid.other', (c) => paidSplit(c).other],
  ['buyer.kind', (c) => c.buyer.kind],
  ['buyer.country', (c) => c.buyer.country ?? null],
  ['seller.kind', (c) => c.seller.kind],
  ['seller.professional', (c) => c.seller.professional],
  ['seller.country', (c) => c.seller.country ?? null],
  ['seller.inEu', (c) => c.sellerInEu],
  [
    'seller.crossBorderEu',
    (c) => (c.sellerInEu === null ? null : c.sellerInEu && c.consumerInEu && c.seller.country !== (c.buyer.country ?? c.req.jurisdiction)),
  ],
  ['seller.hasMediator', (c) => !!c.seller.mediator],
  ['seller.mediator.name', (c) => c.seller.mediator?.name ?? null],
  ['seller.mediator.url', (c) => c.seller.mediator?.url ?? null],
  ['fulfilledBy', (c) => c.order.fulfilledBy ?? null],
  ['shipping.method', (c) => c.shipping.method],
  ['shipping.cost', (c) => c.shipping.cost],
  ['shipping.standardCost', (c) => c.shipping.standardCost ?? c.shipping.cost],
  ['delivery.shippedAt', (c) => c.delivery?.shippedAt ?? null],
  ['delivery.promisedBy', (c) => c.delivery?.promisedBy ?? null],
  ['delivery.dateEssential', (c) => c.delivery?.dateEssential ?? false],
  ['delivery.carrierChosenByConsumer', (c) => c.delivery?.carrierChosenByConsumer ?? false],
  ['delivery.traderOffersCollection', (c) => c.delivery?.traderOffersCollection ?? false],
  ['disclosures.withdrawalInfoGiven', (c) => c.disclosures.withdrawalInfoGiven],
  ['disclosures.withdrawalInfoGivenAt', (c) => c.disclosures.withdrawalInfoGivenAt ?? null],
  ['disclosures.returnCostsBorneByConsumer', (c) => c.disclosures.returnCostsBorneByConsumer],
  ['disclosures.withdrawalFunctionOffered', (c) => c.disclosures.withdrawalFunctionOffered ?? null],
  // The civil day (jurisdiction's zone) of the confirmation the acknowledgement records.
  ['disclosures.withdrawalAcknowledgedAt', (c) => c.acknowledgedOn],
  ['incident.type', (c) => c.incident.type],
  ['incident.notifiedAt', (c) => c.incident.notifiedAt ?? null],
  ['incident.discoveredAt', (c) => c.incident.discoveredAt ?? null],
  ['incident.returnedAt', (c) => c.incident.returnedAt ?? null],
  ['incident.receivedByTraderAt', (c) => c.incident.receivedByTraderAt ?? null],
  ['incident.itemState', (c) => c.incident.itemState ?? null],
  ['incident.coversWholeOrder', (c) => c.incidentItems.length === c.order.items.length],
  ['incident.recall.id', (c) => c.recall?.id ?? null],
  ['incident.recall.noticeAt', (c) => c.recall?.noticeAt ?? null],
  ['incident.recall.issuedBy', (c) => c.recall?.issuedBy ?? null],
  ['incident.recall.offered', (c) => c.recall?.offered ?? null],
  ['incident.recall.consumerRepairEasyAndSafe', (c) => c.recall?.consumerRepairEasyAndSafe ?? false],
  ['incident.recall.stillHeld', (c) => c.recall?.stillHeld ?? null],
  ['incident.recall.remedyRequestedAt', (c) => c.recall?.remedyRequestedAt ?? null],
  ['incident.recall.remedyCompletedAt', (c) => c.recall?.remedyCompletedAt ?? null],
  ...receiptFacts('order.items', (c) => c.orderReceipts),
  ...receiptFacts('incident.items', (c) => c.incidentReceipts),
  ...HISTORY_TYPES.flatMap((type, t): OrderFact[] => [
    [`history.${type}.count`, (c) => c.history[t]!.count],
    [`history.${type}.first`, (c) => c.history[t]!.first],
    [`history.${type}.last`, (c) => c.history[t]!.last],
    [`history.${type}.amount`, (c) => c.history[t]!.amount],
  ]),
  ['history.formal_notice.extraPeriodUntil', (c) => c.extraPeriodUntil],
  ['history.replaced.afterFailedRepair', (c) => c.replacedAfterFailedRepair],
];

/** Order-level facts as a dictionary (for tools and tests). */
export function orderFacts(req: VerdictRequest, asOf: CivilDate, zone: string, euMemberStates: readonly string[] = []): Facts {
  const c = orderContext(req, asOf, zone, euMemberStates);
  const f: Facts = {};
  for (const [name, read] of ORDER_FACTS) f[name] = read(c);
  return f;
}

/** The smallest valid request: enough to list the names of every fact the machinery provides. */
export const SAMPLE_REQUEST: VerdictRequest = Object.freeze({
  jurisdiction: 'FR',
  explain: false,
  order: {
    placedAt: '2026-01-01',
    currency: 'EUR',
    channel: 'online',
    buyer: { kind: 'consumer' },
    seller: { kind: 'independent', professional: true },
    shipping: { method: 'standard', cost: 0 },
    disclosures: { withdrawalInfoGiven: true, returnCostsBorneByConsumer: false },
    items: [{ id: 'x', kind: 'goods', category: 'other', price: 1, quantity: 1, condition: 'new', attributes: {} }],
  },
  incident: { type: 'change_of_mind', history: [] },
}) as VerdictRequest;

const SAMPLE_FACT_NAMES: ReadonlySet<string> = new Set([...ORDER_FACTS.map(([n]) => n), ...ITEM_FACTS.map(([n]) => n)]);

/** Whether the machinery provides a fact of that name (parameters are checked separately). */
export function isKnownFact(name: string): boolean {
  return SAMPLE_FACT_NAMES.has(name);
}
