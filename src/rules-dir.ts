// Where the embedded ruleset lives: rules/ at the package root, whether running from src/ (tsx) or dist/.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');

/**
 * Why `dir` cannot be a ruleset directory, in one sentence, or null when it looks like one (a
 * directory holding ruleset.json). The loader then checks every file; this only turns a wrong path
 * into one clear line instead of a file-system error.
 */
export function rulesDirProblem(dir: string): string | null {
  const where = resolve(dir);
  try {
    const stat = statSync(where, { throwIfNoEntry: false });
    if (!stat) return `${where} does not exist`;
    if (!stat.isDirectory()) return `${where} is not a directory`;
    if (!statSync(join(where, 'ruleset.json'), { throwIfNoEntry: false })?.isFile())
      return `${where} is not a ruleset directory (no ruleset.json in it)`;
    return null;
  } catch (e) {
    return `${where} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
