// Turns a validated request into the flat facts the rules read. Generic bookkeeping only (civil
// dates, sums, maxima, history aggregates): what the law makes of them is in rules/.
import { DateTime } from 'luxon';
import { HISTORY_TYPES, type Item, type VerdictRequest } from '../contract/request.js';
import { compareDates, isCivilDate, maxDate, minDate, type CivilDate } from './calendar.js';

export type FactValue = string | number | boolean | null | readonly (string | number | boolean | null)[];
export type Facts = Record<string, FactValue>;

export interface InputProblem {
  path: string;
  message: string;
}

/** The civil date of a date or a date-time with offset, in the jurisdiction's zone. */
export function civilDateOf(value: string, zone: string): CivilDate {
  if (value.length === 10) return value;
  const dt = DateTime.fromISO(value, { setZone: true }).setZone(zone);
  return dt.toISODate() ?? value.slice(0, 10);
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
export function checkRequest(req: VerdictRequest, asOf: CivilDate, zone: string): InputProblem[] {
  const problems: InputProblem[] = [];
  const placed = civilDateOf(req.order.placedAt, zone);
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
  req.order.items.forEach((item, i) => {
    if (seen.has(item.id)) problems.push({ path: `order.items.${i}.id`, message: `duplicates item id "${item.id}"` });
    seen.add(item.id);
    dated(`order.items.${i}.receivedAt`, item.receivedAt);
    dated(`order.items.${i}.attributes.supplyStartedAt`, item.attributes.supplyStartedAt);
    dated(`order.items.${i}.service.fullyPerformedAt`, item.service?.fullyPerformedAt);
    if (item.receivedAt && req.order.delivery?.shippedAt && compareDates(item.receivedAt, req.order.delivery.shippedAt) < 0)
      problems.push({ path: `order.items.${i}.receivedAt`, message: `is before the goods were shipped (${req.order.delivery.shippedAt})` });
  });
  dated('order.delivery.shippedAt', req.order.delivery?.shippedAt);
  notBeforeOrder('order.delivery.promisedBy', req.order.delivery?.promisedBy);
  dated('order.disclosures.withdrawalInfoGivenAt', req.order.disclosures.withdrawalInfoGivenAt);
  req.incident.itemIds?.forEach((id, i) => {
    if (!seen.has(id)) problems.push({ path: `incident.itemIds.${i}`, message: `names no item of the order ("${id}")` });
  });
  dated('incident.notifiedAt', req.incident.notifiedAt);
  dated('incident.discoveredAt', req.incident.discoveredAt);
  dated('incident.returnedAt', req.incident.returnedAt);
  const received = incidentItems(req).map((i) => i.receivedAt).filter((d): d is string => !!d);
  const firstReceipt = received.length ? minDate(...received) : null;
  if (firstReceipt && req.incident.returnedAt && compareDates(req.incident.returnedAt, firstReceipt) < 0)
    problems.push({ path: 'incident.returnedAt', message: `is before the goods were received (${firstReceipt})` });
  if (firstReceipt && req.incident.discoveredAt && compareDates(req.incident.discoveredAt, firstReceipt) < 0)
    problems.push({ path: 'incident.discoveredAt', message: `is before the goods were received (${firstReceipt})` });
  req.incident.history.forEach((h, i) => {
    dated(`incident.history.${i}.at`, h.at);
    if ((h.type === 'refund_received' || h.type === 'return_postage_paid') && h.amount === undefined)
      problems.push({ path: `incident.history.${i}.amount`, message: `is required for ${h.type}` });
    if (h.extraPeriodUntil && h.type !== 'formal_notice')
      problems.push({ path: `incident.history.${i}.extraPeriodUntil`, message: 'only applies to a formal_notice' });
    if (h.extraPeriodUntil && compareDates(h.extraPeriodUntil, h.at) < 0)
      problems.push({ path: `incident.history.${i}.extraPeriodUntil`, message: `is before the notice itself (${h.at})` });
  });
  return problems;
}

const ATTRIBUTE_FLAGS = [
  'priceTiedToFinancialMarket', 'madeToConsumerSpecifications', 'clearlyPersonalized', 'perishable',
  'sealedForHygiene', 'sealedMedia', 'sealBroken', 'inseparablyMixed', 'alcoholMarketPriced',
  'pressPublication', 'subscription', 'consentToImmediateSupply', 'acknowledgedLossOfWithdrawal',
  'confirmationOnDurableMedium', 'giftCard',
] as const;

/** Facts about one item, read by item-scoped rules (exclusions). */
export function itemFacts(item: Item): Facts {
  const f: Facts = {
    'item.id': item.id,
    'item.kind': item.kind,
    'item.category': item.category,
    'item.price': item.price,
    'item.quantity': item.quantity,
    'item.condition': item.condition,
    'item.receivedAt': item.receivedAt ?? null,
    'item.attributes.supplyStartedAt': item.attributes.supplyStartedAt ?? null,
    'item.service.type': item.service?.type ?? null,
    'item.service.scheduledFor': item.service?.scheduledFor ?? null,
    'item.service.fullyPerformedAt': item.service?.fullyPerformedAt ?? null,
  };
  for (const flag of ATTRIBUTE_FLAGS) f[`item.attributes.${flag}`] = item.attributes[flag] ?? false;
  return f;
}

function receiptFacts(prefix: string, items: Item[]): Facts {
  const dates = items.map((i) => i.receivedAt ?? null);
  const known = dates.filter((d): d is string => d !== null);
  return {
    [`${prefix}.count`]: items.length,
    [`${prefix}.receivedAt.first`]: known.length ? minDate(...known) : null,
    [`${prefix}.receivedAt.last`]: known.length ? maxDate(...known) : null,
    [`${prefix}.allReceived`]: known.length === items.length,
    [`${prefix}.anyReceived`]: known.length > 0,
    [`${prefix}.kinds`]: [...new Set(items.map((i) => i.kind))].sort(),
    [`${prefix}.categories`]: [...new Set(items.map((i) => i.category))].sort(),
    [`${prefix}.conditions`]: [...new Set(items.map((i) => i.condition))].sort(),
    [`${prefix}.anySubscription`]: items.some((i) => i.attributes.subscription === true),
    [`${prefix}.total`]: round2(items.reduce((s, i) => s + i.price * i.quantity, 0)),
  };
}

/**
 * Order-level facts. Every name is always present (null when unknown), so rules never see undefined.
 * `euMemberStates` is the jurisdiction's list (jurisdiction.json); it only feeds `seller.inEu` and
 * `seller.crossBorderEu` (seller and consumer in two different member states; the consumer's country is
 * `buyer.country`, else the request's jurisdiction; null when the seller's country is unknown).
 */
export function orderFacts(req: VerdictRequest, asOf: CivilDate, zone: string, euMemberStates: readonly string[] = []): Facts {
  const o = req.order;
  const inc = req.incident;
  const items = incidentItems(req);
  const shippingCost = o.shipping.cost;
  const sellerCountry = o.seller.country ?? null;
  const consumerCountry = o.buyer.country ?? req.jurisdiction;
  const sellerInEu = sellerCountry === null ? null : euMemberStates.includes(sellerCountry);
  const f: Facts = {
    asOf,
    jurisdiction: req.jurisdiction,
    region: req.region ?? null,
    policy: req.policy ?? null,
    'order.placedDate': civilDateOf(o.placedAt, zone),
    'order.channel': o.channel,
    'order.currency': o.currency,
    'order.amountPaid': o.amountPaid ?? round2(o.items.reduce((s, i) => s + i.price * i.quantity, 0) + shippingCost),
    'buyer.kind': o.buyer.kind,
    'buyer.country': o.buyer.country ?? null,
    'seller.kind': o.seller.kind,
    'seller.professional': o.seller.professional,
    'seller.country': o.seller.country ?? null,
    'seller.inEu': sellerInEu,
    'seller.crossBorderEu': sellerInEu === null ? null : sellerInEu && euMemberStates.includes(consumerCountry) && sellerCountry !== consumerCountry,
    'seller.hasMediator': !!o.seller.mediator,
    'seller.mediator.name': o.seller.mediator?.name ?? null,
    'seller.mediator.url': o.seller.mediator?.url ?? null,
    'fulfilledBy': o.fulfilledBy ?? null,
    'shipping.method': o.shipping.method,
    'shipping.cost': shippingCost,
    'shipping.standardCost': o.shipping.standardCost ?? shippingCost,
    'delivery.shippedAt': o.delivery?.shippedAt ?? null,
    'delivery.promisedBy': o.delivery?.promisedBy ?? null,
    'delivery.dateEssential': o.delivery?.dateEssential ?? false,
    'delivery.carrierChosenByConsumer': o.delivery?.carrierChosenByConsumer ?? false,
    'delivery.traderOffersCollection': o.delivery?.traderOffersCollection ?? false,
    'disclosures.withdrawalInfoGiven': o.disclosures.withdrawalInfoGiven,
    'disclosures.withdrawalInfoGivenAt': o.disclosures.withdrawalInfoGivenAt ?? null,
    'disclosures.returnCostsBorneByConsumer': o.disclosures.returnCostsBorneByConsumer,
    'incident.type': inc.type,
    'incident.notifiedAt': inc.notifiedAt ?? null,
    'incident.discoveredAt': inc.discoveredAt ?? null,
    'incident.returnedAt': inc.returnedAt ?? null,
    'incident.itemState': inc.itemState ?? null,
    'incident.coversWholeOrder': items.length === o.items.length,
    ...receiptFacts('order.items', o.items),
    ...receiptFacts('incident.items', items),
  };
  for (const type of HISTORY_TYPES) {
    const entries = inc.history.filter((h) => h.type === type).sort((a, b) => compareDates(a.at, b.at));
    f[`history.${type}.count`] = entries.length;
    f[`history.${type}.first`] = entries[0]?.at ?? null;
    f[`history.${type}.last`] = entries.at(-1)?.at ?? null;
    f[`history.${type}.amount`] = round2(entries.reduce((s, h) => s + (h.amount ?? 0), 0));
  }
  const notices = inc.history.filter((h) => h.type === 'formal_notice' && h.extraPeriodUntil);
  f['history.formal_notice.extraPeriodUntil'] = notices.length ? maxDate(...notices.map((h) => h.extraPeriodUntil!)) : null;
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

const SAMPLE_FACT_NAMES = (() => {
  const sample = SAMPLE_REQUEST;
  const item = sample.order.items[0]!;
  return new Set([...Object.keys(orderFacts(sample, '2026-01-01', 'Europe/Paris')), ...Object.keys(itemFacts(item))]);
})();

/** Whether the machinery provides a fact of that name (parameters are checked separately). */
export function isKnownFact(name: string): boolean {
  return SAMPLE_FACT_NAMES.has(name);
}
