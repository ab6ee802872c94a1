/**
 * What a function implementation sees: its arguments by parameter name, evaluated only when asked
 * for (IIF evaluates one branch, Coalesce stops at the first value, Switch at the matching key),
 * and the evaluation context.
 */
import { EvaluationError } from "./errors";
import { toInteger, toText, type RuntimeValue } from "./values";

export interface FunctionArguments {
  readonly functionName: string;
  /** Whether the argument was written (not left out as an empty slot). */
  has(parameter: string): boolean;
  /** The argument's value; null when it was left out. */
  value(parameter: string): RuntimeValue;
  /** Each occurrence of a repeating parameter, evaluated as the iteration reaches it. */
  each(parameter: string): Iterable<RuntimeValue>;
  /** How many occurrences a repeating parameter has. */
  count(parameter: string): number;
  /** The argument as text; null when absent. */
  text(parameter: string): string | null;
  /** The argument as a whole number; null when absent. */
  integer(parameter: string): number | null;
}

export interface ResolvedContext {
  now(): Date;
  random(): number;
  defaultDomain?: string;
  isUniqueValue(candidate: string): boolean;
}

export type FunctionImplementation = (args: FunctionArguments, context: ResolvedContext) => RuntimeValue;

/** Arguments backed by thunks, one per written argument, keyed by parameter name. */
export class LazyArguments implements FunctionArguments {
  constructor(
    readonly functionName: string,
    private readonly thunks: ReadonlyMap<string, readonly (() => RuntimeValue)[]>,
  ) {}

  has(parameter: string): boolean {
    return (this.thunks.get(parameter)?.length ?? 0) > 0;
  }

  value(parameter: string): RuntimeValue {
    const thunk = this.thunks.get(parameter)?.[0];
    return thunk ? thunk() : null;
  }

  *each(parameter: string): Iterable<RuntimeValue> {
    for (const thunk of this.thunks.get(parameter) ?? []) yield thunk();
  }

  count(parameter: string): number {
    return this.thunks.get(parameter)?.length ?? 0;
  }

  text(parameter: string): string | null {
    return toText(this.value(parameter), this.describe(parameter));
  }

  integer(parameter: string): number | null {
    return toInteger(this.value(parameter), this.describe(parameter));
  }

  describe(parameter: string): string {
    return `${this.functionName}'s ${parameter}`;
  }
}

/** The argument as text, failing when it has no value. */
export function requiredText(args: FunctionArguments, parameter: string): string {
  const text = args.text(parameter);
  if (text === null) throw new EvaluationError(`${args.functionName}'s ${parameter} has no value`);
  return text;
}

/** The argument as a whole number, failing when it has no value. */
export function requiredInteger(args: FunctionArguments, parameter: string): number {
  const n = args.integer(parameter);
  if (n === null) throw new EvaluationError(`${args.functionName}'s ${parameter} has no value`);
  return n;
}
