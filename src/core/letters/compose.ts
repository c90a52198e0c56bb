// Which letters a verdict offers, and a letter filled from a verdict: pure functions of the verdict,
// the request it was given for and the ruleset's letters. A letter is offered only when the verdict
// puts its appeal step at `next` or `done` and its further conditions hold; otherwise the reason is
// said. Every value printed is the verdict's (or the request's) and every citation is one the verdict
// gives the element the sentence rests on.
import type { ChosenRemedy, Parties } from '../../contract/letters.js';
import type { Locale } from '../../contract/primitives.js';
import type { VerdictRequest } from '../../contract/request.js';
import type { Verdict } from '../../contract/verdict.js';
import type { CivilDate } from '../calendar.js';
import { STEP_LABELS, STEP_STATUS_LABELS } from '../labels.js';
import { OPERATOR_FUNCTIONS } from '../plan/operators.js';
import type { Ruleset } from '../ruleset/load.js';
import type { Condition } from '../ruleset/schema.js';
import { formatMoney, printValue } from '../text.js';
import type { LetterBlock, LetterDefinition, LoadedLetter } from './schema.js';
import { citedBasis, FILLABLE, letterValues, type LetterContext, type LetterValue } from './values.js';

/** A placeholder of a letter: {name}, {money:name}, {list:name} or {cite:element}. */
export const LETTER_PLACEHOLDER = /\{(?:(money|list|cite):)?([a-zA-Z0-9_.]+)\}/g;

/** What a letter prints where the parties' details were not given: a line to fill in by hand. */
export const BLANK = '……………………………';

/** The verdict does not offer this letter: a 422 that says why. */
export class LetterNotOfferedError extends Error {
  constructor(
    readonly letter: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'LetterNotOfferedError';
  }
}

/** The letter request lacks a field this letter needs, or names no letter the ruleset has: a 400 naming the field. */
export class LetterInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'LetterInputError';
  }
}

/** The verdict gives no value for something the letter prints: a 422 (a letter is never sent with a gap). */
export class LetterGapError extends Error {
  constructor(
    readonly letter: string,
    readonly value: string,
  ) {
    super(`The letter ${letter} prints ${value}, which this verdict does not give.`);
    this.name = 'LetterGapError';
  }
}

export type DocBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; align: 'left' | 'right' }
  | { kind: 'list'; items: string[] }
  | { kind: 'fields'; rows: { label: string; value: string }[] }
  | { kind: 'address'; lines: string[]; align: 'left' | 'right' }
  | { kind: 'signature'; lines: string[] };

/** A filled letter, ready for a renderer (text, HTML, PDF). */
export interface LetterDocument {
  id: string;
  locale: Locale;
  title: string;
  subject: string;
  asOf: CivilDate;
  verdictId: string;
  blocks: DocBlock[];
  /** The legal-basis ids the letter cites, in order of first citation: all of them cited by the verdict. */
  cited: string[];
  needsLegalReview: boolean;
}

export interface LetterOffer {
  id: string;
  title: string;
  description: string;
  step: LetterDefinition['step'];
  offered: boolean;
  /** Why not, in the verdict's language; null when offered. */
  reason: string | null;
}

function holds(c: Condition, values: ReadonlyMap<string, LetterValue>): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, values));
  if ('any' in c) return c.any.some((x) => holds(x, values));
  if ('not' in c) return !holds(c.not, values);
  const target = c.value && typeof c.value === 'object' && !Array.isArray(c.value) && 'fact' in c.value ? (values.get((c.value as { fact: string }).fact) ?? null) : c.value;
  return OPERATOR_FUNCTIONS[c.operator](values.get(c.fact) ?? null, target);
}

