// A shared json-rules-engine Engine loses events under overlapping runs (perf-baseline.md). Recourse
// never shares one between evaluations (the compiled plan is read-only; the oracle builds its engines per
// run); this proves it: 1,000 different requests sent at once get exactly the verdicts that another
// instance, with a ruleset loaded afresh from disk, gives them one at a time, byte for byte.
import t from 'tap';
import { buildApp } from '../src/app.js';
import { mismatches } from '../src/cases/match.js';
import { addDays } from '../src/core/calendar.js';
import { EXAMPLE_EXPECTATIONS } from '../src/http/examples.js';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { build, examples, PINNED_NOW } from './helpers/app.js';

const REGIONS = [null, 'FR-67', 'FR-57', 'FR-RE', 'FR-GP'];

/** Every civil date in a request moved by the same number of days: the facts keep their order. */
function shiftDates(value: unknown, days: number): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return addDays(value, days);
  if (Array.isArray(value)) return value.map((v) => shiftDates(v, days));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftDates(v, days)]));
  return value;
}

/** 1,000 deterministic variants: every explorer example, moved in time, region, price and language. */
function variants(): Record<string, unknown>[] {
  const bases = examples().map((e) => e.value);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; out.length < 1000; i++) {
    // Back in time only, by up to about a year: the rates and rules encoded cover those dates.
    const v = shiftDates(bases[i % bases.length], -((i * 7) % 360)) as {
      asOf: string;
      region?: string | null;
      locale?: string;
      explain?: boolean;
      order: { items: { price: number }[] };
    };
    v.asOf = addDays(v.asOf, i % 9);
    for (const item of v.order.items) item.price = Math.round((item.price + (i % 13) * 1.37) * 100) / 100;
    v.region = REGIONS[i % REGIONS.length]!;
    v.locale = i % 2 ? 'fr' : 'en';
    v.explain = i % 5 === 0;
    out.push(v);
  }
  return out;
}

t.test('1,000 different requests at once get exactly the verdicts a fresh instance gives them one at a time', async (t) => {
  const app = await build(t);
  // The reference: another application on a ruleset loaded and compiled again from the files.
  const reference = await buildApp({ rulesets: new RulesetHolder(DEFAULT_RULES_DIR), now: () => PINNED_NOW, checkResponses: true });
  t.teardown(() => reference.close());
  const requests = variants();
  const send = (target: typeof reference, payload: Record<string, unknown>) =>
    target.inject({ method: 'POST', url: '/v1/verdicts', headers: { 'content-type': 'application/json' }, payload });

  const alone: string[] = [];
  for (const r of requests) alone.push((await send(reference, r)).body);
  const together = (await Promise.all(requests.map((r) => send(app, r)))).map((res) => res.body);

  const problems = alone.map((b, i) => [i, JSON.parse(b) as { status?: number; detail?: string }] as const).filter(([, b]) => b.status);
  t.same(problems.slice(0, 3), [], 'every variant is a valid request that gets a verdict');
  const ids = new Set(alone.map((b) => (JSON.parse(b) as { verdictId: string }).verdictId));
  t.equal(ids.size, requests.length, 'the requests really are different');
  let differing = 0;
  for (let i = 0; i < requests.length; i++) if (alone[i] !== together[i]) differing++;
  t.equal(differing, 0, 'no verdict differs between the concurrent answers and the fresh instance\'s sequential ones');

  // Pinned outcomes, from the law rather than from either instance: variants 0, 360 and 720 are the
  // change-of-mind example on its own dates, national calendar, in English, with prices raised by
  // 0, 9 × 1.37 and 5 × 1.37 EUR (withdrawal until Monday 16 November 2026; price plus 4.90 delivery refunded).
  const first = JSON.parse(together[0]!);
  t.same(mismatches(first, EXAMPLE_EXPECTATIONS.requests['01-withdrawal-change-of-mind']!), [], 'variant 0 is example 01 and gets its expected verdict');
  for (const [i, total] of [[0, 83.9], [360, 96.23], [720, 90.75]] as const) {
    const v = JSON.parse(together[i]!);
    t.same(
      mismatches(v, { decision: { outcome: 'return_accepted', track: 'withdrawal' }, deadlines: { 'withdrawal.notice': { end: '2026-11-16' } }, refund: { total } }),
      [],
      `variant ${i}: withdrawal until 16 November 2026, ${total} EUR refunded`,
    );
  }
});
