// What one evaluation holds: the request, its facts in slots, the rules selected for it, and what
// the events of the fired rules have produced so far. Nothing here outlives the evaluation.
import type { Locale } from '../../contract/primitives.js';
import type { Item, VerdictRequest } from '../../contract/request.js';
import type { Track, Verdict } from '../../contract/verdict.js';
import type { PenaltyResult } from '../penalty.js';
import type { Calendar, CivilDate } from '../calendar.js';
import type { CompiledEvent, Plan } from '../plan/compile.js';
import type { CompiledExpr, ExprEnv } from '../plan/expressions.js';
import type { CaseDates, Selection } from '../plan/select.js';
import type { Slots } from '../plan/slots.js';
import type { CompiledText } from '../plan/templates.js';
import type { PolicyFacts } from '../policy-facts.js';
import type { Ruleset } from '../ruleset/load.js';
import type { PolicyFile } from '../ruleset/policy-schema.js';

type Ev<T extends CompiledEvent['type']> = Extract<CompiledEvent, { type: T }>;

export interface Ranked<T> {
  rank: number;
  key: string;
  value: T;
}

export interface ComputedDeadline {
  id: string;
  start: CivilDate | null;
  end: CivilDate;
  rolledFrom: CivilDate | null;
  extendedFrom: CivilDate | null;
  internal: boolean;
  event: Ev<'deadline'>;
}

export interface ComputedRefund {
  event: Ev<'refund'>;
  items: number;
  outboundShipping: number;
  total: number;
  deadline: CivilDate | null;
  paid: number;
  outstanding: number;
  overpaid: number;
  penalty: PenaltyResult | null;
}

export interface ComputedStep {
  event: Ev<'appealStep'>;
  notBefore: CivilDate | null;
  notAfter: CivilDate | null;
  details: Record<string, unknown>;
  /** The values of `details`, in the order of event.details. */
  detailValues: unknown[];
}

export interface ComputedEvidence {
  event: Ev<'evidence'>;
  by: CivilDate | null;
}

export class Outcomes {
  /** What order-scoped rules defined, in the order of plan.orderDefineSlots, with the rank that won. */
  readonly defined: ((Ranked<unknown> & { stage: number }) | undefined)[];
  deadlines = new Map<string, Ranked<ComputedDeadline> & { stage: number }>();
  remedies = new Map<Track, Ranked<Ev<'remedy'>>>();
  exclusions = new Map<string, { event: Ev<'exclusion'>; itemIds: string[] }>();
  returnShipping: Ranked<Ev<'returnShipping'>> | null = null;
  refund: Ranked<ComputedRefund> | null = null;
  decision: Ranked<Ev<'decision'>> | null = null;
  appeal = new Map<string, Ranked<ComputedStep>>();
  findings: { event: Ev<'policyFinding'> }[] = [];
  historyFindings: { event: Ev<'historyFinding'>; at: CivilDate }[] = [];
  /** By id, in the order the items were first given. */
  evidence = new Map<string, Ranked<ComputedEvidence>>();
  missing = new Set<string>();
  reviewParams = new Set<string>();
  trace: NonNullable<Verdict['trace']> = [];

  constructor(plan: Plan) {
    this.defined = plan.orderDefineSlots.map(() => undefined);
  }
}

/**
 * How expressions, sentences and the verdict id are computed: compiled on the hot path, interpreted by
 * the oracle. Everything else in an evaluation is the same code for both.
 */
export interface Strategy {
  expr(e: CompiledExpr, run: Run): unknown;
  say(t: CompiledText, run: Run): string;
  /** The id of the verdict on `request` answered in `locale` (the request as if it named it). */
  verdictId(request: VerdictRequest, locale: Locale, digest: string, asOf: CivilDate): string;
}

export interface RunItem {
  item: Item;
  values: unknown[];
  policy: PolicyFacts | null;
  /** The item's policy facts as slot, value, slot, value…: loaded with the item at every stage. */
  policySlots: unknown[];
  /** What item-scoped rules defined about this item, in the order of plan.itemDefineSlots, with the rank that won. */
  defined: ({ rank: number; key: string; value: unknown; stage: number } | undefined)[];
}

export interface Run {
  ruleset: Ruleset;
  plan: Plan;
  strategy: Strategy;
  request: VerdictRequest;
  asOf: CivilDate;
  locale: Locale;
  currency: string;
  region: string | null;
  calendar: Calendar;
  env: ExprEnv;
  /** The incident's items, each with its facts in ITEM_FACTS order. */
  items: RunItem[];
  policy: PolicyFile | null;
  policyFacts: PolicyFacts | null;
  selection: Selection;
  /** The dates rule files turn on (appliesBy): the contract's, the event's, asOf. */
  dates: CaseDates;
  slots: Slots;
  out: Outcomes;
}
