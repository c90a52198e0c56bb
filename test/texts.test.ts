// Every sentence a support agent may read aloud, in both languages, for every explorer example: no
// placeholder left unfilled, no fact printed as "unknown", and French and English both present.
import t from 'tap';
import { build, examples } from './helpers/app.js';

function sentences(v: Record<string, any>): string[] {
  return [
    v.decision.summary,
    ...v.remedies.map((r: { reason: string }) => r.reason),
    ...v.exclusions.map((e: { reason: string }) => e.reason),
    ...v.deadlines.map((d: { explanation: string }) => d.explanation),
    ...(v.returnShipping ? [v.returnShipping.reason] : []),
    ...(v.refund ? [v.refund.explanation] : []),
    ...v.appealPath.map((s: { explanation: string }) => s.explanation),
    ...v.policyFindings.map((f: { issue: string }) => f.issue),
  ];
}

t.test('every explained sentence is complete in French and in English', async (t) => {
  const app = await build(t);
  for (const ex of examples())
    for (const locale of ['fr', 'en'] as const) {
      const res = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: { ...ex.value, locale } });
      t.equal(res.statusCode, 200, `${ex.name} (${locale})`);
      const texts = sentences(res.json());
      t.ok(texts.length >= 3, `${ex.name} (${locale}) explains itself`);
      for (const s of texts) {
        t.notMatch(s, /[{}]/, `${ex.name} (${locale}): no placeholder left: ${s}`);
        t.notMatch(s, locale === 'fr' ? /\binconnu\b/ : /\bunknown\b/, `${ex.name} (${locale}): no unknown value printed: ${s}`);
        t.ok(s.trim().length > 10, `${ex.name} (${locale}): a real sentence`);
      }
      if (locale === 'fr') t.notMatch(res.json().decision.summary, /\b(the|consumer|trader)\b/, `${ex.name}: the French summary is in French`);
    }
});
