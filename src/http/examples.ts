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

/**
 * Each file also states what its answer must be (`expect`, in the case format of rules/**\/*.cases.json),
 * which test/examples.test.ts checks; the explorer shows only summary, description and value.
 */
function load(kind: string): { examples: Record<string, NamedExample>; expectations: Record<string, Record<string, unknown>> } {
  const dir = join(EXAMPLES_DIR, kind);
  const examples: Record<string, NamedExample> = {};
  const expectations: Record<string, Record<string, unknown>> = {};
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const name = file.slice(0, -'.json'.length);
    const { expect, ...example } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as NamedExample & { expect?: Record<string, unknown> };
    examples[name] = example;
    if (expect) expectations[name] = expect;
  }
  return { examples, expectations };
}

const verdicts = load('requests');
const policies = load('policies');
const letters = load('letters');
export const VERDICT_EXAMPLES = verdicts.examples;
export const POLICY_EXAMPLES = policies.examples;
/** One ready request per letter (POST /v1/letters). */
export const LETTER_EXAMPLES = letters.examples;
export const EXAMPLE_EXPECTATIONS = { requests: verdicts.expectations, policies: policies.expectations, letters: letters.expectations };

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
