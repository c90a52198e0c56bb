// Compiles a validated ruleset into a plan, once at load: every fact gets a slot, every rule's
// conditions a predicate, every event its expressions as closures and its sentences split at their
// placeholders. A rule that cannot be compiled is a load error naming the file and the rule.
import type { RuleProperties } from 'json-rules-engine';
import { ITEM_FACTS, ORDER_FACTS } from '../facts.js';
import { POLICY_ITEM_FACT_NAMES, POLICY_ORDER_FACT_NAMES, policyFactsMentioned } from '../policy-facts.js';
import type { Expr, RuleEvent, RuleFile, RuleSpec } from '../ruleset/schema.js';
import { compileCondition, qualify, type Reads, type SlotCondition } from './conditions.js';
import { compileExpr, missingParameter, paramReader, type CompiledExpr } from './expressions.js';
import { compareDates, type CivilDate } from '../calendar.js';
import { Selector } from './select.js';
import { SlotTable, type Slots } from './slots.js';
import { compileText, type CompiledText } from './templates.js';

/** Item fact: the effects of the exclusions earlier stages raised for the item (e.g. ["withdrawal_excluded"]). */
export const ITEM_EXCLUSIONS_FACT = 'item.exclusions';

type Ev<T extends RuleEvent['type']> = Extract<RuleEvent, { type: T }>;

export type CompiledEvent = EventBody & {
  /** The date the citing file turns on, which picks the article numbering its basis is cited by. */
  appliesBy: RuleFile['appliesBy'];
};

type EventBody =
  | {
      type: 'define';
      ev: Ev<'define'>;
      value: CompiledExpr;
      slot: number;
      /** Where a run keeps its winner: the position of `slot` in plan.orderDefineSlots or, for an item-scoped rule, plan.itemDefineSlots. */
      index: number;
    }
  | {
      type: 'deadline';
      ev: Ev<'deadline'>;
      start: CompiledExpr | null;
      end: CompiledExpr;
      extendedFrom: CompiledExpr | null;
      roll: boolean | ((s: Slots) => unknown);
      slots: { start: number; end: number; rolledFrom: number };
      explanation: CompiledText;
    }
  | { type: 'remedy'; ev: Ev<'remedy'>; statusSlot: number; reason: CompiledText }
  | { type: 'exclusion'; ev: Ev<'exclusion'>; reason: CompiledText }
  | { type: 'returnShipping'; ev: Ev<'returnShipping'>; reason: CompiledText }
  | {
      type: 'refund';
      ev: Ev<'refund'>;
      items: CompiledExpr;
      outboundShipping: CompiledExpr;
      ladder: ((s: Slots) => unknown) | null;
      /** The statutory rate in force on a date, from a dated parameter (a 422 when none is encoded for it). */
      legalRateAt: ((date: CivilDate) => number) | null;
      legalRateProRata: CompiledExpr | null;
      cap: CompiledExpr | null;
      explanation: CompiledText;
      slots: Record<(typeof REFUND_FACTS)[number], number>;
    }
  | { type: 'decision'; ev: Ev<'decision'>; summary: CompiledText; outcomeSlot: number; trackSlot: number }
  | { type: 'missingFact'; ev: Ev<'missingFact'> }
  | {
      type: 'appealStep';
      ev: Ev<'appealStep'>;
      notBefore: CompiledExpr | null;
      notAfter: CompiledExpr | null;
      details: { key: string; value: CompiledExpr; slot: number }[];
      /** The details object of the values of `details`, in order: one object literal, one shape. */
      detailsOf: (values: readonly unknown[]) => Record<string, unknown>;
      statusSlot: number;
      explanation: CompiledText;
    }
  | { type: 'historyFinding'; ev: Ev<'historyFinding'>; at: CompiledExpr; explanation: CompiledText }
  | { type: 'policyFinding'; ev: Ev<'policyFinding'>; issue: CompiledText }
  | { type: 'evidence'; ev: Ev<'evidence'>; what: CompiledText; why: CompiledText; by: CompiledExpr | null };

