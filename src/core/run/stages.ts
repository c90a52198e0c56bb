// Step 2 of an evaluation: run the selected rules stage by stage. Each stage asks a judge which of its
// rules hold (order-scoped rules once, item-scoped rules once per incident item), then applies the
// fired rules' events in a fixed order (rule order, then item order), never in completion order, so
// that later stages read what earlier ones computed. The judge is the compiled plan on the hot path
// and json-rules-engine for the oracle: this generator yields each question and receives the answer.
import { policyFactsMentioned, policyReviewKeys } from '../policy-facts.js';
import type { CompiledRule } from '../plan/compile.js';
import type { Slots } from '../plan/slots.js';
import { applyEvent } from './events.js';
import type { Run } from './state.js';

export interface StageQuestion {
  stage: number;
  rules: CompiledRule[];
  itemId: string | null;
  slots: Slots;
}

/** Yields each set of rules to judge, receives whether each rule holds, and applies the events. */
export function* runStages(run: Run): Generator<StageQuestion, void, boolean[]> {
  const { plan, slots, out, items } = run;
  for (const { stage, order, item: itemRules } of run.selection.stages) {
    const fired: Fired[] = [];
    if (order.length) {
      const holds = yield { stage, rules: order, itemId: null, slots };
      for (let i = 0; i < order.length; i++) if (holds[i]) fired.push({ rule: order[i]!, itemId: null, itemIndex: -1 });
    }
    if (itemRules.length) {
      for (let index = 0; index < items.length; index++) {
        const { item, values, policy } = items[index]!;
        for (let i = 0; i < values.length; i++) slots[plan.itemSlots[i]!] = values[i] as Slots[number];
        if (policy) for (const [name, value] of Object.entries(policy.facts)) slots[plan.policyItemSlots.get(name)!] = value;
        slots[plan.itemExclusionsSlot] = exclusionEffectsOf(run, item.id);
        const holds = yield { stage, rules: itemRules, itemId: item.id, slots };
        for (let i = 0; i < itemRules.length; i++) if (holds[i]) fired.push({ rule: itemRules[i]!, itemId: item.id, itemIndex: index });
      }
      // Outside its own run, no rule sees an item's facts.
      for (const s of plan.itemSlots) slots[s] = undefined;
      for (const s of plan.policyItemSlots.values()) slots[s] = undefined;
      slots[plan.itemExclusionsSlot] = undefined;
    }

    if (!inApplyOrder(fired)) fired.sort(byApplyOrder);
    for (const { rule, itemId } of fired) {
      for (const p of rule.reviewParams) out.reviewParams.add(p);
      if (run.policy) notePolicyReviews(run, rule, itemId);
      applyEvent(run, rule, itemId, stage);
    }
    if (out.exclusions.size) setExclusionAggregates(run);
  }
}

interface Fired {
  rule: CompiledRule;
  itemId: string | null;
  itemIndex: number;
}

const byApplyOrder = (a: Fired, b: Fired) => a.rule.order - b.rule.order || a.itemIndex - b.itemIndex;
function inApplyOrder(fired: Fired[]): boolean {
  for (let i = 1; i < fired.length; i++) if (byApplyOrder(fired[i - 1]!, fired[i]!) > 0) return false;
  return true;
}

const NO_EXCLUSIONS: readonly string[] = Object.freeze([]);

/** The effects of the exclusions already raised for an item (the fact `item.exclusions`). */
function exclusionEffectsOf(run: Run, itemId: string): readonly string[] {
  if (!run.out.exclusions.size) return NO_EXCLUSIONS;
  return [...new Set([...run.out.exclusions.values()].filter((x) => x.itemIds.includes(itemId)).map((x) => x.event.ev.effect))].sort();
}

/** The merchant-policy values a fired rule read that need legal review. */
function notePolicyReviews(run: Run, rule: CompiledRule, itemId: string | null): void {
  const policyItems = run.items.map((it) => it.policy);
  for (const name of policyFactsMentioned(rule.spec)) {
    const paths =
      run.policyFacts?.sources[name] ??
      (itemId ? run.items.find((it) => it.item.id === itemId)?.policy?.sources[name] : policyItems.flatMap((f) => f?.sources[name] ?? [])) ??
      [];
    for (const key of policyReviewKeys(run.policy!, paths)) run.out.reviewParams.add(key);
  }
}

/** Aggregates later stages may test: `exclusion.<effect>.count|anyItem|allItems|total`. */
function setExclusionAggregates(run: Run): void {
  const { slots, plan, items } = run;
  const priceOf = new Map(items.map(({ item }) => [item.id, item.price * item.quantity]));
  const excludedByEffect = new Map<string, Set<string>>();
  for (const { event, itemIds } of run.out.exclusions.values())
    for (const id of itemIds) excludedByEffect.set(event.ev.effect, (excludedByEffect.get(event.ev.effect) ?? new Set()).add(id));
  for (const [effect, ids] of excludedByEffect) {
    const s = plan.exclusionSlots.get(effect)!;
    slots[s.count] = ids.size;
    slots[s.anyItem] = ids.size > 0;
    slots[s.allItems] = ids.size === items.length;
    slots[s.total] = Math.round([...ids].reduce((sum, id) => sum + (priceOf.get(id) ?? 0), 0) * 100) / 100;
  }
}
