// Which rules run for a case, and with which parameter values: for each article family, the version
// in force on the family's relevant date (`appliesBy`), and each parameter's value on that date.
//
// The answer only changes where a validity period or a dated value starts or ends, so it is computed
// once per incident shape (jurisdiction, incident type, with or without a merchant policy) and per
// interval between those dates, then reused: a request only locates its dates among them.
import { addDays, compareDates, type CivilDate } from '../calendar.js';
import type { RuleFile } from '../ruleset/schema.js';
import type { CompiledRule } from './compile.js';
import { compileStageJudge, type StageJudge } from './judge.js';
import type { SlotTable } from './slots.js';

type AppliesBy = RuleFile['appliesBy'];
const APPLIES_BY: readonly AppliesBy[] = ['contract_date', 'event_date', 'filing_date', 'as_of', 'recall_date'];

export interface StageRules {
  stage: number;
  order: CompiledRule[];
  item: CompiledRule[];
  /** Whether each rule of `order` (of `item`) holds: the stage's compiled conditions. */
  judgeOrder: StageJudge;
  judgeItem: StageJudge;
}

export interface Selection {
  stages: StageRules[];
  /** The parameter values in force: paramValues[i] goes in slot paramSlots[i] (`param:<file>#<name>`). */
  paramSlots: number[];
  paramValues: unknown[];
  /** Families no version of which covers the case (then no verdict is given). */
  uncovered: { family: string; coveredFrom: string | null }[];
}

export interface CaseDates {
  contract: CivilDate;
  event: CivilDate;
  asOf: CivilDate;
  /** The recall notice of a product_recall incident, else asOf. */
  recall: CivilDate;
}

/** The date a file of this `appliesBy` turns on. */
export function dateFor(by: AppliesBy, dates: CaseDates): CivilDate {
  return by === 'contract_date' ? dates.contract : by === 'event_date' ? dates.event : by === 'recall_date' ? dates.recall : dates.asOf;
}

/** The days on which one of `files` or a dated value of their parameters starts, or the day after one ends: sorted. */
export function startDays(files: Iterable<RuleFile>): string[] {
  const days = new Set<string>();
  for (const f of files) {
    days.add(f.validFrom);
    if (f.validUntil) days.add(addDays(f.validUntil, 1));
    for (const p of Object.values(f.parameters))
      for (const v of p.values) {
        days.add(v.from);
        if (v.until) days.add(addDays(v.until, 1));
      }
  }
  return [...days].sort();
}

const MAX_CACHED = 10_000;
const NO_RULES: StageJudge = (_s, holds) => holds;

export class Selector {
  /** The dates where a validity period or a dated value starts or ends, for each kind of APPLIES_BY, in its order. */
  readonly #breakpoints: string[][] = [];
  /** Jurisdiction → incident type → the case's epochs as one number (select()) → selection. */
  readonly #cache = new Map<string, Map<string, Map<number, Selection>>>();
  #cached = 0;
  /** One judge per list of rules, shared by every selection that runs that list: it gets hot sooner. */
  readonly #judges = new Map<string, StageJudge>();

  constructor(
    private readonly files: ReadonlyMap<string, RuleFile>,
    private readonly rules: readonly CompiledRule[],
    private readonly slots: SlotTable,
  ) {
    for (const kind of APPLIES_BY) this.#breakpoints.push(startDays([...files.values()].filter((f) => f.appliesBy === kind)));
  }

  /** The interval between breakpoints that holds `d` (the number of breakpoints on or before it). */
  #epoch(points: string[], d: CivilDate): number {
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (points[mid]! <= d) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  select(jurisdiction: string, incidentType: string, withPolicy: boolean, dates: CaseDates): Selection {
    // Whether a policy is named, then the interval holding each kind's date, as the digits of one number
    // (each kind's radix one more than its breakpoints): a key read without building a string.
    let key = withPolicy ? 1 : 0;
    let scale = 2;
    for (let k = 0; k < APPLIES_BY.length; k++) {
      const points = this.#breakpoints[k]!;
      key += scale * this.#epoch(points, dateFor(APPLIES_BY[k]!, dates));
      scale *= points.length + 1;
    }
    if (this.#cached >= MAX_CACHED) {
      this.#cache.clear();
      this.#cached = 0;
    }
    let byType = this.#cache.get(jurisdiction);
    if (!byType) this.#cache.set(jurisdiction, (byType = new Map()));
    let byKey = byType.get(incidentType);
    if (!byKey) byType.set(incidentType, (byKey = new Map()));
    let sel = byKey.get(key);
    if (!sel) {
      sel = this.#compute(jurisdiction, incidentType, withPolicy, dates);
      byKey.set(key, sel);
      this.#cached++;
    }
    return sel;
  }

  #judgeOf(rules: CompiledRule[]): StageJudge {
    const key = rules.map((r) => r.order).join(',');
    let judge = this.#judges.get(key);
    if (!judge) this.#judges.set(key, (judge = compileStageJudge(rules)));
    return judge;
  }

  #compute(jurisdiction: string, incidentType: string, withPolicy: boolean, dates: CaseDates): Selection {
    const relevantDate = (by: AppliesBy): CivilDate => dateFor(by, dates);
    const inForce = (from: CivilDate, until: CivilDate | null, d: CivilDate) => compareDates(d, from) >= 0 && (until === null || compareDates(d, until) <= 0);

    const families = new Map<string, RuleFile[]>();
    for (const f of this.files.values()) {
      if (f.jurisdiction !== jurisdiction) continue;
      if (f.incidentTypes !== 'all' && !f.incidentTypes.includes(incidentType as never)) continue;
      if (f.policy && !withPolicy) continue;
      families.set(f.family, [...(families.get(f.family) ?? []), f]);
    }
    const active = new Set<string>();
    const uncovered: Selection['uncovered'] = [];
    for (const [family, versions] of families) {
      const pick = versions.find((f) => inForce(f.validFrom, f.validUntil, relevantDate(f.appliesBy)));
      if (pick) active.add(pick.id);
      else uncovered.push({ family, coveredFrom: versions.map((v) => v.validFrom).sort()[0] ?? null });
    }

    const paramSlots: number[] = [];
    const paramValues: unknown[] = [];
    for (const id of active) {
      const f = this.files.get(id)!;
      const d = relevantDate(f.appliesBy);
      for (const [name, p] of Object.entries(f.parameters)) {
        const v = p.values.find((x) => inForce(x.from, x.until, d));
        // No value for the date: reading it is then a 422 (plan/expressions.ts); not reading it is fine.
        if (v) {
          paramSlots.push(this.slots.find(`param:${id}#${name}`)!);
          paramValues.push(v.value);
        }
      }
    }

    const byStage = new Map<number, StageRules>();
    for (const r of this.rules) {
      if (!active.has(r.file.id)) continue;
      let s = byStage.get(r.spec.stage);
      if (!s) byStage.set(r.spec.stage, (s = { stage: r.spec.stage, order: [], item: [], judgeOrder: NO_RULES, judgeItem: NO_RULES }));
      (r.spec.scope === 'item' ? s.item : s.order).push(r);
    }
    for (const s of byStage.values()) {
      if (s.order.length) s.judgeOrder = this.#judgeOf(s.order);
      if (s.item.length) s.judgeItem = this.#judgeOf(s.item);
    }
    return { stages: [...byStage.values()].sort((a, b) => a.stage - b.stage), paramSlots, paramValues, uncovered };
  }
}