export const REFUND_FACTS = [
  'items', 'outboundShipping', 'total', 'deadline', 'paid', 'outstanding',
  'penalty.daysLate', 'penalty.rate', 'penalty.amount', 'penalty.percent',
] as const;

export interface CompiledRule {
  key: string; // fileId#ruleName
  file: RuleFile;
  spec: RuleSpec;
  order: number;
  /** Its conditions on slots; plan/judge.ts compiles a stage's rules into one function. */
  condition: SlotCondition;
  /** For the oracle: the rule as json-rules-engine runs it, and the facts it reads. */
  engineRule: RuleProperties;
  facts: string[];
  /** Qualified parameters the rule reads (conditions and event), and those flagged for legal review. */
  params: string[];
  reviewParams: string[];
  /** The merchant-policy facts the rule mentions (conditions, expressions, texts): their review flags follow it. */
  policyFacts: string[];
  event: CompiledEvent;
}

export interface ExclusionAggregateSlots {
  count: number;
  anyItem: number;
  allItems: number;
  total: number;
}

export interface Plan {
  slots: SlotTable;
  /** ORDER_FACTS[i] is in slot i; ITEM_FACTS[i] in itemSlots[i]. */
  itemSlots: number[];
  itemExclusionsSlot: number;
  /** Slots of the facts item-scoped rules define about one item (`item.…`), kept per item across stages. */
  itemDefineSlots: number[];
  /** Slots of the facts order-scoped rules define: a run keeps each one's winning rank in this order. */
  orderDefineSlots: number[];
  /** For each of them, in the same order, the order facts `items.….min` and `items.….max`: over the items it is defined for. */
  itemDefineAggregates: { slot: number; min: number; max: number }[];
  policyOrderSlots: Map<string, number>;
  policyItemSlots: Map<string, number>;
  /** Every slot an item's facts are loaded into (given, policy, defined, exclusions): emptied outside its run. */
  itemScopedSlots: number[];
  rules: CompiledRule[];
  /** A packed array of undefined, one per slot: each evaluation starts from a copy. */
  emptySlots: Slots;
  /** Slots of the aggregates `exclusion.<effect>.*`, by effect. */
  exclusionSlots: Map<string, ExclusionAggregateSlots>;
  selector: Selector;
}

export class PlanError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/** Every dated value of a parameter, looked up by date (not by the file's relevant date). */
function rateTable(files: ReadonlyMap<string, RuleFile>, fileId: string, ref: string, reads: Reads): (date: CivilDate) => number {
  const q = qualify(fileId, ref);
  reads.params.add(q);
  const [owner, name] = q.split('#') as [string, string];
  const values = files.get(owner)?.parameters[name]?.values;
  if (!values) throw new Error(`unknown parameter ${q}`);
  return (date) => {
    const v = values.find((x) => compareDates(date, x.from) >= 0 && (x.until === null || compareDates(date, x.until) <= 0));
    if (!v || typeof v.value !== 'number') throw missingParameter(q);
    return v.value;
  };
}

/**
 * A function making the object of `keys` from their values in order, as one object literal: every
 * object it makes has one hidden class, and no key is stored or read by a computed name.
 */
function objectOf(keys: readonly string[]): (values: readonly unknown[]) => Record<string, unknown> {
  // In a literal, `__proto__` would set the prototype.
  if (keys.includes('__proto__')) return (values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]));
  // The source holds only the keys, as JSON string literals.
  return new Function('v', `'use strict';\nreturn { ${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')} };`) as (
    values: readonly unknown[],
  ) => Record<string, unknown>;
}

