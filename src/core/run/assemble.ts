// Step 4 of an evaluation: the verdict, from what the fired rules produced. Every sentence is rendered
// in the request's language, every citation resolved, and the verdict id computed last.
import type { AppealStep, Deadline, Exclusion, Remedy, Verdict } from '../../contract/verdict.js';
import { TRACKS } from '../../contract/verdict.js';
import { daysBetween } from '../calendar.js';
import { OutsideCoverageError } from '../errors.js';
import { policyReviewNote } from '../policy-facts.js';
import type { CompiledText } from '../plan/templates.js';
import type { Ruleset } from '../ruleset/load.js';
import { dateFor } from '../plan/select.js';
import type { RuleFile } from '../ruleset/schema.js';
import type { Locale } from '../../contract/primitives.js';
import type { Run } from './state.js';

type Citation = Verdict['legalBasis'][string];

/** The ruleset's citations as verdicts show them: built once per ruleset, shared, frozen. */
interface Citations {
  /** Every legal-basis id, sorted: a verdict marks the ones it cites by index. */
  ids: string[];
  index: Map<string, number>;
  entries: Record<Locale, Citation[]>;
  /** The `legalBasis` object of a set of cited ids, by the set (verdicts of one kind cite the same set). */
  objects: Record<Locale, Map<string, Verdict['legalBasis']>>;
  reviewNotes: Map<string, string>;
  /** Former numbers of each article, earliest first. */
  formerly: Map<string, { id: string; until: string; by?: 'contract_date' }[]>;
  /**
   * A rule's basis list cited as it stands whatever the dates (no article of it was renumbered): the
   * list without repeats, frozen and shared by every verdict, and the indices it marks.
   */
  fixed: WeakMap<readonly string[], { ids: readonly string[]; marks: number[] } | null>;
  /**
   * The `reviewFlags` of a set of parameters (frozen, shared), found by walking a tree in the order the
   * parameters were met: verdicts of one kind meet them in the same order, and each step looks up one
   * parameter's name (the same string every time, its hash kept), not a key joined, flattened and
   * hashed for every verdict. At most 10,000 nodes, then the tree starts again.
   */
  reviewFlags: FlagsNode;
  reviewFlagNodes: number;
  /**
   * Which ids the verdict being assembled cites, by index: one array, emptied for each verdict
   * (assembling is synchronous, so no two verdicts use it at once), not a typed array made per verdict.
   */
  marks: Uint8Array;
}
interface FlagsNode {
  next: Map<string, FlagsNode>;
  flags: Verdict['reviewFlags'] | undefined;
}
const flagsNode = (): FlagsNode => ({ next: new Map(), flags: undefined });
const citationsByRuleset = new WeakMap<Ruleset, Citations>();
function citationsOf(ruleset: Ruleset): Citations {
  let c = citationsByRuleset.get(ruleset);
  if (!c) {
    const ids = Object.keys(ruleset.legalBasis).sort();
    const entry = (id: string, l: Locale) => {
      const lb = ruleset.legalBasis[id]!;
      return Object.freeze({ citation: lb.citation[l], title: lb.title[l], url: lb.url, version: lb.version, status: lb.status });
    };
    c = {
      ids,
      index: new Map(ids.map((id, i) => [id, i])),
      entries: { fr: ids.map((id) => entry(id, 'fr')), en: ids.map((id) => entry(id, 'en')) },
      objects: { fr: new Map(), en: new Map() },
      reviewNotes: new Map(),
      formerly: new Map(
        Object.entries(ruleset.legalBasis)
          .filter(([, lb]) => lb.formerly.length)
          .map(([id, lb]) => [id, [...lb.formerly].sort((a, b) => (a.until < b.until ? -1 : 1))]),
      ),
      fixed: new WeakMap(),
      reviewFlags: flagsNode(),
      reviewFlagNodes: 0,
      marks: new Uint8Array(ids.length),
    };
    citationsByRuleset.set(ruleset, c);
  }
  return c;
}

function legalBasisObject(c: Citations, marks: Uint8Array, locale: Locale): Verdict['legalBasis'] {
  const cited: number[] = [];
  for (let i = 0; i < marks.length; i++) if (marks[i]) cited.push(i);
  // One character per cited index: a short key, hashed and compared quickly (join wrote each number).
  const key = c.ids.length <= 0xffff ? String.fromCharCode(...cited) : cited.join(',');
  const cache = c.objects[locale];
  let obj = cache.get(key);
  if (!obj) {
    obj = {};
    for (const i of cited) obj[c.ids[i]!] = c.entries[locale][i]!;
    Object.freeze(obj);
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, obj);
  }
  return obj;
}

