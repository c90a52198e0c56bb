// Holds the ruleset in service. A reload that fails keeps the good ruleset: a bad file never replaces it.
import { loadRuleset, type Ruleset } from './core/index.js';

export class RulesetHolder {
  #current: Ruleset;

  constructor(
    readonly dir: string,
    initial?: Ruleset,
  ) {
    this.#current = initial ?? loadRuleset(dir);
  }

  get current(): Ruleset {
    return this.#current;
  }

  /** Loads the directory again; on any error throws and keeps serving the previous ruleset. */
  reload(): Ruleset {
    const next = loadRuleset(this.dir);
    this.#current = next;
    return next;
  }
}
