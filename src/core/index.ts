// The pure core's public surface.
import { isKnownFact } from './facts.js';
import { isPolicyFact } from './policy-facts.js';
import { ITEM_EXCLUSIONS_FACT } from './plan/compile.js';
import { loadRuleset as loadRulesetWith, type Ruleset } from './ruleset/load.js';

export { evaluate, evaluateCompiled, evaluateWithOracle } from './evaluate.js';
export { differential, type DifferentialResult } from './differential.js';
export { InvalidRequestError, OutsideCoverageError, RulesConflictError } from './errors.js';
export { RulesetError, type Ruleset } from './ruleset/load.js';
export { todayIn } from './calendar.js';

/** Loads and validates a rules directory; throws RulesetError naming the file and field on any defect. */
export function loadRuleset(dir: string): Ruleset {
  return loadRulesetWith(dir, { knownFact: (name) => isKnownFact(name) || isPolicyFact(name) || name === ITEM_EXCLUSIONS_FACT });
}
