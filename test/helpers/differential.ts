// The differential machinery the differential tests share: corpora of request bodies, and a check that
// runs each through the compiled plan and through json-rules-engine and lists every disagreement.
import { VerdictRequestSchema } from '../../src/contract/request.js';
import { differential, type DifferentialResult } from '../../src/core/differential.js';
import type { Ruleset } from '../../src/core/index.js';
import { loadExamples, mulberry32, SEED, variant } from '../../bench/variants.js';
import { fixture, merge } from '../../src/cases/match.js';

export type Body = { asOf?: string } & Record<string, unknown>;

export function caseBodies(rs: Ruleset): Body[] {
  const out: Body[] = [];
  for (const file of rs.cases.values())
    for (const c of file.cases) out.push(merge(fixture(c.base ?? file.base), { ...c.request, asOf: c.asOf }) as Body);
  return out;
}

export function benchBodies(n: number): Body[] {
  const examples = loadExamples();
  const rnd = mulberry32(SEED);
  return Array.from({ length: n }, (_, i) => variant(examples, i, rnd) as Body);
}

export interface Tally {
  requests: number;
  verdicts: number;
  checks: number;
  fired: Set<string>;
  problems: string[];
}

export async function check(rs: Ruleset, bodies: Body[]): Promise<Tally> {
  const tally: Tally = { requests: 0, verdicts: 0, checks: 0, fired: new Set(), problems: [] };
  for (const body of bodies) {
    const parsed = VerdictRequestSchema.safeParse(body);
    if (!parsed.success) continue;
    tally.requests++;
    const r: DifferentialResult = await differential(parsed.data, rs, body.asOf ?? '2026-11-05');
    tally.checks += r.checks;
    for (const k of r.fired) tally.fired.add(k);
    if (r.compiled.startsWith('{')) tally.verdicts++;
    for (const d of r.disagreements)
      tally.problems.push(`${d.rule} (stage ${d.stage}${d.itemId ? `, item ${d.itemId}` : ''}): compiled ${d.compiled}, oracle ${d.oracle}`);
    if (r.compiled !== r.oracle) tally.problems.push(`verdicts differ: compiled ${r.compiled.slice(0, 120)}… oracle ${r.oracle.slice(0, 120)}…`);
  }
  return tally;
}

