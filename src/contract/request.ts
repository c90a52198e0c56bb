// POST /v1/verdicts request body (../shared/design/contract.md). Strict objects: an unknown field is
// a 400 naming it, so a typo such as `recievedAt` is never silently ignored.
import { z } from 'zod';
import {
  CivilDateSchema,
  CountrySchema,
  CurrencySchema,
  DateOrDateTimeSchema,
  LocaleSchema,
  MoneySchema,
} from './primitives.js';

export const CATEGORIES = [
  'electronics', 'computers', 'phones', 'tv_audio_video', 'cameras', 'large_appliances',
  'small_appliances', 'home', 'furniture', 'bedding_mattresses', 'home_textiles', 'kitchen', 'garden',
  'diy_tools', 'clothing', 'shoes', 'luggage', 'watches', 'jewelry', 'beauty_cosmetics',
  'health_personal_care', 'baby', 'toys_games', 'sports_outdoors', 'books', 'press',
  'music_video_media', 'software', 'video_games', 'digital_content', 'gift_cards', 'grocery_fresh',
  'grocery', 'alcohol', 'pet_supplies', 'automotive', 'vehicles', 'office_supplies',
  'musical_instruments', 'handmade', 'tickets_events', 'travel_accommodation', 'services',
  'energy_fuel', 'other',
] as const;
export const CategorySchema = z.enum(CATEGORIES).meta({
  id: 'Category',
  description:
    'Product category. Categories drive merchant policies (windows, free returns); legal exclusions turn on `attributes`, never on the category alone.',
});

export const INCIDENT_TYPES = [
  'change_of_mind', 'defective', 'damaged_in_transit', 'not_as_described', 'wrong_item',
  'missing_parts', 'not_delivered', 'late_delivery', 'refund_refused', 'refund_late', 'product_recall',
] as const;
export const IncidentTypeSchema = z.enum(INCIDENT_TYPES).meta({ id: 'IncidentType', description: 'What happened: drives which tracks the verdict judges.' });

export const HISTORY_TYPES = [
  'contacted_seller', 'written_complaint', 'seller_refusal', 'marketplace_claim', 'formal_notice',
  'termination_notice', 'goods_returned', 'guarantee_accepted', 'return_postage_paid',
  'refund_received', 'mediation_request', 'chargeback', 'repaired', 'replaced',
] as const;

const flag = (description: string) => z.boolean().optional().meta({ description });

export const ItemAttributesSchema = z
  .strictObject({
    priceTiedToFinancialMarket: flag('L221-28 2°: price depends on financial-market fluctuations beyond the trader\'s control.'),
    madeToConsumerSpecifications: flag('L221-28 3°: made to the consumer\'s specifications (choosing standard options is not this).'),
    clearlyPersonalized: flag('L221-28 3°: clearly personalised (e.g. engraving).'),
    perishable: flag('L221-28 4°: liable to deteriorate or expire rapidly.'),
    sealedForHygiene: flag('L221-28 5°: sealed for hygiene or health protection and not returnable once unsealed (with sealBroken).'),
    sealedMedia: flag('L221-28 9°: audio, video or software on a sealed medium (with sealBroken).'),
    sealBroken: flag('Unsealed by the consumer after delivery.'),
    inseparablyMixed: flag('L221-28 6°: inseparably mixed with other items after delivery.'),
    alcoholMarketPriced: flag('L221-28 7°: alcoholic drinks priced on market fluctuations (with delivery more than 30 days after the contract).'),
    pressPublication: flag('L221-28 10°: newspaper, periodical or magazine.'),
    subscription: flag('Sold as a subscription (10°, regular deliveries of L221-18).'),
    consentToImmediateSupply: flag('1°, 13°: the consumer expressly consented to performance starting before the end of the period.'),
    acknowledgedLossOfWithdrawal: flag('1°, 13°: the consumer acknowledged losing the right of withdrawal.'),
    confirmationOnDurableMedium: flag('13°: the trader confirmed consent and acknowledgement on a durable medium.'),
    supplyStartedAt: CivilDateSchema.nullable().optional().meta({ description: '13°: date the digital content began to be supplied.' }),
    giftCard: flag('A gift card.'),
  })
  .meta({ id: 'ItemAttributes', description: 'The facts that L221-28 turns on; all optional (absent = false).' });

