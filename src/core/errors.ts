// Typed failures of the pure core. The HTTP edge maps them to problem+json; the core never knows HTTP.
import type { InputProblem } from './facts.js';

/** The request is well-formed but impossible (dates after asOf, receipt before the order…): a 400. */
export class InvalidRequestError extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(problems.map((p) => `${p.path} ${p.message}`).join('; '));
    this.name = 'InvalidRequestError';
  }
}

/** The request is valid but the ruleset does not cover it (date before the oldest version, unknown jurisdiction…): a 422. */
export class OutsideCoverageError extends Error {
  constructor(
    message: string,
    readonly details: { path?: string; parameter?: string; families?: { family: string; coveredFrom: string | null }[] } = {},
  ) {
    super(message);
    this.name = 'OutsideCoverageError';
  }
}

/** Two rules of the ruleset claim the same output with the same rank: a defect of the rules, not of the request. */
export class RulesConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RulesConflictError';
  }
}
