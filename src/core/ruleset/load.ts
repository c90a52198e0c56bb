// Reads rules/ once at start-up, validates every file, and prepares an immutable Ruleset.
// Anything wrong stops the load with RulesetError naming the file and the field: a bad file never
// replaces a good ruleset.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { z } from 'zod';
import {
  JurisdictionSchema,
  LegalBasisFileSchema,
  RuleFileSchema,
  RulesetManifestSchema,
  CasesFileSchema,
  type Condition,
  type Expr,
  type JurisdictionSpec,
  type LegalBasisFile,
  type RuleFile,
  type CasesFile,
} from './schema.js';
import { makeCalendar, type Calendar } from '../calendar.js';
import { LadderSchema } from '../penalty.js';
import { compilePlan, PlanError, type Plan } from '../plan/compile.js';
import { loadLetters, type RawLetterFile } from '../letters/load.js';
import type { LoadedLetter } from '../letters/schema.js';
import { floorFileId, floorProblems, PolicyCasesFileSchema, PolicyFileSchema, policyReferenceProblems, type PolicyFile } from './policy-schema.js';

export class RulesetError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'RulesetError';
  }
}

export interface PreparedJurisdiction {
  spec: JurisdictionSpec;
  calendar: Calendar;
}

export interface Ruleset {
  version: string;
  digest: string;
  root: string;
  files: ReadonlyMap<string, RuleFile>;
  cases: ReadonlyMap<string, CasesFile>;
  legalBasis: LegalBasisFile;
  jurisdictions: ReadonlyMap<string, PreparedJurisdiction>;
  /** Merchant policies, rules/policies/<id>.json, by id. */
  policies: ReadonlyMap<string, PolicyFile>;
  /** The rules compiled for evaluation (plan/compile.ts). */
  plan: Plan;
  /** Letters (rules/<jurisdiction>/letters/), by id: definition, text per language, cases. */
  letters: ReadonlyMap<string, LoadedLetter>;
}

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listJson(path));
    else if (name.endsWith('.json')) out.push(path);
  }
  return out;
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

function parseJson(rel: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RulesetError(rel, [`not valid JSON (${(e as Error).message})`]);
  }
}

function parseFile<T>(schema: z.ZodType<T>, path: string, rel: string, text: string): T {
  const json = parseJson(rel, text);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new RulesetError(rel, zodProblems(parsed.error));
  return parsed.data;
}

function* conditionLeaves(c: Condition): Generator<Extract<Condition, { fact: string }>> {
  if ('all' in c) for (const x of c.all) yield* conditionLeaves(x);
  else if ('any' in c) for (const x of c.any) yield* conditionLeaves(x);
  else if ('not' in c) yield* conditionLeaves(c.not);
  else yield c;
}

function* exprRefs(e: Expr): Generator<{ fact?: string; param?: string }> {
  if ('fact' in e) yield { fact: e.fact };
  else if ('param' in e) yield { param: e.param };
  else if ('value' in e) return;
  else if ('roll' in e) yield* exprRefs(e.roll);
  else {
    const args = Object.values(e)[0] as Expr[];
    for (const a of args) yield* exprRefs(a);
  }
}

/** Every expression an event holds, for reference checks. */
function eventExprs(ev: RuleFile['rules'][number]['event']): Expr[] {
  switch (ev.type) {
    case 'define':
      return [ev.value];
    case 'deadline':
      return [ev.start, ev.end, ev.extendedFrom].filter((x): x is Expr => x !== null);
    case 'refund':
      return [ev.items, ev.outboundShipping, ev.penalty?.legalRateProRata ?? null, ev.penalty?.cap ?? null].filter((x): x is Expr => x !== null);
    case 'appealStep':
      return [ev.notBefore, ev.notAfter, ...Object.values(ev.details)].filter((x): x is Expr => x !== null);
    case 'historyFinding':
      return [ev.at];
    case 'evidence':
      return ev.by ? [ev.by] : [];
    default:
      return [];
  }
}

function eventBasis(ev: RuleFile['rules'][number]['event']): string[] {
  const b: string[] = 'basis' in ev ? [...ev.basis] : [];
  if (ev.type === 'refund' && ev.penalty) b.push(...ev.penalty.basis);
  return b;
}

/** Checks that cannot be expressed per file: references across files, overlapping versions. */
/**
 * What is wrong with a penalty's ladder: each dated value must be a ladder, and a ladder with a
 * statutory-interest tier (or interest after its cap) needs the rate table, else a late refund in
 * that tier could not be computed.
 */