/**
 * The id an article was cited by on `date` (or on `contractDate` for a former number the contract's own
 * law keeps): its former number when the date is before the renumbering.
 */
function numberedOn(c: Citations, id: string, date: string, contractDate: string): string {
  for (const f of c.formerly.get(id) ?? []) if ((f.by === 'contract_date' ? contractDate : date) <= f.until) return f.id;
  return id;
}

/** The basis list as every verdict cites it, when no date can change it (see Citations.fixed). */
function fixedCitation(c: Citations, basis: readonly string[]) {
  let fixed = c.fixed.get(basis);
  if (fixed === undefined) {
    const ids = [...new Set(basis)];
    fixed = ids.some((id) => c.formerly.has(id)) ? null : { ids: Object.freeze(ids), marks: ids.map((id) => c.index.get(id)!) };
    c.fixed.set(basis, fixed);
  }
  return fixed;
}

/** The verdict's `reviewFlags` for the parameters it used. */
function reviewFlagsOf(c: Citations, ruleset: Ruleset, params: ReadonlySet<string>): Verdict['reviewFlags'] {
  if (c.reviewFlagNodes >= 10_000) {
    c.reviewFlags = flagsNode();
    c.reviewFlagNodes = 0;
  }
  let node = c.reviewFlags;
  for (const p of params) {
    let child = node.next.get(p);
    if (!child) {
      child = flagsNode();
      node.next.set(p, child);
      c.reviewFlagNodes++;
    }
    node = child;
  }
  return (node.flags ??= Object.freeze([...params].sort().map((p) => Object.freeze({ parameter: p, note: reviewNote(c, ruleset, p) }))) as Verdict['reviewFlags']);
}

/** The note a verdict shows for a parameter flagged for legal review. */
function reviewNote(c: Citations, ruleset: Ruleset, key: string): string {
  let note = c.reviewNotes.get(key);
  if (note === undefined) {
    const policyNote = policyReviewNote(ruleset.policies, key);
    if (policyNote !== null) note = policyNote;
    else {
      const [fileId, name] = key.split('#') as [string, string];
      const spec = ruleset.files.get(fileId)!.parameters[name]!;
      note = spec.note ?? spec.description;
    }
    c.reviewNotes.set(key, note);
  }
  return note;
}

