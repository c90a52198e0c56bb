// Compiles the bilingual sentences of rule events once: each template is split at its placeholders,
// and each placeholder points at a fact slot. Rendering is then a concatenation; it prints values
// exactly as text.ts's render() does (the oracle's), which the differential test checks.
import type { Locale, LocalizedText } from '../../contract/primitives.js';
import { TEMPLATE_PLACEHOLDER, printValue } from '../text.js';
import type { Slots, SlotTable } from './slots.js';

type Part = string | { kind: 'money' | 'list' | null; name: string; slot: number };

export interface CompiledText {
  text: LocalizedText;
  parts: Record<Locale, Part[]>;
}

function split(template: string, slots: SlotTable): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const m of template.matchAll(new RegExp(TEMPLATE_PLACEHOLDER.source, 'g'))) {
    if (m.index > at) parts.push(template.slice(at, m.index));
    parts.push({ kind: (m[1] as 'money' | 'list' | undefined) ?? null, name: m[2]!, slot: slots.add(m[2]!) });
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return parts;
}

export function compileText(text: LocalizedText, slots: SlotTable): CompiledText {
  return { text, parts: { fr: split(text.fr, slots), en: split(text.en, slots) } };
}

export function renderCompiled(t: CompiledText, locale: Locale, s: Slots, currency: string): string {
  let out = '';
  // Chosen by comparison: `t.parts[locale]` is a keyed lookup by name.
  for (const p of locale === 'fr' ? t.parts.fr : t.parts.en) out += typeof p === 'string' ? p : printValue(s[p.slot], p.kind, p.name, locale, currency);
  return out;
}
