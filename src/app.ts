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
import { randomUUID } from 'node:crypto';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { VERDICT_EXAMPLES } from './http/examples.js';
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

export const API_VERSION = '1.0.0';

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

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Recourse',
        version: API_VERSION,
        description:
          'Return and refund decisions for European e-commerce. Post an order and an incident; get a structured verdict — remedies, exclusions, deadlines with their exact end dates, return shipping, refund and penalties, appeal path — each item citing the article it rests on. First jurisdiction: France under EU law.',
      },
      tags: [
        { name: 'verdicts', description: 'Decide incidents' },
        { name: 'rules', description: 'The ruleset as data: rules, parameters, citations' },
        { name: 'health', description: 'Probes' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => {
      const doc = jsonSchemaTransformObject(documentObject) as Record<string, unknown> & {
        paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { examples?: unknown }> } }>>;
      };
      // Named, ready-to-send examples in the explorer's drop-down.
      const media = doc.paths?.['/v1/verdicts']?.post?.requestBody?.content?.['application/json'];
      if (media) media.examples = VERDICT_EXAMPLES;
      return doc as never;
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, displayRequestDuration: true },
  });

  const now = options.now ?? (() => new Date());
  await app.register(verdictRoutes, { prefix: '/v1', rulesets: options.rulesets, now, batchMax: options.batchMax ?? 1000 });
  await app.register(ruleRoutes, { prefix: '/v1', rulesets: options.rulesets });
  await app.register(policyRoutes, { prefix: '/v1', rulesets: options.rulesets, now });
  await app.register(healthRoutes, { rulesets: options.rulesets, isShuttingDown: shuttingDown });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.ready();
  return app;
}
