// The compiled request validator (ajv, from the zod schema) against zod itself: on the explorer's
// examples, every rule case and thousands of generated bodies, both accept the same bodies, fill in
// the same defaults (the same value to the last key), and on a refused body ajv's first error lies on
// a field zod names. ajv only ever answers "accepted": the problems clients read are zod's.
import t from 'tap';
import fc from 'fast-check';
import { VerdictRequestSchema } from '../src/contract/request.js';
import { loadRuleset } from '../src/core/index.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { compileAjvCheck, compileBodyValidator, jsonSchemaForAjv } from '../src/http/validate.js';
import { examples } from './helpers/app.js';
import { caseBodies } from './helpers/differential.js';
import { verdictBodyArb } from './helpers/fuzz.js';
import { z } from 'zod';

const SEED = 20261202;
const accepts = compileAjvCheck(VerdictRequestSchema)!;
const ajvErrors = () => (accepts as unknown as { errors?: { instancePath: string; params: Record<string, unknown> }[] }).errors ?? [];

interface Tally { bodies: number; accepted: number; refused: number; problems: string[] }

function compare(bodies: unknown[]): Tally {
  const tally: Tally = { bodies: 0, accepted: 0, refused: 0, problems: [] };
  for (const body of bodies) {
    tally.bodies++;
    const byZod = VerdictRequestSchema.safeParse(structuredClone(body));
    const copy = structuredClone(body);
    const ok = accepts(copy);
    const what = JSON.stringify(body).slice(0, 300);
    if (ok !== byZod.success) {
      tally.problems.push(`${ok ? 'ajv accepts' : 'ajv refuses'} what zod ${byZod.success ? 'accepts' : `refuses (${byZod.error!.issues.map((i) => i.path.join('.')).join(', ')})`}: ${what}`);
      continue;
    }
    if (byZod.success) {
      tally.accepted++;
      if (JSON.stringify(sortKeys(copy)) !== JSON.stringify(sortKeys(byZod.data))) tally.problems.push(`not the same value after defaults: ${what}`);
    } else {
      tally.refused++;
      // ajv stops at its first error: it must be on (or inside, or the object holding) a field zod names.
      const e = ajvErrors()[0];
      const path = [...(e?.instancePath.split('/').slice(1) ?? []), ...(e?.params.additionalProperty ? [String(e.params.additionalProperty)] : [])].join('.');
      const zodPaths = byZod.error!.issues.flatMap((i) => ('keys' in i ? (i.keys as string[]).map((k) => [...i.path, k].join('.')) : [i.path.join('.')]));
      if (!zodPaths.some((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`) || p === '' || path === ''))
        tally.problems.push(`ajv names ${path || '(root)'}, zod ${zodPaths.join(', ')}: ${what}`);
    }
  }
  return tally;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

t.test('the verdict request is compiled for ajv, with zod\'s string checks as formats', async (t) => {
  t.ok(jsonSchemaForAjv(VerdictRequestSchema), 'JSON Schema can say the whole request');
  const even = compileAjvCheck(z.strictObject({ code: z.string().refine((s) => s.length % 2 === 0) }))!;
  t.ok(even({ code: 'ab' }), 'a string refinement runs as a format');
  t.notOk(even({ code: 'abc' }));
  const ordered = z.object({ from: z.number(), to: z.number() }).refine((o) => o.from <= o.to);
  t.equal(jsonSchemaForAjv(ordered), undefined, 'a refinement of an object leaves the schema to zod');
  const validate = compileBodyValidator(ordered);
  t.ok('error' in validate({ from: 2, to: 1 }), 'which still refuses what it refuses');
});

t.test('examples and every rule case: the same answers, the same values', async (t) => {
  const bodies = [...examples().map((e) => e.value), ...caseBodies(loadRuleset(DEFAULT_RULES_DIR))];
  const tally = compare(bodies);
  t.ok(tally.accepted > 600, `${tally.accepted} accepted, ${tally.refused} refused`);
  t.same(tally.problems.slice(0, 10), []);
});

t.test('generated bodies (seeded): the same answers, the same values, the same fields', async (t) => {
  const tally = compare(fc.sample(verdictBodyArb, { seed: SEED, numRuns: 4000 }));
  t.ok(tally.accepted > 300 && tally.refused > 300, `${tally.accepted} accepted, ${tally.refused} refused`);
  t.same(tally.problems.slice(0, 10), [], `${tally.problems.length} disagreements`);
});

t.test('edges where JSON Schema and zod could part: real dates, offsets, lengths in UTF-16, integers', async (t) => {
  const base = examples()[0]!.value as { order: Record<string, unknown>; incident: Record<string, unknown> };
  const at = (placedAt: unknown) => ({ ...base, order: { ...base.order, placedAt } });
  const bodies = [
    ...['2024-02-29', '2026-02-29', '2100-02-29', '2000-02-29', '1899-12-31', '1900-01-01', '2999-12-31', '3000-01-01', '2026-13-01', '2026-04-31'].map(at),
    ...['2026-10-01T14:30:00+02:00', '2026-10-01T14:30:60+02:00', '2026-10-01T24:00:00Z', '2026-10-01T14:30:00+14:00', '2026-10-01T14:30:00+14:01', '2026-10-01T14:30:00+15:00', '2026-10-01T14:30:00.123456789Z', '2026-10-01T14:30Z', '2026-10-01T14:30:00'].map(at),
    at(20261001), at(null), at(''),
  ];
  const tally = compare(bodies);
  t.ok(tally.accepted >= 8 && tally.refused >= 8, `${tally.accepted} accepted, ${tally.refused} refused`);
  t.same(tally.problems, []);
});

t.test('a refused body gets zod\'s problems, an accepted one its defaults', async (t) => {
  const validate = compileBodyValidator(VerdictRequestSchema);
  const bad = validate({ order: {}, incident: {}, extra: 1 });
  t.ok('error' in bad && Array.isArray(bad.error) && bad.error.length > 1, 'every field zod names, not just the first');
  const good = validate(structuredClone(examples()[0]!.value));
  t.ok('value' in good);
  t.same((good as { value: unknown }).value, VerdictRequestSchema.parse(examples()[0]!.value));
});
