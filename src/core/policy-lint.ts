// lintPolicy(policy, ruleset, asOf): which clauses of a merchant policy fall below the legal floor.
// Pure: no clock, no I/O. The thresholds, the allowed exclusions, the texts and the articles cited
// are the dated parameters of <jurisdiction>/marketplace/policy-floor (rules-as-data); this file only
// compares the policy's values with them.
import type { Locale, LocalizedText } from '../contract/primitives.js';
import { compareDates, type CivilDate } from './calendar.js';
import { OutsideCoverageError } from './errors.js';
import type { Ruleset } from './ruleset/load.js';
import {
  FLOOR_PARAMETERS,
  floorFileId,
  type ExclusionClause,
  type FloorFindingId,
  type FloorParameters,
  type PolicyFile,
} from './ruleset/policy-schema.js';
import { render } from './text.js';

export interface PolicyFinding {
  id: FloorFindingId;
  /** The path of the clause in the policy, e.g. returns.window.days. */
  clause: string;
  issue: LocalizedText;
  basis: string[];
}

interface Dated {
  value: unknown;
  from: CivilDate;
}

function datedValue(ruleset: Ruleset, fileId: string, name: string, asOf: CivilDate): Dated | null {
  const p = ruleset.files.get(fileId)?.parameters[name];
  const v = p?.values.find((x) => compareDates(asOf, x.from) >= 0 && (x.until === null || compareDates(asOf, x.until) <= 0));
  return v ? { value: v.value, from: v.from } : null;
}

/** The floor's parameters in force on asOf; a parameter with no value for that date is absent (its check is skipped). */
function readFloor(ruleset: Ruleset, jurisdiction: string, asOf: CivilDate): { values: Partial<FloorParameters>; from: Partial<Record<keyof FloorParameters, CivilDate>> } {
  const fileId = floorFileId(jurisdiction);
  if (!ruleset.files.has(fileId)) throw new OutsideCoverageError(`No policy floor is encoded for ${jurisdiction} (rules/${fileId}.json).`, { path: 'jurisdiction' });
  const values: Partial<FloorParameters> = {};
  const from: Partial<Record<keyof FloorParameters, CivilDate>> = {};
  for (const name of Object.keys(FLOOR_PARAMETERS) as (keyof FloorParameters)[]) {
    const d = datedValue(ruleset, fileId, name, asOf);
    if (!d) continue;
    let value = FLOOR_PARAMETERS[name].parse(d.value) as unknown;
    if (value && typeof value === 'object' && 'param' in value) {
      const [refFile, refName] = (value as { param: string }).param.split('#') as [string, string];
      value = datedValue(ruleset, refFile, refName, asOf)?.value ?? null;
      if (value === null) continue;
    }
    (values as Record<string, unknown>)[name] = value;
    from[name] = d.from;
  }
  return { values, from };
}

/** Two labels with the same words: case, accents, punctuation and spacing aside. */
function sameWording(a: string, b: string): boolean {
  const words = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return words(a) === words(b);
}

const sameOrWider = <T>(clauseList: readonly T[], groundList: readonly T[]) => groundList.every((x) => clauseList.includes(x));

/** Whether an exclusion clause stays within one of the L221-28 grounds the floor lists. */
function withinLegalGrounds(c: ExclusionClause, floor: Partial<FloorParameters>): boolean {
  if (!c.attributes.length) {
    // A clause by category (or kind) alone: every category must be excluded by nature.
    const allowed = new Set((floor.categoryGrounds ?? []).map((g) => g.category));
    return c.categories.length > 0 && c.categories.every((cat) => allowed.has(cat));
  }
  return (floor.exclusionGrounds ?? []).some(
    (g) =>
      sameOrWider(c.attributes, g.attributes) &&
      sameOrWider(c.unlessAttributes, g.unlessAttributes) &&
      (!g.itemKinds.length || (c.itemKinds.length > 0 && c.itemKinds.every((k) => g.itemKinds.includes(k)))),
  );
}

/**
 * Findings of a policy against the legal floor of its jurisdiction on asOf, in the policy's order.
 * A compliant policy has none. Texts are given in both languages; `localize` picks one.
 */
