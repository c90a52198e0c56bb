// fast-check arbitraries for verdict requests that mostly make sense: a timeline in order (order,
// shipment, receipt, discovery, notification, history, asOf), every incident type, items with the
// attributes the exclusions turn on, sellers, channels, regions, policies. Some requests still break a
// rule of the contract on purpose (about one in ten), so refusals are compared too.
import fc from 'fast-check';
import { addDays } from '../../src/core/calendar.js';
import { CATEGORIES, HISTORY_TYPES, INCIDENT_TYPES } from '../../src/contract/request.js';

const REGIONS = [null, 'FR-67', 'FR-57', 'FR-68', 'FR-RE', 'FR-GP', 'FR-MQ', 'FR-YT', 'FR-GF'];
const ATTRIBUTES = [
  'priceTiedToFinancialMarket', 'madeToConsumerSpecifications', 'clearlyPersonalized', 'perishable', 'sealedForHygiene',
  'sealedMedia', 'sealBroken', 'inseparablyMixed', 'alcoholMarketPriced', 'pressPublication', 'subscription',
  'consentToImmediateSupply', 'acknowledgedLossOfWithdrawal', 'confirmationOnDurableMedium', 'giftCard',
] as const;

const day = (base: string, max: number) => fc.integer({ min: 0, max }).map((n) => addDays(base, n));
const maybe = <T>(a: fc.Arbitrary<T>, weight = 1) => fc.option(a, { nil: undefined, freq: weight });
const money = fc.integer({ min: 0, max: 200_000 }).map((c) => c / 100);

const item = (id: string, received: string | null) =>
  fc.record({
    id: fc.constant(id),
    kind: fc.constantFrom('goods', 'goods', 'goods', 'service', 'digital_content'),
    category: fc.constantFrom(...CATEGORIES),
    price: money,
    quantity: fc.integer({ min: 1, max: 3 }),
    condition: fc.constantFrom('new', 'new', 'used', 'refurbished'),
    receivedAt: fc.constant(received),
    attributes: fc.subarray([...ATTRIBUTES], { maxLength: 3 }).map((names) => Object.fromEntries(names.map((n) => [n, true]))),
  });

export function requestArbitrary(): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      placed: day('2014-06-01', 4750), // 2014 to 2027
      shipDelay: fc.integer({ min: 0, max: 10 }),
      receiveDelay: fc.integer({ min: 0, max: 40 }),
      received: fc.integer({ min: 0, max: 5 }).map((n) => n > 0), // goods received at all (mostly)
      itemCount: fc.integer({ min: 1, max: 3 }),
      notifyAfter: maybe(fc.integer({ min: -2, max: 60 }), 3),
      discoverAfter: maybe(fc.integer({ min: 0, max: 1200 }), 2),
      returnAfter: maybe(fc.integer({ min: 0, max: 30 })),
      asOfAfter: fc.integer({ min: 0, max: 900 }),
      type: fc.constantFrom(...INCIDENT_TYPES),
      channel: fc.constantFrom('online', 'online', 'online', 'phone', 'off_premises', 'in_store', 'public_auction'),
      buyer: fc.constantFrom('consumer', 'consumer', 'consumer', 'business'),
      seller: fc.record({
        kind: fc.constantFrom('platform', 'third_party', 'independent'),
        country: fc.constantFrom('FR', 'FR', 'DE', 'LU', 'ES', 'US'),
      }),
      professional: fc.integer({ min: 0, max: 9 }).map((n) => n > 0), // mostly a professional
      mediator: fc.boolean(),
      shipping: fc.constantFrom(
        { method: 'standard', cost: 4.9, standardCost: 4.9 },
        { method: 'express', cost: 12.9, standardCost: 4.9 },
        { method: 'free', cost: 0 },
        { method: 'pickup', cost: 2.5 },
      ),
      promisedAfter: maybe(fc.integer({ min: 1, max: 40 })),
      dateEssential: fc.boolean(),
      infoGiven: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
      infoLateAfter: maybe(fc.integer({ min: 0, max: 200 })),
      costsOnConsumer: fc.boolean(),
      history: fc.array(
        fc.record({
          type: fc.constantFrom(...HISTORY_TYPES),
          after: fc.integer({ min: 0, max: 400 }),
          amount: money,
          extra: maybe(fc.integer({ min: 1, max: 30 })),
        }),
        { maxLength: 4 },
      ),
      region: fc.constantFrom(...REGIONS),
      policy: fc.constantFrom(null, null, 'amazon-fr'),
      locale: fc.constantFrom('fr', 'en'),
      itemState: fc.constantFrom('unopened', 'opened', 'tested', 'used', 'damaged_by_consumer'),
      partial: fc.boolean(),
    })
    .chain((p) => {
      const shipped = addDays(p.placed, p.shipDelay);
      const received = p.received ? addDays(shipped, p.receiveDelay) : null;
      return fc.tuple(fc.constant(p), fc.tuple(...Array.from({ length: p.itemCount }, (_, i) => item(`A${i + 1}`, received))));
    })
    .map(([p, items]) => {
      const shipped = addDays(p.placed, p.shipDelay);
      const anchor = items[0]!.receivedAt ?? shipped;
      const at = (n: number | undefined) => (n === undefined ? undefined : addDays(anchor, n));
      const history = p.history.map((h) => ({
        type: h.type,
        at: addDays(p.placed, h.after),
        ...(h.type === 'refund_received' || h.type === 'return_postage_paid' ? { amount: h.amount } : {}),
        ...(h.type === 'formal_notice' && h.extra ? { extraPeriodUntil: addDays(p.placed, h.after + h.extra) } : {}),
      }));
      const dates = [anchor, at(p.notifyAfter), at(p.discoverAfter), at(p.returnAfter), ...history.map((h) => h.extraPeriodUntil ?? h.at)].filter(
        (d): d is string => !!d,
      );
      const latest = dates.sort().at(-1)!;
      return {
        asOf: addDays(latest, p.asOfAfter % 120),
        region: p.region,
        policy: p.policy,
        locale: p.locale,
        order: {
          placedAt: p.placed,
          channel: p.channel,
          buyer: { kind: p.buyer, country: 'FR' },
          seller: { ...p.seller, professional: p.professional, ...(p.mediator ? { mediator: { name: 'Médiateur' } } : {}) },
          shipping: p.shipping,
          delivery: {
            shippedAt: shipped,
            ...(p.promisedAfter ? { promisedBy: addDays(p.placed, p.promisedAfter) } : {}),
            dateEssential: p.dateEssential,
          },
          disclosures: {
            withdrawalInfoGiven: p.infoGiven,
            ...(!p.infoGiven && p.infoLateAfter !== undefined ? { withdrawalInfoGivenAt: addDays(anchor, p.infoLateAfter) } : {}),
            returnCostsBorneByConsumer: p.costsOnConsumer,
          },
          items,
        },
        incident: {
          type: p.type,
          ...(p.partial && items.length > 1 ? { itemIds: ['A1'] } : {}),
          ...(p.notifyAfter !== undefined ? { notifiedAt: at(p.notifyAfter) } : {}),
          ...(p.discoverAfter !== undefined ? { discoveredAt: at(p.discoverAfter) } : {}),
          ...(p.returnAfter !== undefined ? { returnedAt: at(p.returnAfter) } : {}),
          itemState: p.itemState,
          history,
        },
      };
    });
}
