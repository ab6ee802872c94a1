/**
 * Problems found in an expression's text. Positions are 0-based character offsets into the text
 * the caller gave, so an editor or a `check` failure can point at the exact spot.
 */

export interface ExpressionError {
  message: string;
  /** 0-based character offset into the expression text. */
  position: number;
  /** How many characters the problem spans, when it spans more than a point. */
  length?: number;
}

/** Enough problems to fix at once; past this, one summary keeps a pathological input's report small. */
export const MAX_REPORTED_PROBLEMS = 100;

/** Thrown by the conversions that cannot produce anything useful from an invalid expression. */
export class InvalidExpressionError extends Error {
  override readonly name = "InvalidExpressionError";
  constructor(
    readonly expression: string,
    readonly problems: readonly ExpressionError[],
  ) {
    super(`invalid expression ${JSON.stringify(expression)}: ${problems.map((p) => p.message).join("; ")}`);
  }
}

/** Thrown while evaluating: a function got a value it cannot work with. Caught by the evaluator. */
export class EvaluationError extends Error {
  override readonly name = "EvaluationError";
}
