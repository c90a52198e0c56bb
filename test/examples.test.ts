// Every explorer example states the answer its summary promises (`expect` in the example file, written
// from the law and the example's description, in the case format of rules/**/*.cases.json), and gets
// it over HTTP. The explorer itself never shows `expect`.
import t from 'tap';
import { mismatches } from '../src/cases/match.js';
import { EXAMPLE_EXPECTATIONS, LETTER_EXAMPLES, POLICY_EXAMPLES, VERDICT_EXAMPLES } from '../src/http/examples.js';
import { build } from './helpers/app.js';

const json = { 'content-type': 'application/json' };

t.test('every verdict example has an expected outcome, track and key facts, and the service gives them', async (t) => {
  const app = await build(t);
  const names = Object.keys(VERDICT_EXAMPLES);
  t.ok(names.length >= 20, `${names.length} examples`);
  for (const name of names) {
    const expect = EXAMPLE_EXPECTATIONS.requests[name];
    if (!expect) {
      t.fail(`${name}: states what its answer must be`);
      continue;
    }
    const decision = expect.decision as { outcome?: string; track?: string } | undefined;
    t.ok(decision?.outcome && decision.track, `${name}: the expected outcome and track are stated`);
    t.ok(Object.keys(expect).some((k) => k !== 'decision'), `${name}: and at least one key fact beside the decision`);
    const res = await app.inject({ method: 'POST', url: '/v1/verdicts', headers: json, payload: VERDICT_EXAMPLES[name]!.value });
    t.equal(res.statusCode, 200, `${name}: 200`);
    t.same(mismatches(res.json(), expect), [], `${name}: ${VERDICT_EXAMPLES[name]!.summary}`);
  }
});

t.test('every policy example states whether it is compliant and each finding, and the lint gives exactly those', async (t) => {
  const app = await build(t);
  for (const [name, example] of Object.entries(POLICY_EXAMPLES)) {
    const expect = EXAMPLE_EXPECTATIONS.policies[name] as { asOf: string; compliant: boolean; findings: { id: string; clause: string }[] } | undefined;
    if (!expect) {
      t.fail(`${name}: states what its answer must be`);
      continue;
    }
    const res = await app.inject({ method: 'POST', url: `/v1/policies/lint?asOf=${expect.asOf}`, headers: json, payload: example.value });
    t.equal(res.statusCode, 200, `${name}: 200`);
    const report = res.json() as { compliant: boolean; findings: { id: string; clause: string }[] };
    t.equal(report.compliant, expect.compliant, `${name}: compliant`);
    t.same(
      report.findings.map((f) => ({ id: f.id, clause: f.clause })),
      expect.findings,
      `${name}: the findings, all of them, in order`,
    );
  }
});

const LETTER_MEDIA = { text: 'text/plain; charset=utf-8', html: 'text/html; charset=utf-8', pdf: 'application/pdf' } as const;

t.test('every letter example is filled in its format, and its text states what the summary promises', async (t) => {
  const app = await build(t);
  const names = Object.keys(LETTER_EXAMPLES);
  t.ok(names.length >= 9, `${names.length} letter examples`);
  for (const name of names) {
    const value = LETTER_EXAMPLES[name]!.value as { format?: keyof typeof LETTER_MEDIA };
    const expect = EXAMPLE_EXPECTATIONS.letters[name] as { contains?: string[] } | undefined;
    if (!expect?.contains?.length) {
      t.fail(`${name}: states what its letter must say`);
      continue;
    }
    const asSent = await app.inject({ method: 'POST', url: '/v1/letters', headers: json, payload: value });
    t.equal(asSent.statusCode, 200, `${name}: 200`);
    t.equal(asSent.headers['content-type'], LETTER_MEDIA[value.format ?? 'text'], `${name}: as ${value.format ?? 'text'}`);
    // The same letter as text, to read its sentences (the PDF is read back in test/letters-http.test.ts).
    const text = (await app.inject({ method: 'POST', url: '/v1/letters', headers: json, payload: { ...value, format: 'text' } })).body;
    for (const s of expect.contains) t.ok(text.includes(s), `${name}: prints ${JSON.stringify(s)}`);
  }
});

t.test('the explorer shows summary, description and value only', async (t) => {
  const app = await build(t);
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const examples = doc.paths['/v1/verdicts'].post.requestBody.content['application/json'].examples as Record<string, Record<string, unknown>>;
  t.ok(Object.keys(examples).length >= Object.keys(VERDICT_EXAMPLES).length);
  for (const [name, ex] of Object.entries(examples)) t.notOk('expect' in ex, `${name}: no expect in the document`);
  const letters = doc.paths['/v1/letters'].post.requestBody.content['application/json'].examples as Record<string, Record<string, unknown>>;
  t.same(Object.keys(letters).sort(), Object.keys(LETTER_EXAMPLES).sort(), 'every letter example is in the explorer');
  for (const [name, ex] of Object.entries(letters)) t.notOk('expect' in ex, `${name}: no expect in the document`);
});
