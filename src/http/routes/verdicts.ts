// POST /v1/verdicts and its batch form: translate HTTP to evaluate(request, ruleset, asOf), nothing more.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { z } from 'zod';
import { VerdictRequestSchema, type VerdictRequest } from '../../contract/request.js';
import { VerdictSchema, type Verdict } from '../../contract/verdict.js';
import { evaluate, todayIn } from '../../core/index.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { localeFrom } from '../locale.js';
import type { Metrics } from '../metrics.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { BODY_PROBLEMS, COMMON_PROBLEMS, jsonResponse, problemResponses, ProblemSchema } from '../problem.js';
import { toProblem, zodErrors } from '../errors.js';

export interface VerdictRoutesOptions {
  rulesets: RulesetHolder;
  now: () => Date;
  batchMax: number;
  /** Counts verdicts by outcome and track and times evaluate(), after the fact. */
  metrics?: Metrics;
}

declare module 'fastify' {
  interface FastifyReply {
    /** What the request log line reports about the verdict (never request content). */
    verdictLog?: { verdictId?: string; outcome?: string; count?: number };
  }
}

/** The most elements a batch may hold, whatever BATCH_MAX says (the configuration's own maximum). */
export const BATCH_HARD_MAX = 10000;

const AcceptLanguageHeaders = z.looseObject({
  'accept-language': z.string().max(1000).optional().meta({ description: 'fr or en: the language of the texts when the body names no `locale` (default French).' }),
});

export const BatchRequestSchema = z
  .strictObject({
    requests: z.array(VerdictRequestSchema).min(1).max(BATCH_HARD_MAX).meta({ description: 'At most BATCH_MAX requests (default 1000).' }),
  })
  .meta({ id: 'BatchRequest', description: 'Many incidents to decide in one call (POST /v1/verdicts/batch).' });

const VerdictResultSchema = z
  .object({ index: z.number().int().min(0).max(BATCH_HARD_MAX - 1), status: z.literal(200), verdict: VerdictSchema })
  .meta({ id: 'BatchVerdictResult', description: 'A request of the batch that was decided.' });
const ProblemResultSchema = z
  .object({ index: z.number().int().min(0).max(BATCH_HARD_MAX - 1), status: z.union([z.literal(400), z.literal(422)]), problem: ProblemSchema })
  .meta({ id: 'BatchProblemResult', description: 'A request of the batch that was refused (400: invalid or impossible; 422: outside what the rules cover).' });
const BatchResultSchema = z.union([VerdictResultSchema, ProblemResultSchema]).meta({ id: 'BatchResult', description: 'The result for the request at `index`: a verdict or a problem.' });
type BatchResult = z.infer<typeof BatchResultSchema>;
export const BatchResponseSchema = z.object({ results: z.array(BatchResultSchema) }).meta({ id: 'BatchResponse' });

export const verdictRoutes: FastifyPluginAsyncZod<VerdictRoutesOptions> = async (app, opts) => {
  const decide = async (body: VerdictRequest, acceptLanguage: string | undefined): Promise<Verdict> => {
    const ruleset = opts.rulesets.current;
    const zone = ruleset.jurisdictions.get(body.jurisdiction)?.spec.zone ?? 'Europe/Paris';
    const asOf = body.asOf ?? todayIn(zone, opts.now());
    const started = performance.now();
    const verdict = await evaluate({ ...body, locale: body.locale ?? localeFrom(acceptLanguage) }, ruleset, asOf);
    opts.metrics?.verdict(verdict, (performance.now() - started) / 1000);
    return verdict;
  };

  app.post(
    '/verdicts',
    {
      schema: {
        operationId: 'createVerdict',
        summary: 'Decide a return or refund incident',
        description:
          'Evaluates the order and incident against the ruleset of the jurisdiction (and the merchant policy, when named) and returns a verdict in which every item cites its legal basis. `asOf` defaults to today in the jurisdiction\'s time zone; pin it for reproducible answers.',
        tags: ['verdicts'],
        body: VerdictRequestSchema,
        headers: AcceptLanguageHeaders,
        response: {
          200: jsonResponse(VerdictSchema, 'The verdict, in the language of `locale` (else Accept-Language, else French).'),
          ...problemResponses(...BODY_PROBLEMS, 422, ...COMMON_PROBLEMS),
        },
      },
    },
    async (req, reply) => {
      const verdict = await decide(req.body, req.headers['accept-language']);
      reply.verdictLog = { verdictId: verdict.verdictId, outcome: verdict.decision.outcome };
      reply.header('content-language', verdict.locale).header('vary', 'Accept-Language');
      return verdict;
    },
  );

  // The batch is validated element by element (a bad element gets its own problem), so the route's
  // validator checks only the envelope; the documented body still types every element.
  const envelope = z.strictObject({ requests: z.array(z.unknown()).min(1).max(opts.batchMax) });
  app.post(
    '/verdicts/batch',
    {
      schema: {
        operationId: 'createVerdictsBatch',
        summary: 'Decide many incidents in one call',
        description:
          'Each element of `requests` is a VerdictRequest, validated and decided on its own: one bad element gets its own problem (status 400 or 422) and never costs the others their verdicts. Results come back in the order sent. At most BATCH_MAX elements (default 1000).',
        tags: ['verdicts'],
        body: BatchRequestSchema,
        headers: AcceptLanguageHeaders,
        response: {
          200: jsonResponse(BatchResponseSchema, 'One result per request, in the order sent.'),
          ...problemResponses(...BODY_PROBLEMS, ...COMMON_PROBLEMS),
        },
      },
      validatorCompiler: ({ schema, httpPart, ...rest }) =>
        validatorCompiler({ schema: (httpPart === 'body' ? envelope : schema) as never, httpPart, ...rest }),
    },
    async (req, reply) => {
      const results: BatchResult[] = [];
      for (const [index, raw] of (req.body.requests as unknown[]).entries()) {
        // Evaluation only awaits microtasks: yield now and then so that probes, signals and other
        // clients are served while a large batch runs.
        if (index > 0 && index % 16 === 0) await yieldToEventLoop();
        const parsed = VerdictRequestSchema.safeParse(raw);
        if (!parsed.success) {
          results.push({ index, status: 400, problem: toProblem({ validation: zodErrors(parsed.error) }) });
          continue;
        }
        try {
          results.push({ index, status: 200, verdict: await decide(parsed.data, req.headers['accept-language']) });
        } catch (e) {
          const p = toProblem(e);
          if (p.status !== 400 && p.status !== 422) throw e;
          results.push({ index, status: p.status, problem: p });
        }
      }
      reply.verdictLog = { count: results.length };
      const languages = [...new Set(results.flatMap((r) => ('verdict' in r ? [r.verdict.locale] : [])))].sort();
      if (languages.length) reply.header('content-language', languages.join(', '));
      reply.header('vary', 'Accept-Language');
      return { results };
    },
  );
};
