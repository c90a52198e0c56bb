// The compiled judge of one stage: the conditions of its rules written out as one JavaScript function
// over the fact slots, which answers for every rule at once. One function per list of rules (a stage's
// order-scoped or item-scoped rules for one selection), built once and reused: no closure per
// condition, no call per rule, literals inlined where JSON writes them as JavaScript literals.
//
// Semantics are json-rules-engine's (plan/operators.ts): `all`/`any` of nothing is true, `all` needs
// every part true, `any` one, `not` negates; leaves use the comparisons of OPERATOR_FUNCTIONS, inlined
// only for strict (in)equality and `isSet`. The differential test checks every rule against
// json-rules-engine itself.
import type { CompiledRule } from './compile.js';
import type { SlotCondition } from './conditions.js';
import { OPERATOR_FUNCTIONS } from './operators.js';
import type { Slots } from './slots.js';

/** Writes whether each rule holds into `holds` (a scratch array the run reuses) and returns it. */
export type StageJudge = (s: Slots, holds: boolean[]) => boolean[];

/** A literal JSON writes as a JavaScript literal of the same value, or null (then read from `k`). */
function inlineLiteral(v: unknown): string | null {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) return JSON.stringify(v);
  return null;
}

class Writer {
  readonly constants: unknown[] = [];

  constant(v: unknown): string {
    this.constants.push(v);
    return `k[${this.constants.length - 1}]`;
  }

  literal(v: unknown): string {
    return inlineLiteral(v) ?? this.constant(v);
  }

  condition(c: SlotCondition): string {
    switch (c.kind) {
      case 'all':
      case 'any':
        if (c.parts.length === 0) return 'true';
        // Every part is a boolean: `&&` and `||` give json-rules-engine's all/any.
        return `(${c.parts.map((p) => this.condition(p)).join(c.kind === 'all' ? ' && ' : ' || ')})`;
      case 'not':
        return `!${this.condition(c.inner)}`;
      case 'leaf': {
        const left = `s[${c.left}]`;
        const right = 'slot' in c.right ? `s[${c.right.slot}]` : this.literal(c.right.literal);
        switch (c.operator) {
          case 'equal':
            return `(${left} === ${right})`;
          case 'notEqual':
            return `(${left} !== ${right})`;
          case 'isSet':
            return `((${left} !== null && ${left} !== undefined) === ${right})`;
          default:
            return `o.${c.operator}(${left}, ${right})`;
        }
      }
    }
  }
}

/** One function answering, for each rule of the list in order, whether its conditions hold on the slots (h[i]). */
export function compileStageJudge(rules: readonly CompiledRule[]): StageJudge {
  const w = new Writer();
  const body = rules.map((r, i) => `  h[${i}] = ${w.condition(r.condition)};\n`).join('');
  const source = `'use strict';\nreturn function judge(s, h) {\n${body}  return h;\n};`;
  // The source holds only slot numbers, operator names of the schema's list and JSON literals.
  return new Function('k', 'o', source)(w.constants, OPERATOR_FUNCTIONS) as StageJudge;
}
