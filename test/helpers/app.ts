// Builds the real application for a test, with the embedded ruleset and a pinned clock.
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { RulesetHolder } from '../../src/ruleset-holder.js';
import { DEFAULT_RULES_DIR } from '../../src/rules-dir.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PINNED_NOW = new Date('2026-11-05T10:00:00Z');

let shared: RulesetHolder | undefined;
export function rulesets(): RulesetHolder {
  shared ??= new RulesetHolder(DEFAULT_RULES_DIR);
  return shared;
}

export async function build(t: Test, options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ rulesets: rulesets(), now: () => PINNED_NOW, checkResponses: true, ...options });
  t.teardown(() => app.close());
  return app;
}

export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'examples', 'requests');
export function examples(): { name: string; summary: string; value: Record<string, unknown> }[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => ({ name: n.slice(0, -5), ...(JSON.parse(readFileSync(join(EXAMPLES_DIR, n), 'utf8')) as { summary: string; value: Record<string, unknown> }) }));
}

export function example(name: string): Record<string, unknown> {
  const found = examples().find((e) => e.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return structuredClone(found.value);
}
