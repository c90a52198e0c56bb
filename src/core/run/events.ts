// Step 3 of an evaluation, for each fired rule: apply its event. Where several events compete for one
// slot (a remedy's status, the decision, the refund), the highest rank wins; the same rank with a
// different content is a defect of the ruleset, never settled silently.
import { compareDates, type CivilDate } from '../calendar.js';
import { RulesConflictError } from '../errors.js';
import type { FactValue } from '../facts.js';
import { applyLadder, parsedLadder } from '../penalty.js';
import type { CompiledRule } from '../plan/compile.js';
import type { ComputedDeadline, ComputedEvidence, ComputedRefund, ComputedStep, Ranked, Run } from './state.js';

/**
 * `view` gives what two competing values are compared on: their content as the rule files state it.
 * `what` and `detail` name the slot in the error (joined only then: this runs for every fired rule).
 */
function pickRanked<R extends Ranked<unknown>>(current: R | null | undefined, next: R, view: (v: R['value']) => unknown, what: string, detail = ''): R {
  if (!current || next.rank > current.rank) return next;
  if (next.rank === current.rank && JSON.stringify(view(next.value)) !== JSON.stringify(view(current.value)))
    throw new RulesConflictError(`${what}${detail}: ${current.key} and ${next.key} fire with the same rank ${next.rank}`);
  return current;
}

const asItIs = (v: unknown) => v;
const eventOf = (v: { ev: unknown }) => v.ev;
const withEventAsStated = <V extends { event: { ev: unknown } }>(v: V) => ({ ...v, event: v.event.ev });

const round2 = (n: number) => Math.round(n * 100) / 100;

