// The compiled canonical serializer behind verdictId writes, for a request and the locale given beside
// it, the UTF-8 bytes of the very text canonical() writes for the request with that locale set: the ids
// must not depend on which of the two computed them. canonical() is the reference (the oracle's own path).
import t, { type Test } from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { VerdictRequestSchema } from '../src/contract/request.js';
import { canonical, compileCanonical, verdictIdOf } from '../src/core/run/verdict-id.js';

const reference = (request: object, digest: string, asOf: string, given?: object) =>
  canonical({ asOf, request: given ? { ...request, ...given } : request, ruleset: digest });

/** The compiled writer's bytes are the UTF-8 encoding of canonical()'s text, byte for byte. */
function sameBytes(t: Test, bytes: Uint8Array, expected: string, name: string): void {
  if (Buffer.from(expected, 'utf8').equals(bytes)) t.pass(name);
  else t.fail(name, { found: Buffer.from(bytes).toString('utf8'), wanted: expected });
}

t.test('every example request, with and without a locale of its own, in each locale given', async (t) => {
  const compiled = compileCanonical(VerdictRequestSchema);
  const dir = join(import.meta.dirname, '..', 'examples', 'requests');
  let compared = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const parsed = VerdictRequestSchema.parse((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { value: unknown }).value);
    const { locale: _own, ...withoutLocale } = parsed;
    for (const request of [parsed, withoutLocale, { ...parsed, locale: 'en' as const }])
      for (const locale of ['fr', 'en'] as const) {
        sameBytes(t, compiled(request, 'sha256:d', '2026-11-22', { locale }), reference(request, 'sha256:d', '2026-11-22', { locale }), `${file}, ${locale}`);
        compared++;
      }
    sameBytes(t, compiled(parsed, 'sha256:d', '2026-11-22'), reference(parsed, 'sha256:d', '2026-11-22'), `${file}, nothing given`);
  }
  t.ok(compared >= 30, `${compared} comparisons`);
});

t.test('where it cannot compile, the given value is still written: a key the schema does not name', async (t) => {
  const compiled = compileCanonical(z.strictObject({ b: z.string(), a: z.number().optional() }));
  sameBytes(t, compiled({ b: 'x' }, 'd', '2026-01-01', { a: 2 }), reference({ b: 'x' }, 'd', '2026-01-01', { a: 2 }), 'a given key the request lacks');
  sameBytes(t, compiled({ b: 'x', a: 1 }, 'd', '2026-01-01', { a: 2 }), reference({ b: 'x', a: 1 }, 'd', '2026-01-01', { a: 2 }), 'a given key replaces the request\'s');
  sameBytes(t, compiled({ b: 'x', c: true }, 'd', '2026-01-01', { a: 2 }), reference({ b: 'x', c: true }, 'd', '2026-01-01', { a: 2 }), 'a key of the request outside the schema');
  sameBytes(t, compiled({ b: 'x' }, 'd', '2026-01-01', { z: 'q' }), reference({ b: 'x' }, 'd', '2026-01-01', { z: 'q' }), 'a given key outside the schema');
  t.not(Buffer.from(compiled({ b: 'x' }, 'd', '2026-01-01', { a: 2 })).toString(), Buffer.from(compiled({ b: 'x' }, 'd', '2026-01-01')).toString(), 'the given value changes the text');
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
  for (const [name, request, given] of cases) sameBytes(t, compiled(request, 'd', '2026-01-01', given), reference(request, 'd', '2026-01-01', given), name);
});

t.test('strings JSON escapes, numbers and booleans are written as canonical() writes them', async (t) => {
  const compiled = compileCanonical(z.strictObject({ s: z.string(), n: z.number(), b: z.boolean(), a: z.array(z.string()), e: z.array(z.number()) }));
  const strings = ['x'.repeat(5000) + 'é€😀', 'plain id 402-1', 'a "quoted" word', 'back\\slash', 'line\nbreak', 'tab\there', '\u0000\u001f', 'café 12 €', 'pair 😀', 'lone \ud83d here', 'lone \ude00', ''];
  for (const s of strings)
    for (const [n, b] of [[0, true], [-0, false], [12.5, true], [1e21, false], [-3, true]] as const) {
      const request = { s, n, b, a: [s, 'x'], e: [] };
      sameBytes(t, compiled(request, 'd', '2026-01-01'), reference(request, 'd', '2026-01-01'), `${JSON.stringify(s)}, ${n}, ${b}`);
    }
  sameBytes(t, compiled({ s: 'x"y', n: 1, b: true, a: [], e: [1] }, 'd"', '2026-01-01'), reference({ s: 'x"y', n: 1, b: true, a: [], e: [1] }, 'd"', '2026-01-01'), 'a digest with a quote');
});

t.test('a request longer than the writer\'s first buffer, and the id of its bytes', async (t) => {
  const compiled = compileCanonical(z.strictObject({ s: z.string(), a: z.array(z.string()) }));
  const request = { s: 'é'.repeat(3000), a: Array.from({ length: 400 }, (_, i) => `item ${i} €`) };
  const expected = reference(request, 'd', '2026-01-01');
  t.ok(Buffer.byteLength(expected) > 4096 * 2, `${Buffer.byteLength(expected)} bytes`);
  sameBytes(t, compiled(request, 'd', '2026-01-01'), expected, 'written whole once the buffer has grown');
  t.equal(verdictIdOf(compiled(request, 'd', '2026-01-01')), verdictIdOf(expected), 'the same id from the bytes as from the text');
  sameBytes(t, compiled({ s: 'short', a: [] }, 'd', '2026-01-01'), reference({ s: 'short', a: [] }, 'd', '2026-01-01'), 'a short one after it: nothing of the long one left');
});
