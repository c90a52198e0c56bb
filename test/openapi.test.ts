// openapi/openapi.json is generated from the zod schemas and committed. This fails when the committed
// document drifts from what the code generates, or when it is not a valid OpenAPI 3.1 document.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { generateOpenApi, OPENAPI_PATH } from '../scripts/write-openapi.mjs';
import { build } from './helpers/app.js';

t.test('the committed OpenAPI document is what the code generates (run `npm run openapi` after a contract change)', async (t) => {
  const generated = await generateOpenApi();
  const committed = readFileSync(OPENAPI_PATH, 'utf8');
  t.equal(committed, generated, 'openapi/openapi.json is up to date');
});

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
  t.equal(doc.openapi, '3.1.0');
  const result = await validate(structuredClone(doc));
  t.ok(result.valid, JSON.stringify('errors' in result ? result.errors : [], null, 2).slice(0, 2000));
  // The validator can fail: the same document with a broken response object is rejected.
  const broken = structuredClone(doc);
  broken.paths['/v1/verdicts'].post.responses['200'] = { content: 'not an object' };
  t.notOk((await validate(broken)).valid, 'a broken document is rejected');
});

t.test('the contract names are in the document: request, verdict, problem, every incident type and category', async (t) => {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
  const schemas = doc.components.schemas;
  for (const name of ['VerdictRequestInput', 'Verdict', 'Problem']) t.ok(schemas[name], `components.schemas.${name}`);
  const text = JSON.stringify(doc);
  for (const word of ['refund_late', 'not_delivered', 'bedding_mattresses', 'withdrawal.notice', 'appealPath', 'legalBasis'])
    t.ok(text.includes(word), `mentions ${word}`);
  const post = doc.paths['/v1/verdicts'].post;
  t.ok(Object.keys(post.requestBody.content['application/json'].examples).length >= 4, 'ready examples for the explorer');
  for (const status of ['200', '400', '413', '422', '500']) t.ok(post.responses[status], `documents ${status}`);
});

t.test('GET /openapi.json serves the same document', async (t) => {
  const app = await build(t);
  const res = await app.inject('/openapi.json');
  t.equal(res.statusCode, 200);
  t.same(res.json(), JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')));
});
