// Shared machinery for tests as data (the test suite and `recourse check` alike): builds case requests
// from fixtures and compares a verdict with the expectation a case states. The expectation format is
// rules/README.md, "Cases": partial objects, exact arrays, null vs "$absent", keyed lists written as
// objects (evidence by id, open) and CLOSED for remedies, deadlines, exclusions, appealPath and the findings (an entry the
// verdict has and the case does not name is a mismatch, unless "$open" says why), legalBasis checked
// against the basis arrays that cite it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Verdict } from '../contract/verdict.js';

/** The requests cases start from (`base`): test/fixtures/requests/ at the package root, from src/ or dist/. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'requests');

export function fixture(name: string, dir: string = FIXTURES): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Deep merge: objects key by key, arrays element by element (index), null deletes a key. */
export function merge(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (Array.isArray(patch)) {
    if (!Array.isArray(base)) return patch;
    const out = [...base];
    patch.forEach((p, i) => (out[i] = merge(base[i], p)));
    return out;
  }
  if (patch && typeof patch === 'object') {
    if ('$replace' in patch) return (patch as { $replace: unknown }).$replace;
    const out: Record<string, unknown> = base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as object) } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = merge(out[k], v);
    }
    return out;
  }
  return patch;
}

/** The marker of a key (or keyed entry) that must not be there. */
export const ABSENT = '$absent';
/** The marker that lets a keyed list have entries the case does not name; its value says why. */
export const OPEN = '$open';
/** The marker that fixes the order of a keyed list's entries. */
export const ORDER = '$order';

type Entry = Record<string, unknown>;
type KeyOf = (x: Entry) => string;

const field =
  (name: string): KeyOf =>
  (x) =>
    String(x[name]);

/** The lists the contract keys by id, and how an entry is named in a case. */
export const KEYED: Record<string, KeyOf> = {
  remedies: field('track'),
  deadlines: field('id'),
  exclusions: field('id'),
  appealPath: field('step'),
  policyFindings: field('clause'),
  reviewFlags: field('parameter'),
  evidence: field('id'),
  // A reported act is named by its type and date: "mediation_request@2027-02-01".
  historyFindings: (x) => `${String(x.type)}@${String(x.at)}`,
};

/** Keyed lists an object-form expectation must name in full (unless it says "$open"). */
export const CLOSED = new Set(['remedies', 'deadlines', 'exclusions', 'appealPath', 'policyFindings', 'historyFindings']);

/** A reason given with "$open" is a sentence, not a token. */
const MIN_OPEN_REASON = 15;

const show = (v: unknown) => (v === undefined ? 'nothing (absent)' : JSON.stringify(v));

function partial(actual: unknown, present: boolean, expected: unknown, path: string, out: string[]): void {
  if (expected === ABSENT) {
    if (present) out.push(`${path}: expected absent, got ${show(actual)}`);
    return;
  }
  if (!present) {
    out.push(`${path}: missing (expected ${JSON.stringify(expected)})`);
    return;
  }
  if (expected === null) {
    if (actual !== null) out.push(`${path}: expected null, got ${show(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    // The same number of elements, each matched as its own expectation (objects in it partially).
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected ${JSON.stringify(expected)}, got ${show(actual)}`);
      return;
    }
    expected.forEach((e, i) => partial(actual[i], true, e, `${path}[${i}]`, out));
    return;
  }
  if (typeof expected === 'object' && '$contains' in expected) {
    // A sentence is checked for the words that carry the point, not its whole wording.
    const needle = String((expected as { $contains: unknown }).$contains);
    if (typeof actual !== 'string' || !actual.includes(needle)) out.push(`${path}: expected a text containing ${JSON.stringify(needle)}, got ${show(actual)}`);
    return;
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push(`${path}: expected an object like ${JSON.stringify(expected)}, got ${show(actual)}`);
      return;
    }
    for (const [k, v] of Object.entries(expected as object)) partial((actual as Entry)[k], Object.hasOwn(actual, k), v, `${path}.${k}`, out);
    return;
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(expected - actual) > 1e-9) out.push(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (actual !== expected) out.push(`${path}: expected ${JSON.stringify(expected)}, got ${show(actual)}`);
}

