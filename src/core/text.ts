// Renders the localized sentences of rule events. Placeholders name facts: {deadline.withdrawal.notice.end}
// prints a civil date the way a support agent reads it aloud; {money:refund.total} prints an amount in the
// order's currency; {list:exclusion.ids} joins a list.
import { DateTime } from 'luxon';
import type { Locale, LocalizedText } from '../contract/primitives.js';
import { isCivilDate } from './calendar.js';
import type { FactValue } from './facts.js';

const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };
// The memos below and plan/templates.ts pick French or else English by comparison: a third locale must
// revisit them, and this line stops the build until it does.
const ONLY_FR_AND_EN: [Locale] extends ['fr' | 'en'] ? true : never = true;
void ONLY_FR_AND_EN;

// A verdict prints the same few dates many times; formatting is the costly part, so keep the results.
// One memo per locale, chosen by comparison: an object indexed by the locale is a keyed lookup by name.
const formattedFr = new Map<string, string>();
const formattedEn = new Map<string, string>();
export function formatDate(d: string, locale: Locale): string {
  const cache = locale === 'fr' ? formattedFr : formattedEn;
  let out = cache.get(d);
  if (out === undefined) {
    out = DateTime.fromISO(d, { zone: 'UTC' }).setLocale(INTL_LOCALE[locale]).toLocaleString({
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    if (cache.size > 100_000) cache.clear();
    cache.set(d, out);
  }
  return out;
}

type MoneyFormat = { format: Intl.NumberFormat; printed: Map<number, string> };
// By currency, one map per locale: no key joined for each amount printed.
const moneyFr = new Map<string, MoneyFormat>();
const moneyEn = new Map<string, MoneyFormat>();
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const formats = locale === 'fr' ? moneyFr : moneyEn;
  let f = formats.get(currency);
  if (!f) {
    f = { format: new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency }), printed: new Map() };
    formats.set(currency, f);
  }
  let out = Object.is(amount, -0) ? undefined : f.printed.get(amount);
  if (out === undefined) {
    // Narrow no-break spaces differ between ICU versions; plain spaces keep verdicts byte-stable.
    out = f.format.format(amount).replace(/[\u202f\u00a0]/g, ' ');
    if (f.printed.size > 100_000) f.printed.clear();
    if (!Object.is(amount, -0)) f.printed.set(amount, out);
  }
  return out;
}

export class TemplateError extends Error {}

/** A placeholder: `{name}`, `{money:name}` or `{list:name}`. */
export const TEMPLATE_PLACEHOLDER = /\{(?:(money|list):)?([a-zA-Z0-9_.:#/-]+)\}/g;

/** How a fact's value is printed in a sentence. */
export function printValue(v: FactValue | undefined, kind: string | null | undefined, name: string, locale: Locale, currency: string): string {
  if (v === undefined) throw new TemplateError(`template names an unknown fact "${name}"`);
  if (v === null) return locale === 'fr' ? 'inconnu' : 'unknown';
  if (kind === 'money') return formatMoney(Number(v), currency, locale);
  if (kind === 'list' || Array.isArray(v)) return (v as readonly unknown[]).join(', ');
  if (typeof v === 'string' && isCivilDate(v)) return formatDate(v, locale);
  if (typeof v === 'boolean') return locale === 'fr' ? (v ? 'oui' : 'non') : v ? 'yes' : 'no';
  return String(v);
}

export function render(
  text: LocalizedText,
  locale: Locale,
  fact: (name: string) => FactValue | undefined,
  currency: string,
): string {
  return text[locale].replace(TEMPLATE_PLACEHOLDER, (_m, kind: string | undefined, name: string) => printValue(fact(name), kind, name, locale, currency));
}