function compileEvent(ev: RuleEvent, fileId: string, slots: SlotTable, reads: Reads, files: ReadonlyMap<string, RuleFile>): EventBody {
  const expr = (e: Expr) => compileExpr(e, fileId, slots, reads);
  const text = (t: Parameters<typeof compileText>[0]) => compileText(t, slots);
  switch (ev.type) {
    case 'define':
      return { type: 'define', ev, value: expr(ev.value), slot: slots.add(ev.name), index: -1 };
    case 'deadline':
      return {
        type: 'deadline',
        ev,
        start: ev.start ? expr(ev.start) : null,
        end: expr(ev.end),
        extendedFrom: ev.extendedFrom ? expr(ev.extendedFrom) : null,
        roll: typeof ev.roll === 'boolean' ? ev.roll : paramReader(fileId, ev.roll.param, slots, reads),
        slots: {
          start: slots.add(`deadline.${ev.id}.start`),
          end: slots.add(`deadline.${ev.id}.end`),
          rolledFrom: slots.add(`deadline.${ev.id}.rolledFrom`),
        },
        explanation: text(ev.explanation),
      };
    case 'remedy':
      return { type: 'remedy', ev, statusSlot: slots.add(`remedy.${ev.track}.status`), reason: text(ev.reason) };
    case 'exclusion':
      return { type: 'exclusion', ev, reason: text(ev.reason) };
    case 'returnShipping':
      return { type: 'returnShipping', ev, reason: text(ev.reason) };
    case 'refund':
      return {
        type: 'refund',
        ev,
        items: expr(ev.items),
        outboundShipping: expr(ev.outboundShipping),
        ladder: ev.penalty ? paramReader(fileId, ev.penalty.ladder, slots, reads) : null,
        legalRateAt: ev.penalty?.legalRateTable ? rateTable(files, fileId, ev.penalty.legalRateTable, reads) : null,
        legalRateProRata: ev.penalty?.legalRateProRata ? expr(ev.penalty.legalRateProRata) : null,
        cap: ev.penalty?.cap ? expr(ev.penalty.cap) : null,
        explanation: text(ev.explanation),
        slots: Object.fromEntries(REFUND_FACTS.map((k) => [k, slots.add(`refund.${k}`)])) as Record<(typeof REFUND_FACTS)[number], number>,
      };
    case 'decision':
      return { type: 'decision', ev, summary: text(ev.summary), outcomeSlot: slots.add('decision.outcome'), trackSlot: slots.add('decision.track') };
    case 'missingFact':
      return { type: 'missingFact', ev };
    case 'appealStep':
      return {
        type: 'appealStep',
        ev,
        notBefore: ev.notBefore ? expr(ev.notBefore) : null,
        notAfter: ev.notAfter ? expr(ev.notAfter) : null,
        details: Object.entries(ev.details).map(([key, e]) => ({ key, value: expr(e), slot: slots.add(`appeal.${ev.step}.${key}`) })),
        detailsOf: objectOf(Object.keys(ev.details)),
        statusSlot: slots.add(`appeal.${ev.step}.status`),
        explanation: text(ev.explanation),
      };
    case 'historyFinding':
      return { type: 'historyFinding', ev, at: expr(ev.at), explanation: text(ev.explanation) };
    case 'policyFinding':
      return { type: 'policyFinding', ev, issue: text(ev.issue) };
    case 'evidence':
      return { type: 'evidence', ev, what: text(ev.what), why: text(ev.why), by: ev.by ? expr(ev.by) : null };
  }
}

/** Every key any compiled event has, in one order. */
const EVENT_KEYS: Record<string, undefined> = {};
for (const key of [
  'type', 'ev', 'appliesBy', 'slot', 'index', 'value', 'start', 'end', 'extendedFrom', 'roll', 'slots', 'explanation', 'statusSlot', 'reason',
  'items', 'outboundShipping', 'ladder', 'legalRateAt', 'legalRateProRata', 'cap', 'summary', 'outcomeSlot', 'trackSlot',
  'notBefore', 'notAfter', 'details', 'detailsOf', 'at', 'issue', 'what', 'why', 'by',
])
  EVENT_KEYS[key] = undefined;

/**
 * A compiled event with every key of every kind (those of other kinds undefined): one hidden class for
 * all, so that reading one in applyEvent is a monomorphic load, not a lookup among a dozen shapes.
 */
function uniformShape(event: CompiledEvent): CompiledEvent {
  return { ...EVENT_KEYS, ...event } as CompiledEvent;
}

/** `item.x.y` (a fact about one item) → `items.x.y`, whose `.min` and `.max` are read at order level. */
export const itemAggregateName = (itemFact: string): string => `items.${itemFact.slice('item.'.length)}`;