export const ServiceSchema = z
  .strictObject({
    type: z.enum(['accommodation', 'goods_transport', 'car_rental', 'catering', 'leisure', 'urgent_home_repair', 'other']),
    scheduledFor: CivilDateSchema.nullable().optional(),
    fullyPerformedAt: CivilDateSchema.nullable().optional(),
  })
  .meta({ id: 'Service', description: 'For an item of kind "service": what it is and when it is performed (L221-28 1°, 8°, 12°).' });

export const ItemSchema = z.strictObject({
  id: z.string().min(1).max(100),
  title: z.string().max(500).optional().meta({ description: 'Free text; never logged.' }),
  kind: z.enum(['goods', 'service', 'digital_content']).default('goods').meta({
    description: '"digital_content" means not supplied on a tangible medium.',
  }),
  category: CategorySchema.default('other'),
  price: MoneySchema.meta({ description: 'Unit price paid, in the order currency.' }),
  quantity: z.number().int().min(1).max(100000).default(1),
  condition: z.enum(['new', 'used', 'refurbished']).default('new'),
  receivedAt: CivilDateSchema.nullable().optional().meta({
    description: 'Physical receipt by the consumer or a person they designated (not a carrier scan).',
  }),
  attributes: ItemAttributesSchema.default({}),
  service: ServiceSchema.nullable().optional(),
}).meta({ id: 'Item', description: 'One line of the order.' });

export const MediatorSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    url: z.url().max(500).optional(),
  })
  .meta({ id: 'Mediator', description: 'A consumer mediator (L612-1).' });

export const BuyerSchema = z
  .strictObject({ kind: z.enum(['consumer', 'business']).default('consumer'), country: CountrySchema.optional() })
  .meta({ id: 'Buyer' });

export const SellerSchema = z
  .strictObject({
    kind: z.enum(['platform', 'third_party', 'independent']).default('independent').meta({
      description: '"platform": the marketplace itself sells; "third_party": a seller on a marketplace; "independent": the trader\'s own shop.',
    }),
    professional: z.boolean().default(true),
    name: z.string().max(200).optional().meta({ description: 'Free text; never logged.' }),
    country: CountrySchema.optional(),
    mediator: MediatorSchema.nullable().optional().meta({ description: 'The seller\'s declared consumer mediator.' }),
  })
  .meta({ id: 'Seller' });

export const ShippingSchema = z
  .strictObject({
    method: z.enum(['standard', 'express', 'pickup', 'free']).default('standard'),
    cost: MoneySchema.default(0),
    standardCost: MoneySchema.optional().meta({ description: 'Cheapest standard delivery offered by the trader.' }),
  })
  .meta({ id: 'Shipping', description: 'Outbound delivery as paid.' });

export const DeliverySchema = z
  .strictObject({
    shippedAt: CivilDateSchema.nullable().optional(),
    promisedBy: CivilDateSchema.nullable().optional().meta({
      description: 'Agreed delivery date, or the latest estimated date shown at checkout.',
    }),
    dateEssential: z.boolean().default(false).meta({ description: 'The date was essential and agreed as such (L216-6 II).' }),
    carrierChosenByConsumer: z.boolean().default(false).meta({
      description: 'A carrier the consumer chose, not one the trader offered (risk transfer).',
    }),
    traderOffersCollection: z.boolean().default(false).meta({
      description: 'The trader offered to collect the goods itself (L221-23, L221-24).',
    }),
  })
  .meta({ id: 'Delivery', description: 'What was promised about delivery.' });

