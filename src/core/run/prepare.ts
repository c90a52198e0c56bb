// Step 1 of an evaluation: check the request, compute its facts into slots, select the rules and
// parameter values in force for it. Every refusal here names what is wrong (400) or what is not
// covered (422); nothing is guessed.
import type { Locale } from '../../contract/primitives.js';
import type { VerdictRequest } from '../../contract/request.js';
import type { CivilDate } from '../calendar.js';
import { InvalidRequestError, OutsideCoverageError } from '../errors.js';
import { checkRequest, civilDateOf, ITEM_FACTS, ORDER_FACTS, orderContext } from '../facts.js';
import { policyItemFacts, policyOrderFacts } from '../policy-facts.js';
import type { Ruleset } from '../ruleset/load.js';
import type { Slots } from '../plan/slots.js';
import { Outcomes, type Run, type Strategy } from './state.js';

export function prepareRun(request: VerdictRequest, ruleset: Ruleset, asOf: CivilDate, strategy: Strategy): Run {
  const jurisdiction = ruleset.jurisdictions.get(request.jurisdiction);
  if (!jurisdiction)
    throw new OutsideCoverageError(`No rules are encoded for jurisdiction ${request.jurisdiction}; covered: ${[...ruleset.jurisdictions.keys()].join(', ')}.`, {
      path: 'jurisdiction',
    });
  const { spec, calendar } = jurisdiction;
  // The order's civil date, read once (a date-time needs the zone's offset on that day).
  const placed = civilDateOf(request.order.placedAt, spec.zone);
  const problems = checkRequest(request, asOf, spec.zone, placed);
  if (problems.length) throw new InvalidRequestError(problems);

  const plan = ruleset.plan;
  const slots: Slots = plan.emptySlots.slice();
  const context = orderContext(request, asOf, spec.zone, spec.euMemberStates, placed);
  for (let i = 0; i < ORDER_FACTS.length; i++) slots[i] = ORDER_FACTS[i]![1](context);

  // The merchant policy the request names, offered to the policy-layer rules as facts (policy-facts.ts).
  const policy = request.policy ? ruleset.policies.get(request.policy) : undefined;
  if (request.policy && policy?.jurisdiction !== request.jurisdiction)
    throw new OutsideCoverageError(
      `No merchant policy "${request.policy}" is loaded for ${request.jurisdiction}; loaded: ${[...ruleset.policies.values()].filter((p) => p.jurisdiction === request.jurisdiction).map((p) => p.id).join(', ') || 'none'} (GET /v1/policies).`,
      { path: 'policy' },
    );
  const itemPolicies = policy ? context.incidentItems.map((item) => policyItemFacts(policy, item, context.placed)) : null;
  const policyFacts = policy ? policyOrderFacts(policy, request, placed, itemPolicies!) : null;
  if (policyFacts) for (let i = 0; i < policyFacts.names.length; i++) slots[plan.policyOrderSlots.get(policyFacts.names[i]!)!] = policyFacts.values[i];
  const items = context.incidentItems.map((item, i) => {
    const itemPolicy = itemPolicies ? itemPolicies[i]! : null;
    const policySlots: unknown[] = [];
    if (itemPolicy) for (let f = 0; f < itemPolicy.names.length; f++) policySlots.push(plan.policyItemSlots.get(itemPolicy.names[f]!)!, itemPolicy.values[f]);
    return { item, values: ITEM_FACTS.map(([, read]) => read(item)), policy: itemPolicy, policySlots, defined: plan.itemDefineSlots.map(() => undefined) };
  });

  const dates = { contract: context.placed, event: request.incident.notifiedAt ?? asOf, asOf, recall: request.incident.recall?.noticeAt ?? asOf };
  const selection = plan.selector.select(request.jurisdiction, request.incident.type, !!request.policy, dates);
  if (selection.uncovered.length)
    throw new OutsideCoverageError(
      `The rules encoded do not cover this case: ${selection.uncovered.map((u) => `${u.family} (encoded from ${u.coveredFrom})`).join(', ')}. No default answer is given.`,
      { path: 'order.placedAt', families: selection.uncovered.map((u) => ({ ...u })) },
    );
  const { paramSlots, paramValues } = selection;
  for (let i = 0; i < paramSlots.length; i++) slots[paramSlots[i]!] = paramValues[i] as Slots[number];

  const locale: Locale = request.locale ?? 'fr';
  const region = request.region ?? null;
  return {
    ruleset,
    plan,
    strategy,
    request,
    asOf,
    locale,
    currency: request.order.currency,
    region,
    calendar,
    env: { calendar, region },
    items,
    policy: policy ?? null,
    policyFacts,
    selection,
    dates,
    slots,
    out: new Outcomes(plan),
  };
}
