// Step 2 of an evaluation: run the selected rules stage by stage. Each stage asks a judge which of its
// rules hold (order-scoped rules once, item-scoped rules once per incident item), then applies the
// fired rules' events in a fixed order (rule order, then item order), never in completion order, so
// that later stages read what earlier ones computed. The judge is the compiled plan on the hot path
// and json-rules-engine for the oracle: the walk hands out each question and takes the answer.
import { policyReviewKeys } from '../policy-facts.js';
import type { CompiledRule } from '../plan/compile.js';
import type { StageJudge } from '../plan/judge.js';
import type { Slots } from '../plan/slots.js';
import { applyEvent } from './events.js';
import type { Run } from './state.js';

export interface StageQuestion {
  stage: number;
  rules: CompiledRule[];
  /** The rules' compiled conditions (the compiled judge's answer); the oracle judges `rules` itself. */
  judge: StageJudge;
  itemId: string | null;
  slots: Slots;
  /** Where the compiled judge writes its answer: one array per run, reused by every question. */
  holds: boolean[];
}

const BEFORE_STAGE = -2;
const ORDER_QUESTION = -1;

/**
 * Walks the selected stages: `next()` gives the next question to judge (null when all are done) and
 * `answer()` takes whether each of its rules holds. Once a stage's last question is answered, the next
 * `next()` applies its fired rules' events. The compiled judge answers in a plain loop, the oracle
 * between awaits; a hand-written walk rather than a generator, whose resumes cost 2.4 % of a verdict's instructions.
 */
export class StageWalk {
  private readonly question: StageQuestion;
  /** The stage's fired rules so far, in fired[0 .. firedCount): the array is kept from stage to stage
   *  (emptying it with `length = 0` was a runtime call, and refilling it grew it again). */
  private readonly fired: number[] = [];
  private firedCount = 0;
  /** A fired rule as one number, rule order then item order (order-scoped: item -1), so that the
   *  fired rules sort as numbers: `(order << itemBits) | (item + 1)`, read back with a shift and a mask
   *  rather than a division (at most 200 items, 8 bits, by the request schema). */
  private readonly itemBits: number;
  private stageIndex = 0;
  /** BEFORE_STAGE, ORDER_QUESTION, or the index of the item last asked about. */
  private position = BEFORE_STAGE;

  constructor(private readonly run: Run) {
    // One question, asked again with other rules: a judge is done with it before the next is asked.
    this.question = { stage: 0, rules: [], judge: NO_RULES, itemId: null, slots: run.slots, holds: [] };
    this.itemBits = 32 - Math.clz32(run.items.length);
  }

  next(): StageQuestion | null {
    const { run, question } = this;
    const { stages } = run.selection;
    for (;;) {
      const stage = stages[this.stageIndex];
      if (stage === undefined) return null;
      if (this.position === BEFORE_STAGE) {
        this.firedCount = 0;
        this.position = ORDER_QUESTION;
        question.stage = stage.stage;
        if (stage.order.length) {
          question.rules = stage.order;
          question.judge = stage.judgeOrder;
          question.itemId = null;
          return question;
        }
      }
      if (stage.item.length) {
        const index = this.position + 1;
        if (index < run.items.length) {
          this.position = index;
          loadItem(run, index);
          question.rules = stage.item;
          question.judge = stage.judgeItem;
          question.itemId = run.items[index]!.item.id;
          return question;
        }
        clearItem(run);
      }
      applyFired(run, stage.stage, this.fired, this.firedCount, this.itemBits, this.stageIndex === 0);
      this.stageIndex++;
      this.position = BEFORE_STAGE;
    }
  }

  answer(holds: boolean[]): void {
    const { rules } = this.question;
    const { fired, itemBits } = this;
    const item = this.position + 1; // 0 for the order-scoped question
    let n = this.firedCount;
    for (let i = 0; i < rules.length; i++) if (holds[i]) fired[n++] = (rules[i]!.order << itemBits) | item;
    this.firedCount = n;
  }
}