/** An object-form expectation of a keyed list: each entry named is matched; closed lists name them all. */
function keyedList(key: string, list: Entry[], expected: Entry, out: string[]): void {
  const keyOf = KEYED[key]!;
  const ids = list.map(keyOf);
  const have = ids.join(', ') || 'none';
  for (const [id, e] of Object.entries(expected)) {
    if (id === ORDER) {
      // "$order": [ids] = exactly these entries, in this order (for ordered lists such as appealPath).
      if (JSON.stringify(ids) !== JSON.stringify(e)) out.push(`${key}: expected the order ${JSON.stringify(e)}, got ${JSON.stringify(ids)}`);
      continue;
    }
    if (id === OPEN) {
      if (!CLOSED.has(key)) out.push(`${key}: "${OPEN}" is for closed lists only (${key} is open)`);
      else if (typeof e !== 'string' || e.trim().length < MIN_OPEN_REASON) out.push(`${key}: "${OPEN}" must say why the case leaves entries unnamed (a sentence)`);
      continue;
    }
    if (e === null) {
      out.push(`${key}[${id}]: write "${ABSENT}" for an entry that must not be there (null is a value)`);
      continue;
    }
    const found = list.filter((x) => keyOf(x) === id);
    if (found.length > 1) out.push(`${key}[${id}]: ${found.length} entries have this id (have ${have})`);
    if (e === ABSENT) {
      if (found.length) out.push(`${key}[${id}]: expected absent, got ${JSON.stringify(found[0])}`);
    } else if (!found.length) out.push(`${key}[${id}]: missing (have ${have})`);
    else partial(found[0], true, e, `${key}[${id}]`, out);
  }
  if (CLOSED.has(key) && !(OPEN in expected)) {
    const unnamed = [...new Set(ids.filter((id) => !(id in expected)))];
    for (const id of unnamed) out.push(`${key}[${id}]: the verdict has it and the case does not name it (got ${JSON.stringify(list.find((x) => keyOf(x) === id))})`);
  }
}

/** Every id a `basis` array of the verdict cites (remedies, deadlines, steps, findings, refund, …). */
export function citedIds(verdict: Verdict): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'legalBasis' || k === 'trace') continue;
        if (k === 'basis' && Array.isArray(x)) for (const id of x) ids.add(String(id));
        else walk(x);
      }
  };
  walk(verdict);
  return ids;
}

/** A verdict whose citations and legalBasis disagree: an id cited but not resolved, or resolved but never cited. */
export function citationProblems(verdict: Verdict): string[] {
  const cited = citedIds(verdict);
  return [
    ...[...cited].filter((id) => !verdict.legalBasis[id]).map((id) => `legalBasis: ${id} is cited but not resolved`),
    ...Object.keys(verdict.legalBasis).filter((id) => !cited.has(id)).map((id) => `legalBasis: ${id} is resolved but no basis array cites it`),
  ];
}

function legalBasis(verdict: Verdict, expected: unknown, out: string[]): void {
  const cited = citedIds(verdict);
  const entries: [string, unknown][] = Array.isArray(expected) ? expected.map((id) => [String(id), {}]) : Object.entries(expected as object);
  for (const [id, e] of entries) {
    if (e === ABSENT) {
      if (verdict.legalBasis[id] || cited.has(id)) out.push(`legalBasis[${id}]: expected absent, but the verdict cites it`);
      continue;
    }
    if (!verdict.legalBasis[id]) out.push(`legalBasis[${id}]: not resolved`);
    else partial(verdict.legalBasis[id], true, e, `legalBasis[${id}]`, out);
    if (!cited.has(id)) out.push(`legalBasis[${id}]: no basis array of the verdict cites it`);
  }
}

/** Differences between a verdict and a case's expectation; empty when it matches. */
export function mismatches(verdict: Verdict, expect: Record<string, unknown>): string[] {
  const out: string[] = [];
  const v = verdict as unknown as Entry;
  for (const [key, exp] of Object.entries(expect)) {
    const actual = v[key];
    if (key === 'legalBasis' && exp && typeof exp === 'object') legalBasis(verdict, exp, out);
    else if (KEYED[key] && exp && typeof exp === 'object' && !Array.isArray(exp) && Array.isArray(actual)) keyedList(key, actual as Entry[], exp as Entry, out);
    else if (KEYED[key] && Array.isArray(exp) && exp.every((x) => typeof x === 'string') && Array.isArray(actual)) {
      // A list of ids: exactly these, in any order.
      const ids = (actual as Entry[]).map(KEYED[key]!).sort();
      if (JSON.stringify(ids) !== JSON.stringify([...exp].sort())) out.push(`${key}: expected ids ${JSON.stringify([...exp].sort())}, got ${JSON.stringify(ids)}`);
    } else partial(actual, Object.hasOwn(v, key), exp, key, out);
  }
  return out;
}
