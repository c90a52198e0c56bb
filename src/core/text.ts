// Renders the localized sentences of rule events. Placeholders name facts: {deadline.withdrawal.notice.end}
// prints a civil date the way a support agent reads it aloud; {money:refund.total} prints an amount in the
// order's currency; {list:exclusion.ids} joins a list.
import { DateTime } from 'luxon';
import type { Locale, LocalizedText } from '../contract/primitives.js';
import { isCivilDate } from './calendar.js';
import type { FactValue } from './facts.js';

const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

// A verdict prints the same few dates many times; formatting is the costly part, so keep the results.
const formattedDates = new Map<string, string>();
export function formatDate(d: string, locale: Locale): string {
  const key = `${locale}:${d}`;
  let out = formattedDates.get(key);
  if (out === undefined) {
    out = DateTime.fromISO(d, { zone: 'UTC' }).setLocale(INTL_LOCALE[locale]).toLocaleString({
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    if (formattedDates.size > 100_000) formattedDates.clear();
    formattedDates.set(key, out);
  }
  return out;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const key = `${locale}:${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency });
    moneyFormats.set(key, f);
  }
  // Narrow no-break spaces differ between ICU versions; plain spaces keep verdicts byte-stable.
  return f.format(amount).replace(/[\u202f\u00a0]/g, ' ');
}

export class TemplateError extends Error {}

export function render(
  text: LocalizedText,
  locale: Locale,
  fact: (name: string) => FactValue | undefined,
  currency: string,
): string {
  return text[locale].replace(/\{(?:(money|list):)?([a-zA-Z0-9_.:#/-]+)\}/g, (_m, kind: string | undefined, name: string) => {
    const v = fact(name);
    if (v === undefined) throw new TemplateError(`template names an unknown fact "${name}"`);
    if (v === null) return locale === 'fr' ? 'inconnu' : 'unknown';
    if (kind === 'money') return formatMoney(Number(v), currency, locale);
    if (kind === 'list' || Array.isArray(v)) return (v as readonly unknown[]).join(', ');
    if (typeof v === 'string' && isCivilDate(v)) return formatDate(v, locale);
    if (typeof v === 'boolean') return locale === 'fr' ? (v ? 'oui' : 'non') : v ? 'yes' : 'no';
    return String(v);
  });
}
