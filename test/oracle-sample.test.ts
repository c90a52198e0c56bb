// ORACLE_SAMPLE: in service, a sample of verdicts is judged again by json-rules-engine after the answer
// is sent. Agreement is counted; a divergence is counted and logged with rule keys only (no request
// content), and never changes the answer already given.
import t from 'tap';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Ruleset } from '../src/core/index.js';
import { Selector } from '../src/core/plan/select.js';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { build, example, rulesets } from './helpers/app.js';

const MUTATED = 'fr/withdrawal/L221-18#start-on-receipt-of-last-goods';

/** The embedded ruleset, except that one compiled rule answers the opposite of its JSON conditions. */
function withOneRuleNegated(rs: Ruleset): Ruleset {
  const rules = rs.plan.rules.map((r) => (r.key === MUTATED ? { ...r, condition: { kind: 'not' as const, inner: r.condition } } : r));
  if (!rules.some((r) => r.key === MUTATED)) throw new Error(`${MUTATED} is not in the ruleset`);
  return { ...rs, plan: { ...rs.plan, rules, selector: new Selector(rs.files, rules, rs.plan.slots) } };
}

function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

const checks = (metrics: string, result: string) =>
  Number(new RegExp(`^recourse_oracle_checks_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);

/** Waits for the checks sent off the hot path (bounded by turns of the event loop, not by time). */
async function settled(app: Awaited<ReturnType<typeof build>>, expected: number) {
  let text = '';
  for (let turn = 0; turn < 2000; turn++) {
    text = (await app.inject('/metrics')).body;
    if (checks(text, 'agree') + checks(text, 'diverge') >= expected) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return text;
}

t.test('with the embedded ruleset, every sampled verdict agrees', async (t) => {
  const { lines, logger } = logSink();
  const app = await build(t, { logger, oracleSample: 1, random: () => 0 });
  for (const name of ['01-withdrawal-change-of-mind', '03-excluded-personalised-item']) t.equal((await app.inject({ method: 'POST', url: '/v1/verdicts', payload: example(name) })).statusCode, 200);
  const metrics = await settled(app, 2);
  t.equal(checks(metrics, 'agree'), 2, 'both checked, both agree');
  t.equal(checks(metrics, 'diverge'), 0);
  t.notOk(lines.some((l) => String(l.msg).startsWith('oracle')), 'nothing logged about the oracle');
});

t.test('a compiled rule that disagrees with its JSON is caught in service, logged by key, without request content', async (t) => {
  const { lines, logger } = logSink();
  const mutant = new RulesetHolder(DEFAULT_RULES_DIR, withOneRuleNegated(rulesets().current));
  const app = await build(t, { logger, rulesets: mutant, oracleSample: 1, random: () => 0 });
  const body = example('01-withdrawal-change-of-mind');
  const res = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: body });
  t.equal(res.statusCode, 200, 'the answer is sent as the compiled plan gave it');
  const metrics = await settled(app, 1);
  t.equal(checks(metrics, 'diverge'), 1);
  const logged = lines.find((l) => String(l.msg).startsWith('oracle divergence'));
  t.ok(logged, 'the divergence is logged');
  t.equal(logged?.level, 50, 'as an error');
  t.equal(logged?.verdictId, res.json().verdictId);
  t.same(logged?.rules, [MUTATED], 'naming the rule judged differently');
  t.equal(logged?.rulesetDigest, rulesets().current.digest);
  const text = JSON.stringify(logged);
  for (const item of (body.order as { items: { description?: string }[] }).items)
    if (item.description) t.notOk(text.includes(item.description), 'no item description in the log line');
});

t.test('the sample rate is honoured: a draw at or above it is not checked', async (t) => {
  const draws = [0.05, 0.5, 0.09, 0.1];
  const app = await build(t, { oracleSample: 0.1, random: () => draws.shift() ?? 1 });
  for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/v1/verdicts', payload: example('01-withdrawal-change-of-mind') });
  const metrics = await settled(app, 2);
  t.equal(checks(metrics, 'agree'), 2, 'the draws 0.05 and 0.09 are below 0.1; 0.5 and 0.1 are not');
});

t.test('off by default: no check, no draw', async (t) => {
  let drawn = 0;
  const app = await build(t, { random: () => (drawn++, 0) });
  await app.inject({ method: 'POST', url: '/v1/verdicts', payload: example('01-withdrawal-change-of-mind') });
  t.equal(drawn, 0);
  const metrics = (await app.inject('/metrics')).body;
  t.equal(checks(metrics, 'agree') + checks(metrics, 'diverge'), 0);
});
