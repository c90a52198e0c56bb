// Compiles the expressions of rule events (dates and amounts) into closures over fact slots. The
// semantics are those of the interpreter in expr.ts (the oracle's), helper for helper: a null operand
// propagates as "unknown", except in max/min/coalesce, which skip it.
import { addDays, addMonths, addYears, dayNumberOf, daysBetween, type Calendar } from '../calendar.js';
import { OutsideCoverageError } from '../errors.js';
import { asDate, asNumber, type Scalar } from '../expr.js';
import type { Expr } from '../ruleset/schema.js';
import { paramFact, qualify, type Reads } from './conditions.js';
import type { Slots, SlotTable } from './slots.js';

export interface ExprEnv {
  calendar: Calendar;
  region: string | null;
}

export type CompiledFn = (s: Slots, env: ExprEnv) => unknown;

/** An expression with its compiled form; the oracle interprets `expr` itself. */
export interface CompiledExpr {
  expr: Expr;
  fileId: string;
  fn: CompiledFn;
}

export function missingParameter(q: string): OutsideCoverageError {
  return new OutsideCoverageError(`Parameter ${q} has no value encoded for the date this case turns on; no default answer is given.`, { parameter: q });
}

/** The known (non-null) values of the arguments, lists flattened: what max and min compare. */
function known(args: CompiledFn[], s: Slots, env: ExprEnv): Scalar[] {
  const out: Scalar[] = [];
  for (const a of args) {
    const v = a(s, env);
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null) out.push(x as Scalar);
    } else if (v !== null) out.push(v as Scalar);
  }
  return out;
}

/** A parameter read in an event: its value for the case, or a 422 when none is encoded for the date. */
export function paramReader(fileId: string, ref: string, slots: SlotTable, reads: Reads): (s: Slots) => unknown {
  const q = qualify(fileId, ref);
  reads.params.add(q);
  const slot = slots.add(paramFact(q));
  return (s) => {
    const v = s[slot];
    if (v === undefined) throw missingParameter(q);
    return v;
  };
}

export function compileExpr(e: Expr, fileId: string, slots: SlotTable, reads: Reads): CompiledExpr {
  return { expr: e, fileId, fn: compile(e, fileId, slots, reads) };
}

function compile(e: Expr, fileId: string, slots: SlotTable, reads: Reads): CompiledFn {
  const sub = (x: Expr) => compile(x, fileId, slots, reads);
  if ('fact' in e) {
    const slot = slots.add(e.fact);
    return (s) => s[slot] ?? null;
  }
  if ('param' in e) {
    const read = paramReader(fileId, e.param, slots, reads);
    return (s) => read(s);
  }
  if ('value' in e) {
    const v = e.value;
    return () => v;
  }
  if ('roll' in e) {
    const inner = sub(e.roll);
    return (s, env) => {
      const d = asDate(inner(s, env), 'roll');
      return d === null ? null : env.calendar.rollToWorkingDay(d, env.region).date;
    };
  }
  if ('addDays' in e || 'addMonths' in e || 'addYears' in e) {
    const [op, args] = Object.entries(e)[0] as [string, [Expr, Expr]];
    const add = op === 'addDays' ? addDays : op === 'addMonths' ? addMonths : addYears;
    const date = sub(args[0]);
    const count = sub(args[1]);
    return (s, env) => {
      const d = asDate(date(s, env), op);
      const n = asNumber(count(s, env), op);
      return d === null || n === null ? null : add(d, n);
    };
  }
  if ('daysBetween' in e) {
    const from = sub(e.daysBetween[0]);
    const to = sub(e.daysBetween[1]);
    return (s, env) => {
      const a = asDate(from(s, env), 'daysBetween');
      const b = asDate(to(s, env), 'daysBetween');
      return a === null || b === null ? null : daysBetween(a, b);
    };
  }
  if ('max' in e || 'min' in e) {
    const isMax = 'max' in e;
    const args = (isMax ? e.max : (e as { min: Expr[] }).min).map(sub);
    const name = isMax ? 'max' : 'min';
    return (s, env) => {
      const vals = known(args, s, env);
      if (!vals.length) return null;
      if (vals.every((v) => typeof v === 'number')) return isMax ? Math.max(...(vals as number[])) : Math.min(...(vals as number[]));
      // Dates, each read once as a day number (asDate has checked each is real); the first of equals wins, as in maxDate/minDate.
      let best = asDate(vals[0], name)!;
      let bestDay = dayNumberOf(best);
      for (let i = 1; i < vals.length; i++) {
        const d = asDate(vals[i], name)!;
        const day = dayNumberOf(d);
        if (isMax ? day > bestDay : day < bestDay) {
          best = d;
          bestDay = day;
        }
      }
      return best;
    };
  }
  if ('coalesce' in e) {
    const args = e.coalesce.map(sub);
    return (s, env) => {
      for (const a of args) {
        const v = a(s, env);
        if (v !== null && v !== undefined) return v;
      }
      return null;
    };
  }
  if ('sum' in e || 'mul' in e) {
    const isSum = 'sum' in e;
    const args = (isSum ? e.sum : (e as { mul: Expr[] }).mul).map(sub);
    const name = isSum ? 'sum' : 'mul';
    return (s, env) => {
      // Left to right, as the interpreter adds them (the same floating-point result).
      let acc = isSum ? 0 : 1;
      let unknown = false;
      const add = (v: unknown) => {
        const n = asNumber(v, name);
        if (n === null) unknown = true;
        else acc = isSum ? acc + n : acc * n;
      };
      for (const a of args) {
        const v = a(s, env);
        if (Array.isArray(v)) for (const x of v) add(x);
        else add(v);
      }
      return unknown ? null : acc;
    };
  }
  if ('sub' in e) {
    const a = sub(e.sub[0]);
    const b = sub(e.sub[1]);
    return (s, env) => {
      const x = asNumber(a(s, env), 'sub');
      const y = asNumber(b(s, env), 'sub');
      return x === null || y === null ? null : x - y;
    };
  }
  throw new Error(`unknown expression ${JSON.stringify(e)}`);
}
