// POST /v1/letters request body (../shared/design/contract.md, "Additions in v1.1"): a verdict request,
// the letter wanted and its format. The letter is filled from the verdict those facts give; the
// parties' names and addresses, which a verdict does not need, may be given here (else the letter
// leaves a line to fill in by hand), and so may the remedy the consumer chooses where a letter asks
// for one. Strict objects: an unknown field is a 400 naming it.
import { z } from 'zod';
import { VerdictRequestSchema } from './request.js';

export const LETTER_FORMATS = ['text', 'html', 'pdf'] as const;
export const LetterFormatSchema = z.enum(LETTER_FORMATS).meta({
  id: 'LetterFormat',
  description: '`text` (text/plain), `html` (a self-contained text/html page) or `pdf` (application/pdf, A4, fonts embedded).',
});
export type LetterFormat = z.infer<typeof LetterFormatSchema>;

/** The media type each format is served as. */
export const LETTER_MEDIA_TYPES: Record<LetterFormat, string> = {
  text: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** The remedy a consumer chooses under the legal guarantee of conformity (L217-9, L217-14). */
export const CHOSEN_REMEDIES = ['repair', 'replacement', 'price_reduction', 'rescission'] as const;

const Line = (description: string) => z.string().min(1).max(500).meta({ description });

export const PartySchema = z
  .strictObject({
    name: Line('Name as it should appear on the letter. Free text; never logged.').optional(),
    address: z.string().min(1).max(1000).optional().meta({ description: 'Postal address, lines separated by newlines. Free text; never logged.' }),
  })
  .meta({ id: 'Party' });

export const PartiesSchema = z
  .strictObject({
    consumer: PartySchema.optional().meta({ description: 'The sender. Absent: the letter leaves lines to fill in by hand.' }),
    trader: PartySchema.optional().meta({ description: 'The addressee. Its name defaults to order.seller.name.' }),
  })
  .meta({ id: 'Parties', description: 'Who writes and to whom: not needed for a verdict, printed on the letter.' });

export const LetterRequestSchema = z
  .strictObject({
    request: VerdictRequestSchema.meta({ description: 'The facts: the letter is filled from the verdict they give (locale, asOf and all).' }),
    letter: z
      .string()
      .regex(/^[a-z][a-z_]{0,63}$/, 'must be a letter id such as formal_notice_refund')
      .meta({
        example: 'withdrawal_form',
        description:
          'The letter wanted. Ids: withdrawal_form (the official model form), withdrawal_declaration, written_complaint, formal_notice_refund, formal_notice_delivery, formal_notice_conformity, formal_notice_postage, mediation_request, marketplace_claim. An unknown id is a 400; a letter the verdict does not offer (its step is not `next` or `done` in appealPath, or its track is not open) is a 422 that says why.',
      }),
    format: LetterFormatSchema.optional().meta({ description: 'Default: from the Accept header (application/pdf, text/html or text/plain), else text.' }),
    parties: PartiesSchema.optional(),
    remedy: z.enum(CHOSEN_REMEDIES).optional().meta({
      description:
        'For formal_notice_conformity: the remedy the consumer demands: repair or replacement while the seller still has time to act, price_reduction or rescission once the verdict opens them.',
    }),
  })
  .meta({ id: 'LetterRequest', description: 'A verdict request and the letter to fill from its verdict (POST /v1/letters).' });

export type LetterRequest = z.output<typeof LetterRequestSchema>;
export type Parties = z.output<typeof PartiesSchema>;
export type ChosenRemedy = (typeof CHOSEN_REMEDIES)[number];