export function assembleVerdict(run: Run): Verdict {
  const { out, request, ruleset, asOf, locale, region, currency } = run;
  const citations = citationsOf(ruleset);
  const marks = citations.marks.fill(0);
  // Each article is cited by the number it had on the date the citing file turns on (L121-21 before L221-18),
  // or on the contract date where the contract's own law still governs (C. civ. 1139 before 1344).
  const cite = (basis: string[], by: RuleFile['appliesBy']): string[] => {
    const fixed = fixedCitation(citations, basis);
    if (fixed) {
      for (const i of fixed.marks) marks[i] = 1;
      return fixed.ids as string[];
    }
    const date = dateFor(by, run.dates);
    const out: string[] = []; // without repeats, in order (a Set for a few ids cost more than the rest)
    for (const id of basis) {
      const b = numberedOn(citations, id, date, run.dates.contract);
      if (out.includes(b)) continue;
      out.push(b);
      marks[citations.index.get(b)!] = 1;
    }
    return out;
  };
  const say = (t: CompiledText) => run.strategy.say(t, run);

  if (!out.decision)
    throw new OutsideCoverageError(
      `No rule of ruleset ${ruleset.version} decides a "${request.incident.type}" incident on these facts; no default answer is given.`,
      { path: 'incident.type' },
    );

  const remedies: Remedy[] = [];
  for (const track of TRACKS) {
    const r = out.remedies.get(track);
    if (!r) continue;
    const ev = r.value.ev;
    remedies.push({
      track,
      status: ev.status,
      deadline: ev.deadline ? (out.deadlines.get(ev.deadline)?.value.end ?? null) : null,
      reason: say(r.value.reason),
      basis: cite(ev.basis, r.value.appliesBy),
    });
  }

  const exclusions: Exclusion[] = [...out.exclusions.values()].map(({ event, itemIds }) => ({
    id: event.ev.id,
    itemIds: [...itemIds],
    effect: event.ev.effect,
    overriddenBy: event.ev.overridableBy.find((t) => out.remedies.get(t)?.value.ev.status === 'available') ?? null,
    reason: say(event.reason),
    basis: cite(event.ev.basis, event.appliesBy),
  }));

  // A deadline that belongs to a remedy is shown only with that remedy.
  const deadlines: Deadline[] = [...out.deadlines.values()]
    .filter((d) => !d.value.internal && (d.value.event.ev.track === null || out.remedies.has(d.value.event.ev.track)))
    .map(({ value: d }) => {
      const daysLeft = daysBetween(asOf, d.end);
      return {
        id: d.id,
        start: d.start,
        end: d.end,
        rolledFrom: d.rolledFrom,
        extendedFrom: d.extendedFrom,
        status: daysLeft >= 0 ? ('open' as const) : ('passed' as const),
        daysLeft,
        explanation: say(d.event.explanation),
        basis: cite(d.event.ev.basis, d.event.appliesBy),
      };
    });

  const rs = out.returnShipping?.value;
  const rf = out.refund?.value;
  const appealPath: AppealStep[] = [...out.appeal.values()]
    .sort((a, b) => a.value.event.ev.order - b.value.event.ev.order)
    .map(({ value: s }) => {
      const { step, status, preconditions } = s.event.ev;
      const { notBefore, notAfter, details } = s;
      const explanation = say(s.event.explanation);
      const basis = cite(s.event.ev.basis, s.event.appliesBy);
      // Two literals rather than a spread of `details`: a key defined after a spread is a slow runtime call.
      return s.event.details.length
        ? { step, status, notBefore, notAfter, preconditions: [...preconditions], explanation, details, basis }
        : { step, status, notBefore, notAfter, preconditions: [...preconditions], explanation, basis };
    });

  const decision = out.decision.value;
  return {
    verdictId: run.strategy.verdictId(request, locale, ruleset.digest, asOf),
    asOf,
    jurisdiction: request.jurisdiction,
    region,
    policy: request.policy ?? null,
    locale,
    orderId: request.order.id ?? null,
    ruleset: { version: ruleset.version, digest: ruleset.digest },
    decision: {
      outcome: decision.ev.outcome,
      track: decision.ev.track,
      summary: say(decision.summary),
      // The other remedies open on the same facts, in the order of the tracks, each in its own words.
      alternatives: remedies.filter((r) => r.status === 'available' && r.track !== decision.ev.track).map((r) => ({ track: r.track, summary: r.reason })),
    },
    remedies,
    exclusions,
    deadlines,
    returnShipping: rs ? { payer: rs.ev.payer, reason: say(rs.reason), basis: cite(rs.ev.basis, rs.appliesBy) } : null,
    refund: rf
      ? {
          due: rf.event.ev.due,
          items: rf.items,
          outboundShipping: rf.outboundShipping,
          total: rf.total,
          currency,
          deadline: rf.deadline,
          paid: rf.paid,
          outstanding: rf.outstanding,
          overpaid: rf.overpaid,
          computedFrom:
            rf.event.ev.amountFrom === 'history' ? ('history' as const) : request.order.amountPaid === undefined ? ('prices' as const) : ('amount_paid' as const),
          penalty:
            rf.penalty && rf.event.ev.penalty
              ? {
                  daysLate: rf.penalty.daysLate,
                  rate: rf.penalty.rate,
                  amount: rf.penalty.amount,
                  tranches: rf.penalty.tranches.map((t) => ({ ...t })),
                  cappedAt: rf.penalty.cappedAt,
                  afterCap: rf.penalty.afterCap && { ...rf.penalty.afterCap },
                  explanation: say(rf.event.explanation),
                  basis: cite(rf.event.ev.penalty.basis, rf.event.appliesBy),
                }
              : null,
          explanation: say(rf.event.explanation),
          basis: cite(rf.event.ev.basis, rf.event.appliesBy),
        }
      : null,
    appealPath,
    policyFindings: out.findings.map((f) => ({ clause: f.event.ev.clause, issue: say(f.event.issue), basis: cite(f.event.ev.basis, f.event.appliesBy) })),
    historyFindings: [...out.historyFindings]
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.event.ev.act < b.event.ev.act ? -1 : a.event.ev.act > b.event.ev.act ? 1 : 0))
      .map((f) => ({ type: f.event.ev.act, at: f.at, finding: f.event.ev.finding, explanation: say(f.event.explanation), basis: cite(f.event.ev.basis, f.event.appliesBy) })),
    evidence: [...out.evidence.values()].map(({ value: e }) => ({
      id: e.event.ev.id,
      what: say(e.event.what),
      why: say(e.event.why),
      by: e.by,
      basis: cite(e.event.ev.basis, e.event.appliesBy),
    })),
    missingFacts: [...out.missing].sort(),
    reviewFlags: reviewFlagsOf(citations, ruleset, out.reviewParams),
    legalBasis: legalBasisObject(citations, marks, locale),
    ...(request.explain ? { trace: out.trace } : {}),
  };
}