/** Compiles every rule of the ruleset, in file order then rule order (the order events apply in). */
export function compilePlan(files: ReadonlyMap<string, RuleFile>): Plan {
  const slots = new SlotTable();
  for (const [name] of ORDER_FACTS) slots.add(name);
  const itemSlots = ITEM_FACTS.map(([name]) => slots.add(name));
  const itemExclusionsSlot = slots.add(ITEM_EXCLUSIONS_FACT);
  const policyOrderSlots = new Map(POLICY_ORDER_FACT_NAMES.map((n) => [n, slots.add(n)]));
  const policyItemSlots = new Map(POLICY_ITEM_FACT_NAMES.map((n) => [n, slots.add(n)]));

  const rules: CompiledRule[] = [];
  const exclusionSlots = new Map<string, ExclusionAggregateSlots>();
  let order = 0;
  for (const file of files.values()) {
    file.rules.forEach((spec, i) => {
      const key = `${file.id}#${spec.name}`;
      const reads: Reads = { facts: new Set(), params: new Set() };
      try {
        const condition = compileCondition(spec.conditions, file.id, slots, reads);
        const facts = [...reads.facts].sort();
        const event = uniformShape({ ...compileEvent(spec.event, file.id, slots, reads, files), appliesBy: file.appliesBy });
        if (spec.event.type === 'exclusion' && !exclusionSlots.has(spec.event.effect)) {
          const p = `exclusion.${spec.event.effect}`;
          exclusionSlots.set(spec.event.effect, {
            count: slots.add(`${p}.count`),
            anyItem: slots.add(`${p}.anyItem`),
            allItems: slots.add(`${p}.allItems`),
            total: slots.add(`${p}.total`),
          });
        }
        const params = [...reads.params].sort();
        rules.push({
          key,
          file,
          spec,
          order: order++,
          condition: condition.condition,
          // Small events: json-rules-engine deep-copies every rule on every run; the real event stays here.
          engineRule: { name: key, conditions: condition.engine as RuleProperties['conditions'], event: { type: 'fired' } },
          facts,
          params,
          reviewParams: params.filter((q) => {
            const [fileId, name] = q.split('#') as [string, string];
            return files.get(fileId)?.parameters[name]?.needsLegalReview === true;
          }),
          policyFacts: policyFactsMentioned(spec),
          event,
        });
      } catch (e) {
        throw new PlanError(`rules/${file.id}.json`, `rules.${i} (${spec.name}): cannot be compiled: ${(e as Error).message}`);
      }
    });
  }
  const definedBy = (scope: 'item' | 'order') => [
    ...new Set(rules.flatMap((r) => ((r.spec.scope === 'item') === (scope === 'item') && r.event.type === 'define' ? [r.event.slot] : []))),
  ];
  const itemDefineSlots = definedBy('item');
  const orderDefineSlots = definedBy('order');
  for (const r of rules)
    if (r.event.type === 'define') r.event.index = (r.spec.scope === 'item' ? itemDefineSlots : orderDefineSlots).indexOf(r.event.slot);
  const itemDefineAggregates = itemDefineSlots.map((slot) => {
    const name = itemAggregateName(slots.names[slot]!);
    return { slot, min: slots.add(`${name}.min`), max: slots.add(`${name}.max`) };
  });
  // Every parameter is offered to the rules as the fact `param:<file>#<name>`.
  for (const f of files.values()) for (const name of Object.keys(f.parameters)) slots.add(`param:${f.id}#${name}`);
  return {
    slots,
    itemSlots,
    itemExclusionsSlot,
    itemDefineSlots,
    orderDefineSlots,
    itemDefineAggregates,
    policyOrderSlots,
    policyItemSlots,
    itemScopedSlots: [...itemSlots, ...policyItemSlots.values(), ...itemDefineSlots, itemExclusionsSlot],
    rules,
    emptySlots: Array.from({ length: slots.size }, () => undefined),
    exclusionSlots,
    selector: new Selector(files, rules, slots),
  };
}

export { qualify };
