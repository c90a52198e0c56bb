// Generic late-payment ladder: the tiers, rates and boundaries are data (a rule parameter); this
// module only reads them. Used for L242-4, L241-4 and L241-6 alike.
//
// The increase is computed on the sums still unpaid on each day of delay: every part of the sums due
// paid after the deadline (a tranche) bears the rate of its own delay, and what is still unpaid bears
// the rate of the delay until the verdict's date. The cap bounds the total.
import { z } from 'zod';
import { addDays, addMonths, compareDates, daysBetween, type CivilDate } from './calendar.js';

export const LadderSchema = z.strictObject({
  tiers: z
    .array(
      z.strictObject({
        maxDaysLate: z.number().int().positive().nullable().meta({ description: 'Last day of delay of this tier; null = no limit.' }),
        rate: z.number().min(0).max(10).optional(),
        legalInterest: z.boolean().default(false).meta({
          description: 'The statutory interest rate instead of a flat rate: as a flat increase, or pro rata for the days of delay (the refund event says which reading).',
        }),
        perStartedMonth: z.number().min(0).max(1).optional().meta({
          description: 'Added to rate for each month, started, beyond maxDaysLate of the previous tier.',
        }),
      }),
    )
    .min(1),
  afterCap: z.enum(['legal_interest']).nullable().default(null).meta({
    description: 'What the sums bear once the increase has reached its cap: the statutory interest rate ("puis du taux d\'intérêt légal").',
  }),
});
export type Ladder = z.infer<typeof LadderSchema>;

// A ladder is a parameter value of a rule file: parse each one once, not on every verdict.
const parsed = new WeakMap<object, Ladder>();
export function parsedLadder(value: unknown): Ladder {
  if (value === null || typeof value !== 'object') return LadderSchema.parse(value);
  let ladder = parsed.get(value);
  if (!ladder) parsed.set(value, (ladder = LadderSchema.parse(value)));
  return ladder;
}

export interface PenaltyTranche {
  amount: number;
  paidAt: CivilDate | null;
  daysLate: number;
  rate: number;
  increase: number;
}

/** What the sums still unpaid bore once the increase had reached its cap. */
export interface PenaltyAfterCap {
  from: CivilDate;
  rate: number;
  amount: number;
}

export interface PenaltyResult {
  daysLate: number;
  rate: number;
  amount: number;
  tranches: PenaltyTranche[];
  /** The ceiling of the increase when it was reached, else null. */
  cappedAt: number | null;
  afterCap: PenaltyAfterCap | null;
}

