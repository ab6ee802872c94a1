/**
 * Expressions <-> Graph's tree form (attributeMappingSource), as parseExpression returns it and
 * schemas store it:
 *
 *   { expression: "Replace([preferredLanguage], \"-\", , , \"_\", , )", name: "Replace", type: "Function",
 *     parameters: [ { key: "source", value: { expression: "[preferredLanguage]", name: "preferredLanguage", type: "Attribute", parameters: [] } },
 *                   { key: "Find", value: { expression: "\"-\"", name: "-", type: "Constant", parameters: [] } },
 *                   { key: "Replacement", value: { expression: "\"_\"", name: "_", type: "Constant", parameters: [] } } ] }
 *
 * Parameter keys are the function schema's parameter names, omitted optional arguments are left
 * out, repeated parameters repeat their key (Join: separator, source, source), and numbers are
 * string constants (Mid's `1` is `{ name: "1", expression: "\"1\"" }`, attributeMappingSource page).
 *
 * Graph documents no tree form for IIF's comparisons; here `[a] = "x"` is a Function node named by
 * its operator with parameters `left` and `right`, and its `expression` carries the text, which is
 * what Graph reads back first.
 */
import type { AttributeMappingSource } from "../../graph/types";
import { COMPARISON_OPERATORS, type Argument, type ComparisonOperator, type Expr } from "./ast";
import { bindArguments } from "./binding";
import { findFunction } from "./catalog";
import { InvalidExpressionError } from "./errors";
import { parseExpression } from "./parser";
import { canonicalExpression, printExpression, quoteString } from "./printer";
import { validateTree } from "./validator";

/** The tree Graph would store for an expression. Throws InvalidExpressionError if it is not valid. */
export function toMappingSource(expr: string | Expr): AttributeMappingSource {
  let ast: Expr;
  if (typeof expr === "string") {
    const parsed = parseExpression(expr);
    if (!parsed.ok) throw new InvalidExpressionError(expr, [parsed.error]);
    ast = parsed.ast;
  } else {
    ast = expr;
  }
  const problems = validateTree(ast);
  if (problems.length > 0) throw new InvalidExpressionError(typeof expr === "string" ? expr : printExpression(ast), problems);
  return treeOf(ast);
}

function leaf(type: "Attribute" | "Constant", name: string, expression: string): AttributeMappingSource {
  return { expression, name, parameters: [], type };
}

function treeOf(node: Expr): AttributeMappingSource {
  switch (node.kind) {
    case "attribute":
      return leaf("Attribute", node.name, `[${node.name}]`);
    case "string":
      return leaf("Constant", node.value, quoteString(node.value));
    case "number":
      return leaf("Constant", node.text, quoteString(node.text));
    case "name":
      return leaf("Constant", node.name, quoteString(node.name));
    case "comparison":
      return {
        expression: printExpression(node),
        name: node.operator,
        parameters: [
          { key: "left", value: treeOf(node.left) },
          { key: "right", value: treeOf(node.right) },
        ],
        type: "Function",
      };
    case "call": {
      const signature = findFunction(node.name);
      if (!signature) throw new Error(`unreachable: '${node.name}' passed validation`);
      const parameters = bindArguments(node, signature)
        .bound.filter((b) => b.argument.kind !== "omitted")
        .map((b) => ({ key: b.parameter.name, value: treeOf(b.argument as Expr) }));
      return { expression: printExpression(node), name: node.name, parameters, type: "Function" };
    }
  }
}

/**
 * The canonical expression text of a Graph tree: its `expression` when Graph filled it in,
 * otherwise rebuilt from the tree, placing keyed parameters back in their positions.
 */
export function mappingSourceToExpression(source: AttributeMappingSource): string {
  if (typeof source.expression === "string" && source.expression.trim() !== "") return canonicalExpression(source.expression);
  return printExpression(exprOf(source), { dropTrailingOmittedArguments: true });
}

const AT_START = { position: 0, end: 0 };

function exprOf(source: AttributeMappingSource): Expr {
  const name = source.name ?? "";
  switch (source.type) {
    case "Attribute":
      return { kind: "attribute", name, ...AT_START };
    case "Constant":
      return { kind: "string", value: name, ...AT_START };
    case "Function":
      break;
  }
  const parameters = source.parameters ?? [];
  if ((COMPARISON_OPERATORS as readonly string[]).includes(name)) {
    const left = parameters.find((p) => p.key === "left");
    const right = parameters.find((p) => p.key === "right");
    if (left && right) {
      return { kind: "comparison", operator: name as ComparisonOperator, left: exprOf(left.value), right: exprOf(right.value), ...AT_START };
    }
  }
  const remaining = [...parameters];
  const take = (key: string) => {
    const index = remaining.findIndex((p) => p.key === key);
    return index < 0 ? undefined : remaining.splice(index, 1)[0];
  };
  const args: Argument[] = [];
  for (const parameter of findFunction(name)?.parameters ?? []) {
    if (parameter.allowMultipleOccurrences) {
      for (let p = take(parameter.name); p; p = take(parameter.name)) args.push(exprOf(p.value));
    } else {
      const p = take(parameter.name);
      args.push(p ? exprOf(p.value) : { kind: "omitted", ...AT_START });
    }
  }
  // Keys the catalog does not know (or an unknown function) keep the tree's order, at the end.
  for (const p of remaining) args.push(exprOf(p.value));
  return { kind: "call", name, args, ...AT_START };
}
