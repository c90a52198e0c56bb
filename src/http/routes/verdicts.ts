// POST /v1/verdicts and its batch form: translate HTTP to evaluate(request, ruleset, asOf), nothing more.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { z } from 'zod';
import { VerdictRequestSchema, type VerdictRequest } from '../../contract/request.js';
import { VerdictSchema, type Verdict } from '../../contract/verdict.js';
import { evaluate, todayIn } from '../../core/index.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { localeFrom } from '../locale.js';
import { problemResponses, ProblemSchema } from '../problem.js';
import { toProblem, zodErrors } from '../errors.js';

export interface VerdictRoutesOptions {
  rulesets: RulesetHolder;
  now: () => Date;
  batchMax: number;
}

declare module 'fastify' {
  interface FastifyReply {
    /** What the request log line reports about the verdict (never request content). */
    verdictLog?: { verdictId?: string; outcome?: string; count?: number };
  }
}

export const verdictRoutes: FastifyPluginAsyncZod<VerdictRoutesOptions> = async (app, opts) => {
  const decide = async (body: VerdictRequest, acceptLanguage: string | undefined): Promise<Verdict> => {
    const ruleset = opts.rulesets.current;
    const zone = ruleset.jurisdictions.get(body.jurisdiction)?.spec.zone ?? 'Europe/Paris';
    const asOf = body.asOf ?? todayIn(zone, opts.now());
    return evaluate({ ...body, locale: body.locale ?? localeFrom(acceptLanguage) }, ruleset, asOf);
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
        headers: z.looseObject({ 'accept-language': z.string().optional() }),
        response: { 200: VerdictSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const verdict = await decide(req.body, req.headers['accept-language']);
      reply.verdictLog = { verdictId: verdict.verdictId, outcome: verdict.decision.outcome };
      return verdict;
    },
  );

  const BatchResult = z.union([
    z.object({ index: z.number().int(), status: z.literal(200), verdict: VerdictSchema }),
    z.object({ index: z.number().int(), status: z.number().int(), problem: ProblemSchema }),
  ]);

  app.post(
    '/verdicts/batch',
    {
      schema: {
        operationId: 'createVerdictsBatch',
        summary: 'Decide many incidents in one call',
        description:
          'Each element of `requests` is a VerdictRequest, validated and decided on its own: one bad element gets its own problem and never costs the others their verdicts. Results come back in the order sent.',
        tags: ['verdicts'],
        body: z.strictObject({
          requests: z
            .array(z.record(z.string(), z.unknown()).meta({ description: 'A VerdictRequest (see POST /v1/verdicts).' }))
            .min(1)
            .max(opts.batchMax),
        }),
        headers: z.looseObject({ 'accept-language': z.string().optional() }),
        response: { 200: z.object({ results: z.array(BatchResult) }), ...problemResponses },
      },
    },
    async (req, reply) => {
      const results: z.infer<typeof BatchResult>[] = [];
      for (const [index, raw] of req.body.requests.entries()) {
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
          if (p.status >= 500) throw e;
          results.push({ index, status: p.status, problem: p });
        }
      }
      reply.verdictLog = { count: results.length };
      return { results };
    },
  );
};
