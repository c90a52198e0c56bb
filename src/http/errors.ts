// Maps every failure to a problem+json. Bad input is always a 4xx naming each field, never a 5xx.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { InvalidRequestError, OutsideCoverageError } from '../core/index.js';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';

type FieldError = { path: string; message: string };

/** One error per bad field; an unknown key is named as a field of its own. */
export function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'is not a field of this object' }));
    return [{ path: base || '(body)', message: issue.message }];
  });
}

interface ValidationLike {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fromFastifyValidation(list: ValidationLike[], context: string | undefined): FieldError[] {
  return list.flatMap((v) => {
    const path = (v.instancePath ?? '').split('/').filter(Boolean).join('.');
    const prefix = context && context !== 'body' ? `${context}.` : '';
    if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys))
      return (v.params.keys as string[]).map((k) => ({ path: `${prefix}${path ? `${path}.` : ''}${k}`, message: 'is not a field of this object' }));
    return [{ path: `${prefix}${path}` || '(body)', message: v.message ?? 'is invalid' }];
  });
}

export function toProblem(error: unknown): Problem {
  if (error && typeof error === 'object' && 'validation' in error && Array.isArray((error as { validation: unknown }).validation)) {
    const e = error as { validation: ValidationLike[] | FieldError[]; validationContext?: string };
    const errors =
      e.validation.length && 'path' in (e.validation[0] as object)
        ? (e.validation as FieldError[])
        : fromFastifyValidation(e.validation as ValidationLike[], e.validationContext);
    return problem(400, 'invalid-request', 'Invalid request', `${errors.length} field(s) are invalid: ${errors.map((x) => x.path).join(', ')}.`, errors);
  }
  if (error instanceof InvalidRequestError)
    return problem(400, 'impossible-facts', 'Impossible facts', error.message, error.problems);
  if (error instanceof OutsideCoverageError)
    return problem(422, 'outside-coverage', 'Outside what the rules cover', error.message, error.details.path ? [{ path: error.details.path, message: error.message }] : undefined);
  const fe = error as FastifyError;
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return problem(413, 'body-too-large', 'Request body too large', 'The request body is larger than this service accepts (BODY_LIMIT_BYTES).');
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.');
  if (fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe?.statusCode === 400 && fe instanceof SyntaxError))
    return problem(400, 'malformed-json', 'Malformed JSON', 'The body is not valid JSON.', [{ path: '(body)', message: fe.message }]);
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return problem(fe.statusCode, 'client-error', 'Request error', fe.message);
  return problem(500, 'internal', 'Internal error', 'The service failed to answer; the failure is logged with this request id.');
}

export function errorHandler(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const p = { ...toProblem(hasZodFastifySchemaValidationErrors(error) ? error : error), instance: req.id };
  if (p.status >= 500) req.log.error({ err: error }, 'request failed');
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(p);
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem(404, 'not-found', 'Not found', `No route ${req.method} ${req.url.split('?')[0]}.`), instance: req.id });
}
