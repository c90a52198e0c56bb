// Configuration: every variable is documented in the README's table, and a bad value stops the start
// with a one-line message naming the variable.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig, parseConfig } from '../src/config.js';
import { startServer } from './helpers/process.js';

t.test('every variable is in the README configuration table', async (t) => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Processes, signals and shutdown'));
  for (const { name } of describeConfig()) t.match(table, new RegExp(`^\\| \`${name}\` \\|`, 'm'), name);
});

t.test('bad values are refused, naming the variable', async (t) => {
  for (const [name, value] of <[string, string][]>[
    ['WORKERS', '0'],
    ['WORKERS', 'many'],
    ['RATE_LIMIT_MAX', '-1'],
    ['JSON_MAX_DEPTH', '2'],
    ['HEADERS_TIMEOUT_MS', 'soon'],
    ['SHUTDOWN_DELAY_MS', '600000'],
    ['EVENT_LOOP_MAX_DELAY_MS', '-5'],
    ['RECOURSE_API_KEYS', 'nope'],
    ['ORACLE_SAMPLE', '1.5'],
    ['ORACLE_SAMPLE', 'some'],
  ])
    t.throws(() => parseConfig({ [name]: value }), new RegExp(`^${name}: `), `${name}=${value}`);
  t.throws(() => parseConfig({ CONNECTION_TIMEOUT_MS: '5000', BATCH_BUDGET_MS: '10000' }), /^CONNECTION_TIMEOUT_MS: must be longer than BATCH_BUDGET_MS/);
  t.equal(parseConfig({ CONNECTION_TIMEOUT_MS: '0' }).CONNECTION_TIMEOUT_MS, 0);
  t.ok(parseConfig({}).WORKERS >= 1, 'one per core by default');
  t.equal(parseConfig({}).ORACLE_SAMPLE, 0, 'no oracle check by default');
  t.equal(parseConfig({ ORACLE_SAMPLE: '0.001' }).ORACLE_SAMPLE, 0.001);
});

t.test('the process refuses to start on a bad value, in one line naming it', async (t) => {
  const err = await startServer({ RATE_LIMIT_MAX: 'lots' }).then(
    () => null,
    (e: Error) => e.message,
  );
  t.match(err, /recourse: cannot start: RATE_LIMIT_MAX: /);
});
