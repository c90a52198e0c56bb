// Compiles a rule's conditions (json-rules-engine JSON) into a condition over fact slots, and rewrites
// them for the oracle engine. Both read the same facts: a `{ "param": … }` value becomes the fact
// `param:<file>#<name>`, which holds the parameter's value in force for the case.
//
// The compiled form is a small tree (all / any / not / leaf on slots); plan/judge.ts turns the rules of
// one stage into a single function over the slots.
import type { Condition } from '../ruleset/schema.js';
import type { OPERATOR_FUNCTIONS } from './operators.js';
import type { SlotTable } from './slots.js';

export const qualify = (fileId: string, ref: string) => (ref.includes('#') ? ref : `${fileId}#${ref}`);
export const paramFact = (qualified: string) => `param:${qualified}`;

export type OperatorName = keyof typeof OPERATOR_FUNCTIONS;

/** A rule's conditions on slots: a leaf compares a fact's slot with a literal or with another slot. */
export type SlotCondition =
  | { kind: 'all' | 'any'; parts: SlotCondition[] }
  | { kind: 'not'; inner: SlotCondition }
  | { kind: 'leaf'; operator: OperatorName; left: number; right: { slot: number } | { literal: unknown } };

export interface CompiledCondition {
  condition: SlotCondition;
  /** The same conditions for json-rules-engine, parameters read as facts. */
  engine: unknown;
}

/** Facts and parameters a rule reads, collected while compiling. */
export interface Reads {
  facts: Set<string>;
  params: Set<string>;
}

export function compileCondition(c: Condition, fileId: string, slots: SlotTable, reads: Reads): CompiledCondition {
  if ('all' in c || 'any' in c) {
    const isAll = 'all' in c;
    const parts = (isAll ? c.all : c.any).map((x) => compileCondition(x, fileId, slots, reads));
    return {
      condition: { kind: isAll ? 'all' : 'any', parts: parts.map((p) => p.condition) },
      engine: { [isAll ? 'all' : 'any']: parts.map((p) => p.engine) },
    };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not, fileId, slots, reads);
    return { condition: { kind: 'not', inner: inner.condition }, engine: { not: inner.engine } };
  }
  reads.facts.add(c.fact);
  if (c.fact.startsWith('param:')) reads.params.add(c.fact.slice('param:'.length));
  const left = slots.add(c.fact);
  const v = c.value as { param?: string; fact?: string } | null;
  let right: string | null = null;
  if (v && typeof v === 'object' && !Array.isArray(v) && v.param) {
    const q = qualify(fileId, v.param);
    reads.params.add(q);
    right = paramFact(q);
  } else if (v && typeof v === 'object' && !Array.isArray(v) && v.fact) right = v.fact;
  if (right !== null) {
    reads.facts.add(right);
    return {
      condition: { kind: 'leaf', operator: c.operator, left, right: { slot: slots.add(right) } },
      engine: { fact: c.fact, operator: c.operator, value: { fact: right } },
    };
  }
  return {
    condition: { kind: 'leaf', operator: c.operator, left, right: { literal: c.value } },
    engine: { fact: c.fact, operator: c.operator, value: c.value },
  };
}
