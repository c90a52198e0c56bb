// Liveness and readiness. Readiness drops as soon as shutdown starts, so a balancer stops sending work.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RulesetHolder } from '../../ruleset-holder.js';

export interface HealthOptions {
  rulesets: RulesetHolder;
  isShuttingDown: () => boolean;
}

export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, opts) => {
  const Status = z.object({ status: z.enum(['ok', 'shutting_down']), ruleset: z.object({ version: z.string(), digest: z.string() }).optional() });
  app.get('/health/live', { schema: { operationId: 'live', tags: ['health'], summary: 'The process is up', response: { 200: Status } } }, async () => ({
    status: 'ok' as const,
  }));
  app.get(
    '/health/ready',
    { schema: { operationId: 'ready', tags: ['health'], summary: 'Ready to decide (ruleset loaded, not shutting down)', response: { 200: Status, 503: Status } } },
    async (_req, reply) => {
      const rs = opts.rulesets.current;
      const body = { ruleset: { version: rs.version, digest: rs.digest } };
      if (opts.isShuttingDown()) return reply.code(503).send({ status: 'shutting_down' as const, ...body });
      return { status: 'ok' as const, ...body };
    },
  );
};