export interface PenaltyInput {
  ladder: Ladder;
  /** The sums due. */
  owed: number;
  due: CivilDate;
  /** Refunds received, in date order. */
  receipts: readonly { at: CivilDate; amount: number }[];
  asOf: CivilDate;
  /** The statutory rate in force on a date (read only when an interest tier applies: a missing rate is an error only then). */
  legalRateAt: ((date: CivilDate) => number) | null;
  /** Reading of the interest tiers: false = a flat increase by the rate, true = interest for the days of delay. */
  legalRateProRata: boolean;
  /** Ceiling of the whole increase (e.g. the price of the product). */
  cap: number | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const CENT = 0.005;

/** The rate the ladder gives a delay of `daysLate` days ending on `paidAt`. */
function rateFor(input: PenaltyInput, daysLate: number, paidAt: CivilDate): number {
  let previousLimit = 0;
  for (const tier of input.ladder.tiers) {
    if (tier.maxDaysLate === null || daysLate <= tier.maxDaysLate) {
      if (tier.legalInterest) {
        // The rate in force when the delay began: the half-year in which the deadline expired.
        const legalRate = input.legalRateAt ? input.legalRateAt(input.due) : null;
        if (legalRate === null) throw new Error('a ladder with an interest tier needs a statutory rate table');
        return round6(input.legalRateProRata ? (legalRate * daysLate) / 365 : legalRate);
      }
      let rate = tier.rate ?? 0;
      if (tier.perStartedMonth) rate = round6(rate + tier.perStartedMonth * monthsStarted(addDays(input.due, previousLimit), paidAt));
      return rate;
    }
    previousLimit = tier.maxDaysLate;
  }
  return 0;
}

/** Civil months started from `from` (exclusive) to `to`: 1 as soon as a day of a new month of delay has begun. */
function monthsStarted(from: CivilDate, to: CivilDate): number {
  let months = 0;
  while (compareDates(addMonths(from, months), to) < 0) months++;
  return months;
}

/**
 * The increase owed on the sums due when they were refunded late, part by part; null when nothing was
 * late. The tail after the cap (L242-4 "puis du taux d'intérêt légal") is counted on the sums still unpaid
 * once the increase on the whole sum due would have reached the cap.
 */
export function applyLadder(input: PenaltyInput): PenaltyResult | null {
  const { owed, due, asOf } = input;
  if (owed <= 0) return null;
  const tranches: PenaltyTranche[] = [];
  let unpaid = owed;
  for (const r of input.receipts) {
    if (unpaid <= CENT) break;
    const part = Math.min(r.amount, unpaid);
    unpaid -= part;
    const daysLate = daysBetween(due, r.at);
    if (daysLate <= 0 || part <= CENT) continue;
    const rate = rateFor(input, daysLate, r.at);
    tranches.push({ amount: round2(part), paidAt: r.at, daysLate, rate, increase: round2(part * rate) });
  }
  if (unpaid > CENT) {
    const daysLate = daysBetween(due, asOf);
    if (daysLate > 0) {
      const rate = rateFor(input, daysLate, asOf);
      tranches.push({ amount: round2(unpaid), paidAt: null, daysLate, rate, increase: round2(unpaid * rate) });
    }
  }
  if (!tranches.length) return null;

  let amount = round2(tranches.reduce((s, t) => s + t.increase, 0));
  let cappedAt: number | null = null;
  let afterCap: PenaltyAfterCap | null = null;
  // Reaching the cap exactly is reaching it: the statutory rate follows from the next day.
  if (input.cap !== null && amount >= input.cap) {
    amount = cappedAt = input.cap;
    if (input.ladder.afterCap === 'legal_interest' && input.legalRateAt) {
      afterCap = tail(input, tranches);
      if (afterCap) amount = round2(amount + afterCap.amount);
    }
  }
  const longest = tranches.reduce((a, b) => (b.daysLate > a.daysLate ? b : a));
  return { daysLate: longest.daysLate, rate: longest.rate, amount, tranches, cappedAt, afterCap };
}

/** Statutory interest on the sums still unpaid after the day the increase on the whole sum due reached the cap. */
function tail(input: PenaltyInput, tranches: PenaltyTranche[]): PenaltyAfterCap | null {
  const { cap, owed, asOf } = input;
  // The first day on which the ladder's rate on the whole sum due reaches the cap (the rate only grows
  // once past the first tiers, so a binary search over the days of delay finds it).
  const lastDay = tranches.reduce((d, t) => (compareDates(t.paidAt ?? asOf, d) > 0 ? (t.paidAt ?? asOf) : d), input.due);
  const reached = (days: number) => owed * rateFor(input, days, addDays(input.due, days)) >= (cap ?? Infinity);
  let lo = 1;
  let hi = daysBetween(input.due, lastDay);
  if (hi < 1 || !reached(hi)) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (reached(mid)) hi = mid;
    else lo = mid + 1;
  }
  const capDay = addDays(input.due, lo);
  // The rate is read only when some sum was still unpaid after that day (a missing rate is a 422 only then).
  if (!tranches.some((t) => daysBetween(capDay, t.paidAt ?? asOf) > 0)) return null;
  const rate = input.legalRateAt!(capDay);
  let sum = 0;
  for (const t of tranches) {
    const days = daysBetween(capDay, t.paidAt ?? asOf);
    if (days <= 0) continue;
    sum += t.amount * (input.legalRateProRata ? (rate * days) / 365 : rate);
  }
  return sum > 0 ? { from: capDay, rate, amount: round2(sum) } : null;
}