export function lintPolicy(policy: PolicyFile, ruleset: Ruleset, asOf: CivilDate): PolicyFinding[] {
  const { values: floor, from } = readFloor(ruleset, policy.jurisdiction, asOf);
  const texts = floor.findings;
  const out: PolicyFinding[] = [];
  const add = (id: FloorFindingId, clause: string, vars: Record<string, string | number>) => {
    const t = texts?.[id];
    if (!t) return;
    const fill = (locale: Locale) => render(t.issue, locale, (n) => (n in vars ? vars[n]! : undefined), 'EUR');
    out.push({ id, clause, issue: { fr: fill('fr'), en: fill('en') }, basis: [...t.basis] });
  };
  const r = policy.returns;
  const min = typeof floor.minimumWindowDays === 'number' ? floor.minimumWindowDays : null;

  if (r.window) {
    if (min !== null && r.window.days.value < min) add('window_shorter_than_legal', 'returns.window.days', { days: r.window.days.value, minimum: min });
    if (floor.windowAnchors && !floor.windowAnchors.includes(r.window.anchor.value))
      add('window_counted_from_wrong_day', 'returns.window.anchor', { anchor: r.window.anchor.value });
    r.categoryWindows.forEach((w, i) => {
      if (min !== null && w.days < min) add('window_shorter_than_legal', `returns.categoryWindows.${i}.days`, { days: w.days, minimum: min });
    });
  }
  const fee = r.restockingFee.value;
  if (fee && floor.maxRestockingFeePercentOnWithdrawal !== undefined && fee.appliesTo.includes('withdrawal') && fee.percent > floor.maxRestockingFeePercentOnWithdrawal)
    add('restocking_fee_on_withdrawal', 'returns.restockingFee', { percent: fee.percent });
  if (floor.refundFormsOnWithdrawal && !floor.refundFormsOnWithdrawal.includes(r.refund.form.value))
    add('store_credit_only_on_withdrawal', 'returns.refund.form', { form: r.refund.form.value });
  if (floor.categoryGrounds) {
    const allowed = new Set(floor.categoryGrounds.map((g) => g.category));
    for (const cat of r.nonReturnableCategories.value)
      if (!allowed.has(cat)) add('exclusion_outside_l221_28', `returns.nonReturnableCategories.${cat}`, { clause: cat, category: cat });
  }
  r.exclusions.forEach((c, i) => {
    if (!withinLegalGrounds(c, floor)) add('exclusion_outside_l221_28', `returns.exclusions.${i}`, { clause: c.id });
  });
  if (r.returnShipping.defaultPayer.value === null) add('no_return_cost_information', 'returns.returnShipping.defaultPayer', {});
  if (floor.odrLinkAllowed === false && floor.odrPlatformUrls) {
    const patterns = floor.odrPlatformUrls.map((u) => u.toLowerCase());
    policy.links.forEach((l, i) => {
      if (patterns.some((p) => l.url.toLowerCase().includes(p))) add('odr_platform_link', `links.${i}`, { url: l.url, closedOn: from.odrLinkAllowed ?? '' });
    });
  }
  if (floor.mediatorRequired && policy.mediator.value === null) add('no_consumer_mediator', 'mediator', {});
  if (floor.withdrawalFunctionRequired) {
    const fn = policy.withdrawalFunction;
    if (fn?.offered.value !== true) add('no_withdrawal_function', 'withdrawalFunction.offered', { since: from.withdrawalFunctionRequired ?? '' });
    else {
      if (floor.withdrawalFunctionLabels && !floor.withdrawalFunctionLabels.some((l) => sameWording(l, fn.label.value ?? '')))
        add('withdrawal_function_label', 'withdrawalFunction.label', { label: fn.label.value ?? '—' });
      const allowed = floor.withdrawalFunctionFields;
      const extra = (fn.asks?.value ?? []).filter((f) => allowed && !allowed.includes(f));
      if (extra.length) add('withdrawal_function_fields', 'withdrawalFunction.asks', { asked: extra.join(', ') });
    }
  }
  return out;
}
