// Maps every failure to a problem+json with the request id. Bad input is always a 4xx naming each field,
// never a 5xx; nothing the client sent is echoed (a key it sent can be named as a field, JSON-escaped,
// cut at 64 characters); logs carry no request content and no error message (messages quote dates).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { z } from 'zod';
import { MAX_CONTRACT_YEAR, MIN_CONTRACT_YEAR } from '../contract/primitives.js';
import { InvalidCivilDateError } from '../core/calendar.js';
import { InvalidRequestError, OutsideCoverageError } from '../core/index.js';
import { LetterGapError, LetterInputError, LetterNotOfferedError } from '../core/letters/compose.js';
import { JsonLimitError } from './json-limits.js';
import { MAX_LISTED_ERRORS, problem, PROBLEM_CONTENT_TYPE, safeJson, type FieldError, type Problem } from './problem.js';

const MAX_KEY_CHARS = 64;

/** The shutdown grace period ran out while this request was running (a batch): a 503 to send again. */
export class ShuttingDownError extends Error {
  readonly statusCode = 503;
  constructor() {
    super('shutting down');
    this.name = 'ShuttingDownError';
  }
}

/** A key the client sent, as it may appear in a field path: at most 64 characters. */
function segment(key: PropertyKey): string {
  const s = String(key);
  if (s === '') return '""';
  return s.length > MAX_KEY_CHARS ? `${s.slice(0, MAX_KEY_CHARS)}…` : s;
}

/**
 * One error per bad field; an unknown key is named as a field of its own. Stops listing after
 * MAX_LISTED_ERRORS but counts them all, so 60,000 unknown keys never build a 60,000-entry list.
 */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): { errors: FieldError[]; total: number } {
  const errors: FieldError[] = [];
  let total = 0;
  for (const issue of issues) {
    const base = issue.path.map(segment).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        if (errors.length < MAX_LISTED_ERRORS) errors.push({ path: base ? `${base}.${segment(k)}` : segment(k), message: 'is not a field of this object' });
      }
      total += issue.keys.length;
    } else {
      if (errors.length < MAX_LISTED_ERRORS) errors.push({ path: base || '(body)', message: issue.message });
      total += 1;
    }
  }
  return { errors, total };
}

/** Kept for callers that want the plain list (capped). */
export function zodErrors(error: z.ZodError): FieldError[] {
  return fieldErrors(error.issues).errors;
}

interface ValidationLike {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fromFastifyValidation(list: ValidationLike[], context: string | undefined): { errors: FieldError[]; total: number } {
  const errors: FieldError[] = [];
  let total = 0;
  const prefix = context && context !== 'body' ? `${context}.` : '';
  for (const v of list) {
    const path = (v.instancePath ?? '').split('/').filter(Boolean).map(segment).join('.');
    const keys = v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys) ? (v.params.keys as string[]) : null;
    for (const k of keys ?? [null]) {
      total += 1;
      if (errors.length >= MAX_LISTED_ERRORS) continue;
      if (k === null) errors.push({ path: `${prefix}${path}` || '(body)', message: v.message ?? 'is invalid' });
      else errors.push({ path: `${prefix}${path ? `${path}.` : ''}${segment(k)}`, message: 'is not a field of this object' });
    }
  }
  return { errors, total };
}

const ISO_DAY = /^(\d{4})-\d{2}-\d{2}(?:T|$)/;
/** Periods encoded run up to 20 years (hidden defects); a date that close to an end of the calendar may lead past it. */
const EDGE_YEARS = 30;

/**
 * The date fields of a request close enough to an end of the calendar for a period counted from them
 * to leave it: the fields that can have led to a deadline outside 1900-2999. Paths only, never values.
 */
