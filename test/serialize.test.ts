// Responses: plain JSON.stringify in service; in tests each one is encoded through its zod schema and
// must come out unchanged. The check must be able to fail, or the tests built on it prove nothing.
import t from 'tap';
import { z } from 'zod';
import { checkedSerializerCompiler, plainSerializerCompiler, ResponseShapeError } from '../src/http/serialize.js';

const Shape = z.object({ id: z.string(), count: z.number().int() });
const route = { method: 'GET', url: '/x', httpStatus: '200' } as const;
const checked = checkedSerializerCompiler({ schema: Shape, ...route });

t.test('a response that fits its schema is sent as built', async (t) => {
  t.equal(checked({ id: 'a', count: 2 }), '{"id":"a","count":2}');
  t.equal(checkedSerializerCompiler({ schema: { properties: Shape } as never, ...route })({ id: 'a', count: 2 }), '{"id":"a","count":2}', 'fastify may wrap the schema');
});

t.test('the check fails on a wrong value and on a key the schema does not have', async (t) => {
  t.throws(() => checked({ id: 'a', count: 2.5 }), ResponseShapeError);
  t.throws(() => checked({ id: 'a' }), ResponseShapeError, 'a missing key');
  t.throws(() => checked({ id: 'a', count: 2, secret: 'x' }), /something else than was built/, 'an extra key zod would strip');
});

t.test('in service nothing is re-checked: the serializer is JSON.stringify', async (t) => {
  const plain = plainSerializerCompiler({ schema: Shape, ...route });
  t.equal(plain({ id: 'a', count: 2, extra: true }), '{"id":"a","count":2,"extra":true}');
});
