// The compiled canonical serializer behind verdictId writes, for a request and the locale given beside
// it, the very text canonical() writes for the request with that locale set: the ids must not depend
// on which of the two computed them. canonical() is the reference (the oracle's own path).
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { VerdictRequestSchema } from '../src/contract/request.js';
import { canonical, compileCanonical } from '../src/core/run/verdict-id.js';

const reference = (request: object, digest: string, asOf: string, given?: object) =>
  canonical({ asOf, request: given ? { ...request, ...given } : request, ruleset: digest });

t.test('every example request, with and without a locale of its own, in each locale given', async (t) => {
  const compiled = compileCanonical(VerdictRequestSchema);
  const dir = join(import.meta.dirname, '..', 'examples', 'requests');
  let compared = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const parsed = VerdictRequestSchema.parse((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { value: unknown }).value);
    const { locale: _own, ...withoutLocale } = parsed;
    for (const request of [parsed, withoutLocale, { ...parsed, locale: 'en' as const }])
      for (const locale of ['fr', 'en'] as const) {
        t.equal(compiled(request, 'sha256:d', '2026-11-22', { locale }), reference(request, 'sha256:d', '2026-11-22', { locale }), `${file}, ${locale}`);
        compared++;
      }
    t.equal(compiled(parsed, 'sha256:d', '2026-11-22'), reference(parsed, 'sha256:d', '2026-11-22'), `${file}, nothing given`);
  }
  t.ok(compared >= 30, `${compared} comparisons`);
});

t.test('where it cannot compile, the given value is still written: a key the schema does not name', async (t) => {
  const compiled = compileCanonical(z.strictObject({ b: z.string(), a: z.number().optional() }));
  t.equal(compiled({ b: 'x' }, 'd', '2026-01-01', { a: 2 }), reference({ b: 'x' }, 'd', '2026-01-01', { a: 2 }), 'a given key the request lacks');
  t.equal(compiled({ b: 'x', a: 1 }, 'd', '2026-01-01', { a: 2 }), reference({ b: 'x', a: 1 }, 'd', '2026-01-01', { a: 2 }), 'a given key replaces the request\'s');
  t.equal(compiled({ b: 'x', c: true }, 'd', '2026-01-01', { a: 2 }), reference({ b: 'x', c: true }, 'd', '2026-01-01', { a: 2 }), 'a key of the request outside the schema');
  t.equal(compiled({ b: 'x' }, 'd', '2026-01-01', { z: 'q' }), reference({ b: 'x' }, 'd', '2026-01-01', { z: 'q' }), 'a given key outside the schema');
  t.not(compiled({ b: 'x' }, 'd', '2026-01-01', { a: 2 }), compiled({ b: 'x' }, 'd', '2026-01-01'), 'the given value changes the text');
});

t.test('values a sorted copy cannot hold are written by canonical() itself', async (t) => {
  // JSON.stringify writes index-like keys first whatever order they were added in, an undefined array
  // element as null; canonical() sorts every key as a string and writes nothing for the element.
  const compiled = compileCanonical(z.strictObject({ m: z.record(z.string(), z.number()), a: z.array(z.number().optional()) }));
  const cases: [string, object, Record<string, unknown> | undefined][] = [
    ['index-like keys of a record', { m: { 10: 1, 9: 2, b: 3 }, a: [] }, undefined],
    ['index-like keys of a record, a value given', { m: { 10: 1, 9: 2 }, a: [1] }, { a: [2] }],
    ['an undefined element', { m: {}, a: [1, undefined, 2] }, undefined],
    ['keys of a record in another order', { m: { b: 1, a: 2 }, a: [3] }, undefined],
  ];
  for (const [name, request, given] of cases) t.equal(compiled(request, 'd', '2026-01-01', given), reference(request, 'd', '2026-01-01', given), name);
});

t.test('strings JSON escapes, numbers and booleans are written as canonical() writes them', async (t) => {
  const compiled = compileCanonical(z.strictObject({ s: z.string(), n: z.number(), b: z.boolean(), a: z.array(z.string()), e: z.array(z.number()) }));
  const strings = ['plain id 402-1', 'a "quoted" word', 'back\\slash', 'line\nbreak', 'tab\there', '\u0000\u001f', 'café 12 €', 'pair 😀', 'lone \ud83d here', 'lone \ude00', ''];
  for (const s of strings)
    for (const [n, b] of [[0, true], [-0, false], [12.5, true], [1e21, false], [-3, true]] as const) {
      const request = { s, n, b, a: [s, 'x'], e: [] };
      t.equal(compiled(request, 'd', '2026-01-01'), reference(request, 'd', '2026-01-01'), `${JSON.stringify(s)}, ${n}, ${b}`);
    }
  t.equal(compiled({ s: 'x"y', n: 1, b: true, a: [], e: [1] }, 'd"', '2026-01-01'), reference({ s: 'x"y', n: 1, b: true, a: [], e: [1] }, 'd"', '2026-01-01'), 'a digest with a quote');
});
