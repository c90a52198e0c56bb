// The node options `npm start` gives dist/server.js (package.json's start script): every process the
// benchmarks measure runs with them, so that what they count is what a user's server does.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
export const START_NODE_OPTIONS: readonly string[] = (/\bnode ((?:--[\w-]+(?:=\S+)? )*)dist\/server\.js/.exec(pkg.scripts.start)?.[1] ?? '').trim().split(' ').filter(Boolean);