export function applyEvent(run: Run, rule: CompiledRule, itemId: string | null, itemIndex: number, stage: number): void {
  const { out, slots } = run;
  const ce = rule.event;
  const key = rule.key;
  const { strategy } = run;
  switch (ce.type) {
    case 'define': {
      const ev = ce.ev;
      const value = strategy.expr(ce.value, run);
      if (itemIndex >= 0) {
        // A fact about one item (`item.…`): kept with that item, seen only by its own item-scoped rules.
        const defined = run.items[itemIndex]!.defined;
        const k = ce.index;
        const cur = defined[k];
        if (cur && cur.stage !== stage) throw new RulesConflictError(`${key}: "${ev.name}" was defined at stage ${cur.stage}`);
        const pick = pickRanked(cur, { rank: ev.rank, key, value, stage }, asItIs, ev.name, ` of item ${itemId}`);
        defined[k] = pick;
        slots[ce.slot] = pick.value as FactValue;
        return;
      }
      const cur = out.defined[ce.index];
      if (cur && cur.stage !== stage) throw new RulesConflictError(`${key}: "${ev.name}" was defined at stage ${cur.stage}`);
      const pick = pickRanked(cur, { rank: ev.rank, key, value, stage }, asItIs, ev.name);
      out.defined[ce.index] = pick;
      slots[ce.slot] = pick.value as FactValue;
      return;
    }
    case 'deadline': {
      const ev = ce.ev;
      const start = ce.start ? (strategy.expr(ce.start, run) as CivilDate | null) : null;
      const rawEnd = strategy.expr(ce.end, run) as CivilDate | null;
      if (rawEnd === null) return; // the facts it needs are missing; a missingFact rule says which
      const roll = typeof ce.roll === 'boolean' ? ce.roll : ce.roll(slots) === true;
      const rolled = roll ? run.calendar.rollToWorkingDay(rawEnd, run.region) : { date: rawEnd, rolledFrom: null };
      const extendedFrom = ce.extendedFrom ? (strategy.expr(ce.extendedFrom, run) as CivilDate | null) : null;
      const value: ComputedDeadline = {
        id: ev.id,
        start,
        end: rolled.date,
        rolledFrom: rolled.rolledFrom,
        // Shown only when the extension moved the end.
        extendedFrom: extendedFrom !== null && extendedFrom !== rolled.date ? extendedFrom : null,
        internal: ev.internal,
        event: ce,
      };
      const cur = out.deadlines.get(ev.id);
      if (cur && cur.stage !== stage) throw new RulesConflictError(`${key}: deadline "${ev.id}" was computed at stage ${cur.stage}`);
      const pick = pickRanked(cur, { rank: ev.rank, key, value, stage }, withEventAsStated, 'deadline ', ev.id);
      out.deadlines.set(ev.id, pick);
      slots[ce.slots.start] = pick.value.start;
      slots[ce.slots.end] = pick.value.end;
      slots[ce.slots.rolledFrom] = pick.value.rolledFrom;
      return;
    }
    case 'remedy': {
      const pick = pickRanked(out.remedies.get(ce.ev.track), { rank: ce.ev.rank, key, value: ce }, eventOf, 'remedy ', ce.ev.track);
      out.remedies.set(ce.ev.track, pick);
      slots[ce.statusSlot] = pick.value.ev.status;
      return;
    }
    case 'exclusion': {
      const cur = out.exclusions.get(ce.ev.id) ?? { event: ce, itemIds: [] };
      if (itemId && !cur.itemIds.includes(itemId)) cur.itemIds.push(itemId);
      out.exclusions.set(ce.ev.id, cur);
      return;
    }
    case 'returnShipping':
      out.returnShipping = pickRanked(out.returnShipping, { rank: ce.ev.rank, key, value: ce }, eventOf, 'returnShipping');
      return;
    case 'decision':
      out.decision = pickRanked(out.decision, { rank: ce.ev.rank, key, value: ce }, eventOf, 'decision');
      slots[ce.outcomeSlot] = out.decision.value.ev.outcome;
      slots[ce.trackSlot] = out.decision.value.ev.track;
      return;
    case 'missingFact': {
      const index = itemId === null ? -1 : run.request.order.items.findIndex((i) => i.id === itemId);
      out.missing.add(ce.ev.path.replace('{item.index}', String(index)));
      return;
    }
    case 'historyFinding': {
      const at = strategy.expr(ce.at, run) as CivilDate | null;
      if (at === null) return; // no such entry: nothing to judge
      // The same act judged the same way by several rules (or items) is said once.
      if (!out.historyFindings.some((f) => f.at === at && f.event.ev.act === ce.ev.act && f.event.ev.finding === ce.ev.finding))
        out.historyFindings.push({ event: ce, at });
      return;
    }
    case 'evidence': {
      const value: ComputedEvidence = { event: ce, by: ce.by ? ((strategy.expr(ce.by, run) as CivilDate | null) ?? null) : null };
      const pick = pickRanked(out.evidence.get(ce.ev.id), { rank: ce.ev.rank, key, value }, withEventAsStated, 'evidence ', ce.ev.id);
      out.evidence.set(ce.ev.id, pick);
      return;
    }
    case 'policyFinding':
      // An item-scoped finding is said once, however many items it holds for.
      if (!out.findings.some((f) => f.event === ce)) out.findings.push({ event: ce });
      return;
    case 'appealStep': {
      const values: unknown[] = [];
      for (const d of ce.details) values.push(strategy.expr(d.value, run));
      const value: ComputedStep = {
        event: ce,
        notBefore: ce.notBefore ? (strategy.expr(ce.notBefore, run) as CivilDate | null) : null,
        notAfter: ce.notAfter ? (strategy.expr(ce.notAfter, run) as CivilDate | null) : null,
        details: ce.detailsOf(values),
        detailValues: values,
      };
      const pick = pickRanked(out.appeal.get(ce.ev.step), { rank: ce.ev.rank, key, value }, withEventAsStated, 'appeal step ', ce.ev.step);
      out.appeal.set(ce.ev.step, pick);
      // Facts follow the winning event, as for remedies (not the last one applied).
      const won = pick.value;
      for (let i = 0; i < won.event.details.length; i++) slots[won.event.details[i]!.slot] = won.detailValues[i] as FactValue;
      slots[won.event.statusSlot] = won.event.ev.status;
      return;
    }
    case 'refund': {
      const ev = ce.ev;
      const itemsAmount = round2(Number(strategy.expr(ce.items, run) ?? 0));
      const outbound = round2(Number(strategy.expr(ce.outboundShipping, run) ?? 0));
      const total = round2(itemsAmount + outbound);
      const deadline = ev.deadline ? (out.deadlines.get(ev.deadline)?.value.end ?? null) : null;
      // Refunds received, in date order: what was paid, and when the sums due were fully paid.
      const receipts = run.request.incident.history
        .filter((h) => h.type === 'refund_received')
        .sort((a, b) => compareDates(a.at, b.at))
        .map((h) => ({ at: h.at, amount: h.amount ?? 0 }));
      const paid = round2(receipts.reduce((s, h) => s + h.amount, 0));
      const outstanding = round2(Math.max(0, total - paid));
      const overpaid = round2(Math.max(0, paid - total));
      let penalty: ComputedRefund['penalty'] = null;
      if (ev.due && ev.penalty && ce.ladder && deadline)
        penalty = applyLadder({
          ladder: parsedLadder(ce.ladder(slots)),
          owed: total,
          due: deadline,
          receipts,
          asOf: run.asOf,
          legalRateAt: ce.legalRateAt,
          legalRateProRata: ce.legalRateProRata ? strategy.expr(ce.legalRateProRata, run) === true : false,
          cap: ce.cap ? (strategy.expr(ce.cap, run) as number | null) : null,
        });
      const value: ComputedRefund = { event: ce, items: itemsAmount, outboundShipping: outbound, total, deadline, paid, outstanding, overpaid, penalty };
      out.refund = pickRanked(out.refund, { rank: ev.rank, key, value }, withEventAsStated, 'refund');
      const r = out.refund.value;
      const s = ce.slots;
      slots[s.items] = r.items;
      slots[s.outboundShipping] = r.outboundShipping;
      slots[s.total] = r.total;
      slots[s.deadline] = r.deadline;
      slots[s.paid] = r.paid;
      slots[s.outstanding] = r.outstanding;
      slots[s['penalty.daysLate']] = r.penalty?.daysLate ?? null;
      slots[s['penalty.rate']] = r.penalty?.rate ?? null;
      slots[s['penalty.amount']] = r.penalty?.amount ?? null;
      slots[s['penalty.percent']] = r.penalty ? Math.round(r.penalty.rate * 10000) / 100 : null;
      return;
    }
  }
}