export const DisclosuresSchema = z
  .strictObject({
    withdrawalInfoGiven: z.boolean().default(true).meta({ description: 'L221-5 I 7° information given before the contract.' }),
    withdrawalInfoGivenAt: CivilDateSchema.nullable().optional().meta({ description: 'When it was given late (L221-20).' }),
    returnCostsBorneByConsumer: z.boolean().default(false).meta({
      description: 'The consumer was told before the contract that return costs are theirs (L221-23).',
    }),
    withdrawalFunctionOffered: z.boolean().optional().meta({
      description:
        'The trader\'s online interface offered a withdrawal function ("renoncer au contrat ici", L221-21, D221-5; mandatory for contracts concluded online from 2026-06-19) or, before, an online withdrawal form. Absent: not known.',
    }),
    withdrawalAcknowledgedAt: DateOrDateTimeSchema.nullable().optional().meta({
      description:
        'A withdrawal was declared through that function and the trader acknowledged it on a durable medium: the date and time of the declaration\'s confirmation as the acknowledgement states it (D221-5 requires it to). Read in the jurisdiction\'s time zone (Europe/Paris): the declaration counts on that civil day, so 2026-09-17T23:59:00+02:00 is 17 September and 2026-09-17T22:30:00Z is 18 September. A date alone is that day.',
      example: '2026-09-17T23:50:00+02:00',
    }),
  })
  .meta({ id: 'Disclosures', description: 'What the consumer was told before the contract, and how the trader\'s online withdrawal function was used.' });

export const OrderSchema = z.strictObject({
  id: z.string().max(100).optional().meta({ description: 'Echoed in the verdict.' }),
  placedAt: DateOrDateTimeSchema.meta({ description: 'When the contract was concluded.' }),
  currency: CurrencySchema.default('EUR'),
  channel: z.enum(['online', 'phone', 'off_premises', 'in_store', 'public_auction']).default('online'),
  buyer: BuyerSchema.default({ kind: 'consumer' }),
  seller: SellerSchema.default({ kind: 'independent', professional: true }),
  fulfilledBy: z.enum(['platform', 'seller']).optional(),
  shipping: ShippingSchema.default({ method: 'standard', cost: 0 }),
  delivery: DeliverySchema.optional(),
  amountPaid: MoneySchema.optional().meta({
    description:
      'What the consumer actually paid (a deposit, a partial payment, a payment after a voucher); refunds and penalties are computed from it. It is counted against the item prices first, then the delivery charge, then any other charge (where a payment does not say what it paid for, the reading most favourable to the consumer). Defaults to the item prices plus the delivery charge.',
  }),
  disclosures: DisclosuresSchema.default({ withdrawalInfoGiven: true, returnCostsBorneByConsumer: false }),
  items: z.array(ItemSchema).min(1).max(200),
}).meta({ id: 'Order', description: 'The contract: when it was concluded, who sold, what was delivered and paid.' });

export const HistoryEventSchema = z.strictObject({
  type: z.enum(HISTORY_TYPES),
  at: CivilDateSchema,
  amount: MoneySchema.optional().meta({ description: 'For return_postage_paid and refund_received.' }),
  extraPeriodUntil: CivilDateSchema.nullable().optional().meta({ description: 'For formal_notice: the extra period granted.' }),
  afterFailedRepair: z.boolean().optional().meta({
    description: 'For replaced: the consumer had chosen repair and the seller replaced the goods instead (L217-13 al. 2).',
  }),
}).meta({
  id: 'HistoryEvent',
  description:
    'Something that happened since the incident, dated. `repaired`: the day the repaired goods were handed back; `replaced`: the day replacement goods were delivered.',
});

export const RECALL_ISSUERS = ['manufacturer', 'importer', 'authorised_representative', 'distributor', 'seller', 'marketplace', 'authority'] as const;
export const RECALL_REMEDIES = ['repair', 'replacement', 'refund', 'consumer_repair'] as const;

