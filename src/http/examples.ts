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
export const POLICY_EXAMPLES = load('policies');
/** One ready request per letter (POST /v1/letters). */
export const LETTER_EXAMPLES = load('letters');

const value = (name: string) => structuredClone(VERDICT_EXAMPLES[name]!.value);

/** A ready batch for the explorer: three incidents, one of which gets its own problem. */
export const BATCH_EXAMPLES: Record<string, NamedExample> = {
  'three-incidents-one-refused': {
    summary: 'Three incidents in one call, one outside what the rules cover',
    description:
      'A change of mind, a defect within the presumption period, and an order under German law (no rules are encoded for DE): the first two get their verdicts, the third its own 422 problem.',
    value: {
      requests: [
        value('01-withdrawal-change-of-mind'),
        value('05-defective-within-presumption'),
        { ...value('01-withdrawal-change-of-mind'), jurisdiction: 'DE' },
      ],
    },
  },
};

export const DOCUMENT_EXAMPLES = { verdicts: VERDICT_EXAMPLES, batch: BATCH_EXAMPLES, policies: POLICY_EXAMPLES, letters: LETTER_EXAMPLES };