const REASONS: Record<Locale, { noStep: string; step: string }> = {
  fr: {
    noStep: 'Le parcours de recours du verdict ne comporte pas l\'étape « {step} » dont relève cette lettre.',
    step: 'Cette lettre relève de l\'étape « {step} », que le verdict place à « {status} » : {explanation}',
  },
  en: {
    noStep: 'The verdict\'s appeal path has no "{step}" step, which this letter belongs to.',
    step: 'This letter belongs to the "{step}" step, which the verdict puts at "{status}": {explanation}',
  },
};

/** Why the verdict does not offer the letter, or null when it does. */
function notOfferedBecause(def: LetterDefinition, verdict: Verdict, values: ReadonlyMap<string, LetterValue>, locale: Locale, currency: string): string | null {
  const step = verdict.appealPath.find((s) => s.step === def.step);
  const words = REASONS[locale];
  if (!step) return words.noStep.replace('{step}', STEP_LABELS[def.step][locale]);
  if (step.status !== 'next' && step.status !== 'done')
    return words.step
      .replace('{step}', STEP_LABELS[def.step][locale])
      .replace('{status}', STEP_STATUS_LABELS[step.status][locale])
      .replace('{explanation}', step.explanation);
  for (const r of def.requires) if (!holds(r.condition, values)) return new Filler(def.id, verdict, values, currency).fillLoose(r.otherwise[locale]);
  return null;
}

export interface LetterInput {
  verdict: Verdict;
  request: VerdictRequest;
  parties?: Parties;
  remedy?: ChosenRemedy | null;
}

const currencyOf = (input: LetterInput) => input.verdict.refund?.currency ?? input.request.order.currency;

function contextOf(input: LetterInput, ruleset: Ruleset): LetterContext {
  const zone = ruleset.jurisdictions.get(input.request.jurisdiction)?.spec.zone ?? 'Europe/Paris';
  const policy = input.request.policy ? (ruleset.policies.get(input.request.policy) ?? null) : null;
  return { verdict: input.verdict, request: input.request, zone, parties: input.parties ?? {}, remedy: input.remedy ?? null, policy };
}

/** Every letter of the verdict's jurisdiction, offered or not (and why not). */
export function letterOffers(input: LetterInput, ruleset: Ruleset): LetterOffer[] {
  const values = letterValues(contextOf(input, ruleset));
  const locale = input.verdict.locale;
  return [...ruleset.letters.values()]
    .filter((l) => l.definition.jurisdiction === input.verdict.jurisdiction)
    .map(({ definition: def }) => {
      const reason = notOfferedBecause(def, input.verdict, values, locale, currencyOf(input));
      return { id: def.id, title: def.title[locale], description: def.description[locale], step: def.step, offered: reason === null, reason };
    });
}

class Filler {
  readonly cited: string[] = [];
  constructor(
    private readonly letter: string,
    private readonly verdict: Verdict,
    private readonly values: ReadonlyMap<string, LetterValue>,
    private readonly currency: string,
  ) {}

  /** A text that is a single {list:name} gives one text per element; any other text, itself filled. */
  fillEach(template: string): string[] {
    const m = /^\{list:([a-zA-Z0-9_.]+)\}$/.exec(template);
    if (!m) return [this.fill(template)];
    const v = this.values.get(m[1]!) ?? null;
    if (!Array.isArray(v)) throw new LetterGapError(this.letter, m[1]!);
    return v.map(String);
  }

  /** For the reason a letter is not offered: a value the verdict does not give is a dash, never an error. */
  fillLoose(template: string): string {
    return template.replace(LETTER_PLACEHOLDER, (_m, kind: string | undefined, name: string) => {
      const v = kind === 'cite' ? null : (this.values.get(name) ?? null);
      return v === null ? '—' : kind === 'money' ? formatMoney(Number(v), this.currency, this.verdict.locale) : printValue(v, kind ?? null, name, this.verdict.locale, this.currency);
    });
  }

