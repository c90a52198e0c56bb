// The values a letter may print: the verdict's (remedies, deadlines, refund, appeal path, decision),
// the facts of the request it was given for (parties, order, incident, history) and the merchant
// policy it used. Nothing is computed here that the verdict does not state, except a period's length
// in days (between the dates the verdict gives) and the list of items as a reader names them.
import type { ChosenRemedy, Parties } from '../../contract/letters.js';
import type { Locale } from '../../contract/primitives.js';
import { HISTORY_TYPES, type VerdictRequest } from '../../contract/request.js';
import { APPEAL_STEPS, TRACKS, type Verdict } from '../../contract/verdict.js';
import { daysBetween, minDate, type CivilDate } from '../calendar.js';
import { civilDateOf, incidentItems } from '../facts.js';
import type { PolicyFile } from '../ruleset/policy-schema.js';
import { printable } from './safe-text.js';

export type LetterValue = string | number | boolean | null | readonly string[];

/** Names of the values that are the parties' own: absent, the letter leaves a line to fill in by hand. */
export const FILLABLE = new Set(['consumer.name', 'consumer.address', 'trader.name', 'trader.address', 'order.id', 'mediator.name']);

/** Values of the request and verdict a letter may print, besides the families below. */
const FIXED = [
  'asOf', 'declaration.date', 'verdict.id',
  'consumer.name', 'consumer.address', 'trader.name', 'trader.address', 'mediator.name', 'mediator.url',
  'order.id', 'order.placedAt', 'order.items', 'order.amountPaid', 'order.kinds', 'seller.kind', 'delivery.dateEssential',
  'incident.type', 'incident.description', 'incident.notifiedAt', 'incident.discoveredAt', 'incident.returnedAt', 'incident.receivedAt',
  'decision.outcome', 'decision.track', 'decision.summary',
  'refund.due', 'refund.total', 'refund.items', 'refund.outboundShipping', 'refund.paid', 'refund.outstanding', 'refund.deadline',
  'refund.computedFrom', 'refund.penalty.amount', 'refund.penalty.daysLate', 'refund.penalty.percent',
  'policy.guarantee', 'policy.merchant', 'choice.remedy',
] as const;

/** What the ruleset defines, for checking the names a template uses. */
export interface LetterVocabulary {
  deadlines: ReadonlySet<string>;
  /** Detail keys each appeal step may carry. */
  stepDetails: ReadonlyMap<string, ReadonlySet<string>>;
  evidence: ReadonlySet<string>;
}

const TRACK_SET = new Set<string>(TRACKS);
const STEP_SET = new Set<string>(APPEAL_STEPS);
const HISTORY_SET = new Set<string>(HISTORY_TYPES);
const FIXED_SET = new Set<string>(FIXED);

/** Whether a template may print this value (checked at load, before any verdict exists). */
export function isLetterValueName(name: string, v: LetterVocabulary): boolean {
  if (FIXED_SET.has(name)) return true;
  let m = /^remedy\.([a-z_]+)\.(status|deadline|reason)$/.exec(name);
  if (m) return TRACK_SET.has(m[1]!);
  m = /^deadline\.([a-z_]+\.[a-z_.]+)\.(start|end|days)$/.exec(name);
  if (m) return v.deadlines.has(m[1]!);
  m = /^appeal\.([a-z_]+)\.([a-zA-Z]+)$/.exec(name);
  if (m) return STEP_SET.has(m[1]!) && (['status', 'notBefore', 'notAfter'].includes(m[2]!) || (v.stepDetails.get(m[1]!)?.has(m[2]!) ?? false));
  m = /^history\.([a-z_]+)\.(count|first|last|amount)$/.exec(name);
  if (m) return HISTORY_SET.has(m[1]!);
  return false;
}

/** The verdict elements a letter may cite ({cite:…}): it prints the citations the verdict gives them. */
export function isCitableName(name: string, v: LetterVocabulary): boolean {
  if (name === 'refund' || name === 'refund.penalty' || name === 'returnShipping') return true;
  let m = /^remedy\.([a-z_]+)$/.exec(name);
  if (m) return TRACK_SET.has(m[1]!);
  m = /^deadline\.([a-z_]+\.[a-z_.]+)$/.exec(name);
  if (m) return v.deadlines.has(m[1]!);
  m = /^appeal\.([a-z_]+)$/.exec(name);
  if (m) return STEP_SET.has(m[1]!);
  m = /^evidence\.([a-z_]+\.[a-z_.]+)$/.exec(name);
  if (m) return v.evidence.has(m[1]!);
  return false;
}

export interface LetterContext {
  verdict: Verdict;
  request: VerdictRequest;
  zone: string;
  parties: Parties;
  remedy: ChosenRemedy | null;
  policy: PolicyFile | null;
}

const ITEM_WORD: Record<Locale, string> = { fr: 'article', en: 'item' };

/** The items of the incident as a reader names them: their titles (or ids), with the quantity when more than one. */
function itemNames(ctx: LetterContext, locale: Locale): string[] {
  return incidentItems(ctx.request).map((i) => {
    const name = i.title ? printable(i.title, false) : `${ITEM_WORD[locale]} ${printable(i.id, false)}`;
    return i.quantity > 1 ? `${name} (× ${i.quantity})` : name;
  });
}

function lastOf(dates: (CivilDate | null | undefined)[]): CivilDate | null {
  const known = dates.filter((d): d is CivilDate => !!d).sort();
  return known.length ? known[known.length - 1]! : null;
}

