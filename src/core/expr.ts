// Interprets the expressions rule events use to compute dates and amounts. Dates are civil dates
// (calendar.ts); a null operand propagates as "unknown" except in max/min/coalesce, which skip it.
// The hot path runs the same expressions compiled (plan/expressions.ts); this interpreter is the
// oracle's, so the differential test checks one against the other.
import { addDays, addMonths, addYears, daysBetween, isCivilDate, maxDate, minDate, type Calendar } from './calendar.js';
import type { Expr } from './ruleset/schema.js';
import type { FactValue } from './facts.js';

export interface ExprContext {
  fact(name: string): FactValue | undefined;
  param(ref: string): unknown;
  calendar: Calendar;
  region: string | null;
}

export class ExprError extends Error {}

export type Scalar = string | number | boolean | null;

export function flat(values: unknown[]): Scalar[] {
  return values.flatMap((v) => (Array.isArray(v) ? (v as Scalar[]) : [v as Scalar]));
}

export function asDate(v: unknown, op: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && isCivilDate(v)) return v;
  throw new ExprError(`${op}: expected a civil date, got ${JSON.stringify(v)}`);
}

export function asNumber(v: unknown, op: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new ExprError(`${op}: expected a number, got ${JSON.stringify(v)}`);
}

export function evalExpr(e: Expr, ctx: ExprContext): unknown {
  if ('fact' in e) return ctx.fact(e.fact) ?? null;
  if ('param' in e) return ctx.param(e.param);
  if ('value' in e) return e.value;
  if ('roll' in e) {
    const d = asDate(evalExpr(e.roll, ctx), 'roll');
    return d === null ? null : ctx.calendar.rollToWorkingDay(d, ctx.region).date;
  }
  if ('addDays' in e || 'addMonths' in e || 'addYears' in e) {
    const [op, args] = Object.entries(e)[0] as [string, [Expr, Expr]];
    const d = asDate(evalExpr(args[0], ctx), op);
    const n = asNumber(evalExpr(args[1], ctx), op);
    if (d === null || n === null) return null;
    return op === 'addDays' ? addDays(d, n) : op === 'addMonths' ? addMonths(d, n) : addYears(d, n);
  }
  if ('daysBetween' in e) {
    const a = asDate(evalExpr(e.daysBetween[0], ctx), 'daysBetween');
    const b = asDate(evalExpr(e.daysBetween[1], ctx), 'daysBetween');
    return a === null || b === null ? null : daysBetween(a, b);
  }
  if ('max' in e || 'min' in e) {
    const isMax = 'max' in e;
    const args = isMax ? e.max : (e as { min: Expr[] }).min;
    const vals = flat(args.map((a) => evalExpr(a, ctx))).filter((v) => v !== null);
    if (!vals.length) return null;
    if (vals.every((v) => typeof v === 'number')) return isMax ? Math.max(...(vals as number[])) : Math.min(...(vals as number[]));
    const dates = vals.map((v) => asDate(v, isMax ? 'max' : 'min')!);
    return isMax ? maxDate(...dates) : minDate(...dates);
  }
  if ('coalesce' in e) {
    for (const a of e.coalesce) {
      const v = evalExpr(a, ctx);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  }
  if ('sum' in e || 'mul' in e) {
    const isSum = 'sum' in e;
    const args = isSum ? e.sum : (e as { mul: Expr[] }).mul;
    const nums = flat(args.map((a) => evalExpr(a, ctx))).map((v) => asNumber(v, isSum ? 'sum' : 'mul'));
    if (nums.some((n) => n === null)) return null;
    return (nums as number[]).reduce((acc, n) => (isSum ? acc + n : acc * n), isSum ? 0 : 1);
  }
  if ('sub' in e) {
    const a = asNumber(evalExpr(e.sub[0], ctx), 'sub');
    const b = asNumber(evalExpr(e.sub[1], ctx), 'sub');
    return a === null || b === null ? null : a - b;
  }
  throw new ExprError(`unknown expression ${JSON.stringify(e)}`);
}