function ladderProblems(files: Map<string, RuleFile>, fileId: string, ladderRef: string, rateTable: string | null, where: string): string[] {
  const [owner, name] = ladderRef.includes('#') ? (ladderRef.split('#') as [string, string]) : [fileId, ladderRef];
  const out: string[] = [];
  for (const [i, v] of (files.get(owner)?.parameters[name]?.values ?? []).entries()) {
    const ladder = LadderSchema.safeParse(v.value);
    if (!ladder.success) out.push(`${where}.ladder: parameter "${ladderRef}" value ${i} is not a ladder (${zodProblems(ladder.error).join('; ')})`);
    else if (!rateTable && (ladder.data.afterCap === 'legal_interest' || ladder.data.tiers.some((t) => t.legalInterest)))
      out.push(`${where}.legalRateTable: the ladder "${ladderRef}" (value ${i}) uses the statutory interest rate; name the parameter that holds its dated values`);
  }
  return out;
}

function crossCheck(files: Map<string, RuleFile>, legalBasis: LegalBasisFile, knownFact: (name: string) => boolean): void {
  const defined = new Set<string>();
  for (const f of files.values())
    for (const r of f.rules) {
      if (r.event.type === 'define') defined.add(r.event.name);
      if (r.event.type === 'define' && r.scope === 'item') {
        const aggregate = `items.${r.event.name.slice('item.'.length)}`;
        defined.add(`${aggregate}.min`).add(`${aggregate}.max`);
      }
      if (r.event.type === 'deadline') for (const k of ['start', 'end', 'rolledFrom']) defined.add(`deadline.${r.event.id}.${k}`);
      if (r.event.type === 'remedy') defined.add(`remedy.${r.event.track}.status`);
      if (r.event.type === 'decision') defined.add('decision.outcome').add('decision.track');
      if (r.event.type === 'refund')
        for (const k of ['items', 'outboundShipping', 'total', 'deadline', 'paid', 'outstanding', 'penalty.daysLate', 'penalty.rate', 'penalty.amount', 'penalty.percent'])
          defined.add(`refund.${k}`);
      if (r.event.type === 'appealStep') {
        defined.add(`appeal.${r.event.step}.status`);
        for (const k of Object.keys(r.event.details)) defined.add(`appeal.${r.event.step}.${k}`);
      }
      if (r.event.type === 'exclusion') {
        defined.add(`exclusion.${r.event.effect}.allItems`);
        defined.add(`exclusion.${r.event.effect}.anyItem`);
        defined.add(`exclusion.${r.event.effect}.count`);
        defined.add(`exclusion.${r.event.effect}.total`);
      }
    }
  const remedyTracks = new Set<string>();
  for (const f of files.values()) for (const r of f.rules) if (r.event.type === 'remedy') remedyTracks.add(r.event.track);
  const factOk = (name: string) => knownFact(name) || defined.has(name) || (name.startsWith('param:') && paramExists(name.slice(6)));
  const paramExists = (q: string) => {
    const [fileId, name] = q.split('#');
    return !!name && !!files.get(fileId!)?.parameters[name];
  };

  for (const [id, f] of files) {
    const problems: string[] = [];
    for (const b of f.source.basis) if (!legalBasis[b]) problems.push(`source.basis: unknown legal basis "${b}"`);
    const paramOk = (p: string) => {
      const [fileId, name] = p.includes('#') ? p.split('#') : [id, p];
      const owner = files.get(fileId!);
      return !!owner && !!name && name in owner.parameters;
    };
    f.rules.forEach((r, i) => {
      const where = `rules.${i} (${r.name})`;
      for (const leaf of conditionLeaves(r.conditions)) {
        if (!factOk(leaf.fact)) problems.push(`${where}.conditions: unknown fact "${leaf.fact}"`);
        const v = leaf.value as { fact?: string; param?: string } | null;
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          if (v.fact && !factOk(v.fact)) problems.push(`${where}.conditions: unknown fact "${v.fact}"`);
          if (v.param && !paramOk(v.param)) problems.push(`${where}.conditions: unknown parameter "${v.param}"`);
        }
      }
      for (const e of eventExprs(r.event))
        for (const ref of exprRefs(e)) {
          if (ref.fact && !factOk(ref.fact)) problems.push(`${where}.event: unknown fact "${ref.fact}"`);
          if (ref.param && !paramOk(ref.param)) problems.push(`${where}.event: unknown parameter "${ref.param}"`);
        }
      if (r.event.type === 'deadline' && typeof r.event.roll === 'object' && !paramOk(r.event.roll.param))
        problems.push(`${where}.event.roll: unknown parameter "${r.event.roll.param}"`);
      if (r.event.type === 'refund' && r.event.penalty && !paramOk(r.event.penalty.ladder))
        problems.push(`${where}.event.penalty.ladder: unknown parameter "${r.event.penalty.ladder}"`);
      if (r.event.type === 'refund' && r.event.penalty?.legalRateTable && !paramOk(r.event.penalty.legalRateTable))
        problems.push(`${where}.event.penalty.legalRateTable: unknown parameter "${r.event.penalty.legalRateTable}"`);
      if (r.event.type === 'refund' && r.event.penalty && paramOk(r.event.penalty.ladder))
        problems.push(...ladderProblems(files, id, r.event.penalty.ladder, r.event.penalty.legalRateTable, `${where}.event.penalty`));
      for (const b of eventBasis(r.event)) if (!legalBasis[b]) problems.push(`${where}.event.basis: unknown legal basis "${b}"`);
      if (r.scope === 'item' && r.event.type !== 'exclusion' && r.event.type !== 'missingFact' && r.event.type !== 'policyFinding' && r.event.type !== 'define')
        problems.push(`${where}: item-scoped rules may only define facts about the item, raise exclusions, missing facts or policy findings`);
      // A fact about one item is named item.…, and only item-scoped rules define such facts.
      if (r.event.type === 'define' && r.scope === 'item' && knownFact(r.event.name))
        problems.push(`${where}.event.name: "${r.event.name}" is a fact of the request, not one a rule defines`);
      if (r.event.type === 'define' && (r.scope === 'item') !== r.event.name.startsWith('item.'))
        problems.push(`${where}.event.name: ${r.scope === 'item' ? 'an item-scoped rule defines facts named "item.…"' : '"item.…" facts are defined by item-scoped rules only'}`);
      if (r.event.type === 'deadline' && r.event.track !== null && !remedyTracks.has(r.event.track))
        problems.push(`${where}.event.track: no rule gives a remedy on the track "${r.event.track}"`);
    });
    const names = new Set<string>();
    for (const r of f.rules) {
      if (names.has(r.name)) problems.push(`rules: duplicate rule name "${r.name}"`);
      names.add(r.name);
    }
    for (const [name, p] of Object.entries(f.parameters)) {
      const sorted = [...p.values].sort((a, b) => a.from.localeCompare(b.from));
      for (let k = 1; k < sorted.length; k++) {
        const prev = sorted[k - 1]!;
        if (prev.until === null || prev.until >= sorted[k]!.from)
          problems.push(`parameters.${name}.values: periods overlap at ${sorted[k]!.from}`);
      }
    }
    if (f.validUntil !== null && f.validUntil < f.validFrom) problems.push('validUntil: before validFrom');
    if (problems.length) throw new RulesetError(`rules/${id}.json`, problems);
  }

  // Versions of one family must not overlap: exactly one applies on any date.
  const byFamily = new Map<string, RuleFile[]>();
  for (const f of files.values()) byFamily.set(f.family, [...(byFamily.get(f.family) ?? []), f]);
  for (const [family, versions] of byFamily) {
    const sorted = versions.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      if (prev.validUntil === null || prev.validUntil >= sorted[k]!.validFrom)
        throw new RulesetError(`rules/${sorted[k]!.id}.json`, [`validFrom: overlaps ${prev.id} of family ${family}`]);
    }
  }
}

