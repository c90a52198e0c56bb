// Order facts read from a request: the lists of distinct item kinds, categories and conditions are
// sorted and hold each value once, over the whole order and over the items the incident names.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VerdictRequestSchema } from '../src/contract/request.js';
import { ORDER_FACTS, orderContext } from '../src/core/facts.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', 'requests', '01-withdrawal-change-of-mind.json'), 'utf8')) as {
  value: { order: { items: object[] }; incident: object };
};

t.test('distinct item kinds, categories and conditions, sorted, for the order and the incident', async (t) => {
  const base = example.value.order.items[0]!;
  const items = [
    { ...base, id: 'A', kind: 'digital_content', category: 'toys_games', condition: 'used' },
    { ...base, id: 'B', kind: 'goods', category: 'books', condition: 'new' },
    { ...base, id: 'C', kind: 'digital_content', category: 'toys_games', condition: 'refurbished' },
    { ...base, id: 'D', kind: 'goods', category: 'baby', condition: 'new' },
  ];
  const request = VerdictRequestSchema.parse({
    ...example.value,
    order: { ...example.value.order, items },
    incident: { ...example.value.incident, itemIds: ['C', 'A'] },
  });
  const context = orderContext(request, '2026-11-22', 'Europe/Paris');
  const fact = (name: string) => ORDER_FACTS.find(([n]) => n === name)![1](context);
  t.same(fact('order.items.kinds'), ['digital_content', 'goods']);
  t.same(fact('order.items.categories'), ['baby', 'books', 'toys_games']);
  t.same(fact('order.items.conditions'), ['new', 'refurbished', 'used']);
  t.same(fact('incident.items.kinds'), ['digital_content']);
  t.same(fact('incident.items.categories'), ['toys_games']);
  t.same(fact('incident.items.conditions'), ['refurbished', 'used']);
});
