/**
 * Replace(source, Find, RegularExpression, RegularExpressionGroupName, Replacement,
 * ReplacementPropertyName, Template): one function, five behaviours chosen by which arguments are
 * present (expression reference, "Replace"; parameter names as Graph's function schema spells them,
 * which the reference calls oldValue, regexPattern, regexGroupName, replacementValue,
 * replacementAttributeName and template).
 */
import { EvaluationError } from "./errors";
import type { FunctionArguments } from "./implementation";
import { toJavaScriptRegExp } from "./regex";
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
    return regex.exec(other)?.groups?.[groupName] ?? null;
  }
  if (source === null) return null;
  const replacement = args.text("Replacement") ?? "";
  if (groupName !== null) {
    // "Replaces all values matching regexGroupName with replacementValue."
    return replaceGroup(source, new RegExp(regex.source, "gd"), groupName, replacement);
  }
  return source.replace(new RegExp(regex.source, "g"), dotNetReplacementToJavaScript(replacement));
}

function compile(pattern: string): RegExp {
  try {
    return toJavaScriptRegExp(pattern);
  } catch (e) {
    throw new EvaluationError(`Replace's RegularExpression ${JSON.stringify(pattern)} is not valid: ${(e as Error).message}`);
  }
}

function replaceGroup(source: string, regex: RegExp, groupName: string, replacement: string): string {
  let out = "";
  let copied = 0;
  for (const match of source.matchAll(regex)) {
    const span = match.indices?.groups?.[groupName];
    if (!span) continue;
    out += source.slice(copied, span[0]) + replacement;
    copied = span[1];
  }
  return out + source.slice(copied);
}

/** .NET substitutions `${name}` and `$0` in JavaScript's spelling (`$<name>`, `$&`). */
function dotNetReplacementToJavaScript(replacement: string): string {
  return replacement.replace(/\$(\$|\{([^}]*)\}|0)/g, (_match, token: string, name?: string) =>
    token === "$" ? "$$" : name !== undefined ? (/^\d+$/.test(name) ? `$${name}` : `$<${name}>`) : "$&",
  );
}
