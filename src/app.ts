// Builds the HTTP application for the server and for tests alike; never listens by itself.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import fastifyCompress from '@fastify/compress';
import { createHash, randomUUID } from 'node:crypto';
import { notModified } from './http/caching.js';
import { Metrics } from './http/metrics.js';
import { problemResponses } from './http/problem.js';
import { z } from 'zod';
import { API_VERSION } from './version.js';
import { parseTraceparent } from './http/trace.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { DOCUMENT_EXAMPLES } from './http/examples.js';
import { finishDocument } from './http/openapi.js';
import { healthRoutes } from './http/routes/health.js';
import { policyRoutes } from './http/routes/policies.js';
import { ruleRoutes } from './http/routes/rules.js';
import { verdictRoutes } from './http/routes/verdicts.js';
import type { RulesetHolder } from './ruleset-holder.js';

export interface AppOptions {
  rulesets: RulesetHolder;
  /** The clock, read only to default `asOf` to today; tests pin it. */
  now?: () => Date;
  /** A pino logger; none = silent (tests). */
  logger?: FastifyBaseLogger;
  bodyLimit?: number;
  batchMax?: number;
  isShuttingDown?: () => boolean;
}

export { API_VERSION } from './version.js';

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // One structured line per request (onResponse below) instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    // W3C traceparent: the caller's trace id and span id on every log line of the request.
    childLoggerFactory: (logger, bindings, childOptions, rawReq) => {
      const trace = parseTraceparent(rawReq.headers.traceparent);
      return logger.child(trace ? { ...bindings, traceId: trace.traceId, parentSpanId: trace.parentSpanId } : bindings, childOptions);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  const shuttingDown = options.isShuttingDown ?? (() => false);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-ruleset-digest', options.rulesets.current.digest);
    // While stopping, end keep-alive connections after their in-flight answer so close() can finish.
    if (shuttingDown()) reply.header('connection', 'close');
    return payload;
  });
  // No request content is logged: descriptions, names and titles are personal data.
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? null,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
        rulesetDigest: options.rulesets.current.digest,
        ...(reply.verdictLog ?? {}),
      },
      'request',
    );
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
        { name: 'rules', description: 'The ruleset as data: rules, parameters, citations' },
        { name: 'policies', description: 'Merchant policies: the ones loaded, and a lint of any policy against the legal floor' },
        { name: 'health', description: 'Probes' },
        { name: 'metrics', description: 'Prometheus metrics' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => finishDocument(jsonSchemaTransformObject(documentObject) as never, DOCUMENT_EXAMPLES) as never,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, displayRequestDuration: true },
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
  await app.register(verdictRoutes, { prefix: '/v1', rulesets: options.rulesets, now, batchMax: options.batchMax ?? 1000, metrics });
  await app.register(ruleRoutes, { prefix: '/v1', rulesets: options.rulesets });
  await app.register(policyRoutes, { prefix: '/v1', rulesets: options.rulesets, now });
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