export interface LoadOptions {
  /** Names of the facts the machinery provides (src/core/facts.ts), to catch typos in rule files. */
  knownFact: (name: string) => boolean;
}

export function loadRuleset(root: string, options: LoadOptions): Ruleset {
  const hash = createHash('sha256');
  const files = new Map<string, RuleFile>();
  const cases = new Map<string, CasesFile>();
  const jurisdictions = new Map<string, PreparedJurisdiction>();
  const policies = new Map<string, PolicyFile>();
  const letterFiles: RawLetterFile[] = [];
  let legalBasis: LegalBasisFile = {};
  let version = '';

  for (const path of listJson(root)) {
    const rel = relative(root, path).split(sep).join('/');
    const text = readFileSync(path, 'utf8');
    hash.update(rel).update('\0').update(text).update('\0');
    const relFile = `rules/${rel}`;
    if (rel === 'ruleset.json') {
      version = parseFile(RulesetManifestSchema, path, relFile, text).version;
    } else if (rel.endsWith('/legal-basis.json')) {
      const lb = parseFile(LegalBasisFileSchema, path, relFile, text);
      for (const k of Object.keys(lb)) if (legalBasis[k]) throw new RulesetError(relFile, [`${k}: defined twice`]);
      legalBasis = { ...legalBasis, ...lb };
    } else if (rel.endsWith('/jurisdiction.json')) {
      const spec = parseFile(JurisdictionSchema, path, relFile, text);
      jurisdictions.set(spec.code, { spec, calendar: makeCalendar(spec.calendar) });
    } else if (/^[a-z]{2}\/letters\//.test(rel)) {
      // Letters and their cases: checked once the rule files they read are known (letters/load.ts).
      letterFiles.push({ rel, json: parseJson(relFile, text) });
    } else if (rel.startsWith('policies/')) {
      // Merchant policies (path = id) and their test cases: data, not rule files.
      if (rel.endsWith('.cases.json')) parseFile(PolicyCasesFileSchema, path, relFile, text);
      else {
        const p = parseFile(PolicyFileSchema, path, relFile, text);
        const expected = rel.slice('policies/'.length, -'.json'.length);
        if (p.id !== expected) throw new RulesetError(relFile, [`id: must be "${expected}" (the file's path)`]);
        policies.set(p.id, p);
      }
    } else if (rel.endsWith('.cases.json')) {
      const c = parseFile(CasesFileSchema, path, relFile, text);
      cases.set(rel.slice(0, -'.cases.json'.length), c);
    } else {
      const f = parseFile(RuleFileSchema, path, relFile, text);
      const expected = rel.slice(0, -'.json'.length);
      if (f.id !== expected) throw new RulesetError(relFile, [`id: must be "${expected}" (the file's path)`]);
      files.set(f.id, f);
    }
  }
  if (!version) throw new RulesetError('rules/ruleset.json', ['missing: the ruleset manifest gives the version']);
  for (const [id, c] of cases)
    if (c.rules !== id || !files.has(id)) throw new RulesetError(`rules/${id}.cases.json`, [`rules: must name its rule file "${id}"`]);
  for (const f of files.values())
    if (!jurisdictions.has(f.jurisdiction))
      throw new RulesetError(`rules/${f.id}.json`, [`jurisdiction: no jurisdiction.json for ${f.jurisdiction}`]);
  crossCheck(files, legalBasis, options.knownFact);
  for (const [id, lb] of Object.entries(legalBasis))
    for (const f of lb.formerly)
      if (!Object.hasOwn(legalBasis, f.id)) throw new RulesetError('rules/fr/legal-basis.json', [`${id}.formerly: unknown legal basis "${f.id}"`]);
  for (const [id, j] of jurisdictions)
    for (const b of j.spec.calendar.basis) if (!legalBasis[b]) throw new RulesetError(`rules/${id.toLowerCase()}/jurisdiction.json`, [`calendar.basis: unknown legal basis "${b}"`]);

  for (const [id, p] of policies) {
    const problems = policyReferenceProblems(p, legalBasis, new Set(jurisdictions.keys()));
    if (problems.length) throw new RulesetError(`rules/policies/${id}.json`, problems.map((x) => `${x.path}: ${x.message}`));
  }
  for (const j of new Set([...policies.values()].map((p) => p.jurisdiction))) {
    const floorId = floorFileId(j);
    const floor = files.get(floorId);
    if (!floor) throw new RulesetError(`rules/${floorId}.json`, ['missing: the legal floor merchant policies are linted against']);
    const problems = floorProblems(floor, files, legalBasis);
    if (problems.length) throw new RulesetError(`rules/${floorId}.json`, problems);
  }

  const letters = loadLetters(letterFiles, files, legalBasis, (file, problems) => {
    throw new RulesetError(file, problems);
  });

  let plan: Plan;
  try {
    plan = compilePlan(files);
  } catch (e) {
    if (e instanceof PlanError) throw new RulesetError(e.file, [e.message]);
    throw e;
  }

  return Object.freeze({
    version,
    digest: `sha256:${hash.digest('hex')}`,
    root,
    files,
    cases,
    legalBasis,
    jurisdictions,
    policies,
    plan,
    letters,
  });
}
