// Builds the HTTP application for the server and for tests alike; never listens by itself.
import helmet from 'helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyUnderPressure from '@fastify/under-pressure';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import fastifyCompress from '@fastify/compress';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ApiKeys, type ApiKey } from './http/auth.js';
import { notModified } from './http/caching.js';
import { clientErrorHandler, errorHandler, expectationHandler, frameworkErrors, notFoundHandler, RouteTable, sendProblem } from './http/errors.js';
import { DOCUMENT_EXAMPLES } from './http/examples.js';
import { installJsonParser, type JsonLimits } from './http/json-limits.js';
import { Metrics } from './http/metrics.js';
import { finishDocument } from './http/openapi.js';
import { checkedSerializerCompiler, plainSerializerCompiler } from './http/serialize.js';
import { validatorCompiler } from './http/validate.js';
import { problem, problemResponses } from './http/problem.js';
import { parseTraceparent } from './http/trace.js';
import { API_VERSION } from './version.js';
import { healthRoutes } from './http/routes/health.js';
import { policyRoutes } from './http/routes/policies.js';
import { ruleRoutes } from './http/routes/rules.js';
import { verdictRoutes } from './http/routes/verdicts.js';
import { letterRoutes } from './http/routes/letters.js';
import type { RulesetHolder } from './ruleset-holder.js';

export interface Timeouts {
  /** Time to receive the request headers. */
  headersMs: number;
  /** Time to receive the whole request. */
  requestMs: number;
  /** Idle keep-alive connection. */
  keepAliveMs: number;
  /** A connection with no traffic at all (0: none). */
  connectionMs: number;
}

export interface AppOptions {
  rulesets: RulesetHolder;
  /** The clock, read only to default `asOf` to today; tests pin it. */
  now?: () => Date;
  /** A pino logger; none = silent (tests). */
  logger?: FastifyBaseLogger;
  bodyLimit?: number;
  batchMax?: number;
  /** CPU time one batch may spend deciding; the elements not reached get a 503 problem each. */
  batchBudgetMs?: number;
  /** Every response is encoded through its zod schema before it is sent, and must come out unchanged (tests). */
  checkResponses?: boolean;
  /** Fraction of verdicts re-checked through json-rules-engine off the hot path (0 or absent: none). */
  oracleSample?: number;
  /** The draw that decides which verdicts are re-checked (tests pin it). */
  random?: () => number;
  /** Readiness is 503 and answers close their connection. */
  isShuttingDown?: () => boolean;
  /** Whether an answer closes its connection (default: while shutting down). */
  closesConnection?: (socket: import('node:net').Socket) => boolean;
  /** Aborted when the shutdown grace period is over: running batches answer 503. */
  cutSignal?: AbortSignal;
  /** API keys (name and SHA-256); none = /v1 is open. */
  apiKeys?: readonly ApiKey[];
  /** Requests per minute per key (per address without keys) on /v1; 0 or absent = no limit. */
  rateLimitMax?: number;
  /** A @fastify/rate-limit store class (the cluster's shared counters); absent = in this process. */
  rateLimitStore?: new (options: never) => unknown;
  jsonLimits?: JsonLimits;
  timeouts?: Timeouts;
  /** Load shedding on /v1 (503 with Retry-After); absent = off. */
  underPressure?: { maxEventLoopDelayMs: number; maxRssBytes: number; sampleIntervalMs?: number };
}

export { API_VERSION } from './version.js';

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 16, maxObjectKeys: 128 };
export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, connectionMs: 60_000 };

declare module 'fastify' {
  interface FastifyRequest {
    /** The name of the API key the request carried (never the key). */
    apiKeyName?: string;
  }
}

