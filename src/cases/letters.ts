// Runs the letters' cases (rules/<jurisdiction>/letters/<id>.cases.json): a request made of a fixture
// and a patch, the other fields of the letter request, and what the letter must be. Besides what each
// case states, every filled letter is checked against its verdict: no placeholder or "unknown" left,
// every amount and date it prints is one the verdict (or the request) gives, and every citation is
// one the verdict cites.
import { LetterRequestSchema } from '../contract/letters.js';
import type { Verdict } from '../contract/verdict.js';
import { evaluate, type Ruleset } from '../core/index.js';
import { composeLetter, LetterInputError, LetterNotOfferedError, type LetterDocument } from '../core/letters/compose.js';
import type { LetterCase, LetterCasesFile } from '../core/letters/schema.js';
import { formatDate, formatMoney } from '../core/text.js';
import { letterAsText } from '../render/letter-text.js';
import { FIXTURES, fixture, merge } from './match.js';
import type { CaseCheck } from './run.js';

const check = (ok: boolean, message: string): CaseCheck => ({ ok, message });

/** Every amount a verdict or its request states, as a letter would print it. */
function knownAmounts(v: Verdict, request: unknown, currency: string): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown) => {
    if (typeof x === 'number') out.add(formatMoney(x, currency, v.locale));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(v);
  walk(request);
  return out;
}

/** Every civil date a verdict or its request states, as a letter would print it. */
function knownDates(v: Verdict, request: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown) => {
    if (typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x)) out.add(formatDate(x, v.locale));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(v);
  walk(request);
  return out;
}

const AMOUNT = /(?:€\s?\d[\d\s,.]*\d|\d[\d\s,.]*\d?\s€)/g;
const DATE = { fr: /(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} [a-zéû]+ \d{4}/g, en: /(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{1,2} [A-Z][a-z]+ \d{4}/g };

/** The checks every filled letter must pass against its verdict, whatever the case says. */
export function letterAgainstVerdict(doc: LetterDocument, text: string, verdict: Verdict, request: unknown, currency: string): CaseCheck[] {
  const out: CaseCheck[] = [];
  const leftover = /\{[a-z]+[a-zA-Z0-9_.:]*\}/.exec(text);
  out.push(check(leftover === null, leftover ? `a placeholder is left: ${leftover[0]}` : 'every placeholder is filled'));
  const unknown = verdict.locale === 'fr' ? /\binconnu\b/ : /\bunknown\b/;
  out.push(check(!unknown.test(text), 'no value printed as unknown'));
  const amounts = knownAmounts(verdict, request, currency);
  for (const m of text.match(AMOUNT) ?? []) out.push(check(amounts.has(m.trim()), `the amount ${m.trim()} is one the verdict states`));
  const dates = knownDates(verdict, request);
  for (const m of text.match(DATE[verdict.locale]) ?? []) out.push(check(dates.has(m), `the date ${m} is one the verdict or the request states`));
  for (const id of doc.cited) out.push(check(Object.hasOwn(verdict.legalBasis, id), `cites ${id}, which the verdict cites`));
  return out;
}

/** Runs one case of a letter's cases file. */
export async function runLetterCase(ruleset: Ruleset, file: LetterCasesFile, c: LetterCase, fixturesDir: string = FIXTURES): Promise<CaseCheck[]> {
  const request = merge(fixture(c.base ?? file.base, fixturesDir), { ...c.request, asOf: c.asOf });
  const parsed = LetterRequestSchema.safeParse({ ...c.letter, request, letter: file.letter });
  const expect = c.expect;
  if (!parsed.success) {
    if (!expect.offered && expect.status === 400) {
      const ok = !expect.path || parsed.error.issues.some((i) => i.path.join('.') === expect.path);
      return [check(ok, `400 names ${expect.path ?? 'a field'}`)];
    }
    return [check(false, `the letter request does not validate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)];
  }
  const body = parsed.data;
  const verdict = await evaluate(body.request, ruleset, c.asOf);
  let doc: LetterDocument;
  try {
    doc = composeLetter({ verdict, request: body.request, parties: body.parties ?? {}, remedy: body.remedy ?? null }, ruleset, file.letter);
  } catch (e) {
    if (!expect.offered && expect.status === 422 && e instanceof LetterNotOfferedError)
      return [check(!expect.because || e.reason.includes(expect.because), `not offered: ${e.reason}`)];
    if (!expect.offered && expect.status === 400 && e instanceof LetterInputError) return [check(!expect.path || e.path === expect.path, `400 names ${e.path}: ${e.message}`)];
    return [check(false, `composeLetter threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)];
  }
  if (!expect.offered) return [check(false, `expected a ${expect.status}, but the letter was filled`)];
  const text = letterAsText(doc);
  const again = letterAsText(composeLetter({ verdict, request: body.request, parties: body.parties ?? {}, remedy: body.remedy ?? null }, ruleset, file.letter));
  return [
    ...letterAgainstVerdict(doc, text, verdict, body.request, verdict.refund?.currency ?? body.request.order.currency),
    ...expect.contains.map((s) => check(text.includes(s), `prints ${JSON.stringify(s)}${text.includes(s) ? '' : `\n--- letter ---\n${text}`}`)),
    ...expect.absent.map((s) => check(!text.includes(s), `does not print ${JSON.stringify(s)}`)),
    ...expect.cites.map((id) => check(doc.cited.includes(id), `cites ${id} (cited: ${doc.cited.join(', ')})`)),
    check(again === text, 'the same letter byte for byte on a second run'),
  ];
}

/** Every case of every letter, with the file it comes from. */
export async function* runLetterCases(ruleset: Ruleset, fixturesDir: string = FIXTURES): AsyncGenerator<{ file: string; name: string; checks: CaseCheck[] }> {
  for (const [id, letter] of ruleset.letters) {
    if (!letter.cases) continue;
    for (const c of letter.cases.cases) {
      let checks: CaseCheck[];
      try {
        checks = await runLetterCase(ruleset, letter.cases, c, fixturesDir);
      } catch (e) {
        checks = [check(false, `the case could not run: ${(e as Error).message}`)];
      }
      yield { file: `rules/${letter.definition.jurisdiction.toLowerCase()}/letters/${id}.cases.json`, name: c.name, checks };
    }
  }
}
