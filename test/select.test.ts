// Which rules and parameter values are in force for a case is computed once per incident shape and per
// interval between the dates where a rule file or a dated value starts or ends, then remembered
// (src/core/plan/select.ts). A case must never be handed what was remembered for a case on the other
// side of one of those dates: each case here moves one of its dates to a day on which something starts
// or the day before, and what the shared, remembering selector answers is compared with what a new
// selector, which has remembered nothing, computes.
import t from 'tap';
import { join } from 'node:path';
import { INCIDENT_TYPES } from '../src/contract/request.js';
import { loadRuleset } from '../src/core/index.js';
import { addDays } from '../src/core/calendar.js';
import { Selector, startDays, type CaseDates, type Selection } from '../src/core/plan/select.js';

const ruleset = loadRuleset(join(import.meta.dirname, '..', 'rules'));
const { files, plan } = ruleset;

/** What a selection decides, without its judges (functions, compiled per selector). */
const decided = (s: Selection) => ({
  stages: s.stages.map((x) => ({ stage: x.stage, order: x.order.map((r) => r.key), item: x.item.map((r) => r.key) })),
  params: s.paramSlots.map((slot, i) => [plan.slots.names[slot], s.paramValues[i]]),
  uncovered: s.uncovered,
});

const BASE: CaseDates = { contract: '2025-03-03', event: '2025-03-12', asOf: '2025-03-24', recall: '2025-03-24' };

t.test('each date across each day something starts: the remembered selection is the one computed afresh', async (t) => {
  const shared = plan.selector;
  let compared = 0;
  let differed = 0;
  for (const which of ['contract', 'event', 'asOf', 'recall'] as const)
    for (const start of startDays(files.values()).filter((d) => d > '1900-01-01')) {
      // A new selector for each day something starts, asked in the opposite order to the shared one: a
      // key that left out a date or the policy would hand each of them the other side's selection.
      const fresh = new Selector(files, plan.rules, plan.slots);
      for (const incidentType of INCIDENT_TYPES) {
        const asks = [addDays(start, -1), start].flatMap((day) => [false, true].map((withPolicy) => ({ day, withPolicy, dates: { ...BASE, [which]: day } })));
        const remembered = asks.map((a) => decided(shared.select('FR', incidentType, a.withPolicy, a.dates)));
        const computed = [...asks].reverse().map((a) => decided(fresh.select('FR', incidentType, a.withPolicy, a.dates))).reverse();
        asks.forEach((a, i) => t.same(remembered[i], computed[i], `${which} ${a.day}, ${incidentType}${a.withPolicy ? ', a policy' : ''}`));
        compared += asks.length;
        if (JSON.stringify(remembered[0]) !== JSON.stringify(remembered[2])) differed++;
      }
    }
  // Not a test of the rules: that the days chosen do move selections, or the comparison proves little.
  t.ok(differed > 100, `${compared} selections compared; ${differed} days changed what was selected`);
});

t.test('the legal interest rate of a late refund is the one of the half-year its date falls in', async (t) => {
  const rate = (event: string) => {
    const s = plan.selector.select('FR', 'refund_late', false, { ...BASE, event });
    return s.paramValues[s.paramSlots.indexOf(plan.slots.find('param:fr/withdrawal/L242-4#legalInterestRate')!)];
  };
  // Arrêtés of 17 Dec 2024 and 19 Jun 2025 (rules/fr/withdrawal/L242-4.json): 7.21 %, then 6.65 %.
  t.equal(rate('2025-06-30'), 0.0721, 'the last day of 2025 S1');
  t.equal(rate('2025-07-01'), 0.0665, 'the first day of 2025 S2, asked right after');
  t.equal(rate('2025-06-30'), 0.0721, 'and S1 again');
});
