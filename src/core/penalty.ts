// Generic late-payment ladder: the tiers, rates and boundaries are data (a rule parameter); this
// module only reads them. Used for L242-4, L241-4 and L241-6 alike.
import { z } from 'zod';
import { OutsideCoverageError } from './errors.js';
import { addDays, addMonths, compareDates, daysBetween, type CivilDate } from './calendar.js';

export const LadderSchema = z.strictObject({
  tiers: z
    .array(
      z.strictObject({
        maxDaysLate: z.number().int().positive().nullable().meta({ description: 'Last day of delay of this tier; null = no limit.' }),
        rate: z.number().min(0).max(10).optional(),
        legalInterest: z.boolean().default(false).meta({ description: 'Statutory interest pro rata temporis instead of a flat rate.' }),
        perStartedMonth: z.number().min(0).max(1).optional().meta({
          description: 'Added to rate for each month, started, beyond maxDaysLate of the previous tier.',
        }),
      }),
    )
    .min(1),
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

export interface PenaltyResult {
  daysLate: number;
  rate: number;
  amount: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The increase owed on `base` when paid on `paidAt` against a `due` date. Returns null when not late.
 * `cap` bounds the amount (e.g. "up to the price of the product"); `legalRate` feeds interest tiers. It may
 * be given as a function, read only when an interest tier applies: a rate missing for the date is then
 * an error only for the cases that need it.
 */
export function applyLadder(
  ladder: Ladder,
  base: number,
  due: CivilDate,
  paidAt: CivilDate,
  legalRate: number | null | (() => number | null),
  cap: number | null,
): PenaltyResult | null {
  const daysLate = daysBetween(due, paidAt);
  if (daysLate <= 0 || base <= 0) return null;
  let previousLimit = 0;
  for (const tier of ladder.tiers) {
    if (tier.maxDaysLate === null || daysLate <= tier.maxDaysLate) {
      let rate: number;
      let amount: number;
      if (tier.legalInterest) {
        const legalRateValue = typeof legalRate === 'function' ? legalRate() : legalRate;
        if (legalRateValue === null)
          throw new OutsideCoverageError('The statutory interest rate this late-refund tier needs is not encoded for the period; no default answer is given.');
        rate = round6((legalRateValue * daysLate) / 365);
        amount = base * rate;
      } else {
        rate = tier.rate ?? 0;
        if (tier.perStartedMonth) {
          // Months started since the end of the previous tier: civil months, not 30-day blocks.
          const from = addDays(due, previousLimit);
          let months = 0;
          while (compareDates(addMonths(from, months), paidAt) < 0) months++;
          rate = round6(rate + tier.perStartedMonth * months);
        }
        amount = base * rate;
      }
      if (cap !== null && amount > cap) amount = cap;
      return { daysLate, rate, amount: round2(amount) };
    }
    previousLimit = tier.maxDaysLate;
  }
  return null;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
