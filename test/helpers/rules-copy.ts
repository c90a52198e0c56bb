// A copy of the real rules/ with one file edited, and the check that loading it fails naming that file:
// how the tests prove that a bad rule, letter or policy file stops the load.
import type { Test } from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleset, RulesetError } from '../../src/core/index.js';
import { DEFAULT_RULES_DIR } from '../../src/rules-dir.js';

/** A temporary copy of rules/ in which `file` (relative to rules/) went through `edit`. */
export function rulesCopyWith(file: string, edit: (json: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'recourse-rules-'));
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

/** Loading `dir` fails with a RulesetError naming rules/`file` and matching `message`; the copy is removed after the test. */
export function expectLoadRefused(t: Test, dir: string, file: string, message: RegExp): void {
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  try {
    loadRuleset(dir);
    t.fail('the load should have failed');
  } catch (e) {
    t.type(e, RulesetError);
    t.equal((e as RulesetError).file, `rules/${file}`, (e as Error).message);
    t.match((e as Error).message, message);
  }
}
