#!/usr/bin/env node
// `recourse` (npx recourse): the command line, src/cli.ts. In a checkout with the dev dependencies
// installed it runs the TypeScript source through tsx, so it is never a stale build; elsewhere (the
// Docker image, an install without dev dependencies) it runs the compiled dist/cli.js.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    cli = await import(source.href);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes("'tsx")) throw e;
  }
}
cli ??= await import('../dist/cli.js');
await cli.runCli();
