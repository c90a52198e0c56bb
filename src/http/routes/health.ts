// Liveness and readiness. Readiness drops as soon as shutdown starts, so a balancer stops sending work.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RulesetHolder } from '../../ruleset-holder.js';
import { RulesetRefSchema } from '../../contract/verdict.js';
import { jsonResponse, problemResponses } from '../problem.js';

const HealthStatusSchema = z
  .object({ status: z.enum(['ok', 'shutting_down']), ruleset: RulesetRefSchema.optional() })
  .meta({ id: 'HealthStatus', description: 'Whether the process takes work, and the ruleset it serves.' });
const NoQuery = z.strictObject({});

export interface HealthOptions {
  rulesets: RulesetHolder;
  isShuttingDown: () => boolean;
}

export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, opts) => {
  app.get(
    '/health/live',
    {
      schema: {
        operationId: 'live',
        tags: ['health'],
        summary: 'The process is up',
        description: 'Liveness: answers as long as the process serves HTTP. Open: needs no credentials.',
        security: [],
        querystring: NoQuery,
        response: { 200: jsonResponse(HealthStatusSchema, 'The process is up.'), ...problemResponses(400) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'ready',
        tags: ['health'],
        summary: 'Ready to decide (ruleset loaded, not shutting down)',
        description: 'Readiness: 200 while the service takes work; 503 once shutdown starts, so that a balancer stops sending requests. Open: needs no credentials.',
        security: [],
        querystring: NoQuery,
        response: {
          200: jsonResponse(HealthStatusSchema, 'Ready: the ruleset in service.'),
          ...problemResponses(400),
          503: jsonResponse(HealthStatusSchema, 'Shutting down: send work elsewhere.'),
        },
      },
    },
    async (_req, reply) => {
      const rs = opts.rulesets.current;
      const body = { ruleset: { version: rs.version, digest: rs.digest } };
      if (opts.isShuttingDown()) return reply.code(503).send({ status: 'shutting_down' as const, ...body });
      return { status: 'ok' as const, ...body };
    },
  );
};
