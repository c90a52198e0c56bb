// Responses: the bytes of JSON.stringify's text in service (encodeJson); in tests each one is encoded through its zod schema and
// must come out unchanged. The check must be able to fail, or the tests built on it prove nothing.
import t from 'tap';
import { z } from 'zod';
import { checkedSerializerCompiler, encodeShared, plainSerializerCompiler, ResponseShapeError } from '../src/http/serialize.js';

/** What a serializer gave, as the text a client reads: fastify sends a Buffer as it is. */
const textOf = (out: string | Buffer) => (Buffer.isBuffer(out) ? out.toString('utf8') : out);
const encodedText = (data: object) => textOf(encodeShared(data));

const Shape = z.object({ id: z.string(), count: z.number().int() });
const route = { method: 'GET', url: '/x', httpStatus: '200' } as const;
const checked = checkedSerializerCompiler({ schema: Shape, ...route });

t.test('a response that fits its schema is sent as built', async (t) => {
  t.equal(textOf(checked({ id: 'a', count: 2 })), '{"id":"a","count":2}');
  t.equal(textOf(checkedSerializerCompiler({ schema: { properties: Shape } as never, ...route })({ id: 'a', count: 2 })), '{"id":"a","count":2}', 'fastify may wrap the schema');
});

t.test('the check fails on a wrong value and on a key the schema does not have', async (t) => {
  t.throws(() => checked({ id: 'a', count: 2.5 }), ResponseShapeError);
  t.throws(() => checked({ id: 'a' }), ResponseShapeError, 'a missing key');
  t.throws(() => checked({ id: 'a', count: 2, secret: 'x' }), /something else than was built/, 'an extra key zod would strip');
});

t.test('in service nothing is re-checked: the serializer writes what JSON.stringify writes', async (t) => {
  const plain = plainSerializerCompiler({ schema: Shape, ...route });
  t.equal(textOf(plain({ id: 'a', count: 2, extra: true })), '{"id":"a","count":2,"extra":true}');
  const odd = { b: undefined, f: () => 1, 'k"\\': [undefined, () => 1, -0, NaN], d: new Date(0), n: null, e: {} };
  t.equal(textOf(plain(odd)), JSON.stringify(odd), 'undefined members, functions, escaped keys, non-finite numbers, toJSON');
  for (const v of [null, 3, 'x', [1, { a: 2 }], new Date(0)]) t.equal(textOf(plain(v)), JSON.stringify(v), `${JSON.stringify(v)} as JSON.stringify writes it`);
  const euros = { first: undefined, amount: '12,50 €', basis: Object.freeze({ t: Object.freeze(['Art. L221-24 — délai']) }), last: '💶' };
  t.ok(Buffer.from(JSON.stringify(euros)).equals(plain(euros) as unknown as Buffer), 'characters beyond Latin-1, in a shared part and around it, as UTF-8 bytes');
  const mixed = { a: 'délai', wide: ['12,50 €', 'x'], b: { c: 'è' }, d: 'L221-24 – 14 jours', e: 1, shared: Object.freeze(['—']), f: 'fin', g: '€' };
  t.ok(Buffer.from(JSON.stringify(mixed)).equals(plain(mixed) as unknown as Buffer), 'Latin-1 members between, before and after members beyond it, each encoded in its own piece');
});

t.test('shared frozen parts are written once, and only when frozen all the way down', async (t) => {
  const shared = Object.freeze({ 'L221-18': Object.freeze({ citation: 'Art. L221-18' }) });
  t.equal(encodedText({ id: 1, legalBasis: shared }), '{"id":1,"legalBasis":{"L221-18":{"citation":"Art. L221-18"}}}');
  t.equal(encodedText({ id: 2, legalBasis: shared }), '{"id":2,"legalBasis":{"L221-18":{"citation":"Art. L221-18"}}}', 'the cached text of the same object');
  const inner = { citation: 'before' };
  const shallow = Object.freeze({ x: inner });
  t.equal(encodedText({ p: shallow }), '{"p":{"x":{"citation":"before"}}}');
  inner.citation = 'after';
  t.equal(encodedText({ p: shallow }), '{"p":{"x":{"citation":"after"}}}', 'a shallowly frozen object is written again, never from a stale cache');
  let n = 0;
  const computed = Object.freeze({ get n() { return ++n; } });
  t.equal(encodedText({ c: computed }), '{"c":{"n":1}}');
  t.equal(encodedText({ c: computed }), '{"c":{"n":2}}', 'a getter is read again: only data properties are cached');
  const day = Object.freeze(new Date(0));
  t.equal(encodedText({ d: day }), '{"d":"1970-01-01T00:00:00.000Z"}');
  day.setTime(86_400_000);
  t.equal(encodedText({ d: day }), '{"d":"1970-01-02T00:00:00.000Z"}', 'a frozen Date can still change: never cached');
  let calls = 0;
  const ownToJson = Object.freeze({ toJSON: () => (++calls === 1 ? undefined : { n: calls }) });
  t.equal(encodedText({ a: 1, o: ownToJson }), '{"a":1}', 'an own toJSON that gives undefined: the member is left out');
  t.equal(encodedText({ a: 1, o: ownToJson }), '{"a":1,"o":{"n":2}}', 'and is called again: never cached');
  const sent = encodeShared({ legalBasis: shared });
  sent.fill(0x20);
  t.equal(encodedText({ legalBasis: shared }), '{"legalBasis":{"L221-18":{"citation":"Art. L221-18"}}}', 'what was sent is a copy: changing it never reaches the cached bytes');
  t.equal(textOf(encodeShared({ a: 1 }, '{"index":0,"verdict":', '}')), '{"index":0,"verdict":{"a":1}}', 'written inside a batch element');
});
