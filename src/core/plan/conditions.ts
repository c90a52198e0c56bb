// Compiles a rule's conditions (json-rules-engine JSON) into a predicate over fact slots, and rewrites
// them for the oracle engine. Both read the same facts: a `{ "param": … }` value becomes the fact
// `param:<file>#<name>`, which holds the parameter's value in force for the case.
//
// Predicates are closures (measured faster here than generating one function per rule with
// new Function: shared closure code gets hot and optimised sooner than 368 separate functions).
import type { Condition } from '../ruleset/schema.js';
import { OPERATOR_FUNCTIONS } from './operators.js';
import type { Slots, SlotTable } from './slots.js';

export type Predicate = (s: Slots) => boolean;

export const qualify = (fileId: string, ref: string) => (ref.includes('#') ? ref : `${fileId}#${ref}`);
export const paramFact = (qualified: string) => `param:${qualified}`;

export interface CompiledCondition {
  test: Predicate;
  /** The same conditions for json-rules-engine, parameters read as facts. */
  engine: unknown;
}

/** Facts and parameters a rule reads, collected while compiling. */
export interface Reads {
  facts: Set<string>;
  params: Set<string>;
}

const always: Predicate = () => true;

/**
 * json-rules-engine semantics: `all` of nothing and `any` of nothing are true; one condition is its own
 * result; `all` needs every result to be true, `any` one; `not` negates.
 */
export function compileCondition(c: Condition, fileId: string, slots: SlotTable, reads: Reads): CompiledCondition {
  if ('all' in c || 'any' in c) {
    const isAll = 'all' in c;
    const parts = (isAll ? (c as { all: Condition[] }).all : (c as { any: Condition[] }).any).map((x) => compileCondition(x, fileId, slots, reads));
    const engine = { [isAll ? 'all' : 'any']: parts.map((p) => p.engine) };
    if (parts.length === 0) return { test: always, engine };
    if (parts.length === 1) return { test: parts[0]!.test, engine };
    const tests = parts.map((p) => p.test);
    const test: Predicate = isAll
      ? (s) => {
          for (let i = 0; i < tests.length; i++) if (tests[i]!(s) !== true) return false;
          return true;
        }
      : (s) => {
          for (let i = 0; i < tests.length; i++) if (tests[i]!(s) === true) return true;
          return false;
        };
    return { test, engine };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not, fileId, slots, reads);
    return { test: (s) => !inner.test(s), engine: { not: inner.engine } };
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
    const r = slots.add(right);
    const op = OPERATOR_FUNCTIONS[c.operator];
    return { test: (s) => op(s[left], s[r]), engine: { fact: c.fact, operator: c.operator, value: { fact: right } } };
  }
  return { test: literalTest(c.operator, left, c.value), engine: { fact: c.fact, operator: c.operator, value: c.value } };
}

/**
 * A leaf comparing a fact with a literal. The commonest operators get closures of their own (each call
 * site then sees one shape); the others go through the shared operator table. Either way the
 * comparison is the one of plan/operators.ts.
 */
function literalTest(operator: keyof typeof OPERATOR_FUNCTIONS, left: number, literal: unknown): Predicate {
  switch (operator) {
    case 'equal':
      return (s) => s[left] === literal;
    case 'notEqual':
      return (s) => s[left] !== literal;
    case 'isSet':
      return (s) => (s[left] !== null && s[left] !== undefined) === literal;
    case 'in':
      if (Array.isArray(literal)) return (s) => literal.indexOf(s[left]) > -1;
      break;
    case 'notIn':
      if (Array.isArray(literal)) return (s) => literal.indexOf(s[left]) === -1;
      break;
    case 'contains':
      return (s) => {
        const a = s[left];
        return Array.isArray(a) && a.indexOf(literal) > -1;
      };
    case 'doesNotContain':
      return (s) => {
        const a = s[left];
        return Array.isArray(a) && a.indexOf(literal) === -1;
      };
  }
  const op = OPERATOR_FUNCTIONS[operator];
  return (s) => op(s[left], literal);
}