export const RecallSchema = z
  .strictObject({
    id: z.string().min(1).max(100).meta({ description: 'The recall\'s reference (RappelConso sheet, Safety Gate alert, the operator\'s notice).', example: 'RC-2025-11-04-0042' }),
    noticeAt: CivilDateSchema.meta({ description: 'The date of the recall notice (its publication, e.g. on RappelConso). Regulation (EU) 2023/988 applies to recalls from 2024-12-13.' }),
    issuedBy: z.enum(RECALL_ISSUERS).optional().meta({
      description:
        'Who issued the recall: an economic operator (manufacturer, importer, authorised representative, distributor; "seller" when it is the seller of this order), a marketplace relaying it, or an authority ordering it. The remedy is owed by the operator responsible for the recall, who may differ from the seller.',
    }),
    offered: z.array(z.enum(RECALL_REMEDIES)).max(4).optional().meta({
      description: 'The remedies the recall notice offers. "consumer_repair": a repair the consumer carries out (a kit). Absent: not known.',
    }),
    consumerRepairEasyAndSafe: z.boolean().optional().meta({
      description: 'The notice states that the consumer can carry out the repair easily and safely (art. 37(3)); otherwise a consumer repair is no effective remedy.',
    }),
    stillHeld: z.boolean().optional().meta({ description: 'The consumer still has the product (false: destroyed or disposed of, e.g. as the notice instructed).' }),
    remedyRequestedAt: CivilDateSchema.nullable().optional().meta({
      description: 'When the consumer asked the operator responsible for the recall for a remedy (not the seller: a request to the seller is incident.notifiedAt or a history entry).',
    }),
    remedyCompletedAt: CivilDateSchema.nullable().optional().meta({ description: 'When the operator completed the repair or replacement, or paid the refund.' }),
  })
  .meta({ id: 'Recall', description: 'A product safety recall (incident type product_recall).' });

export const IncidentSchema = z.strictObject({
  type: IncidentTypeSchema,
  itemIds: z.array(z.string().min(1).max(100)).min(1).max(200).optional().meta({ description: 'Default: all items.' }),
  notifiedAt: CivilDateSchema.nullable().optional().meta({
    description: 'When the consumer told the trader (withdrawal declaration, complaint): the dispatch date counts.',
  }),
  discoveredAt: CivilDateSchema.nullable().optional().meta({ description: 'When a defect was discovered.' }),
  returnedAt: CivilDateSchema.nullable().optional().meta({ description: 'When the consumer sent the goods back.' }),
  receivedByTraderAt: CivilDateSchema.nullable().optional().meta({
    description:
      'The day the trader received the declaration or request (a letter arrives days after it was sent). Deadlines that run from the trader being informed use it; when absent the day of sending is assumed.',
  }),
  itemState: z.enum(['unopened', 'opened', 'tested', 'used', 'damaged_by_consumer']).optional(),
  description: z.string().max(5000).optional().meta({ description: 'Free text; never evaluated, never logged.' }),
  history: z.array(HistoryEventSchema).max(200).default([]),
  recall: RecallSchema.nullable().optional().meta({ description: 'For a product_recall incident (required then, refused otherwise).' }),
}).meta({ id: 'Incident', description: 'What went wrong and what has happened since.' });

export const VerdictRequestSchema = z
  .strictObject({
    asOf: CivilDateSchema.optional().meta({
      description: "The civil date the verdict is given for. Default: today in the jurisdiction's time zone.",
    }),
    jurisdiction: CountrySchema.default('FR'),
    region: z
      .string()
      .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as FR-67')
      .nullable()
      .optional()
      .meta({ description: 'ISO 3166-2 subdivision for local public holidays (Alsace-Moselle, overseas).' }),
    policy: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a policy id such as amazon-fr').nullable().optional(),
    locale: LocaleSchema.optional().meta({ description: 'Language of human-readable texts; Accept-Language is honoured.' }),
    explain: z.boolean().default(false),
    order: OrderSchema,
    incident: IncidentSchema,
  })
  .meta({ id: 'VerdictRequest', description: 'An order and an incident to decide (POST /v1/verdicts).' });

export type VerdictRequestInput = z.input<typeof VerdictRequestSchema>;
export type VerdictRequest = z.output<typeof VerdictRequestSchema>;
export type Item = z.output<typeof ItemSchema>;
export type IncidentType = z.infer<typeof IncidentTypeSchema>;
