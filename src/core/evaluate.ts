// evaluate(request, ruleset, asOf): the pure core. No HTTP, logger, environment or clock in here:
// the same request, ruleset and asOf give the same verdict, byte for byte.
//
// Rules run stage by stage. Each stage gets fresh json-rules-engine Engines (one for order-scoped
// rules, one per item for item-scoped rules), so no engine state is ever shared between
// evaluations: a shared Engine loses events under overlapping runs (perf-baseline.md). Facts are
// computed before each run and passed in whole; no rule reads the almanac of another.
import { createHash } from 'node:crypto';
import { Engine, type RuleProperties, type RuleResult } from 'json-rules-engine';
import type { Locale } from '../contract/primitives.js';
import type { VerdictRequest } from '../contract/request.js';
import type { AppealStep, Deadline, Exclusion, Remedy, Track, Verdict } from '../contract/verdict.js';
import { TRACKS } from '../contract/verdict.js';
import { compareDates, daysBetween, isCivilDate, type CivilDate } from './calendar.js';
import { InvalidRequestError, OutsideCoverageError, RulesConflictError } from './errors.js';
import { evalExpr, type ExprContext } from './expr.js';
import { checkRequest, incidentItems, itemFacts, orderFacts, type Facts, type FactValue } from './facts.js';
import { applyLadder, LadderSchema } from './penalty.js';
import type { Ruleset } from './ruleset/load.js';
import type { Condition, Expr, RuleEvent, RuleFile, RuleSpec } from './ruleset/schema.js';
import { render } from './text.js';
import { policyFactsMentioned, policyItemFacts, policyOrderFacts, policyReviewKeys, policyReviewNote } from './policy-facts.js';

// ---- Preparation (once per ruleset, memoised) ---------------------------------------------------

interface PreparedRule {
  key: string; // fileId#ruleName
  file: RuleFile;
  spec: RuleSpec;
  engineRule: RuleProperties;
  params: string[]; // fully qualified parameters the rule reads
  facts: string[]; // facts its conditions read: only these are handed to the engine
  order: number;
}

interface Prepared {
  rules: PreparedRule[];
}

const prepared = new WeakMap<Ruleset, Prepared>();

const qualify = (fileId: string, ref: string) => (ref.includes('#') ? ref : `${fileId}#${ref}`);
const paramFact = (qualified: string) => `param:${qualified}`;

function rewriteCondition(c: Condition, fileId: string, params: Set<string>, facts: Set<string>): unknown {
  if ('all' in c) return { all: c.all.map((x) => rewriteCondition(x, fileId, params, facts)) };
  if ('any' in c) return { any: c.any.map((x) => rewriteCondition(x, fileId, params, facts)) };
  if ('not' in c) return { not: rewriteCondition(c.not, fileId, params, facts) };
  facts.add(c.fact);
  // A condition testing `param:<file>#<name>` as a fact reads that parameter too (review flags).
  if (c.fact.startsWith('param:')) params.add(c.fact.slice('param:'.length));
  const v = c.value as { param?: string; fact?: string } | null;
  if (v && typeof v === 'object' && !Array.isArray(v) && v.param) {
    const q = qualify(fileId, v.param);
    params.add(q);
    facts.add(paramFact(q));
    return { fact: c.fact, operator: c.operator, value: { fact: paramFact(q) } };
  }
  if (v && typeof v === 'object' && !Array.isArray(v) && v.fact) facts.add(v.fact);
  return { fact: c.fact, operator: c.operator, value: c.value };
}

function exprParams(e: Expr, fileId: string, out: Set<string>): void {
  if ('param' in e) out.add(qualify(fileId, e.param));
  else if ('fact' in e || 'value' in e) return;
  else if ('roll' in e) exprParams(e.roll, fileId, out);
  else for (const a of Object.values(e)[0] as Expr[]) exprParams(a, fileId, out);
}

