// A benchmark server, run as a child process of bench/run.ts so that the load generator never shares
// its event loop. `service`: the real application as built in dist/ (buildApp, logger off).
// `bare <file>`: a bare fastify app whose POST /v1/verdicts parses the JSON body and returns the JSON
// value in <file> (a real verdict of typical size), serialised by fastify on every request.
// Listens on 127.0.0.1:0 and reports its port to the parent over IPC. Run by plain node with the
// options of `npm start`, not under bench/run.ts's tsx loader, which made the same build slower.
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

// The build `npm start` runs (bench/run.ts builds it first), not the sources through tsx; each import
// below is typed as the source it is built from.
const fromDist = (/** @type {string} */ module) => import(new URL(`../dist/${module}`, import.meta.url).href);
/** @type {typeof import('../src/app.js')} */
const { buildApp } = await fromDist('app.js');
/** @type {typeof import('../src/rules-dir.js')} */
const { DEFAULT_RULES_DIR } = await fromDist('rules-dir.js');
/** @type {typeof import('../src/ruleset-holder.js')} */
const { RulesetHolder } = await fromDist('ruleset-holder.js');

const [kind, bodyFile] = process.argv.slice(2);

/** The TCP port a server listens on. @param {import('node:net').Server} server */
function portOf(server) {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server is not listening on a TCP port');
  return address.port;
}

/** @returns {Promise<number>} the port */
async function start() {
  if (kind === 'service') {
    const app = await buildApp({ rulesets: new RulesetHolder(DEFAULT_RULES_DIR), now: () => new Date('2026-11-22T12:00:00Z') });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return portOf(app.server);
  }
  if (kind === 'bare' && bodyFile) {
    const body = JSON.parse(readFileSync(bodyFile, 'utf8'));
    const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
    app.post('/v1/verdicts', async () => body);
    await app.listen({ host: '127.0.0.1', port: 0 });
    return portOf(app.server);
  }
  throw new Error('usage: server.mjs service | bare <body.json>');
}

if (!process.send) throw new Error('bench/server.mjs is started by bench/run.ts (needs an IPC channel)');
const port = await start();
process.send({ port });
// Stop when the parent goes away, whatever happens to it.
process.on('disconnect', () => process.exit(0));
