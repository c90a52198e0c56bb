// Writes openapi/openapi.json from the zod schemas (via @fastify/swagger). `npm run openapi` after any
// contract change; test/openapi.test.ts fails when the committed file drifts from what the code generates.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { RulesetHolder } from '../src/ruleset-holder.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';

export async function generateOpenApi(): Promise<string> {
  const app = await buildApp({ rulesets: new RulesetHolder(DEFAULT_RULES_DIR) });
  const doc = app.swagger();
  await app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const OPENAPI_PATH = join(import.meta.dirname, '..', 'openapi', 'openapi.json');

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(OPENAPI_PATH, await generateOpenApi());
  console.log(`wrote ${OPENAPI_PATH}`);
}