function prepare(ruleset: Ruleset): Prepared {
  const cached = prepared.get(ruleset);
  if (cached) return cached;
  const rules: PreparedRule[] = [];
  let order = 0;
  for (const file of ruleset.files.values()) {
    for (const spec of file.rules) {
      const params = new Set<string>();
      const facts = new Set<string>();
      const key = `${file.id}#${spec.name}`;
      const conditions = rewriteCondition(spec.conditions, file.id, params, facts);
      const ev = spec.event;
      const exprs: Expr[] = [];
      if (ev.type === 'define') exprs.push(ev.value);
      if (ev.type === 'deadline') {
        exprs.push(ev.end, ...(ev.start ? [ev.start] : []));
        if (typeof ev.roll === 'object') params.add(qualify(file.id, ev.roll.param));
      }
      if (ev.type === 'refund') {
        exprs.push(ev.items, ev.outboundShipping);
        if (ev.penalty) {
          params.add(qualify(file.id, ev.penalty.ladder));
          if (ev.penalty.legalRate) exprs.push(ev.penalty.legalRate);
          if (ev.penalty.cap) exprs.push(ev.penalty.cap);
        }
      }
      if (ev.type === 'appealStep') {
        if (ev.notBefore) exprs.push(ev.notBefore);
        if (ev.notAfter) exprs.push(ev.notAfter);
        exprs.push(...Object.values(ev.details));
      }
      for (const e of exprs) exprParams(e, file.id, params);
      rules.push({
        key,
        file,
        spec,
        // Small events: the engine deep-copies every rule on every run, so the real event stays here.
        engineRule: { name: key, conditions: conditions as RuleProperties['conditions'], event: { type: 'fired' } },
        params: [...params].sort(),
        facts: [...facts].sort(),
        order: order++,
      });
    }
  }
  const p = { rules };
  prepared.set(ruleset, p);
  return p;
}

// ---- Operators (generic, date-aware) ------------------------------------------------------------

const dateOp = (test: (c: number) => boolean) => (a: unknown, b: unknown) =>
  isCivilDate(a) && isCivilDate(b) && test(compareDates(a, b));

const OPERATORS: [string, (fact: unknown, value: unknown) => boolean][] = [
  ['dateBefore', dateOp((c) => c < 0)],
  ['dateOnOrBefore', dateOp((c) => c <= 0)],
  ['dateAfter', dateOp((c) => c > 0)],
  ['dateOnOrAfter', dateOp((c) => c >= 0)],
  ['isSet', (fact, value) => (fact !== null && fact !== undefined) === value],
];

function newEngine(rules: PreparedRule[]): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, fn] of OPERATORS) engine.addOperator(name, fn);
  for (const r of rules) engine.addRule(r.engineRule);
  return engine;
}

// ---- Evaluation state ---------------------------------------------------------------------------

interface Ranked<T> {
  rank: number;
  key: string;
  value: T;
}

interface ComputedDeadline {
  id: string;
  start: CivilDate | null;
  end: CivilDate;
  rolledFrom: CivilDate | null;
  internal: boolean;
  event: Extract<RuleEvent, { type: 'deadline' }>;
}

interface ComputedRefund {
  event: Extract<RuleEvent, { type: 'refund' }>;
  items: number;
  outboundShipping: number;
  total: number;
  deadline: CivilDate | null;
  paid: number;
  outstanding: number;
  penalty: { daysLate: number; rate: number; amount: number } | null;
}

class State {
  facts: Record<string, FactValue> = {};
  defined = new Map<string, Ranked<unknown> & { stage: number }>();
  deadlines = new Map<string, Ranked<ComputedDeadline> & { stage: number }>();
  remedies = new Map<Track, Ranked<Extract<RuleEvent, { type: 'remedy' }>>>();
  exclusions = new Map<string, { event: Extract<RuleEvent, { type: 'exclusion' }>; itemIds: string[] }>();
  returnShipping: Ranked<Extract<RuleEvent, { type: 'returnShipping' }>> | null = null;
  refund: Ranked<ComputedRefund> | null = null;
  decision: Ranked<Extract<RuleEvent, { type: 'decision' }>> | null = null;
  appeal = new Map<string, Ranked<{ event: Extract<RuleEvent, { type: 'appealStep' }>; notBefore: CivilDate | null; notAfter: CivilDate | null; details: Record<string, unknown> }>>();
  findings: { event: Extract<RuleEvent, { type: 'policyFinding' }> }[] = [];
  missing = new Set<string>();
  reviewParams = new Set<string>();
  trace: Verdict['trace'] = [];
}

/** Item fact: the effects of the exclusions earlier stages raised for the item (e.g. ["withdrawal_excluded"]). */
export const ITEM_EXCLUSIONS_FACT = 'item.exclusions';
function exclusionEffectsOf(state: State, itemId: string): string[] {
  return [...new Set([...state.exclusions.values()].filter((x) => x.itemIds.includes(itemId)).map((x) => x.event.effect))].sort();
}

