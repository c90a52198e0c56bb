// The late-payment ladder as generic machinery, on a ladder shaped like L242-4's and on made-up rates,
// so that each reading can be told apart by hand. Figures worked by hand in the comments; the rule
// cases (rules/fr/withdrawal/L242-4.cases.json) check the shipped ladder and rate table.
import t from 'tap';
import { applyLadder, LadderSchema, type PenaltyInput } from '../src/core/penalty.js';

const ladder = LadderSchema.parse({
  tiers: [
    { maxDaysLate: 10, legalInterest: true },
    { maxDaysLate: 20, rate: 0.05 },
    { maxDaysLate: 30, rate: 0.1 },
    { maxDaysLate: 60, rate: 0.2 },
    { maxDaysLate: 90, rate: 0.5 },
    { maxDaysLate: null, rate: 0.5, perStartedMonth: 0.05 },
  ],
  afterCap: 'legal_interest',
});

// 7.3 % until 30 June 2026, 3.65 % after: a year of 365 days gives 0.02 % / 0.01 % a day.
const legalRateAt = (d: string) => (d <= '2026-06-30' ? 0.073 : 0.0365);
const base: PenaltyInput = {
  ladder,
  owed: 1000,
  due: '2026-06-15',
  receipts: [],
  asOf: '2026-06-20',
  legalRateAt,
  legalRateProRata: false,
  cap: null,
};

t.test('first tier, flat reading: the rate in force on the deadline, applied once', async (t) => {
  const r = applyLadder({ ...base, receipts: [{ at: '2026-06-20', amount: 1000 }] })!;
  t.equal(r.daysLate, 5);
  t.equal(r.rate, 0.073);
  t.equal(r.amount, 73); // 1000 × 7.3 %
});

t.test('first tier, pro-rata reading: interest for the days of delay', async (t) => {
  const r = applyLadder({ ...base, legalRateProRata: true, receipts: [{ at: '2026-06-20', amount: 1000 }] })!;
  t.equal(r.rate, 0.001); // 7.3 % × 5 / 365
  t.equal(r.amount, 1);
});

t.test('a delay that begins in June and ends in July keeps the June rate', async (t) => {
  const r = applyLadder({ ...base, due: '2026-06-30', receipts: [{ at: '2026-07-03', amount: 1000 }], asOf: '2026-07-03' })!;
  t.equal(r.rate, 0.073);
});

t.test('each part bears the increase of its own delay; what is unpaid runs to asOf', async (t) => {
  const r = applyLadder({
    ...base,
    asOf: '2026-07-20', // 35 days late
    receipts: [
      { at: '2026-06-15', amount: 400 }, // on time: nothing
      { at: '2026-06-30', amount: 300 }, // 15 days: 5 % = 15
    ],
  })!;
  t.same(
    r.tranches.map((x) => [x.amount, x.paidAt, x.daysLate, x.rate, x.increase]),
    [
      [300, '2026-06-30', 15, 0.05, 15],
      [300, null, 35, 0.2, 60], // 300 unpaid, 35 days: 20 % = 60
    ],
  );
  t.equal(r.amount, 75);
  t.equal(r.daysLate, 35);
});

t.test('refunds beyond the sum due do not make a tranche', async (t) => {
  const r = applyLadder({ ...base, asOf: '2026-07-01', receipts: [{ at: '2026-06-30', amount: 1500 }] })!;
  t.equal(r.tranches.length, 1);
  t.equal(r.tranches[0]!.amount, 1000);
});

t.test('nothing late, nothing owed: no penalty', async (t) => {
  t.equal(applyLadder({ ...base, receipts: [{ at: '2026-06-15', amount: 1000 }] }), null);
  t.equal(applyLadder({ ...base, asOf: '2026-06-15' }), null);
  t.equal(applyLadder({ ...base, owed: 0 }), null);
});

t.test('the cap bounds the increase; after the day it is reached the unpaid sums bear the statutory rate', async (t) => {
  // Due 15 June 2026, 1000 owed, cap 600. 90 days late = 13 Sept 2026 (50 %); months started beyond
  // that add 5 points: 55 % from 14 Sept, 60 % (= the cap) from 14 Oct 2026, the day the cap is reached.
  const capped = applyLadder({ ...base, cap: 600, asOf: '2026-10-14', receipts: [{ at: '2026-10-14', amount: 1000 }] })!;
  t.equal(capped.amount, 600);
  t.equal(capped.cappedAt, 600);
  t.equal(capped.afterCap, null, 'paid on the day the cap was reached: nothing after it');

  const flat = applyLadder({ ...base, cap: 600, asOf: '2026-10-20' })!;
  t.same(flat.afterCap, { from: '2026-10-14', rate: 0.0365, amount: 36.5 }, 'flat: 1000 × 3.65 % (the rate on the day the cap was reached)');
  t.equal(flat.amount, 636.5);

  const proRata = applyLadder({ ...base, cap: 600, asOf: '2026-10-20', legalRateProRata: true })!;
  t.same(proRata.afterCap, { from: '2026-10-14', rate: 0.0365, amount: 0.6 }, 'pro rata: 1000 × 3.65 % × 6 / 365');
  t.equal(proRata.amount, 600.6);
});

t.test('a missing statutory rate is an error only when an interest tier or the tail needs it', async (t) => {
  const noRateAfterJune = (d: string) => {
    if (d > '2026-06-30') throw new Error(`no rate for ${d}`);
    return 0.073;
  };
  // 15 days late: the 5 % tier, no rate read.
  t.equal(applyLadder({ ...base, due: '2026-07-01', legalRateAt: noRateAfterJune, receipts: [{ at: '2026-07-16', amount: 1000 }] })!.rate, 0.05);
  t.throws(() => applyLadder({ ...base, due: '2026-07-01', legalRateAt: noRateAfterJune, receipts: [{ at: '2026-07-03', amount: 1000 }] }), /no rate/);
});
