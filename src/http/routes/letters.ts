// POST /v1/letters: a verdict request plus a letter id and a format; the letter filled from that
// verdict, as text, HTML or PDF. Translates HTTP to evaluate() and composeLetter(), nothing more.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LETTER_MEDIA_TYPES, LetterRequestSchema, type LetterFormat } from '../../contract/letters.js';
import { composeLetter } from '../../core/letters/compose.js';
import { letterPage } from '../../render/letter-html.js';
import { letterAsText } from '../../render/letter-text.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { decideVerdict } from '../decide.js';
import { pick } from '../negotiate.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, COMMON_PROBLEMS, problemResponses } from '../problem.js';

export interface LetterRoutesOptions {
  rulesets: RulesetHolder;
  now: () => Date;
}

const MEDIA = { pdf: 'application/pdf', html: 'text/html', text: 'text/plain' } as const;

export const letterRoutes: FastifyPluginAsyncZod<LetterRoutesOptions> = async (app, opts) => {
  app.post(
    '/letters',
    {
      schema: {
        operationId: 'createLetter',
        summary: 'Fill a letter from a verdict',
        description:
          'Decides the request as POST /v1/verdicts does, then fills the letter asked for from that verdict: every date, amount and citation is the verdict\'s. The same request and ruleset give the same letter byte for byte (the PDF\'s dates are the verdict\'s asOf). The format is `format`, else the Accept header (application/pdf, text/html, text/plain), else text. A letter the verdict does not offer is a 422 that says why; an unknown letter id or format is a 400 naming the field.',
        tags: ['letters'],
        body: LetterRequestSchema,
        headers: z.looseObject({
          'accept-language': z.string().max(1000).optional().meta({ description: 'fr or en, when the request names no `locale` (default French).' }),
          accept: z.string().max(1000).optional().meta({ description: 'application/pdf, text/html or text/plain, when the body names no `format`.' }),
        }),
        response: {
          200: {
            description: 'The filled letter. `x-verdict-id` names the verdict it was filled from; `x-needs-legal-review: true` marks a letter whose wording rests on a text not verified (the verdict page says so too).',
            content: {
              'text/plain': { schema: z.string() },
              'text/html': { schema: z.string() },
              'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...problemResponses(...BODY_PROBLEMS, ...AUTH_PROBLEMS, 422, ...COMMON_PROBLEMS),
        },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const format: LetterFormat = body.format ?? pick(req.headers.accept, MEDIA) ?? 'text';
      const ruleset = opts.rulesets.current;
      const { request, verdict } = await decideVerdict(ruleset, opts.now, body.request, req.headers['accept-language']);
      const doc = composeLetter({ verdict, request, parties: body.parties ?? {}, remedy: body.remedy ?? null }, ruleset, body.letter);
      reply.verdictLog = { verdictId: verdict.verdictId, outcome: verdict.decision.outcome };
      reply
        .header('content-language', doc.locale)
        .header('vary', 'Accept-Language, Accept')
        .header('x-verdict-id', verdict.verdictId)
        .header('x-needs-legal-review', doc.needsLegalReview ? 'true' : 'false')
        .header('content-disposition', `inline; filename="${doc.id}-${verdict.verdictId}.${format === 'text' ? 'txt' : format}"`)
        .type(LETTER_MEDIA_TYPES[format]);
      // pdfkit and the embedded fonts (~10 MB resident) are loaded with the first PDF asked for, not at start.
      if (format === 'pdf') return reply.send((await (await import('../../render/letter-pdf.js')).letterAsPdf(doc)) as never);
      if (format === 'html') {
        const p = letterPage(doc);
        return reply.header('content-security-policy', p.csp).send(p.html);
      }
      return reply.send(letterAsText(doc));
    },
  );
};
