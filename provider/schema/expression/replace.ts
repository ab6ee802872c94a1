/**
 * Replace(source, Find, RegularExpression, RegularExpressionGroupName, Replacement,
 * ReplacementPropertyName, Template): one function, five behaviours chosen by which arguments are
 * present (expression reference, "Replace"; parameter names as Graph's function schema spells them,
 * which the reference calls oldValue, regexPattern, regexGroupName, replacementValue,
 * replacementAttributeName and template).
 */
import { EvaluationError } from "./errors";
import type { FunctionArguments } from "./function-arguments";
import { compileRegex, RegexWorkLimitError, type DotNetRegex } from "./regex";
import type { RuntimeValue } from "./values";

export function replace(args: FunctionArguments): RuntimeValue {
  const source = args.text("source");
  const pattern = args.text("RegularExpression");
  const groupName = args.text("RegularExpressionGroupName");

  if (pattern === null) {
    const find = args.text("Find");
    if (find === null || find === "") return source;
    if (args.has("Template")) {
      // "Replaces all occurrences of the oldValue in the template with the source value."
      const template = args.text("Template");
      return source === null || template === null ? null : template.split(find).join(source);
    }
    // "Replaces all occurrences of oldValue in the source with replacementValue" (case-sensitive).
    return source === null ? null : source.split(find).join(args.text("Replacement") ?? "");
  }

  const regex = compile(pattern);
  if (groupName !== null && args.has("ReplacementPropertyName")) {
    // "If source has a value, source is returned. If source has no value, the function applies the
    // regexPattern to the replacementAttributeName and returns the value matching regexGroupName."
    if (source !== null && source !== "") return source;
    const other = args.text("ReplacementPropertyName");
    if (other === null) return null;
    return applying(pattern, () => regex.groupValue(other, groupName));
  }
  if (source === null) return null;
  const replacement = args.text("Replacement") ?? "";
  if (groupName !== null) {
    // "Replaces all values matching regexGroupName with replacementValue."
    return applying(pattern, () => regex.replaceGroup(source, groupName, replacement));
  }
  // .NET's Regex.Replace, with its substitutions ($1, ${name}, $$, ...).
  return applying(pattern, () => regex.replace(source, replacement));
}

function compile(pattern: string): DotNetRegex {
  try {
    return compileRegex(pattern);
  } catch (e) {
    throw new EvaluationError(`Replace's RegularExpression ${JSON.stringify(pattern)} is not valid: ${(e as Error).message}`);
  }
}

/** Runs a regex operation, reporting an over-budget one as an evaluation failure. */
function applying<T>(pattern: string, operation: () => T): T {
  try {
    return operation();
  } catch (e) {
    if (e instanceof RegexWorkLimitError) throw new EvaluationError(`Replace's RegularExpression ${JSON.stringify(pattern)}: ${e.message}`);
    throw e;
  }
}
