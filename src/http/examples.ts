// Ready example requests for the explorer, read once from examples/requests/*.json. Each has a pinned
// asOf so that whoever sends it sees the verdict the README describes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NamedExample {
  summary: string;
  description?: string;
  value: Record<string, unknown>;
}

export const EXAMPLES_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'examples');

function load(kind: string): Record<string, NamedExample> {
  const dir = join(EXAMPLES_DIR, kind);
  const out: Record<string, NamedExample> = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort())
    out[name.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, name), 'utf8')) as NamedExample;
  return out;
}

export const VERDICT_EXAMPLES = load('requests');
