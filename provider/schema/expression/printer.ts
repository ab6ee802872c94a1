/**
 * Prints a syntax tree back to text in one normalized layout: no whitespace except ", " between
 * arguments and spaces around comparison operators, strings re-quoted with only the two escapes
 * the language defines. This is the layout Graph itself returns: parseExpression turns
 * `Replace([preferredLanguage], "-", , , "_", ,  )` into `Replace([preferredLanguage], "-", , , "_", , )`.
 */
import type { Argument, Expr } from "./ast";
import { parseExpression } from "./parser";

interface PrintOptions {
  /**
   * Leave out empty argument slots at the end of a call (`Replace([x], "-", , , "_", , )` ->
   * `Replace([x], "-", , , "_")`): both mean the same, and Graph may store either.
   */
  dropTrailingOmittedArguments?: boolean;
}

/** `"Company name: \"Contoso\""`: a string constant as the expression reference escapes it. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function printExpression(expr: Expr, options: PrintOptions = {}): string {
  switch (expr.kind) {
    case "attribute":
      return `[${expr.name}]`;
    case "string":
      return quoteString(expr.value);
    case "number":
      return expr.text;
    case "name":
      return expr.name;
    case "comparison":
      return `${printExpression(expr.left, options)} ${expr.operator} ${printExpression(expr.right, options)}`;
    case "call": {
      let args: readonly Argument[] = expr.args;
      if (options.dropTrailingOmittedArguments) {
        let count = args.length;
        while (count > 0 && args[count - 1].kind === "omitted") count--;
        args = args.slice(0, count);
      }
      return `${expr.name}(${args.map((a) => (a.kind === "omitted" ? "" : printExpression(a, options))).join(", ")})`;
    }
  }
}

/**
 * The canonical text of an expression, so that two spellings of the same mapping compare equal:
 * whitespace and string escapes normalized, trailing omitted arguments dropped. Text that does not
 * parse is returned unchanged (there is nothing to normalize it against).
 */
export function canonicalExpression(text: string): string {
  const parsed = parseExpression(text);
  return parsed.ok ? printExpression(parsed.ast, { dropTrailingOmittedArguments: true }) : text;
}
