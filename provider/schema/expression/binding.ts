/**
 * Matches a call's positional arguments to the named parameters of its signature. Graph's tree
 * form keys each argument by parameter name and leaves omitted ones out, so the validator, the
 * evaluator and the tree conversion all need the same answer to "which parameter is this?".
 */
import type { Argument, FunctionCall } from "./ast";
import { argumentCountRange, type FunctionSignature, type ParameterSignature } from "./catalog";
import { MAX_REPORTED_PROBLEMS, type ExpressionError } from "./errors";

interface BoundArgument {
  readonly parameter: ParameterSignature;
  readonly argument: Argument;
  /** 0-based position of the argument in the call. */
  readonly index: number;
}

interface Binding {
  readonly bound: readonly BoundArgument[];
  readonly problems: readonly ExpressionError[];
}

/**
 * Positional binding, with two rules the reference implies:
 * - a repeating parameter (always the last one) takes every remaining argument;
 * - when a call has exactly as many arguments as the function has required parameters, none of
 *   them left empty, they go to the required parameters, skipping optional ones in between. That
 *   keeps `FormatDateTime([x], "yyyyMMdd", "yyyy-MM-dd")` (Graph's three-parameter listing)
 *   meaning what it always did now that the reference puts the optional dateTimeStyles second.
 */
export function bindArguments(call: FunctionCall, signature: FunctionSignature): Binding {
  const problems: ExpressionError[] = [];
  const args = call.args;
  const parameters = signature.parameters;
  const { min, max } = argumentCountRange(signature);
  const where = `'${call.name}' at ${call.position}`;
  const names = parameters.map((p) => (p.allowMultipleOccurrences ? `${p.name}, ...` : p.required ? p.name : `[${p.name}]`));
  const list = names.length === 0 ? "no arguments" : `(${names.join(", ")})`;

  if (args.length < min) {
    problems.push({
      message: `${where} expects ${max === min ? "" : "at least "}${min} argument${min === 1 ? "" : "s"} ${list}, got ${args.length}`,
      position: call.position,
      length: call.end - call.position,
    });
    return { bound: [], problems };
  }
  if (args.length > max) {
    const extra = args[max];
    problems.push({
      message:
        max === 0 ? `${where} takes no arguments, got ${args.length}` : `${where} takes at most ${max} argument${max === 1 ? "" : "s"} ${list}, got ${args.length}`,
      position: extra.position,
      length: call.end - 1 - extra.position,
    });
    return { bound: [], problems };
  }
  if (signature.evenArgumentCount && args.length % 2 !== 0) {
    problems.push({
      message: `${where} needs its keys and values in pairs (an even number of arguments in all), got ${args.length}`,
      position: call.position,
      length: call.end - call.position,
    });
  }

  const repeating = parameters.findIndex((p) => p.allowMultipleOccurrences);
  const requiredOnly = repeating < 0 && args.length < parameters.length && args.length === min && args.every((a) => a.kind !== "omitted");
  const targets = requiredOnly ? parameters.filter((p) => p.required) : parameters;
  const bound: BoundArgument[] = args.map((argument, index) => ({
    parameter: repeating >= 0 && index >= repeating ? parameters[repeating] : targets[index],
    argument,
    index,
  }));

  const missing = parameters.filter((p) => p.required && !p.allowMultipleOccurrences && !bound.some((b) => b.parameter === p));
  if (missing.length > 0) {
    problems.push({
      message: `${where} is missing ${missing.map((p) => p.name).join(", ")} ${list}`,
      position: call.position,
      length: call.end - call.position,
    });
  }
  for (const b of bound) {
    if (b.argument.kind !== "omitted" || (!b.parameter.required && !b.parameter.allowMultipleOccurrences)) continue;
    if (problems.length > MAX_REPORTED_PROBLEMS) break; // one past the limit, so callers know there were more
    problems.push({
      message: `Argument ${b.index + 1} of ${where} (${b.parameter.name}) is empty; ${
        b.parameter.allowMultipleOccurrences ? "repeated arguments cannot be left out" : "it is required"
      }${b.index === args.length - 1 ? " (a trailing comma?)" : ""}`,
      position: b.argument.position,
    });
  }
  return { bound, problems };
}
