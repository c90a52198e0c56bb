// npm run fuzz [-- --count 100000] [--seed N] [--http]
// The long fuzz run: the generator of test/fuzz.test.ts (fast-check, from the OpenAPI document and the
// explorer's examples), 100,000 requests by default, against the application in process (inject) or,
// with --http, against the real server started on a loopback port. Prints the figures and every kind of
// violation found (a 5xx, an error that is not a complete problem, a 400 naming no field); exits 1 if any.
import { parseArgs } from 'node:util';
import { fuzzCases, violations, type Answer, type FuzzCase } from '../test/helpers/fuzz.js';

export interface FuzzFigures {
  requests: number;
  fiveHundreds: number;
  violations: number;
  statuses: Record<string, number>;
  first: string[];
  seconds: number;
}

export async function fuzz(count: number, seed: number, send: (c: FuzzCase) => Promise<Answer | null>, progress?: (n: number) => void): Promise<FuzzFigures> {
  const started = Date.now();
  const statuses: Record<string, number> = {};
  const first: string[] = [];
  let n = 0;
  let fiveHundreds = 0;
  let bad = 0;
  for (const c of fuzzCases(seed, count)) {
    const res = await send(c);
    n++;
    if (progress && n % 10000 === 0) progress(n);
    if (!res) continue;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status >= 500) fiveHundreds++;
    const v = violations(c, res);
    if (v.length) {
      bad++;
      for (const x of v) if (first.length < 20 && !first.includes(x)) first.push(x);
    }
  }
  return { requests: n, fiveHundreds, violations: bad, statuses, first, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '100000' }, seed: { type: 'string', default: '20261122' }, http: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  let figures: FuzzFigures;
  if (values.http) {
    const { startServer } = await import('../test/helpers/process.js');
    const { send } = await import('../test/helpers/wire.js');
    const http = await import('node:http');
    const server = await startServer({ RATE_LIMIT_MAX: '0', EVENT_LOOP_MAX_DELAY_MS: '0' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    let unsendable = 0;
    figures = await fuzz(count, seed, async (c) => {
      let o;
      try {
        o = await send(server.url, { method: c.method, path: c.url, headers: c.headers, ...(c.payload !== undefined ? { body: c.payload } : {}), agent });
      } catch {
        unsendable++; // a header value or path Node's client refuses to send
        return null;
      }
      if (o.kind !== 'answered') return { status: 599, headers: {}, body: `${o.kind}` };
      return { status: o.status, headers: o.headers, body: o.body };
    }, values.quiet ? undefined : (n) => console.error(`  ${n} requests…`));
    agent.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
    if (unsendable) console.log(`(${unsendable} generated requests could not be sent by Node's HTTP client and were skipped)`);
  } else {
    const { buildApp } = await import('../src/app.js');
    const { RulesetHolder } = await import('../src/ruleset-holder.js');
    const { DEFAULT_RULES_DIR } = await import('../src/rules-dir.js');
    // In process, every answer is also checked against its zod schema (a mismatch is a 500, counted).
    const app = await buildApp({ rulesets: new RulesetHolder(DEFAULT_RULES_DIR), now: () => new Date('2026-11-05T10:00:00Z'), checkResponses: true });
    figures = await fuzz(count, seed, async (c) => {
      const res = await app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, ...(c.payload !== undefined ? { payload: c.payload } : {}) });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    }, values.quiet ? undefined : (n) => console.error(`  ${n} requests…`));
    await app.close();
  }
  console.log(`fuzz (${values.http ? 'HTTP, loopback' : 'in process'}, seed ${seed}): ${figures.requests} requests in ${figures.seconds} s`);
  console.log(`  5xx: ${figures.fiveHundreds}; answers breaking a property: ${figures.violations}`);
  console.log(`  statuses: ${JSON.stringify(figures.statuses)}`);
  for (const v of figures.first) console.log(`  - ${v}`);
  process.exit(figures.violations ? 1 : 0);
}
