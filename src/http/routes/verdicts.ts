// POST /v1/verdicts and its batch form: translate HTTP to evaluate(request, ruleset, asOf), nothing more.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { z } from 'zod';
import { VerdictRequestSchema, type VerdictRequest } from '../../contract/request.js';
import { VerdictSchema, type Verdict } from '../../contract/verdict.js';
import { differential, type Ruleset } from '../../core/index.js';
import { composeLetter, letterOffers } from '../../core/letters/compose.js';
import { verdictPage } from '../../render/verdict-html.js';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { decideVerdict } from '../decide.js';
import { prefersHtml } from '../negotiate.js';
import type { Metrics } from '../metrics.js';
import { compileAjvCheck, validatorCompiler } from '../validate.js';
import { checkedStringify, encodeShared, ResponseShapeError, sameBytes } from '../serialize.js';
import { AUTH_PROBLEMS, BODY_PROBLEMS, COMMON_PROBLEMS, jsonResponse, problem, problemResponses, ProblemSchema, safeJson } from '../problem.js';
import { errorForLog, fieldErrors, ShuttingDownError, toProblem } from '../errors.js';

export interface VerdictRoutesOptions {
  rulesets: RulesetHolder;
  now: () => Date;
  batchMax: number;
  /** Counts verdicts by outcome and track and times evaluate(), after the fact. */
  metrics?: Metrics;
  /** CPU time one batch may spend deciding (ms). */
  batchBudgetMs: number;
  /** Aborted when the shutdown grace period is over: a running batch answers 503. */
  cutSignal?: AbortSignal;
  /** Each batch element's JSON is checked against its zod schema (tests; see src/http/serialize.ts). */
  checkResponses?: boolean;
  /** Fraction of verdicts re-checked through json-rules-engine after the answer (ORACLE_SAMPLE). */
  oracleSample?: number;
  random?: () => number;
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
  .object({
    index: z.number().int().min(0).max(BATCH_HARD_MAX - 1),
    status: z.union([z.literal(400), z.literal(422), z.literal(500), z.literal(503)]),
    problem: ProblemSchema,
  })
  .meta({
    id: 'BatchProblemResult',
    description:
      'A request of the batch that was not decided (400: invalid or impossible; 422: outside what the rules cover; 500: an unexpected failure of this element alone; 503: not reached within the batch\'s time budget, send it again).',
  });
const BatchResultSchema = z.union([VerdictResultSchema, ProblemResultSchema]).meta({ id: 'BatchResult', description: 'The result for the request at `index`: a verdict or a problem.' });
type BatchResult = z.infer<typeof BatchResultSchema>;
export const BatchResponseSchema = z.object({ results: z.array(BatchResultSchema) }).meta({ id: 'BatchResponse' });

export const verdictRoutes: FastifyPluginAsyncZod<VerdictRoutesOptions> = async (app, opts) => {
  const decideWith = async (body: VerdictRequest, acceptLanguage: string | undefined) => {
    const ruleset = opts.rulesets.current;
    const started = performance.now();
    const decided = await decideVerdict(ruleset, opts.now, body, acceptLanguage);
    const { request, verdict } = decided;
    opts.metrics?.verdict(verdict, (performance.now() - started) / 1000);
    // A sample is judged again by json-rules-engine once the answer is on its way (never for `explain`,
    // which json-rules-engine answered already).
    if (!request.explain && opts.oracleSample && (opts.random ?? Math.random)() < opts.oracleSample)
      setImmediate(() => void checkWithOracle(request, ruleset, verdict.asOf, verdict.verdictId));
    return { ...decided, ruleset };
  };
  const decide = async (body: VerdictRequest, acceptLanguage: string | undefined): Promise<Verdict> => (await decideWith(body, acceptLanguage)).verdict;

  const checkWithOracle = async (request: VerdictRequest, ruleset: Ruleset, asOf: string, verdictId: string): Promise<void> => {
    try {
      const d = await differential(request, ruleset, asOf);
      const diverges = d.disagreements.length > 0 || d.compiled !== d.oracle;
      opts.metrics?.oracleChecks.inc({ result: diverges ? 'diverge' : 'agree' });
      // Rule keys and ids only: no request content.
      if (diverges)
        app.log.error(
          { verdictId, rulesetDigest: ruleset.digest, rules: [...new Set(d.disagreements.map((x) => x.rule))].slice(0, 20), verdictsDiffer: d.compiled !== d.oracle },
          'oracle divergence: json-rules-engine disagrees with the compiled evaluation',
        );
    } catch (e) {
      opts.metrics?.oracleChecks.inc({ result: 'diverge' });
      app.log.error({ verdictId, rulesetDigest: ruleset.digest, err: { type: (e as Error).name } }, 'oracle check failed');
    }
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
        headers: AcceptLanguageHeaders.extend({
          accept: z.string().max(1000).optional().meta({ description: 'text/html (before application/json) for a readable page of the verdict; JSON otherwise.' }),
        }),
        response: {
          // The HTML page is said in the description only: typed clients keep the verdict's JSON type.
          200: jsonResponse(
            VerdictSchema,
            'The verdict, in the language of `locale` (else Accept-Language, else French). JSON by default; with `Accept: text/html` (before application/json) a self-contained text/html page of the same verdict: decision, remedies, a timeline of every deadline, the appeal path, evidence and the letters offered; no script, no external asset.',
          ),
          ...problemResponses(...BODY_PROBLEMS, ...AUTH_PROBLEMS, 422, ...COMMON_PROBLEMS),
        },
      },
    },
    async (req, reply) => {
      const { request, verdict, ruleset } = await decideWith(req.body, req.headers['accept-language']);
      reply.verdictLog = { verdictId: verdict.verdictId, outcome: verdict.decision.outcome };
      reply.header('content-language', verdict.locale).header('vary', 'Accept-Language, Accept');
      if (!prefersHtml(req.headers.accept)) return verdict;
      // The letters come from the ruleset that gave the verdict, even if another was loaded since.
      const offers = letterOffers({ verdict, request }, ruleset);
      const documents = offers.filter((o) => o.offered).map((o) => composeLetter({ verdict, request }, ruleset, o.id));
      const p = verdictPage(verdict, { offers, documents });
      // The page is not the documented JSON: sent as it is, past the response schema.
      return reply.type('text/html; charset=utf-8').header('content-security-policy', p.csp).send(p.html as never);
    },
  );

  const requestAccepted = compileAjvCheck(VerdictRequestSchema);
  // A verdict element is encoded around the verdict as POST /v1/verdicts encodes its answer (encodeShared);
  // tests check they are the bytes of JSON.stringify's text.
  const encodeResult = (result: BatchResult): Buffer => {
    const bytes = 'verdict' in result ? encodeShared(result.verdict, `{"index":${result.index},"status":200,"verdict":`, '}') : Buffer.from(JSON.stringify(result));
    if (opts.checkResponses && !sameBytes(bytes, checkedStringify(BatchResultSchema, result, 'POST /v1/verdicts/batch (an element)')))
      throw new ResponseShapeError('POST /v1/verdicts/batch (an element): the element was written with other bytes than JSON.stringify');
    return bytes;
  };

  /** One element, decided on its own: whatever happens to it is its own result, never the batch's. */
  const decideElement = async (raw: unknown, index: number, req: FastifyRequest, locales: Set<string>): Promise<Buffer> => {
    let body: VerdictRequest;
    if (requestAccepted?.(raw)) body = raw as VerdictRequest;
    else {
      // Refused by ajv (or no ajv for this schema): zod names the fields, as for POST /v1/verdicts.
      const parsed = VerdictRequestSchema.safeParse(raw);
      if (!parsed.success) {
        const { errors, total } = fieldErrors(parsed.error.issues);
        return Buffer.from(safeJson({ index, status: 400, problem: toProblem({ validation: errors, validationTotal: total }) }));
      }
      body = parsed.data;
    }
    try {
      const verdict = await decide(body, req.headers['accept-language']);
      locales.add(verdict.locale);
      // Encoded as POST /v1/verdicts encodes its answer (encodeShared), checked against zod in tests.
      return encodeResult({ index, status: 200, verdict } satisfies BatchResult);
    } catch (e) {
      const p = toProblem(e, { body: raw });
      if (p.status >= 500) req.log.error({ err: errorForLog(e), batchIndex: index }, 'batch element failed');
      return Buffer.from(safeJson({ index, status: p.status, problem: p }));
    }
  };

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
          "Each element of `requests` is a VerdictRequest, validated and decided on its own: one bad element gets its own problem and never costs the others their verdicts. Results come back in the order sent. At most BATCH_MAX elements (default 1000); the batch yields to other clients between elements; elements not reached within the batch's CPU budget (BATCH_BUDGET_MS) get a 503 problem each, to be sent again.",
        tags: ['verdicts'],
        body: BatchRequestSchema,
        headers: AcceptLanguageHeaders,
        response: {
          200: jsonResponse(BatchResponseSchema, 'One result per request, in the order sent.'),
          ...problemResponses(...BODY_PROBLEMS, ...AUTH_PROBLEMS, ...COMMON_PROBLEMS),
        },
      },
      validatorCompiler: ({ schema, httpPart, ...rest }) =>
        validatorCompiler({ schema: (httpPart === 'body' ? envelope : schema) as never, httpPart, ...rest }),
    },
    async (req, reply) => {
      const requests = req.body.requests as unknown[];
      // Each element's JSON is encoded to bytes as it is decided: the answer is then one copy of the
      // parts, with no step that joins, measures or encodes 16 MB at once (that took 200 ms here).
      const parts: Buffer[] = [];
      const locales = new Set<string>();
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
        parts.push(await decideElement(requests[index], index, req, locales));
        const used = process.cpuUsage(before);
        spentMs += (used.user + used.system) / 1000;
      }
      reply.verdictLog = { count: parts.length };
      if (locales.size) reply.header('content-language', [...locales].sort().join(', '));
      reply.header('vary', 'Accept-Language');
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
