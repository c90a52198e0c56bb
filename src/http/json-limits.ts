// Limits on the shape of a JSON body, checked on the raw text before it is parsed or validated: how deep
// it nests and how many keys one object has. 1 MB of `[[[[…` or an object of 60,000 unknown keys is
// refused in one linear pass (a few ms), before JSON.parse, zod or an error list ever see it.
import type { FastifyInstance } from 'fastify';

export class JsonLimitError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'JsonLimitError';
  }
}

export interface JsonLimits {
  maxDepth: number;
  maxObjectKeys: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COLON = 58;

/** Throws JsonLimitError when the text nests deeper than maxDepth or an object has more than maxObjectKeys keys. */
export function checkJsonShape(text: string, limits: JsonLimits): void {
  // keys[d] counts the keys of the object open at depth d (-1 for an array).
  const keys = new Int32Array(limits.maxDepth + 2);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > limits.maxDepth) throw new JsonLimitError(`nests deeper than ${limits.maxDepth} levels (JSON_MAX_DEPTH)`);
      keys[depth] = c === OPEN_OBJECT ? 0 : -1;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth--;
    } else if (c === COLON && depth > 0 && keys[depth]! >= 0) {
      keys[depth]!++;
      if (keys[depth]! > limits.maxObjectKeys) throw new JsonLimitError(`has an object with more than ${limits.maxObjectKeys} keys (JSON_MAX_OBJECT_KEYS)`);
    }
  }
}

/**
 * Replaces fastify's JSON parser with the same parser (secure-json-parse: a `__proto__` or
 * `constructor.prototype` key is refused) behind the shape check, and drops the text/plain parser: a
 * body that is not JSON is a 415.
 */
export function installJsonParser(app: FastifyInstance, limits: JsonLimits): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    try {
      checkJsonShape(text, limits);
    } catch (e) {
      done(e as Error, undefined);
      return;
    }
    parseJson(req, text, done);
  });
}