export function edgeDateFields(value: unknown, prefix = ''): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= MAX_LISTED_ERRORS || depth > 12) return;
    if (typeof v === 'string') {
      const m = ISO_DAY.exec(v);
      if (m && (Number(m[1]) > MAX_CONTRACT_YEAR - EDGE_YEARS || Number(m[1]) < MIN_CONTRACT_YEAR + EDGE_YEARS)) out.push(path || '(body)');
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i), depth + 1));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${segment(k)}` : segment(k), depth + 1);
  };
  walk(value, prefix, 0);
  return out;
}

export interface ProblemContext {
  /** The decoded body, to name the date fields that led a deadline outside the calendar. */
  body?: unknown;
  query?: unknown;
}

const GENERIC_4XX: Record<number, [string, string, string]> = {
  400: ['bad-request', 'Bad request', 'The request is malformed.'],
  404: ['not-found', 'Not found', 'No such resource.'],
  405: ['method-not-allowed', 'Method not allowed', 'The resource does not accept this method (see the Allow header).'],
  408: ['request-timeout', 'Request timeout', 'The request was not received in time; the connection is closed.'],
  413: ['body-too-large', 'Request body too large', 'The request body is larger than this service accepts (BODY_LIMIT_BYTES).'],
  414: ['uri-too-long', 'URI too long', 'A path segment is longer than this service accepts.'],
  415: ['unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.'],
  417: ['expectation-failed', 'Expectation failed', 'Only "Expect: 100-continue" is supported.'],
  431: ['headers-too-large', 'Request header fields too large', 'The request headers are larger than this service accepts.'],
};

export function genericProblem(status: number): Problem {
  const [slug, title, detail] = GENERIC_4XX[status] ?? ['client-error', STATUS_CODES[status] ?? 'Request error', 'The request could not be processed.'];
  return problem(status, slug, title, detail);
}

export function toProblem(error: unknown, context: ProblemContext = {}): Problem {
  if (error && typeof error === 'object' && 'validation' in error && Array.isArray((error as { validation: unknown }).validation)) {
    const e = error as { validation: ValidationLike[] | FieldError[]; validationContext?: string; validationTotal?: number };
    const { errors, total } =
      e.validation.length && 'path' in (e.validation[0] as object)
        ? { errors: (e.validation as FieldError[]).slice(0, MAX_LISTED_ERRORS), total: e.validationTotal ?? e.validation.length }
        : fromFastifyValidation(e.validation as ValidationLike[], e.validationContext);
    const listed = errors.map((x) => x.path).join(', ');
    const detail = total > errors.length ? `${total} field(s) are invalid; the first ${errors.length}: ${listed}.` : `${total} field(s) are invalid: ${listed}.`;
    return problem(400, 'invalid-request', 'Invalid request', detail, errors, total);
  }
  if (error instanceof InvalidRequestError)
    return problem(400, 'impossible-facts', 'Impossible facts', error.message, error.problems.map((p) => ({ path: p.path, message: p.message })));
  if (error instanceof OutsideCoverageError)
    return problem(422, 'outside-coverage', 'Outside what the rules cover', error.message, error.details.path ? [{ path: error.details.path, message: error.message }] : undefined);
  if (error instanceof LetterInputError)
    return problem(400, 'invalid-request', 'Invalid request', `1 field(s) are invalid: ${error.path}.`, [{ path: error.path, message: error.message }]);
  if (error instanceof LetterNotOfferedError)
    return problem(422, 'letter-not-offered', 'Letter not offered by the verdict', error.reason, [{ path: 'letter', message: error.reason }]);
  if (error instanceof LetterGapError) return problem(422, 'letter-gap', 'Letter not filled', error.message, [{ path: 'letter', message: error.message }]);
  if (error instanceof InvalidCivilDateError) {
    const range = `${MIN_CONTRACT_YEAR}-01-01 to ${MAX_CONTRACT_YEAR}-12-31`;
    const fields = [...edgeDateFields(context.query, 'query'), ...edgeDateFields(context.body)];
    return problem(
      422,
      'outside-calendar',
      'Outside the calendar',
      `A date computed for this request (a deadline, a period's end) falls outside ${range}, the calendar's range.`,
      fields.length ? fields.map((path) => ({ path, message: `is within ${EDGE_YEARS} years of an end of the calendar: a period counted from it can end outside ${range}` })) : undefined,
    );
  }
  if (error instanceof JsonLimitError) return problem(400, 'body-too-complex', 'Body too complex', error.message, [{ path: '(body)', message: error.message }]);
  const fe = error as FastifyError & { rateLimit?: true };
  if (fe?.rateLimit) return problem(429, 'rate-limited', 'Too many requests', 'This key (or address) has sent more requests this minute than the service accepts (RATE_LIMIT_MAX); retry after Retry-After seconds.');
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return genericProblem(413);
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return genericProblem(415);
  if (fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return problem(400, 'malformed-json', 'Malformed JSON', 'The body is empty; send a JSON object.', [{ path: '(body)', message: 'is empty' }]);
  if (fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe?.statusCode === 400 && fe instanceof SyntaxError)) {
    // A parser's own message quotes the body: never returned, never logged.
    const message = 'is not valid JSON, or has a __proto__ or constructor.prototype key (refused)';
    return problem(400, 'malformed-json', 'Malformed JSON', `The body ${message}.`, [{ path: '(body)', message }]);
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return genericProblem(fe.statusCode);
  if (error instanceof ShuttingDownError)
    return problem(503, 'shutting-down', 'Shutting down', 'The service stopped before this request was decided; send it again (another instance will answer).');
  if (fe?.code === 'FST_UNDER_PRESSURE')
    return problem(503, 'overloaded', 'Overloaded', 'The service is shedding load (event loop lag or memory); retry after Retry-After seconds.');
  if (fe?.statusCode === 503) return problem(503, 'unavailable', 'Service unavailable', 'The service cannot answer now; retry after Retry-After seconds.');
  return problem(500, 'internal', 'Internal error', 'The service failed to answer; the failure is logged with this request id.');
}

/** What a log line says about an error: its class, code and stack frames, never its message (messages quote dates). */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 12).map((l) => l.trim());
  return { type: error.name, code: (error as { code?: unknown }).code, stack: frames };
}

export function sendProblem(reply: FastifyReply, p: Problem, headers: Record<string, string> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(safeJson({ ...p, instance: reply.request.id }));
}

export function errorHandler(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const p = toProblem(error, { body: req.body, query: req.query });
  if (p.status >= 500 && p.status !== 503) req.log.error({ err: errorForLog(error) }, 'request failed');
  const headers: Record<string, string> = {};
  if (p.status === 503 && !reply.hasHeader('retry-after')) headers['retry-after'] = error instanceof ShuttingDownError ? '1' : '5';
  return sendProblem(reply, p, headers);
}

/** A route table for 405: every registered method per URL pattern. */
export class RouteTable {
  #routes: { pattern: RegExp; methods: Set<string> }[] = [];

  add(url: string, methods: string | string[]): void {
    const source = url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    const pattern = new RegExp(`^${source}/?$`);
    const list = Array.isArray(methods) ? methods : [methods];
    const found = this.#routes.find((r) => r.pattern.source === pattern.source);
    if (found) for (const m of list) found.methods.add(m);
    else this.#routes.push({ pattern, methods: new Set(list) });
  }

  /** The methods allowed on this path (empty when no route has it). */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.#routes) if (r.pattern.test(path)) for (const m of r.methods) methods.add(m);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

export function notFoundHandler(routes: RouteTable) {
  return (req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const allowed = routes.allowed(req.url.split('?')[0] ?? '');
    if (allowed.length) return sendProblem(reply, genericProblem(405), { allow: allowed.join(', ') });
    // The path is not echoed: it is the client's text.
    return sendProblem(reply, problem(404, 'not-found', 'Not found', 'No route for this method and path (GET /openapi.json lists them).'));
  };
}

/** Errors fastify raises before routing: a path that is not valid percent-encoding, a path parameter too long. */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', reply.request.id);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendProblem(reply, genericProblem(414));
    return;
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    sendProblem(reply, problem(400, 'bad-url', 'Bad URL', 'The path is not valid percent-encoded UTF-8.'));
    return;
  }
  sendProblem(reply, toProblem(error));
}

function rawProblem(status: number, id: string, extra: Record<string, string> = {}): string {
  const body = safeJson({ ...genericProblem(status), instance: id });
  const headers = {
    'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': id,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    connection: 'close',
    ...extra,
  };
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Node's client errors (malformed HTTP, headers too large, a request not received in time): a complete
 * problem response with a request id and `Connection: close`, then the socket is closed. The log line
 * names the error code only: never the raw bytes (fastify's default logs them at trace).
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const id = randomUUID();
  const pending = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  this.log.info({ reqId: id, statusCode: status, clientError: typeof err.code === 'string' ? err.code.slice(0, 40) : 'unknown' }, 'client error');
  if (socket.writable && (!pending || !pending.headersSent)) socket.end(rawProblem(status, id));
  else socket.destroy();
}

/** `Expect:` other than 100-continue: a 417 problem (Node's own answer has no body). */
export function expectationHandler(req: IncomingMessage, res: ServerResponse): void {
  const id = randomUUID();
  const body = safeJson({ ...genericProblem(417), instance: id });
  res.writeHead(417, {
    'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    'x-request-id': id,
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(body);
  void req;
}
