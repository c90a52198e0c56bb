// A fixed, varied set of verdict requests for the benchmark, derived from examples/requests/*.json.
// Deterministic: a seeded PRNG (mulberry32) drives every choice, so the same ruleset and the same
// examples give the same requests, in the same order, on every run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLES_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'examples', 'requests');
export const SEED = 20261122;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(T.+)$/;

/** Shifts every civil date in a JSON value by `days`, and the date of a date-time (time and offset kept). */
function shiftDates(v: Json, days: number): Json {
  if (typeof v === 'string') {
    if (DATE.test(v)) return addDays(v, days);
    const dt = DATE_TIME.exec(v);
    return dt ? addDays(dt[1]!, days) + dt[2]! : v;
  }
  if (Array.isArray(v)) return v.map((x) => shiftDates(x, days));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shiftDates(x, days)]));
  return v;
}

export function loadExamples(dir = EXAMPLES_DIR): { name: string; value: Obj }[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((name) => ({ name, value: (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { value: Obj }).value }));
}

const CATEGORIES = ['electronics', 'clothing', 'shoes', 'home', 'books', 'toys_games', 'kitchen', 'beauty_cosmetics', 'sports_outdoors', 'computers'];
const PRICES = [4.99, 12.5, 19.9, 35, 49.99, 79, 129, 249.9, 599, 1299];
const REGIONS: (string | null)[] = [null, null, null, 'FR-67', 'FR-68', 'FR-57', 'FR-RE', 'FR-GP', 'FR-MQ'];
const INCIDENTS = ['change_of_mind', 'defective', 'not_as_described', 'damaged_in_transit', 'wrong_item', 'missing_parts', 'not_delivered', 'late_delivery', 'refund_late', 'refund_refused'];
const STATES = ['unopened', 'opened', 'tested', 'used'];
const SHIPPING: (Obj | null)[] = [
  null, // the example's own
  { method: 'standard', cost: 4.9, standardCost: 4.9 },
  { method: 'express', cost: 12.9, standardCost: 4.9 },
  { method: 'free', cost: 0, standardCost: 0 },
  { method: 'pickup', cost: 2.5, standardCost: 2.5 },
];

/**
 * One candidate request: example `i % examples.length`, its whole timeline shifted by up to about a
 * year, the verdict date moved to 0–40 days after the example's latest fact (so inside, on and after
 * the 14-day and 30-day boundaries), 1–3 items of varied categories and prices, a region, a locale, an
 * item state, a shipping option, now and then another incident type, an exclusion attribute, a
 * declaration date or a first contact with the seller.
 */
export function variant(examples: { value: Obj }[], i: number, rnd: () => number): Obj {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const base = examples[i % examples.length]!.value;
  const v = shiftDates(structuredClone(base), Math.floor(rnd() * 420) - 300) as Obj;
  const order = v.order as Obj;
  const incident = v.incident as Obj;
  const first = (order.items as Obj[])[0]!;
  const received = typeof first.receivedAt === 'string' ? first.receivedAt : null;

  // Optional facts added on top of the example's own, never before receipt.
  if (received && typeof incident.notifiedAt !== 'string' && rnd() < 0.35) incident.notifiedAt = addDays(received, Math.floor(rnd() * 20));
  const history = Array.isArray(incident.history) ? incident.history : [];
  if (received && history.length === 0 && typeof incident.notifiedAt === 'string' && rnd() < 0.3)
    incident.history = [{ type: 'contacted_seller', at: incident.notifiedAt }];

  const count = 1 + Math.floor(rnd() * 3);
  const items: Obj[] = [];
  const keepFirst = Object.keys((first.attributes as Obj | undefined) ?? {}).length > 0; // e.g. the engraved watch
  for (let j = 0; j < count; j++) {
    const item: Obj = j === 0 ? first : { id: `A${j + 1}`, kind: 'goods', condition: 'new', attributes: {} };
    if (!(j === 0 && keepFirst)) {
      item.category = pick(CATEGORIES);
      item.price = pick(PRICES);
    }
    item.quantity = 1 + Math.floor(rnd() * 2);
    if (received) item.receivedAt = received;
    if (j > 0) {
      const r = rnd();
      if (r < 0.1) item.attributes = { sealedForHygiene: true, sealBroken: rnd() < 0.5 };
      else if (r < 0.17) item.attributes = { perishable: true };
      else if (r < 0.22) item.attributes = { clearlyPersonalized: true };
    }
    items.push(item);
  }
  order.items = items;
  const shipping = pick(SHIPPING);
  if (shipping) order.shipping = structuredClone(shipping);
  if (rnd() < 0.15) order.disclosures = { withdrawalInfoGiven: false, returnCostsBorneByConsumer: false };

  const region = pick(REGIONS);
  if (region) v.region = region;
  const locale = rnd();
  if (locale < 0.45) v.locale = 'fr';
  else if (locale < 0.9) v.locale = 'en';
  else delete v.locale;

  if (i >= examples.length && rnd() < 0.25) incident.type = pick(INCIDENTS);
  // A recall belongs to a product_recall incident only (another type with one is a 400).
  if (incident.type !== 'product_recall') delete incident.recall;
  incident.itemState = pick(STATES);

  // The verdict date: 0–40 days after the latest date the request now holds.
  delete v.asOf;
  v.asOf = addDays(latestDate(v) ?? (order.placedAt as string).slice(0, 10), Math.floor(rnd() * 41));
  return v;
}

function latestDate(v: Json): string | null {
  if (typeof v === 'string') return DATE.test(v) ? v : null;
  let best: string | null = null;
  for (const x of Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []) {
    const d = latestDate(x);
    if (d && (!best || d > best)) best = d;
  }
  return best;
}

/**
 * Candidates in order until `wanted` pass `accept` (bounded). Returns the accepted ones and what was
 * refused, by reason, so the benchmark can say what its mix is made of.
 */
export async function buildVariants(
  wanted: number,
  accept: (req: Obj) => Promise<string | null>,
  examples = loadExamples(),
): Promise<{ accepted: Obj[]; refused: Map<string, number>; tried: number }> {
  const rnd = mulberry32(SEED);
  const accepted: Obj[] = [];
  const refused = new Map<string, number>();
  let i = 0;
  for (; accepted.length < wanted && i < wanted * 5; i++) {
    const candidate = variant(examples, i, rnd);
    const reason = await accept(candidate);
    if (reason === null) accepted.push(candidate);
    else refused.set(reason, (refused.get(reason) ?? 0) + 1);
  }
  return { accepted, refused, tried: i };
}
