// The typed client, clients/typescript (@recourse/client): its types are what openapi-typescript
// generates from openapi/openapi.json with its default flags; those types accept every example the
// explorer offers (and refuse a wrong one); the package builds; the README's example type-checks; and
// its small program and the client itself talk to the real server on a loopback port.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { OPENAPI_PATH } from '../scripts/write-openapi.mjs';
import { startServer } from './helpers/process.js';

const ROOT = join(import.meta.dirname, '..');
const CLIENT = join(ROOT, 'clients', 'typescript');
const SCHEMA_TS = join(CLIENT, 'src', 'schema.ts');
const run = promisify(execFile);
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** TypeScript's diagnostics for one file, compiled strictly as an ES module (nothing emitted). */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function tmp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'recourse-client-')), name);
  writeFileSync(file, text);
  return file;
}

t.test('clients/typescript/src/schema.ts is what openapi-typescript generates with its default flags', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'recourse-ots-')), 'schema.ts');
  await run(bin('openapi-typescript'), [OPENAPI_PATH, '-o', out], { cwd: ROOT });
  t.equal(readFileSync(SCHEMA_TS, 'utf8'), readFileSync(out, 'utf8'), 'up to date (cd clients/typescript && npm run generate)');
});

t.test('the generated types accept every example of the explorer, and refuse a wrong one', async (t) => {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as Any;
  const lines = [`import type { components } from ${JSON.stringify(pathToFileURL(SCHEMA_TS.replace(/\.ts$/, '.js')).pathname)};`, "type S = components['schemas'];"];
  let count = 0;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Any>))
    for (const op of Object.values(item as Record<string, Any>)) {
      const media = op?.requestBody?.content?.['application/json'];
      if (!media?.examples) continue;
      const type = String(media.schema.$ref).split('/').pop();
      for (const [name, example] of Object.entries(media.examples as Record<string, { value: unknown }>)) {
        lines.push(`// ${path}: ${name}`, `export const e${count++} = ${JSON.stringify(example.value)} satisfies S[${JSON.stringify(type)}];`);
      }
    }
  t.ok(count >= 19, `${count} examples: a verdict per incident type, a batch, the policies`);
  t.same(typeErrors(tmp('examples.mts', lines.join('\n'))), [], 'every example type-checks');

  // The check can fail: a wrong incident type, and a request without its order.
  const wrong = [
    lines[0],
    lines[1],
    "export const a = { order: { placedAt: '2026-10-01', items: [{ id: 'A', price: 1 }] }, incident: { type: 'change_of_heart' } } satisfies S['VerdictRequest'];",
    "export const b = { incident: { type: 'defective' } } satisfies S['VerdictRequest'];",
  ].join('\n');
  const errors = typeErrors(tmp('wrong.mts', wrong));
  t.equal(errors.length, 2, errors.join('\n'));
  t.match(errors.join('\n'), /change_of_heart/);
});

t.test('the package builds, the README example type-checks, and the client talks to the real server', async (t) => {
  await run(bin('tsc'), ['-p', join(CLIENT, 'tsconfig.json')], { cwd: ROOT });
  const pkg = JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8')) as Any;
  t.equal(pkg.name, '@recourse/client');
  t.ok(pkg.dependencies['openapi-fetch'], 'openapi-fetch over the generated types');

  // The README's example, as a user would paste it (the package import pointed at this checkout).
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippet = /## Typed client[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  t.ok(snippet, 'the README shows an example');
  t.ok((snippet ?? '').trim().split('\n').length <= 5, 'in five lines');
  const pasted = (snippet ?? '').replace("'@recourse/client'", JSON.stringify(join(CLIENT, 'src', 'index.js')));
  t.same(typeErrors(tmp('readme.mts', pasted)), [], 'the README example type-checks');

  const server = await startServer();
  t.teardown(() => void server.child.kill('SIGKILL'));

  // The small program of clients/typescript/examples, against the live server.
  const program = await run(process.execPath, [join(CLIENT, 'dist', 'examples', 'decide.js'), server.url, join(ROOT, 'examples', 'requests', '01-withdrawal-change-of-mind.json')]);
  t.match(program.stdout, /^outcome: return_accepted \(withdrawal\)$/m);
  t.match(program.stdout, /^deadline withdrawal\.notice: 2026-11-16 \(open, 11 days left\)$/m);
  t.match(program.stdout, /^rule files: \d+$/m, 'paged through GET /v1/rules');

  // The built client itself.
  const { createRecourseClient, listAllRules } = (await import(pathToFileURL(join(CLIENT, 'dist', 'src', 'index.js')).href)) as Any;
  const recourse = createRecourseClient({ baseUrl: server.url });
  const example = (JSON.parse(readFileSync(join(ROOT, 'examples', 'requests', '05-defective-within-presumption.json'), 'utf8')) as { value: Any }).value;
  const ok = await recourse.POST('/v1/verdicts', { body: example });
  t.equal(ok.response.status, 200);
  t.equal(ok.data.asOf, example.asOf);
  t.match(ok.response.headers.get('x-ruleset-digest'), /^sha256:/);
  const bad = await recourse.POST('/v1/verdicts', { body: { ...example, order: { ...example.order, items: [{ id: 'A', price: -1 }] } } });
  t.equal(bad.response.status, 400);
  t.equal(bad.error.status, 400, 'a problem comes back as `error`');
  t.same(bad.error.errors.map((e: { path: string }) => e.path), ['order.items.0.price']);
  const batch = await recourse.POST('/v1/verdicts/batch', { body: { requests: [example, { ...example, jurisdiction: 'DE' }] } });
  t.same(batch.data.results.map((r: { status: number }) => r.status), [200, 422]);
  const rules = await listAllRules(recourse, 9);
  const all = await recourse.GET('/v1/rules', { params: { query: { limit: 200 } } });
  t.same(rules.map((r: { id: string }) => r.id), all.data.rules.map((r: { id: string }) => r.id), 'every rule file, page after page');
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});