function pickRanked<T>(current: Ranked<T> | null | undefined, next: Ranked<T>, what: string): Ranked<T> {
  if (!current || next.rank > current.rank) return next;
  if (next.rank === current.rank && JSON.stringify(next.value) !== JSON.stringify(current.value))
    throw new RulesConflictError(`${what}: ${current.key} and ${next.key} fire with the same rank ${next.rank}`);
  return current;
}

// ---- The evaluation -----------------------------------------------------------------------------

export interface EvaluateOptions {
  locale?: Locale;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export async function evaluate(request: VerdictRequest, ruleset: Ruleset, asOf: CivilDate): Promise<Verdict> {
  const jurisdiction = ruleset.jurisdictions.get(request.jurisdiction);
  if (!jurisdiction)
    throw new OutsideCoverageError(`No rules are encoded for jurisdiction ${request.jurisdiction}; covered: ${[...ruleset.jurisdictions.keys()].join(', ')}.`, {
      path: 'jurisdiction',
    });
  const { spec: jspec, calendar } = jurisdiction;
  const problems = checkRequest(request, asOf, jspec.zone);
  if (problems.length) throw new InvalidRequestError(problems);
  const locale: Locale = request.locale ?? 'fr';
  const region = request.region ?? null;
  const currency = request.order.currency;

  const state = new State();
  Object.assign(state.facts, orderFacts(request, asOf, jspec.zone, jspec.euMemberStates));
  // The merchant policy the request names, offered to the policy-layer rules as facts (policy-facts.ts).
  const policy = request.policy ? ruleset.policies.get(request.policy) : undefined;
  if (request.policy && policy?.jurisdiction !== request.jurisdiction)
    throw new OutsideCoverageError(
      `No merchant policy "${request.policy}" is loaded for ${request.jurisdiction}; loaded: ${[...ruleset.policies.values()].filter((p) => p.jurisdiction === request.jurisdiction).map((p) => p.id).join(', ') || 'none'} (GET /v1/policies).`,
      { path: 'policy' },
    );
  const policyFacts = policy ? policyOrderFacts(policy, request, jspec.zone) : null;
  const policyItems = new Map(
    policy ? incidentItems(request).map((it) => [it.id, policyItemFacts(policy, it, state.facts['order.placedDate'] as string)]) : [],
  );
  if (policyFacts) Object.assign(state.facts, policyFacts.facts);
  const incidentType = request.incident.type;
  const relevantDate = (by: RuleFile['appliesBy']): CivilDate =>
    by === 'contract_date'
      ? (state.facts['order.placedDate'] as string)
      : by === 'event_date'
        ? ((state.facts['incident.notifiedAt'] as string | null) ?? asOf)
        : asOf;

  // Select the version of each article family in force on its legally relevant date.
  const candidates = [...ruleset.files.values()].filter(
    (f) =>
      f.jurisdiction === request.jurisdiction &&
      (f.incidentTypes === 'all' || f.incidentTypes.includes(incidentType)) &&
      (!f.policy || !!request.policy),
  );
  const active = new Set<string>();
  const uncovered = new Map<string, string | null>();
  const families = new Map<string, RuleFile[]>();
  for (const f of candidates) families.set(f.family, [...(families.get(f.family) ?? []), f]);
  for (const [family, versions] of families) {
    const pick = versions.find((f) => {
      const d = relevantDate(f.appliesBy);
      return compareDates(d, f.validFrom) >= 0 && (f.validUntil === null || compareDates(d, f.validUntil) <= 0);
    });
    if (pick) active.add(pick.id);
    else uncovered.set(family, versions.map((v) => v.validFrom).sort()[0] ?? null);
  }
  if (uncovered.size)
    throw new OutsideCoverageError(
      `The rules encoded do not cover this case: ${[...uncovered].map(([fam, from]) => `${fam} (encoded from ${from})`).join(', ')}. No default answer is given.`,
      { path: 'order.placedAt', families: [...uncovered].map(([family, coveredFrom]) => ({ family, coveredFrom })) },
    );

  // Dated parameters, selected on each file's relevant date and offered to rules as facts.
  const paramValues = new Map<string, unknown>();
  for (const id of active) {
    const f = ruleset.files.get(id)!;
    const d = relevantDate(f.appliesBy);
    for (const [name, p] of Object.entries(f.parameters)) {
      const v = p.values.find((x) => compareDates(d, x.from) >= 0 && (x.until === null || compareDates(d, x.until) <= 0));
      if (!v) continue; // reading it is then a 422 (see param() below), not reaching it is fine
      paramValues.set(`${id}#${name}`, v.value);
      state.facts[paramFact(`${id}#${name}`)] = v.value as FactValue;
    }
  }

  const exprContext = (fileId: string): ExprContext => ({
    fact: (name) => state.facts[name],
    param: (ref) => {
      const q = qualify(fileId, ref);
      if (!paramValues.has(q))
        throw new OutsideCoverageError(`Parameter ${q} has no value encoded for the date this case turns on; no default answer is given.`);
      return paramValues.get(q);
    },
    calendar,
    region,
  });

  const { rules } = prepare(ruleset);
  const activeRules = rules.filter((r) => active.has(r.file.id));
  const stages = [...new Set(activeRules.map((r) => r.spec.stage))].sort((a, b) => a - b);
  const items = incidentItems(request);
  const explain = request.explain;

  for (const stage of stages) {
    const stageRules = activeRules.filter((r) => r.spec.stage === stage);
    const orderRules = stageRules.filter((r) => r.spec.scope === 'order');
    const itemRules = stageRules.filter((r) => r.spec.scope === 'item');
    const fired: { rule: PreparedRule; itemId: string | null }[] = [];
    const byKey = new Map(stageRules.map((r) => [r.key, r]));

    const runOnce = async (ruleList: PreparedRule[], source: (name: string) => FactValue | undefined, itemId: string | null) => {
      if (!ruleList.length) return;
      // Only the facts these rules read: the engine hashes and caches every fact it is given.
      const facts: Facts = {};
      for (const r of ruleList) for (const name of r.facts) if (!(name in facts)) facts[name] = source(name) as FactValue;
      const out = await newEngine(ruleList).run(facts);
      const collect = (results: RuleResult[], didFire: boolean) => {
        for (const res of results) {
          const rule = byKey.get(String(res.name))!;
          if (didFire) fired.push({ rule, itemId });
          if (explain)
            state.trace!.push({
              rule: rule.key,
              stage,
              itemId,
              fired: didFire,
              conditions: (res.toJSON(false) as { conditions: unknown }).conditions,
            });
        }
      };
      collect(out.results, true);
      collect(out.failureResults, false);
    };

    // Every run of a stage completes before any of its events is applied, so runs read the facts as
    // they stood at the start of the stage.
    const facts = state.facts;
    await runOnce(orderRules, (n) => facts[n], null);
    for (const item of items) {
      const own: Facts = { ...itemFacts(item), ...policyItems.get(item.id)?.facts, [ITEM_EXCLUSIONS_FACT]: exclusionEffectsOf(state, item.id) };
      await runOnce(itemRules, (n) => (n in own ? own[n] : facts[n]), item.id);
    }

    // Apply in a fixed order (rule order, then item order), never in completion order.
    const itemIndex = new Map(items.map((it, i) => [it.id, i]));
    fired.sort((a, b) => a.rule.order - b.rule.order || (itemIndex.get(a.itemId ?? '') ?? -1) - (itemIndex.get(b.itemId ?? '') ?? -1));
    for (const { rule, itemId } of fired) {
      for (const p of rule.params) {
        const [fileId, name] = p.split('#') as [string, string];
        if (ruleset.files.get(fileId)?.parameters[name]?.needsLegalReview) state.reviewParams.add(p);
      }
      if (policy)
        for (const name of policyFactsMentioned(rule.spec)) {
          const paths =
            policyFacts?.sources[name] ?? (itemId ? policyItems.get(itemId)?.sources[name] : [...policyItems.values()].flatMap((f) => f.sources[name] ?? [])) ?? [];
          for (const key of policyReviewKeys(policy, paths)) state.reviewParams.add(key);
        }
      applyEvent(state, rule, itemId, stage, exprContext(rule.file.id), ruleset, request, asOf, paramValues);
    }
    // Aggregates that later stages may test.
    const priceOf = new Map(items.map((it) => [it.id, it.price * it.quantity]));
    const excludedByEffect = new Map<string, Set<string>>();
    for (const { event, itemIds } of state.exclusions.values())
      for (const id of itemIds) excludedByEffect.set(event.effect, (excludedByEffect.get(event.effect) ?? new Set()).add(id));
    for (const [effect, ids] of excludedByEffect) {
      state.facts[`exclusion.${effect}.count`] = ids.size;
      state.facts[`exclusion.${effect}.anyItem`] = ids.size > 0;
      state.facts[`exclusion.${effect}.allItems`] = ids.size === items.length;
      state.facts[`exclusion.${effect}.total`] = Math.round([...ids].reduce((sum, id) => sum + (priceOf.get(id) ?? 0), 0) * 100) / 100;
    }
  }

  return assemble(state, request, ruleset, asOf, locale, region, currency);
}

function applyEvent(
  state: State,
  rule: PreparedRule,
  itemId: string | null,
  stage: number,
  ctx: ExprContext,
  ruleset: Ruleset,
  request: VerdictRequest,
  asOf: CivilDate,
  paramValues: Map<string, unknown>,
): void {
  const ev = rule.spec.event;
  const key = rule.key;
  switch (ev.type) {
    case 'define': {
      const value = evalExpr(ev.value, ctx);
      const cur = state.defined.get(ev.name);
      if (cur && cur.stage !== stage) throw new RulesConflictError(`${key}: "${ev.name}" was defined at stage ${cur.stage}`);
      const pick = pickRanked(cur, { rank: ev.rank, key, value }, ev.name);
      state.defined.set(ev.name, { ...pick, stage });
      state.facts[ev.name] = pick.value as FactValue;
      return;
    }
    case 'deadline': {
      const start = ev.start ? (evalExpr(ev.start, ctx) as CivilDate | null) : null;
      const rawEnd = evalExpr(ev.end, ctx) as CivilDate | null;
      if (rawEnd === null) return; // the facts it needs are missing; a missingFact rule says which
      const roll = typeof ev.roll === 'boolean' ? ev.roll : ctx.param(ev.roll.param) === true;
      const rolled = roll ? ctx.calendar.rollToWorkingDay(rawEnd, ctx.region) : { date: rawEnd, rolledFrom: null };
      const value: ComputedDeadline = { id: ev.id, start, end: rolled.date, rolledFrom: rolled.rolledFrom, internal: ev.internal, event: ev };
      const cur = state.deadlines.get(ev.id);
      if (cur && cur.stage !== stage) throw new RulesConflictError(`${key}: deadline "${ev.id}" was computed at stage ${cur.stage}`);
      const pick = pickRanked(cur, { rank: ev.rank, key, value }, `deadline ${ev.id}`);
      state.deadlines.set(ev.id, { ...pick, stage });
      state.facts[`deadline.${ev.id}.start`] = pick.value.start;
      state.facts[`deadline.${ev.id}.end`] = pick.value.end;
      state.facts[`deadline.${ev.id}.rolledFrom`] = pick.value.rolledFrom;
      return;
    }
    case 'remedy': {
      const pick = pickRanked(state.remedies.get(ev.track), { rank: ev.rank, key, value: ev }, `remedy ${ev.track}`);
      state.remedies.set(ev.track, pick);
      state.facts[`remedy.${ev.track}.status`] = pick.value.status;
      return;
    }
    case 'exclusion': {
      const cur = state.exclusions.get(ev.id) ?? { event: ev, itemIds: [] };
      if (itemId && !cur.itemIds.includes(itemId)) cur.itemIds.push(itemId);
      state.exclusions.set(ev.id, cur);
      return;
    }
    case 'returnShipping':
      state.returnShipping = pickRanked(state.returnShipping, { rank: ev.rank, key, value: ev }, 'returnShipping');
      return;
    case 'decision':
      state.decision = pickRanked(state.decision, { rank: ev.rank, key, value: ev }, 'decision');
      state.facts['decision.outcome'] = state.decision.value.outcome;
      state.facts['decision.track'] = state.decision.value.track;
      return;
    case 'missingFact': {
      const index = itemId === null ? -1 : request.order.items.findIndex((i) => i.id === itemId);
      state.missing.add(ev.path.replace('{item.index}', String(index)));
      return;
    }
    case 'policyFinding':
      // An item-scoped finding is said once, however many items it holds for.
      if (!state.findings.some((f) => f.event === ev)) state.findings.push({ event: ev });
      return;
    case 'appealStep': {
      const value = {
        event: ev,
        notBefore: ev.notBefore ? (evalExpr(ev.notBefore, ctx) as CivilDate | null) : null,
        notAfter: ev.notAfter ? (evalExpr(ev.notAfter, ctx) as CivilDate | null) : null,
        details: Object.fromEntries(Object.entries(ev.details).map(([k, e]) => [k, evalExpr(e, ctx)])),
      };
      const pick = pickRanked(state.appeal.get(ev.step), { rank: ev.rank, key, value }, `appeal step ${ev.step}`);
      state.appeal.set(ev.step, pick);
      // Facts follow the winning event, as for remedies (not the last one applied).
      for (const [k, v] of Object.entries(pick.value.details)) state.facts[`appeal.${ev.step}.${k}`] = v as FactValue;
      state.facts[`appeal.${ev.step}.status`] = pick.value.event.status;
      return;
    }
    case 'refund': {
      const round2 = (n: number) => Math.round(n * 100) / 100;
      const itemsAmount = round2(Number(evalExpr(ev.items, ctx) ?? 0));
      const outbound = round2(Number(evalExpr(ev.outboundShipping, ctx) ?? 0));
      const total = round2(itemsAmount + outbound);
      const deadline = ev.deadline ? (state.deadlines.get(ev.deadline)?.value.end ?? null) : null;
      // Refunds received, in date order: what was paid, and when the sums due were fully paid.
      const receipts = request.incident.history
        .filter((h) => h.type === 'refund_received')
        .sort((a, b) => compareDates(a.at, b.at));
      const paid = round2(receipts.reduce((s, h) => s + (h.amount ?? 0), 0));
      const outstanding = round2(Math.max(0, total - paid));
      let penalty: ComputedRefund['penalty'] = null;
      if (ev.due && ev.penalty && deadline) {
        let cumulative = 0;
        let fullyPaidAt: CivilDate | null = null;
        let paidOnTime = 0;
        for (const h of receipts) {
          cumulative += h.amount ?? 0;
          if (compareDates(h.at, deadline) <= 0) paidOnTime += h.amount ?? 0;
          if (!fullyPaidAt && cumulative >= total - 0.005) fullyPaidAt = h.at;
        }
        const ladder = LadderSchema.parse(ctx.param(ev.penalty.ladder));
        // Read only if an interest tier applies: a rate not encoded for the date is a 422 only then.
        const legalRateExpr = ev.penalty.legalRate;
        const legalRate = legalRateExpr ? () => evalExpr(legalRateExpr, ctx) as number | null : null;
        const cap = ev.penalty.cap ? (evalExpr(ev.penalty.cap, ctx) as number | null) : null;
        penalty = applyLadder(ladder, round2(Math.max(0, total - paidOnTime)), deadline, fullyPaidAt ?? asOf, legalRate, cap);
      }
      const value: ComputedRefund = { event: ev, items: itemsAmount, outboundShipping: outbound, total, deadline, paid, outstanding, penalty };
      state.refund = pickRanked(state.refund, { rank: ev.rank, key, value }, 'refund');
      const r = state.refund.value;
      Object.assign(state.facts, {
        'refund.items': r.items,
        'refund.outboundShipping': r.outboundShipping,
        'refund.total': r.total,
        'refund.deadline': r.deadline,
        'refund.paid': r.paid,
        'refund.outstanding': r.outstanding,
        'refund.penalty.daysLate': r.penalty?.daysLate ?? null,
        'refund.penalty.rate': r.penalty?.rate ?? null,
        'refund.penalty.amount': r.penalty?.amount ?? null,
        'refund.penalty.percent': r.penalty ? Math.round(r.penalty.rate * 10000) / 100 : null,
      });
      return;
    }
  }
  void ruleset;
}

function assemble(
  state: State,
  request: VerdictRequest,
  ruleset: Ruleset,
  asOf: CivilDate,
  locale: Locale,
  region: string | null,
  currency: string,
): Verdict {
  const cited = new Set<string>();
  const cite = (basis: string[]) => {
    for (const b of basis) cited.add(b);
    return [...basis];
  };
  const say = (text: { fr: string; en: string }) => render(text, locale, (n) => state.facts[n], currency);

  if (!state.decision)
    throw new OutsideCoverageError(
      `No rule of ruleset ${ruleset.version} decides a "${request.incident.type}" incident on these facts; no default answer is given.`,
      { path: 'incident.type' },
    );

  const remedies: Remedy[] = [];
  for (const track of TRACKS) {
    const r = state.remedies.get(track);
    if (!r) continue;
    const ev = r.value;
    remedies.push({
      track,
      status: ev.status,
      deadline: ev.deadline ? (state.deadlines.get(ev.deadline)?.value.end ?? null) : null,
      reason: say(ev.reason),
      basis: cite(ev.basis),
    });
  }

  const exclusions: Exclusion[] = [...state.exclusions.values()].map(({ event, itemIds }) => ({
    id: event.id,
    itemIds: [...itemIds],
    effect: event.effect,
    overriddenBy: event.overridableBy.find((t) => state.remedies.get(t)?.value.status === 'available') ?? null,
    reason: say(event.reason),
    basis: cite(event.basis),
  }));

  const deadlines: Deadline[] = [...state.deadlines.values()]
    .filter((d) => !d.value.internal)
    .map(({ value: d }) => {
      const daysLeft = daysBetween(asOf, d.end);
      return {
        id: d.id,
        start: d.start,
        end: d.end,
        rolledFrom: d.rolledFrom,
        status: daysLeft >= 0 ? ('open' as const) : ('passed' as const),
        daysLeft,
        explanation: say(d.event.explanation),
        basis: cite(d.event.basis),
      };
    });

  const rs = state.returnShipping?.value;
  const rf = state.refund?.value;
  const appealPath: AppealStep[] = [...state.appeal.values()]
    .sort((a, b) => a.value.event.order - b.value.event.order)
    .map(({ value: s }) => ({
      step: s.event.step,
      status: s.event.status,
      notBefore: s.notBefore,
      notAfter: s.notAfter,
      preconditions: [...s.event.preconditions],
      explanation: say(s.event.explanation),
      ...(Object.keys(s.details).length ? { details: s.details } : {}),
      basis: cite(s.event.basis),
    }));

  const verdictBody = {
    asOf,
    jurisdiction: request.jurisdiction,
    region,
    policy: request.policy ?? null,
    locale,
    orderId: request.order.id ?? null,
    ruleset: { version: ruleset.version, digest: ruleset.digest },
    decision: {
      outcome: state.decision.value.outcome,
      track: state.decision.value.track,
      summary: say(state.decision.value.summary),
    },
    remedies,
    exclusions,
    deadlines,
    returnShipping: rs ? { payer: rs.payer, reason: say(rs.reason), basis: cite(rs.basis) } : null,
    refund: rf
      ? {
          due: rf.event.due,
          items: rf.items,
          outboundShipping: rf.outboundShipping,
          total: rf.total,
          currency,
          deadline: rf.deadline,
          paid: rf.paid,
          outstanding: rf.outstanding,
          penalty:
            rf.penalty && rf.event.penalty
              ? { ...rf.penalty, explanation: say(rf.event.explanation), basis: cite(rf.event.penalty.basis) }
              : null,
          explanation: say(rf.event.explanation),
          basis: cite(rf.event.basis),
        }
      : null,
    appealPath,
    policyFindings: state.findings.map((f) => ({ clause: f.event.clause, issue: say(f.event.issue), basis: cite(f.event.basis) })),
    missingFacts: [...state.missing].sort(),
    reviewFlags: [...state.reviewParams].sort().map((p) => {
      const policyNote = policyReviewNote(ruleset.policies, p);
      if (policyNote !== null) return { parameter: p, note: policyNote };
      const [fileId, name] = p.split('#') as [string, string];
      const spec = ruleset.files.get(fileId)!.parameters[name]!;
      return { parameter: p, note: spec.note ?? spec.description };
    }),
  };

  const legalBasis: Verdict['legalBasis'] = {};
  for (const id of [...cited].sort()) {
    const lb = ruleset.legalBasis[id]!;
    legalBasis[id] = { citation: lb.citation[locale], title: lb.title[locale], url: lb.url, version: lb.version, status: lb.status };
  }
  const verdictId = createHash('sha256')
    .update(canonical({ request: { ...request, locale }, ruleset: ruleset.digest, asOf }))
    .digest('hex')
    .slice(0, 32);
  return {
    verdictId,
    ...verdictBody,
    legalBasis,
    ...(request.explain ? { trace: state.trace } : {}),
  };
}
