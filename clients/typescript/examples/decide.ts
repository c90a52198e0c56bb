// A small program on the typed client: decides one incident and prints what a support agent needs.
//   node dist/examples/decide.js <base-url> [request.json]
// Without a file, it sends a change of mind received on Monday 2 November 2026.
import { readFileSync } from 'node:fs';
import { createRecourseClient, listAllRules, type VerdictRequest } from '../src/index.js';

const [baseUrl, file] = process.argv.slice(2);
if (!baseUrl) {
  console.error('usage: decide <base-url> [request.json]');
  process.exit(2);
}

// A request file may be an examples/requests file, which wraps the request in `value`.
const fromFile = (path: string) => {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as VerdictRequest & { value?: VerdictRequest };
  return raw.value ?? raw;
};
const body: VerdictRequest = file
  ? fromFile(file)
  : {
      asOf: '2026-11-05',
      locale: 'en',
      order: { placedAt: '2026-10-29', items: [{ id: 'A1', price: 79, receivedAt: '2026-11-02' }], shipping: { cost: 4.9 } },
      incident: { type: 'change_of_mind', notifiedAt: '2026-11-05' },
    };

const recourse = createRecourseClient({ baseUrl });
const { data, error, response } = await recourse.POST('/v1/verdicts', { body });
if (error) {
  console.error(`${error.status} ${error.title}: ${error.detail}`);
  process.exit(1);
}
console.log(`outcome: ${data.decision.outcome} (${data.decision.track ?? 'no track'})`);
for (const d of data.deadlines) console.log(`deadline ${d.id}: ${d.end} (${d.status}, ${d.daysLeft} days left)`);
if (data.refund) console.log(`refund: ${data.refund.total} ${data.refund.currency}${data.refund.deadline ? ` by ${data.refund.deadline}` : ''}`);
console.log(`ruleset: ${data.ruleset.version} (${response.headers.get('x-ruleset-digest')})`);
console.log(`rule files: ${(await listAllRules(recourse, 15)).length}`);
