// Loads rules/<jurisdiction>/letters/ with the rest of the ruleset and checks what zod cannot: every
// definition has its text in every language; texts print only values a verdict gives, cite only
// elements of the verdict and never write an article number of their own; the languages of a letter
// have the same blocks, conditions and citations. Any defect is a RulesetError naming the file.
import type { z } from 'zod';
import type { Locale } from '../../contract/primitives.js';
import type { Condition, LegalBasisFile, RuleFile } from '../ruleset/schema.js';
import { LETTER_PLACEHOLDER } from './compose.js';
import {
  LetterCasesFileSchema,
  LetterDefinitionSchema,
  LetterTemplateSchema,
  type LetterBlock,
  type LetterCasesFile,
  type LetterDefinition,
  type LetterTemplate,
  type LoadedLetter,
} from './schema.js';
import { isCitableName, isLetterValueName, type LetterVocabulary } from './values.js';

const LOCALES: readonly Locale[] = ['fr', 'en'];

/** An article number written out ("art. L221-18", "article 1344", "L242-4"): letters cite through {cite:…}. */
const ARTICLE_NUMBER = /\b(?:art(?:icle)?s?\.?\s+[LRD]?\d)|\b[LRD]\.?\s?\d{3}-\d+/i;

export interface RawLetterFile {
  /** Path below rules/, e.g. fr/letters/withdrawal_form.fr.json. */
  rel: string;
  json: unknown;
}

type Fail = (file: string, problems: string[]) => never;

function vocabularyOf(files: ReadonlyMap<string, RuleFile>): LetterVocabulary {
  const deadlines = new Set<string>();
  const stepDetails = new Map<string, Set<string>>();
  const evidence = new Set<string>();
  for (const f of files.values())
    for (const r of f.rules) {
      const ev = r.event;
      if (ev.type === 'deadline' && !ev.internal) deadlines.add(ev.id);
      if (ev.type === 'appealStep') {
        const keys = stepDetails.get(ev.step) ?? new Set<string>();
        for (const k of Object.keys(ev.details)) keys.add(k);
        stepDetails.set(ev.step, keys);
      }
      if (ev.type === 'evidence') evidence.add(ev.id);
    }
  return { deadlines, stepDetails, evidence };
}

function* conditionLeaves(c: Condition): Generator<Extract<Condition, { fact: string }>> {
  if ('all' in c) for (const x of c.all) yield* conditionLeaves(x);
  else if ('any' in c) for (const x of c.any) yield* conditionLeaves(x);
  else if ('not' in c) yield* conditionLeaves(c.not);
  else yield c;
}

function conditionProblems(c: Condition | undefined, where: string, vocab: LetterVocabulary): string[] {
  if (!c) return [];
  const out: string[] = [];
  for (const leaf of conditionLeaves(c)) {
    if (!isLetterValueName(leaf.fact, vocab)) out.push(`${where}: unknown letter value "${leaf.fact}"`);
    const v = leaf.value as { fact?: string; param?: string } | null;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (v.param) out.push(`${where}: letters read verdict values, not parameters ("${v.param}")`);
      if (v.fact && !isLetterValueName(v.fact, vocab)) out.push(`${where}: unknown letter value "${v.fact}"`);
    }
  }
  return out;
}

function textProblems(text: string, where: string, vocab: LetterVocabulary): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(LETTER_PLACEHOLDER.source, 'g'))) {
    const [, kind, name] = m as unknown as [string, string | undefined, string];
    if (kind === 'cite' ? !isCitableName(name, vocab) : !isLetterValueName(name, vocab))
      out.push(`${where}: ${kind === 'cite' ? 'cannot cite' : 'unknown letter value'} "${name}"`);
  }
  const bare = text.replace(new RegExp(LETTER_PLACEHOLDER.source, 'g'), '');
  if (/[{}]/.test(bare)) out.push(`${where}: a brace that is not a placeholder`);
  if (ARTICLE_NUMBER.test(bare)) out.push(`${where}: writes an article number; cite the verdict's element instead ({cite:…})`);
  return out;
}

/** Each block's texts and conditions, for the checks and the comparison of languages. */
function blockParts(b: LetterBlock): { texts: string[]; whens: (Condition | undefined)[]; shape: string } {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
      return { texts: [b.text], whens: [b.when], shape: b.kind };
    case 'list':
      return { texts: b.items.map((i) => i.text), whens: [b.when, ...b.items.map((i) => i.when)], shape: `list/${b.items.length}` };
    case 'fields':
      return { texts: b.rows.flatMap((r) => [r.label, r.value]), whens: [b.when, ...b.rows.map((r) => r.when)], shape: `fields/${b.rows.length}` };
    case 'address':
    case 'signature':
      return { texts: b.lines.map((l) => l.text), whens: [b.when, ...b.lines.map((l) => l.when)], shape: `${b.kind}/${b.lines.length}` };
  }
}

