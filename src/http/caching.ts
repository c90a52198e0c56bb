// Conditional GET for the ruleset's read routes: a weak ETag keyed on what the answer depends on (the
// ruleset digest, the API version, the path and query), `Cache-Control: no-cache` (a cache may keep the
// answer but revalidates it each time: a SIGHUP reload can change the ruleset at any moment), and a
// 304 without a body when If-None-Match already holds that ETag. The ETag is computed before the
// answer, so a 304 costs no serialization: GET /v1/rules is about 130 KB otherwise.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const CACHE_CONTROL = 'no-cache';

/** The weak ETag of an answer that depends only on `parts`. */
export function etagOf(parts: readonly string[]): string {
  return `W/"${createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27)}"`;
}

/** RFC 9110 §13.1.2: If-None-Match matches on a weak comparison, any entry of its list, or "*". */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * Sets ETag and Cache-Control for an answer that depends only on `parts`; when the client already has
 * it, answers 304 and returns true (the handler then returns the reply as is).
 */
export function notModified(req: FastifyRequest, reply: FastifyReply, parts: readonly string[]): boolean {
  const etag = etagOf(parts);
  reply.header('etag', etag).header('cache-control', CACHE_CONTROL);
  if (!matchesIfNoneMatch(req.headers['if-none-match'], etag)) return false;
  void reply.code(304).send();
  return true;
}

/** The 304 of a conditional GET, for the OpenAPI document (no body). */
export const NotModifiedSchema = z.null().meta({ description: 'Not modified: the ETag sent in If-None-Match is still current; no body.' });
