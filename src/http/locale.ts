// Picks the verdict's language: the body's `locale`, else the best of Accept-Language, else French.
import type { Locale } from '../contract/primitives.js';

export function localeFrom(acceptLanguage: string | undefined, fallback: Locale = 'fr'): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: (tag ?? '').split('-')[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((x) => x.lang === 'fr' || x.lang === 'en')
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked[0]?.lang as Locale | undefined) ?? fallback;
}