  fill(template: string): string {
    const locale = this.verdict.locale;
    return template.replace(LETTER_PLACEHOLDER, (_m, kind: string | undefined, name: string) => {
      if (kind === 'cite') return this.cite(name);
      const v = this.values.get(name) ?? null;
      if (v === null) {
        if (FILLABLE.has(name)) return BLANK;
        throw new LetterGapError(this.letter, name);
      }
      if (kind === 'money') return formatMoney(Number(v), this.currency, locale);
      return printValue(v, kind ?? null, name, locale, this.currency);
    });
  }

  private cite(ref: string): string {
    const ids = citedBasis(this.verdict, ref);
    if (!ids || !ids.length) throw new LetterGapError(this.letter, `the citations of ${ref}`);
    const out: string[] = [];
    for (const id of ids) {
      const entry = this.verdict.legalBasis[id];
      if (!entry) throw new LetterGapError(this.letter, `the citation ${id}`);
      if (!this.cited.includes(id)) this.cited.push(id);
      out.push(entry.citation);
    }
    return out.join(this.verdict.locale === 'fr' ? ' ; ' : '; ');
  }
}

function fillBlock(b: LetterBlock, f: Filler, on: (c: Condition | undefined) => boolean): DocBlock | null {
  if (!on(b.when)) return null;
  switch (b.kind) {
    case 'heading':
      return { kind: 'heading', text: f.fill(b.text) };
    case 'paragraph':
      return { kind: 'paragraph', text: f.fill(b.text), align: b.align };
    case 'list': {
      // A line that is one {list:…} value alone gives one item per element.
      const items = b.items.filter((i) => on(i.when)).flatMap((i) => f.fillEach(i.text));
      return items.length ? { kind: 'list', items } : null;
    }
    case 'fields':
      return { kind: 'fields', rows: b.rows.filter((r) => on(r.when)).map((r) => ({ label: f.fill(r.label), value: f.fill(r.value) })) };
    case 'address':
    case 'signature': {
      // A multi-line value (an address) gives as many lines.
      const lines = b.lines.filter((l) => on(l.when)).flatMap((l) => f.fill(l.text).split('\n'));
      return b.kind === 'address' ? { kind: 'address', lines, align: b.align } : { kind: 'signature', lines };
    }
  }
}

/** The letter filled from the verdict; throws LetterInputError, LetterNotOfferedError or LetterGapError. */
export function composeLetter(input: LetterInput, ruleset: Ruleset, letterId: string): LetterDocument {
  const loaded: LoadedLetter | undefined = ruleset.letters.get(letterId);
  if (!loaded || loaded.definition.jurisdiction !== input.verdict.jurisdiction)
    throw new LetterInputError(
      'letter',
      `no letter "${letterId}" for ${input.verdict.jurisdiction}; letters: ${[...ruleset.letters.values()]
        .filter((l) => l.definition.jurisdiction === input.verdict.jurisdiction)
        .map((l) => l.definition.id)
        .join(', ')}`,
    );
  const def = loaded.definition;
  if (def.needs.includes('remedy') && !input.remedy)
    throw new LetterInputError('remedy', `is required for the letter ${def.id}: the remedy the consumer demands (repair, replacement, price_reduction or rescission)`);
  const ctx = contextOf(input, ruleset);
  const values = letterValues(ctx);
  const locale = input.verdict.locale;
  const reason = notOfferedBecause(def, input.verdict, values, locale, currencyOf(input));
  if (reason !== null) throw new LetterNotOfferedError(def.id, reason);

  const template = loaded.templates[locale];
  const filler = new Filler(def.id, input.verdict, values, currencyOf(input));
  const on = (c: Condition | undefined) => c === undefined || holds(c, values);
  const blocks = template.blocks.map((b) => fillBlock(b, filler, on)).filter((b): b is DocBlock => b !== null);
  return {
    id: def.id,
    locale,
    title: def.title[locale],
    subject: filler.fill(template.subject),
    asOf: input.verdict.asOf,
    verdictId: input.verdict.verdictId,
    blocks,
    cited: filler.cited,
    needsLegalReview: def.needsLegalReview,
  };
}
