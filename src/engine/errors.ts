// Errors the engine raises for problems that are not file positions: plan errors (D5, D17...)
// and refusals. The CLI prints them without a stack trace.
export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PlanError';
  }
}

/** A safety rule refused the plan (exit code 3, D15). */
export class GuardError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'GuardError';
  }
}
