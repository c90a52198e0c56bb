// The compiled judge writes rule conditions out as JavaScript source. Literals are inlined where JSON
// writes them as JavaScript (strings, finite numbers, booleans, null), other values are passed in:
// whatever a rule file holds, the generated function must judge as json-rules-engine does. The
// shipped rules are checked by the differential test; this one feeds literals JSON writes oddly
// (quotes, backslashes, line separators, -0, 1e21, nested lists) and every operator to both.
import t from 'tap';
import { Engine } from 'json-rules-engine';
import type { CompiledRule } from '../src/core/plan/compile.js';
import { compileCondition, type Reads } from '../src/core/plan/conditions.js';
import { compileStageJudge } from '../src/core/plan/judge.js';
import { CUSTOM_OPERATORS } from '../src/core/plan/operators.js';
import { SlotTable, type Slots } from '../src/core/plan/slots.js';
import { OPERATORS, type Condition } from '../src/core/ruleset/schema.js';

const ODD = ['', 'a"b', 'back\\slash', 'line\u2028sep\u2029', '</script>', "it's", '€ é 𝄞', '${x}', '2026-03-01', '2026-02-29'];
const SCALARS: unknown[] = [...ODD, 0, -0, 1, 0.1, 1e21, -5, true, false, null];
const LISTS: unknown[] = [[], ['a"b', 'line\u2028sep\u2029', 1e21], [null, 0, ''], ['2026-03-01']];
// Facts computed by expressions may also be numbers no rule file can write: NaN and the infinities.
const FACT_VALUES: unknown[] = [...SCALARS, ...LISTS, undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/**
 * Every operator against every literal it accepts (in/notIn take lists, as the loader requires), each
 * as a rule's conditions: under `all`, since json-rules-engine wants all/any/not at the root.
 */
function leaves(fact: string): Condition[] {
  const out: Condition[] = [];
  for (const operator of OPERATORS)
    for (const value of operator === 'in' || operator === 'notIn' ? LISTS : [...SCALARS, ...LISTS])
      out.push({ all: [{ fact, operator, value } as Condition] });
  return out;
}

function compile(conditions: Condition[]) {
  const slots = new SlotTable();
  const reads: Reads = { facts: new Set(), params: new Set() };
  const compiled = conditions.map((c) => compileCondition(c, 'test/judge', slots, reads));
  const judge = compileStageJudge(compiled.map((c) => ({ condition: c.condition }) as CompiledRule));
  return { slots, judge, engine: compiled.map((c) => c.engine) };
}

async function oracle(engineConditions: unknown[], facts: Record<string, unknown>): Promise<boolean[]> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, fn] of Object.entries(CUSTOM_OPERATORS)) engine.addOperator(name, fn);
  engineConditions.forEach((conditions, i) => engine.addRule({ name: String(i), conditions: conditions as never, event: { type: 'fired' } }));
  const { results } = await engine.run(facts);
  const holds = engineConditions.map(() => false);
  for (const r of results) holds[Number(r.name)] = true;
  return holds;
}

t.test('every operator and odd literal: the generated judge answers as json-rules-engine', async (t) => {
  const conditions = leaves('x');
  const { slots, judge, engine } = compile(conditions);
  let disagreements = 0;
  // Facts are copies, never the rule's own list objects, as facts read from a request are.
  for (const value of FACT_VALUES.map((v) => structuredClone(v))) {
    const s: Slots = new Array(slots.size).fill(undefined);
    s[slots.find('x')!] = value as Slots[number];
    const compiled = [...judge(s, [])];
    const expected = await oracle(engine, value === undefined ? {} : { x: value });
    conditions.forEach((c, i) => {
      if (compiled[i] !== expected[i]) {
        disagreements++;
        t.fail(`${JSON.stringify(c)} on x = ${JSON.stringify(value)}: compiled ${compiled[i]}, json-rules-engine ${expected[i]}`);
      }
    });
  }
  t.equal(disagreements, 0, `${conditions.length} conditions × ${FACT_VALUES.length} fact values`);
});

t.test('all / any / not, empty lists and a fact compared with a fact, as json-rules-engine', async (t) => {
  const a = { fact: 'a', operator: 'equal', value: 'line\u2028sep\u2029' } as Condition;
  const b = { fact: 'b', operator: 'greaterThan', value: -0 } as Condition;
  const ab = { fact: 'a', operator: 'notEqual', value: { fact: 'b' } } as Condition;
  const conditions: Condition[] = [
    { all: [] },
    { any: [] },
    { all: [a, b] },
    { any: [a, b] },
    { not: { all: [a, { not: b }] } },
    { any: [{ all: [a] }, { not: { any: [] } }, ab] },
    { all: [ab] },
  ];
  const { slots, judge, engine } = compile(conditions);
  const pairs: [unknown, unknown][] = [];
  for (const x of ['line\u2028sep\u2029', 'other', null]) for (const y of [1, 0, -1, 'line\u2028sep\u2029', null]) pairs.push([x, y]);
  for (const [x, y] of pairs) {
    const s: Slots = new Array(slots.size).fill(undefined);
    s[slots.find('a')!] = x as Slots[number];
    s[slots.find('b')!] = y as Slots[number];
    t.same([...judge(s, [])], await oracle(engine, { a: x, b: y }), `a = ${JSON.stringify(x)}, b = ${JSON.stringify(y)}`);
  }
});

t.test('the check can fail: a judge generated from a flipped operator disagrees', async (t) => {
  const { slots, judge } = compile([{ all: [{ fact: 'x', operator: 'notEqual', value: 'a"b' } as Condition] }]);
  const s: Slots = new Array(slots.size).fill(undefined);
  s[slots.find('x')!] = 'a"b';
  const expected = await oracle([{ all: [{ fact: 'x', operator: 'equal', value: 'a"b' }] }], { x: 'a"b' });
  t.not(judge(s, [])[0], expected[0]);
});
