// POST /v1/verdicts and its batch form: translate HTTP to evaluate(request, ruleset, asOf), nothing more.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { z } from 'zod';
import { VerdictRequestSchema, type VerdictRequest } from '../../contract/request.js';
import { VerdictSchema, type Verdict } from '../../contract/verdict.js';
import { evaluate, todayIn } from '../../core/index.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { localeFrom } from '../locale.js';
import { errorForLog, fieldErrors, ShuttingDownError, toProblem } from '../errors.js';
import { problem, problemResponses, ProblemSchema, safeJson } from '../problem.js';

export interface VerdictRoutesOptions {
  rulesets: RulesetHolder;
  now: () => Date;
  batchMax: number;
  /** CPU time one batch may spend deciding (ms). */
  batchBudgetMs: number;
  /** Aborted when the shutdown grace period is over: a running batch answers 503. */
  cutSignal?: AbortSignal;
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
  type BatchResult = z.infer<typeof BatchResult>;

  /** One element, decided on its own: whatever happens to it is its own result, never the batch's. */
  const decideElement = async (raw: unknown, index: number, req: FastifyRequest): Promise<Buffer> => Buffer.from(await decideElementJson(raw, index, req));
  const decideElementJson = async (raw: unknown, index: number, req: FastifyRequest): Promise<string> => {
    const parsed = VerdictRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const { errors, total } = fieldErrors(parsed.error.issues);
      return safeJson({ index, status: 400, problem: toProblem({ validation: errors, validationTotal: total }) });
    }
    try {
      const verdict = await decide(parsed.data, req.headers['accept-language']);
      // The same contract check and encoding as POST /v1/verdicts, element by element.
      return JSON.stringify(z.encode(BatchResult, { index, status: 200, verdict } satisfies BatchResult));
    } catch (e) {
      const p = toProblem(e, { body: raw });
      if (p.status >= 500) req.log.error({ err: errorForLog(e), batchIndex: index }, 'batch element failed');
      return safeJson({ index, status: p.status, problem: p });
    }
  };

  app.post(
    '/verdicts/batch',
    {
      schema: {
        operationId: 'createVerdictsBatch',
        summary: 'Decide many incidents in one call',
        description: `Each element of \`requests\` is a VerdictRequest, validated and decided on its own: one bad element gets its own problem and never costs the others their verdicts. Results come back in the order sent. At most ${opts.batchMax} elements (BATCH_MAX); the batch yields to other clients between elements; elements not reached within the batch's CPU budget (BATCH_BUDGET_MS: ${opts.batchBudgetMs} ms) get a 503 problem each, to be sent again.`,
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
      const { requests } = req.body;
      // Each element's JSON is encoded to bytes as it is decided: the answer is then one copy of the
      // parts, with no step that joins, measures or encodes 16 MB at once (that took 200 ms here).
      const parts: Buffer[] = [];
      let spentMs = 0;
      for (let index = 0; index < requests.length; index++) {
        // Yield between elements: probes, signals and other clients are served while a batch runs.
        if (index > 0) await yieldToEventLoop();
        if (opts.cutSignal?.aborted) throw new ShuttingDownError();
        if (spentMs >= opts.batchBudgetMs) {
          parts.push(Buffer.from(safeJson({ index, status: 503, problem: BUDGET_PROBLEM })));
          continue;
        }
        // CPU time, not wall time: on a busy machine the budget still buys the same amount of work.
        const before = process.cpuUsage();
        parts.push(await decideElement(requests[index], index, req));
        const used = process.cpuUsage(before);
        spentMs += (used.user + used.system) / 1000;
      }
      reply.verdictLog = { count: parts.length };
      const pieces: Buffer[] = [OPEN];
      parts.forEach((p, i) => pieces.push(...(i ? [COMMA, p] : [p])));
      pieces.push(CLOSE);
      return reply.type('application/json; charset=utf-8').send(Buffer.concat(pieces) as never);
    },
  );
};

const OPEN = Buffer.from('{"results":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

const BUDGET_PROBLEM = problem(
  503,
  'batch-budget-exceeded',
  'Not decided: batch time budget used',
  'The batch used its time budget (BATCH_BUDGET_MS) before reaching this element; send it again, in a smaller batch.',
);
