// json-rules-engine is the oracle of the compiled plan. On every corpus — every case of
// rules/**/*.cases.json, the benchmark's mix, and a seeded random mix — each rule is judged by both
// (they must agree rule by rule, stage by stage, item by item), and each verdict is computed both ways
// (the same bytes, or the same refusal). A test proves the comparison can fail: a compiled predicate
// with one operator flipped, and one expression computing a wrong date, are both caught.
import t from 'tap';
import { join } from 'node:path';
import { loadRuleset, type Ruleset } from '../src/core/index.js';
import { compileCondition, type Reads } from '../src/core/plan/conditions.js';
import type { CompiledRule } from '../src/core/plan/compile.js';
import { Selector } from '../src/core/plan/select.js';
import type { Condition } from '../src/core/ruleset/schema.js';
import { benchBodies, caseBodies, check } from './helpers/differential.js';

const ruleset = loadRuleset(join(import.meta.dirname, '..', 'rules'));

t.test('every rule case: the compiled plan and json-rules-engine agree on every rule and every verdict', async (t) => {
  const tally = await check(ruleset, caseBodies(ruleset));
  t.ok(tally.requests > 500, `${tally.requests} cases`);
  t.ok(tally.checks > 50_000, `${tally.checks} rule checks, ${tally.fired.size} distinct rules fired`);
  t.same(tally.problems.slice(0, 10), [], 'no disagreement');
});

t.test("the benchmark's mix: the same agreement", async (t) => {
  const tally = await check(ruleset, benchBodies(300));
  t.ok(tally.verdicts > 200, `${tally.verdicts} verdicts, ${tally.checks} rule checks`);
  t.same(tally.problems.slice(0, 10), [], 'no disagreement');
});

/** A copy of the ruleset whose compiled plan differs from the rule files in one rule. */
function withCompiledRule(rs: Ruleset, key: string, change: (rule: CompiledRule) => CompiledRule): Ruleset {
  const rules = rs.plan.rules.map((r) => (r.key === key ? change(r) : r));
  return { ...rs, plan: { ...rs.plan, rules, selector: new Selector(rs.files, rules, rs.plan.slots) } };
}

function flipFirstEqual(c: Condition): Condition | null {
  if ('all' in c || 'any' in c) {
    const list = 'all' in c ? c.all : (c as { any: Condition[] }).any;
    for (let i = 0; i < list.length; i++) {
      const flipped = flipFirstEqual(list[i]!);
      if (flipped) {
        const copy = [...list];
        copy[i] = flipped;
        return 'all' in c ? { all: copy } : { any: copy };
      }
    }
    return null;
  }
  if ('not' in c) {
    const flipped = flipFirstEqual(c.not);
    return flipped ? { not: flipped } : null;
  }
  return c.operator === 'equal' ? { ...c, operator: 'notEqual' } : null;
}

t.test('the comparison can fail: one flipped operator in one compiled rule is caught', async (t) => {
  const key = 'fr/withdrawal/L221-18#start-on-receipt-of-last-goods';
  const rule = ruleset.plan.rules.find((r) => r.key === key);
  t.ok(rule, `${key} exists`);
  const flipped = flipFirstEqual(rule!.spec.conditions);
  t.ok(flipped, 'it has an equal condition to flip');
  const reads: Reads = { facts: new Set(), params: new Set() };
  const mutant = withCompiledRule(ruleset, key, (r) => ({ ...r, condition: compileCondition(flipped!, r.file.id, ruleset.plan.slots, reads).condition }));
  const tally = await check(mutant, caseBodies(ruleset).slice(0, 200));
  t.ok(tally.problems.some((p) => p.startsWith(key)), `the flipped rule is named (${tally.problems.length} problems)`);
  t.ok(tally.problems.some((p) => p.startsWith('verdicts differ')), 'and verdicts differ');
});

t.test('the comparison can fail: one compiled expression a day off is caught', async (t) => {
  const key = 'fr/withdrawal/L221-18#notice-within-the-initial-period';
  const mutant = withCompiledRule(ruleset, key, (r) => {
    if (r.event.type !== 'deadline') throw new Error('expected a deadline');
    const end = r.event.end;
    const wrong = { ...end, fn: (s: Parameters<typeof end.fn>[0], env: Parameters<typeof end.fn>[1]) => {
      const d = end.fn(s, env) as string | null;
      return d === null ? null : `${d.slice(0, 8)}${String(Math.min(28, Number(d.slice(8)) + 1)).padStart(2, '0')}`;
    } };
    return { ...r, event: { ...r.event, end: wrong } };
  });
  const tally = await check(mutant, caseBodies(ruleset).slice(0, 150));
  t.ok(tally.problems.some((p) => p.startsWith('verdicts differ')), `a wrong withdrawal date is caught (${tally.problems.length} problems)`);
  t.notOk(tally.problems.some((p) => !p.startsWith('verdicts differ')), 'the rules themselves still agree');
});
