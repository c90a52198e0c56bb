// The condition operators, with json-rules-engine's exact semantics: its own operators are restated
// here as it defines them (engine-default-operators.js: a fact-value validator, then the comparison),
// and the date operators and `isSet` are the ones the oracle's engines register. The compiled plan and
// the oracle therefore judge every leaf condition with the same expressions; the differential test
// (test/differential.test.ts) checks that they never disagree.
import { dayNumberOf } from '../calendar.js';
import type { OPERATORS } from '../ruleset/schema.js';

export type Operator = (fact: unknown, value: unknown) => boolean;
type Indexable = { indexOf(x: unknown): number };

// A number is valid unless NaN (parseFloat gives it back unchanged): the parse and print are for the rest.
const numberValidator = (factValue: unknown) =>
  typeof factValue === 'number' ? !Number.isNaN(factValue) : Number.parseFloat(factValue as string).toString() !== 'NaN';
// Both operands must be real civil dates (else the condition fails); each is read once, as a day number.
const dateOp = (test: (daysAfter: number) => boolean): Operator => (a, b) => {
  const x = dayNumberOf(a);
  if (Number.isNaN(x)) return false;
  const y = dayNumberOf(b);
  return !Number.isNaN(y) && test(x - y);
};

/** The operators json-rules-engine lacks, registered on every oracle engine. */
export const CUSTOM_OPERATORS: Record<'dateBefore' | 'dateOnOrBefore' | 'dateAfter' | 'dateOnOrAfter' | 'isSet', Operator> = {
  dateBefore: dateOp((c) => c < 0),
  dateOnOrBefore: dateOp((c) => c <= 0),
  dateAfter: dateOp((c) => c > 0),
  dateOnOrAfter: dateOp((c) => c >= 0),
  isSet: (fact, value) => (fact !== null && fact !== undefined) === value,
};

export const OPERATOR_FUNCTIONS: Record<(typeof OPERATORS)[number], Operator> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  // As json-rules-engine: a value that is not an array or a string throws (no rule file can reach it:
  // the loader requires a list or a fact there).
  in: (a, b) => (b as Indexable).indexOf(a) > -1,
  notIn: (a, b) => (b as Indexable).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => numberValidator(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => numberValidator(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => numberValidator(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => numberValidator(a) && (a as number) >= (b as number),
  ...CUSTOM_OPERATORS,
};
