// Where the embedded ruleset lives: rules/ at the package root, whether running from src/ (tsx) or dist/.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const DEFAULT_RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');
