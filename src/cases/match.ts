// Shared machinery for tests as data (the test suite and `recourse check` alike): builds case requests
// from fixtures and compares a verdict with the partial expectation a case states. Arrays in `expect`
// that the contract keys by id (remedies by track, deadlines by id, exclusions by id, appealPath by
// step, reviewFlags by parameter, evidence by id) are written as objects.
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

const KEYED: Record<string, string | ((x: Record<string, unknown>) => string)> = {
  remedies: 'track',
  deadlines: 'id',
  exclusions: 'id',
  appealPath: 'step',
  policyFindings: 'clause',
  reviewFlags: 'parameter',
  evidence: 'id',
  // A reported act is named by its type and date: "mediation_request@2027-02-01".
  historyFindings: (x) => `${String(x.type)}@${String(x.at)}`,
};
const keyOf = (key: string | ((x: Record<string, unknown>) => string), x: Record<string, unknown>) => (typeof key === 'function' ? key(x) : String(x[key]));

function partial(actual: unknown, expected: unknown, path: string, out: string[]): void {
  if (expected === null) {
    if (actual !== null && actual !== undefined) out.push(`${path}: expected null/absent, got ${JSON.stringify(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    // The same number of elements, each matched as its own expectation (objects in it partially).
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return;
    }
    expected.forEach((e, i) => partial(actual[i], e, `${path}[${i}]`, out));
    return;
  }
  if (typeof expected === 'object' && '$contains' in expected) {
    // A sentence is checked for the words that carry the point, not its whole wording.
    const needle = String((expected as { $contains: unknown }).$contains);
    if (typeof actual !== 'string' || !actual.includes(needle)) out.push(`${path}: expected a text containing ${JSON.stringify(needle)}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') {
      out.push(`${path}: expected an object like ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const [k, v] of Object.entries(expected as object)) partial((actual as Record<string, unknown>)[k], v, `${path}.${k}`, out);
    return;
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(expected - actual) > 1e-9) out.push(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (actual !== expected) out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Differences between a verdict and a case's partial expectation; empty when it matches. */
export function mismatches(verdict: Verdict, expect: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, exp] of Object.entries(expect)) {
    const actual = (verdict as unknown as Record<string, unknown>)[key];
    const idField = KEYED[key];
    if (idField && exp && typeof exp === 'object' && !Array.isArray(exp)) {
      const list = (actual as Record<string, unknown>[]) ?? [];
      for (const [id, e] of Object.entries(exp as object)) {
        if (id === '$order') {
          // "$order": [ids] = exactly these entries, in this order (for ordered lists such as appealPath).
          const ids = list.map((x) => keyOf(idField, x));
          if (JSON.stringify(ids) !== JSON.stringify(e)) out.push(`${key}: expected the order ${JSON.stringify(e)}, got ${JSON.stringify(ids)}`);
          continue;
        }
        const found = list.find((x) => keyOf(idField, x) === id);
        if (e === null) {
          if (found) out.push(`${key}[${id}]: expected absent, got ${JSON.stringify(found)}`);
        } else if (!found) out.push(`${key}[${id}]: missing (have ${list.map((x) => keyOf(idField, x)).join(', ') || 'none'})`);
        else partial(found, e, `${key}[${id}]`, out);
      }
    } else if (idField && Array.isArray(exp) && exp.every((x) => typeof x === 'string')) {
      // A list of ids: exactly these, in any order.
      const ids = ((actual as Record<string, unknown>[]) ?? []).map((x) => keyOf(idField, x)).sort();
      if (JSON.stringify(ids) !== JSON.stringify([...exp].sort())) out.push(`${key}: expected ids ${JSON.stringify([...exp].sort())}, got ${JSON.stringify(ids)}`);
    } else if (key === 'legalBasis' && Array.isArray(exp)) {
      for (const id of exp as string[]) if (!verdict.legalBasis[id]) out.push(`legalBasis: ${id} not resolved`);
    } else partial(actual, exp, key, out);
  }
  return out;
}