/** Every value the templates may print, by name; a name the verdict does not give is null. */
export function letterValues(ctx: LetterContext): Map<string, LetterValue> {
  const { verdict, request, parties } = ctx;
  const locale = verdict.locale;
  const values = new Map<string, LetterValue>();
  const set = (name: string, value: LetterValue | undefined) => values.set(name, value === undefined ? null : value);
  const text = (s: string | undefined | null, multiline = false) => (s ? printable(s, multiline) : null);

  set('asOf', verdict.asOf);
  set('declaration.date', request.incident.notifiedAt ?? verdict.asOf);
  set('verdict.id', verdict.verdictId);
  set('consumer.name', text(parties.consumer?.name));
  set('consumer.address', text(parties.consumer?.address, true));
  set('trader.name', text(parties.trader?.name ?? request.order.seller.name));
  set('trader.address', text(parties.trader?.address, true));
  const mediation = verdict.appealPath.find((s) => s.step === 'consumer_mediation');
  set('mediator.name', text((mediation?.details?.mediatorName as string | undefined) ?? request.order.seller.mediator?.name));
  set('mediator.url', text((mediation?.details?.mediatorUrl as string | undefined) ?? request.order.seller.mediator?.url));
  set('order.id', text(request.order.id));
  set('order.placedAt', civilDateOf(request.order.placedAt, ctx.zone));
  set('order.items', itemNames(ctx, locale));
  set('order.amountPaid', request.order.amountPaid ?? null);
  set('order.kinds', [...new Set(incidentItems(request).map((i) => i.kind))].sort());
  set('seller.kind', request.order.seller.kind);
  set('delivery.dateEssential', request.order.delivery?.dateEssential ?? false);
  set('incident.type', request.incident.type);
  set('incident.description', text(request.incident.description, true));
  set('incident.notifiedAt', request.incident.notifiedAt ?? null);
  set('incident.discoveredAt', request.incident.discoveredAt ?? null);
  set('incident.returnedAt', request.incident.returnedAt ?? null);
  set('incident.receivedAt', lastOf(incidentItems(request).map((i) => i.receivedAt)));
  set('decision.outcome', verdict.decision.outcome);
  set('decision.track', verdict.decision.track);
  set('decision.summary', verdict.decision.summary);

  const r = verdict.refund;
  set('refund.due', r?.due ?? null);
  set('refund.total', r?.total);
  set('refund.items', r?.items);
  set('refund.outboundShipping', r?.outboundShipping);
  set('refund.paid', r?.paid);
  set('refund.outstanding', r?.outstanding);
  set('refund.deadline', r?.deadline);
  set('refund.computedFrom', r?.computedFrom);
  set('refund.penalty.amount', r?.penalty?.amount);
  set('refund.penalty.daysLate', r?.penalty?.daysLate);
  // The rate as the verdict states it, in per cent (0.1 → 10).
  set('refund.penalty.percent', r?.penalty ? Math.round(r.penalty.rate * 10000) / 100 : null);

  set('policy.guarantee', ctx.policy ? ((ctx.policy as { guarantee?: { name?: Record<Locale, string> } }).guarantee?.name?.[locale] ?? null) : null);
  set('policy.merchant', ctx.policy?.merchant.name ?? null);
  set('choice.remedy', ctx.remedy);

  for (const track of TRACKS) {
    const rem = verdict.remedies.find((x) => x.track === track);
    set(`remedy.${track}.status`, rem?.status);
    set(`remedy.${track}.deadline`, rem?.deadline);
    set(`remedy.${track}.reason`, rem?.reason);
  }
  for (const d of verdict.deadlines) {
    set(`deadline.${d.id}.start`, d.start);
    set(`deadline.${d.id}.end`, d.end);
    // The length of the period as the verdict counts it: from its start to its end before any roll.
    set(`deadline.${d.id}.days`, d.start ? daysBetween(d.start, d.extendedFrom ?? d.rolledFrom ?? d.end) : null);
  }
  for (const s of verdict.appealPath) {
    set(`appeal.${s.step}.status`, s.status);
    set(`appeal.${s.step}.notBefore`, s.notBefore);
    set(`appeal.${s.step}.notAfter`, s.notAfter);
    for (const [k, x] of Object.entries(s.details ?? {}))
      if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') set(`appeal.${s.step}.${k}`, x);
  }
  for (const type of HISTORY_TYPES) {
    const entries = request.incident.history.filter((h) => h.type === type);
    set(`history.${type}.count`, entries.length);
    set(`history.${type}.first`, entries.length ? minDate(...entries.map((h) => h.at)) : null);
    set(`history.${type}.last`, lastOf(entries.map((h) => h.at)));
    set(`history.${type}.amount`, entries.length ? Math.round(entries.reduce((s, h) => s + (h.amount ?? 0), 0) * 100) / 100 : null);
  }
  return values;
}

/** The legal-basis ids the verdict gives an element ({cite:…}), or null when the verdict has no such element. */
export function citedBasis(verdict: Verdict, ref: string): string[] | null {
  if (ref === 'refund') return verdict.refund?.basis ?? null;
  if (ref === 'refund.penalty') return verdict.refund?.penalty?.basis ?? null;
  if (ref === 'returnShipping') return verdict.returnShipping?.basis ?? null;
  const [kind, ...rest] = ref.split('.');
  const id = rest.join('.');
  if (kind === 'remedy') return verdict.remedies.find((x) => x.track === id)?.basis ?? null;
  if (kind === 'deadline') return verdict.deadlines.find((x) => x.id === id)?.basis ?? null;
  if (kind === 'appeal') return verdict.appealPath.find((x) => x.step === id)?.basis ?? null;
  if (kind === 'evidence') return verdict.evidence.find((x) => x.id === id)?.basis ?? null;
  return null;
}
