// A shared json-rules-engine Engine loses events under overlapping runs (perf-baseline.md). Recourse
// builds its engines per evaluation; this proves it: 1,000 different requests sent at once get exactly
// the verdicts they get one at a time, byte for byte.
import t from 'tap';
import { addDays } from '../src/core/calendar.js';
import { build, examples } from './helpers/app.js';

const REGIONS = [null, 'FR-67', 'FR-57', 'FR-RE', 'FR-GP'];

/** 1,000 deterministic variants: every explorer example, shifted in time, region, price, language. */
function variants(): Record<string, unknown>[] {
  const bases = examples().map((e) => e.value);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; out.length < 1000; i++) {
    const v = structuredClone(bases[i % bases.length]!) as {
      asOf: string;
      region?: string | null;
      locale?: string;
      explain?: boolean;
      order: { placedAt: string; items: { receivedAt?: string | null; price: number }[] };
      incident: { notifiedAt?: string | null; history?: { at: string }[]; discoveredAt?: string | null; returnedAt?: string | null };
    };
    const shift = (i * 7) % 400;
    const move = (d: string | null | undefined) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? addDays(d, shift) : d);
    v.asOf = addDays(v.asOf, shift + (i % 30));
    v.order.placedAt = move(v.order.placedAt)!;
    for (const item of v.order.items) {
      item.receivedAt = move(item.receivedAt);
      item.price = Math.round((item.price + (i % 13) * 1.37) * 100) / 100;
    }
    v.incident.notifiedAt = move(v.incident.notifiedAt);
    v.incident.discoveredAt = move(v.incident.discoveredAt);
    v.incident.returnedAt = move(v.incident.returnedAt);
    for (const h of v.incident.history ?? []) h.at = move(h.at)!;
    v.region = REGIONS[i % REGIONS.length]!;
    v.locale = i % 2 ? 'fr' : 'en';
    v.explain = i % 5 === 0;
    out.push(v);
  }
  return out;
}

t.test('1,000 different requests at once get exactly the verdicts they get one at a time', async (t) => {
  const app = await build(t);
  const requests = variants();
  const send = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v1/verdicts', headers: { 'content-type': 'application/json' }, payload });

  const alone: string[] = [];
  for (const r of requests) alone.push((await send(r)).body);
  const together = (await Promise.all(requests.map(send))).map((res) => res.body);

  const statuses = new Set(alone.map((b) => (JSON.parse(b) as { status?: number }).status ?? 200));
  t.same([...statuses], [200], 'every variant is a valid request that gets a verdict');
  const ids = new Set(alone.map((b) => (JSON.parse(b) as { verdictId: string }).verdictId));
  t.equal(ids.size, requests.length, 'the requests really are different');
  let differing = 0;
  for (let i = 0; i < requests.length; i++) if (alone[i] !== together[i]) differing++;
  t.equal(differing, 0, 'no verdict differs between sequential and concurrent evaluation');
});