const citesIn = (texts: string[]) =>
  texts.flatMap((t) => [...t.matchAll(new RegExp(LETTER_PLACEHOLDER.source, 'g'))].filter((m) => m[1] === 'cite').map((m) => m[2]));

/** The blocks, conditions and citations of a template: the same in every language of a letter. */
function structureOf(t: LetterTemplate): unknown {
  return { subject: citesIn([t.subject]), blocks: t.blocks.map((b) => ({ ...blockParts(b), texts: undefined, cites: citesIn(blockParts(b).texts) })) };
}

function parse<T>(schema: z.ZodType<T>, raw: RawLetterFile, fail: Fail): T {
  const parsed = schema.safeParse(raw.json);
  if (!parsed.success) fail(`rules/${raw.rel}`, parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`));
  return parsed.data!;
}

export function loadLetters(raws: RawLetterFile[], files: ReadonlyMap<string, RuleFile>, legalBasis: LegalBasisFile, fail: Fail): Map<string, LoadedLetter> {
  const vocab = vocabularyOf(files);
  const definitions = new Map<string, { def: LetterDefinition; rel: string }>();
  const templates = new Map<string, Partial<Record<Locale, { t: LetterTemplate; rel: string }>>>();
  const cases = new Map<string, LetterCasesFile>();
  for (const raw of raws) {
    const m = /^([a-z]{2})\/letters\/([a-z][a-z_]*)(?:\.(fr|en|cases))?\.json$/.exec(raw.rel);
    if (!m) fail(`rules/${raw.rel}`, ['a letter file is named <id>.json, <id>.<fr|en>.json or <id>.cases.json']);
    const [, jurisdiction, id, suffix] = m!;
    const file = `rules/${raw.rel}`;
    if (suffix === undefined) {
      const def = parse(LetterDefinitionSchema, raw, fail);
      if (def.id !== id) fail(file, [`id: must be "${id}" (the file's name)`]);
      if (def.jurisdiction.toLowerCase() !== jurisdiction) fail(file, [`jurisdiction: must be ${jurisdiction!.toUpperCase()} (the folder)`]);
      const problems: string[] = [];
      for (const b of def.source.basis) if (!legalBasis[b]) problems.push(`source.basis: unknown legal basis "${b}"`);
      def.requires.forEach((r, i) => {
        problems.push(...conditionProblems(r.condition, `requires.${i}.condition`, vocab));
        for (const l of LOCALES) problems.push(...textProblems(r.otherwise[l], `requires.${i}.otherwise.${l}`, vocab));
      });
      if (problems.length) fail(file, problems);
      definitions.set(id!, { def, rel: raw.rel });
    } else if (suffix === 'cases') {
      const c = parse(LetterCasesFileSchema, raw, fail);
      if (c.letter !== id) fail(file, [`letter: must be "${id}" (the file's name)`]);
      cases.set(id!, c);
    } else {
      const t = parse(LetterTemplateSchema, raw, fail);
      if (t.letter !== id) fail(file, [`letter: must be "${id}" (the file's name)`]);
      if (t.lang !== suffix) fail(file, [`lang: must be "${suffix}" (the file's name)`]);
      const problems = textProblems(t.subject, 'subject', vocab);
      t.blocks.forEach((b, i) => {
        const { texts, whens } = blockParts(b);
        texts.forEach((x) => problems.push(...textProblems(x, `blocks.${i}`, vocab)));
        whens.forEach((w) => problems.push(...conditionProblems(w, `blocks.${i}.when`, vocab)));
      });
      if (problems.length) fail(file, problems);
      templates.set(id!, { ...(templates.get(id!) ?? {}), [suffix!]: { t, rel: raw.rel } });
    }
  }

  const letters = new Map<string, LoadedLetter>();
  for (const [id, { def, rel }] of definitions) {
    const byLocale = templates.get(id) ?? {};
    const missing = LOCALES.filter((l) => !byLocale[l]);
    if (missing.length) fail(`rules/${rel}`, missing.map((l) => `missing its text in ${l} (${rel.replace(/\.json$/, `.${l}.json`)})`));
    const [first, ...others] = LOCALES.map((l) => byLocale[l]!);
    const shape = JSON.stringify(structureOf(first!.t));
    for (const o of others)
      if (JSON.stringify(structureOf(o.t)) !== shape)
        fail(`rules/${o.rel}`, [`blocks: must have the same blocks, conditions and citations as rules/${first!.rel}`]);
    letters.set(id, { definition: def, templates: { fr: byLocale.fr!.t, en: byLocale.en!.t }, cases: cases.get(id) ?? null });
  }
  for (const [id, byLocale] of templates) if (!definitions.has(id)) fail(`rules/${Object.values(byLocale)[0]!.rel}`, [`no definition ${id}.json beside it`]);
  for (const id of cases.keys()) if (!definitions.has(id)) fail(`rules/fr/letters/${id}.cases.json`, [`letter: no letter "${id}"`]);
  return letters;
}