/** A client's x-request-id is kept only when it is a short token: nothing else of it reaches a log. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // One structured line per request (onResponse below) instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // Stopping is handled by src/lifecycle.ts: requests that arrive on a connection still open are
    // answered (with Connection: close), not refused with fastify's own 503.
    return503OnClosing: false,
    forceCloseConnections: false,
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    http: {
      headersTimeout: timeouts.headersMs,
      // How often Node checks the two timeouts above (its default, 30 s, would let a slow client hang on that long).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(timeouts.headersMs / 2))),
      // A request without Host is answered below with a problem, rather than by Node with an empty 400.
      requireHostHeader: false,
    },
    // Ids of up to 200 characters (the schemas' limit) may take 12 characters each once percent-encoded.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2400 },
    // W3C traceparent: the caller's trace id and span id on every log line of the request.
    childLoggerFactory: (logger, bindings, childOptions, rawReq) => {
      const trace = parseTraceparent(rawReq.headers.traceparent);
      return logger.child(trace ? { ...bindings, traceId: trace.traceId, parentSpanId: trace.parentSpanId } : bindings, childOptions);
    },
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.server.on('checkExpectation', expectationHandler);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(options.checkResponses ? checkedSerializerCompiler : plainSerializerCompiler);
  app.setErrorHandler(errorHandler);
  const routes = new RouteTable();
  app.addHook('onRoute', (route) => {
    routes.add(route.url, route.method);
    // Every /v1 operation is documented as needing the bearer key (when keys are configured).
    if (route.url.startsWith('/v1') && route.schema && !route.schema.hide) (route.schema as Record<string, unknown>).security = [{ bearerAuth: [] }];
  });
  app.setNotFoundHandler(notFoundHandler(routes));
  installJsonParser(app, options.jsonLimits ?? DEFAULT_JSON_LIMITS);

  const shuttingDown = options.isShuttingDown ?? (() => false);
  const closesConnection = options.closesConnection ?? (() => shuttingDown());
  const keys = new ApiKeys(options.apiKeys ?? []);
  // Hooks are synchronous (callback style): no promise per request for work that never waits.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    if (req.raw.httpVersion === '1.1' && !req.headers.host) {
      sendProblem(reply, problem(400, 'missing-host', 'Missing Host header', 'An HTTP/1.1 request must carry a Host header.'));
      return;
    }
    if (options.cutSignal?.aborted) {
      sendProblem(reply, problem(503, 'shutting-down', 'Shutting down', 'The service is stopping; send the request again (another instance will answer).'), {
        'retry-after': '1',
      });
      return;
    }
    if (keys.enabled && req.url.startsWith('/v1')) req.apiKeyName = keys.identify(req.headers.authorization) ?? undefined;
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('x-ruleset-digest', options.rulesets.current.digest);
    // While stopping, end keep-alive connections after their in-flight answer so the drain can finish.
    if (closesConnection(reply.request.raw.socket)) reply.header('connection', 'close');
    done(null, payload);
  });
  // No request content is logged: descriptions, names and titles are personal data.
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? null,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
        rulesetDigest: options.rulesets.current.digest,
        ...(req.apiKeyName ? { apiKey: req.apiKeyName } : {}),
        ...(reply.verdictLog ?? {}),
      },
      'request',
    );
    done();
  });

  // Security headers for a JSON API: nothing may be loaded, framed or sniffed. The explorer's pages
  // (/docs) get their own policy below.
  // helmet's middleware is built once here: @fastify/helmet built it again on every request, which cost
  // ~100 µs a request (a third of what the service spends besides the verdict).
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (e?: unknown) => done(e as Error | undefined)));

  if (keys.enabled)
    app.addHook('preParsing', async (req, reply) => {
      if (!req.url.startsWith('/v1') || req.apiKeyName) return;
      reply.header('www-authenticate', 'Bearer realm="recourse"');
      return sendProblem(reply, problem(401, 'unauthorized', 'Unauthorized', 'Send a valid API key as `Authorization: Bearer <key>`.'));
    });

  // gzip or br (as Accept-Encoding asks) for answers over 1 KB of JSON, problem+json or text; brotli at
  // quality 4, the plugin's default (quality 11 would cost more CPU than the verdict itself).
  await app.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    customTypes: /^(application\/([\w.-]+\+)?json|text\/[\w.-]+|application\/javascript)(;|$)/,
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Recourse',
        version: API_VERSION,
        summary: 'Cited verdicts for e-commerce return and refund incidents (France under EU law).',
        description:
          'Return and refund decisions for European e-commerce. Post an order and an incident; get a structured verdict — remedies, exclusions, deadlines with their exact end dates, return shipping, refund and penalties, appeal path — each item citing the article it rests on. First jurisdiction: France under EU law.\n\nErrors are `application/problem+json` (RFC 9457). Every response carries `x-request-id` and `x-ruleset-digest`; the GET routes of the ruleset answer `304 Not Modified` to `If-None-Match`.',
        license: { name: 'Proprietary (UNLICENSED): all rights reserved', identifier: 'LicenseRef-UNLICENSED' },
        contact: { name: 'Recourse maintainers', url: 'https://recourse.invalid/contact' },
      },
      servers: [{ url: '/', description: 'The server that serves this document' }],
      // Open until API keys are configured; the routes that stay open then already say `security: []`.
      security: [],
      tags: [
        { name: 'verdicts', description: 'Decide incidents' },
        { name: 'letters', description: 'Letters filled from a verdict: withdrawal form, complaint, formal notices, mediation request, marketplace claim' },
        { name: 'rules', description: 'The ruleset as data: rules, parameters, citations' },
        { name: 'policies', description: 'Merchant policies: the ones loaded, and a lint of any policy against the legal floor' },
        { name: 'health', description: 'Probes' },
        { name: 'metrics', description: 'Prometheus metrics' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key, when the service has keys configured (RECOURSE_API_KEYS); without keys configured /v1 is open. Health probes, /docs and /openapi.json never need one.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => finishDocument(jsonSchemaTransformObject(documentObject) as never, DOCUMENT_EXAMPLES) as never,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // The explorer may run its own scripts and styles and call this service, nothing else.
    staticCSP:
      "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'",
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, displayRequestDuration: true, persistAuthorization: false, validatorUrl: null },
  });

  const metrics = new Metrics(options.rulesets);
  metrics.install(app);
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'metrics',
        tags: ['metrics'],
        summary: 'Prometheus metrics',
        description:
          'Prometheus text format: requests and latency by route and status, verdicts by outcome and track, evaluation time, the ruleset in service, event-loop lag, memory, GC and CPU (see the README for each metric). Open: needs no credentials.',
        security: [],
        querystring: z.strictObject({}),
        response: {
          200: { description: 'The metrics, in Prometheus text exposition format 0.0.4.', content: { 'text/plain': { schema: z.string() } } },
          ...problemResponses(400),
        },
      },
    },
    async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  const now = options.now ?? (() => new Date());
  // /v1: shed load first (503 with Retry-After), then count the request against its key or address.
  await app.register(
    async (v1) => {
      if (options.underPressure) {
        const { maxEventLoopDelayMs, maxRssBytes, sampleIntervalMs } = options.underPressure;
        await v1.register(fastifyUnderPressure, {
          maxEventLoopDelay: maxEventLoopDelayMs,
          maxRssBytes,
          retryAfter: 5,
          ...(sampleIntervalMs ? { sampleInterval: sampleIntervalMs } : {}),
        });
      }
      if (options.rateLimitMax && options.rateLimitMax > 0) {
        await v1.register(fastifyRateLimit, {
          global: true,
          max: options.rateLimitMax,
          timeWindow: 60_000,
          hook: 'onRequest',
          enableDraftSpec: true,
          ...(options.rateLimitStore ? { store: options.rateLimitStore as never, skipOnError: true } : {}),
          // Per key when the request carries a valid one (named in the root onRequest hook), else per address.
          keyGenerator: (req) => (req.apiKeyName ? `key:${req.apiKeyName}` : `ip:${req.ip}`),
          errorResponseBuilder: (_req, context) => Object.assign(new Error('rate limited'), { statusCode: context.statusCode, rateLimit: true as const }),
        });
      }
      await v1.register(verdictRoutes, {
        rulesets: options.rulesets,
        now,
        batchMax: options.batchMax ?? 1000,
        batchBudgetMs: options.batchBudgetMs ?? 10_000,
        metrics,
        oracleSample: options.oracleSample ?? 0,
        checkResponses: options.checkResponses ?? false,
        random: options.random ?? Math.random,
        ...(options.cutSignal ? { cutSignal: options.cutSignal } : {}),
      });
      await v1.register(letterRoutes, { rulesets: options.rulesets, now });
      await v1.register(ruleRoutes, { rulesets: options.rulesets });
      await v1.register(policyRoutes, { rulesets: options.rulesets, now });
    },
    { prefix: '/v1' },
  );
  await app.register(healthRoutes, { rulesets: options.rulesets, isShuttingDown: shuttingDown });
  // The document changes only with the code: its ETag is its own digest, computed once.
  let documentTag: string | undefined;
  app.get('/openapi.json', { schema: { hide: true } }, async (req, reply) => {
    const doc = app.swagger();
    documentTag ??= createHash('sha256').update(JSON.stringify(doc)).digest('hex');
    if (notModified(req, reply, ['openapi.json', API_VERSION, documentTag])) return reply;
    return doc;
  });

  await app.ready();
  return app;
}
