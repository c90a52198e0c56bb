// The shape of the letters in rules/<jurisdiction>/letters/: validated with zod at load like the rule
// files; a bad letter stops the service naming the file and the field.
//
// - <id>.json: the letter's definition: its title, the appeal step it belongs to (offered only when the
//   verdict puts that step at `next` or `done`), further conditions on the verdict, each with the reason
//   given when it fails, and the legal basis of the letter's form.
// - <id>.<lang>.json: the text in one language, as blocks. Placeholders are verdict values only
//   ({name}, {money:name}, {list:name}); citations are {cite:<element of the verdict>}, printed with the
//   citations the verdict gives that element, so a letter cites exactly what the verdict cites. The
//   templates of one letter have the same blocks, conditions and citations in every language.
// - <id>.cases.json: cases proving the letter, as data (src/cases/letters.ts).
import { z } from 'zod';
import { CHOSEN_REMEDIES, LETTER_FORMATS } from '../../contract/letters.js';
import { LocaleSchema, LocalizedTextSchema, CivilDateSchema } from '../../contract/primitives.js';
import { APPEAL_STEPS } from '../../contract/verdict.js';
import { ConditionSchema } from '../ruleset/schema.js';

export const LETTER_ID = /^[a-z][a-z_]{0,63}$/;

const Text = z.string().min(1).max(4000);
const When = ConditionSchema.optional().meta({ description: 'The block (or line) is printed only when this holds on the letter values.' });

export const LetterDefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(LETTER_ID),
  jurisdiction: z.string().regex(/^[A-Z]{2}$/),
  title: LocalizedTextSchema,
  description: LocalizedTextSchema.meta({ description: 'What the letter is for, as the verdict page lists it.' }),
  step: z.enum(APPEAL_STEPS).meta({ description: 'Offered only when the verdict puts this step at `next` or `done`.' }),
  requires: z
    .array(z.strictObject({ condition: ConditionSchema, otherwise: LocalizedTextSchema }))
    .default([])
    .meta({ description: 'Further conditions on the verdict, in order; the first that fails gives the reason the letter is not offered.' }),
  needs: z.array(z.enum(['remedy'])).default([]).meta({ description: 'Fields of the letter request this letter cannot do without (a 400 naming the field when absent).' }),
  source: z.strictObject({
    basis: z.array(z.string().min(1)).min(1),
    status: z.enum(['VERIFIED', 'VERIFIED-SECONDARY', 'PARTIAL', 'UNVERIFIED', 'COMPUTED']),
    urls: z.array(z.url()).min(1),
    note: z.string().optional(),
  }),
  needsLegalReview: z.boolean().default(false),
});
export type LetterDefinition = z.infer<typeof LetterDefinitionSchema>;

const Paragraph = z.strictObject({ kind: z.literal('paragraph'), text: Text, align: z.enum(['left', 'right']).default('left'), when: When });
const Line = z.strictObject({ text: Text, when: When });

export const LetterBlockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('heading'), text: Text, when: When }),
  Paragraph,
  z.strictObject({ kind: z.literal('list'), items: z.array(Line).min(1), when: When }),
  z.strictObject({
    kind: z.literal('fields'),
    rows: z.array(z.strictObject({ label: Text, value: Text, when: When })).min(1),
    when: When,
  }),
  z.strictObject({ kind: z.literal('address'), lines: z.array(Line).min(1), align: z.enum(['left', 'right']).default('left'), when: When }),
  z.strictObject({ kind: z.literal('signature'), lines: z.array(Line).min(1), when: When }),
]);
export type LetterBlock = z.infer<typeof LetterBlockSchema>;

export const LetterTemplateSchema = z.strictObject({
  $schema: z.string().optional(),
  letter: z.string().regex(LETTER_ID),
  lang: LocaleSchema,
  subject: Text.meta({ description: 'The subject line (Objet), and the document title.' }),
  blocks: z.array(LetterBlockSchema).min(1),
});
export type LetterTemplate = z.infer<typeof LetterTemplateSchema>;

export const LetterCaseSchema = z.strictObject({
  name: z.string().min(10).meta({ description: 'The sentence the case proves.' }),
  asOf: CivilDateSchema,
  base: z.string().optional(),
  request: z.record(z.string(), z.unknown()).default({}),
  letter: z.record(z.string(), z.unknown()).default({}).meta({ description: 'The other fields of the letter request: parties, remedy, format.' }),
  expect: z.union([
    z.strictObject({
      offered: z.literal(true),
      contains: z.array(z.string().min(1)).default([]).meta({ description: 'Sentences or figures the letter must print (text format).' }),
      absent: z.array(z.string().min(1)).default([]).meta({ description: 'Text the letter must not print.' }),
      cites: z.array(z.string().min(1)).default([]).meta({ description: 'Legal-basis ids the letter must cite.' }),
    }),
    z.strictObject({
      offered: z.literal(false),
      status: z.union([z.literal(400), z.literal(422)]),
      path: z.string().optional(),
      because: z.string().min(1).optional().meta({ description: 'A substring of the reason given.' }),
    }),
  ]),
});
export const LetterCasesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  letter: z.string().regex(LETTER_ID),
  base: z.string().min(1),
  cases: z.array(LetterCaseSchema).min(1),
});
export type LetterCasesFile = z.infer<typeof LetterCasesFileSchema>;
export type LetterCase = z.infer<typeof LetterCaseSchema>;

/** A letter as loaded: its definition and its text in every language. */
export interface LoadedLetter {
  definition: LetterDefinition;
  templates: Record<z.infer<typeof LocaleSchema>, LetterTemplate>;
  cases: LetterCasesFile | null;
}

export { CHOSEN_REMEDIES, LETTER_FORMATS };