/** Applies a stage's fired rules' events in rule order, then item order, and updates the aggregates. */
function applyFired(run: Run, stage: number, fired: number[], count: number, itemBits: number, firstStage: boolean): void {
  const { plan, out, items } = run;
  sortAscending(fired, count);
  let loaded = -1;
  let itemDefined = false;
  for (let f = 0; f < count; f++) {
    const key = fired[f]!;
    const rule = plan.rules[key >> itemBits]!;
    const itemIndex = (key & ((1 << itemBits) - 1)) - 1;
    const itemId = itemIndex >= 0 ? items[itemIndex]!.item.id : null;
    if (rule.reviewParams.length) for (const p of rule.reviewParams) out.reviewParams.add(p);
    if (run.policy && rule.policyFacts.length) notePolicyReviews(run, rule, itemId);
    // An item-scoped event reads its own item's facts, as its conditions did.
    if (itemIndex !== loaded) {
      if (itemIndex >= 0) loadItem(run, itemIndex);
      else clearItem(run);
      loaded = itemIndex;
    }
    applyEvent(run, rule, itemId, itemIndex, stage);
    if (itemIndex >= 0 && rule.event.type === 'define') itemDefined = true;
  }
  if (loaded >= 0) clearItem(run);
  if (out.exclusions.size) setExclusionAggregates(run);
  // Written after the first stage, then again only when an item-scoped rule defined a fact.
  if (plan.itemDefineAggregates.length && (itemDefined || firstStage)) setItemDefineAggregates(run);
}

const NO_RULES: StageJudge = (_s, holds) => holds;

/** Insertion sort of a[0 .. n): the fired rules come nearly in order (order-scoped first, then each item's). */
function sortAscending(a: number[], n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

/** Puts one item's facts (given, defined by item-scoped rules, exclusions so far) in the item slots. */
function loadItem(run: Run, index: number): void {
  const { slots, plan } = run;
  const { item, values, policySlots, defined } = run.items[index]!;
  for (let i = 0; i < values.length; i++) slots[plan.itemSlots[i]!] = values[i] as Slots[number];
  for (let i = 0; i < policySlots.length; i += 2) slots[policySlots[i] as number] = policySlots[i + 1] as Slots[number];
  const defineSlots = plan.itemDefineSlots;
  for (let k = 0; k < defineSlots.length; k++) slots[defineSlots[k]!] = defined[k]?.value as Slots[number];
  slots[plan.itemExclusionsSlot] = exclusionEffectsOf(run, item.id);
}

/** Outside its own run, no rule sees an item's facts. */
function clearItem(run: Run): void {
  const { slots, plan } = run;
  for (const s of plan.itemScopedSlots) slots[s] = undefined;
}

const NO_EXCLUSIONS: readonly string[] = Object.freeze([]);

/** The effects of the exclusions already raised for an item (the fact `item.exclusions`). */
function exclusionEffectsOf(run: Run, itemId: string): readonly string[] {
  if (!run.out.exclusions.size) return NO_EXCLUSIONS;
  return [...new Set([...run.out.exclusions.values()].filter((x) => x.itemIds.includes(itemId)).map((x) => x.event.ev.effect))].sort();
}

/** The merchant-policy values a fired rule read that need legal review. */
function notePolicyReviews(run: Run, rule: CompiledRule, itemId: string | null): void {
  const names = rule.policyFacts;
  const policyItems = run.items.map((it) => it.policy);
  for (const name of names) {
    const paths =
      run.policyFacts?.sourcesOf(name) ??
      (itemId ? run.items.find((it) => it.item.id === itemId)?.policy?.sourcesOf(name) : policyItems.flatMap((f) => f?.sourcesOf(name) ?? [])) ??
      [];
    for (const key of policyReviewKeys(run.policy!, paths)) run.out.reviewParams.add(key);
  }
}

/** `items.<fact>.min|max`: the least and greatest value an item-scoped rule gave `item.<fact>` (dates or numbers). */
function setItemDefineAggregates(run: Run): void {
  const aggregates = run.plan.itemDefineAggregates;
  for (let k = 0; k < aggregates.length; k++) {
    const { min, max } = aggregates[k]!; // one per item define slot, in the same order
    let lo: Slots[number] = null;
    let hi: Slots[number] = null;
    for (const { defined } of run.items) {
      const v = defined[k]?.value as Slots[number] | undefined;
      if (v === null || v === undefined) continue;
      // ISO civil dates order as strings; numbers as numbers.
      if (lo === null || (v as never) < (lo as never)) lo = v;
      if (hi === null || (v as never) > (hi as never)) hi = v;
    }
    run.slots[min] = lo;
    run.slots[max] = hi;
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
