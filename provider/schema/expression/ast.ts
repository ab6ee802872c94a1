/**
 * The syntax tree of an attribute-mapping expression.
 *
 * The language ("Reference for writing expressions for attribute mappings in Microsoft Entra ID",
 * learn.microsoft.com .../app-provisioning/functions-for-customizing-application-data) has three
 * kinds of argument: attributes in square brackets, string constants in double quotes, and
 * function calls. Its examples also use number literals (`Mid([x], 1, 8)`, `DateAdd("d", -10, ...)`),
 * VBA hexadecimal literals (`BitAnd(&HF, &HF7)`), a bare enumeration name
 * (`InStr("repEated", "e", 3, vbBinaryCompare)`), comparisons inside IIF's condition
 * (`IIF([country]="USA", ...)`, `DateDiff(...) > 5`) and empty argument slots for omitted
 * optional parameters (`Replace([x], "-", , , "_", , )`). There is no boolean literal.
 *
 * Every node records where it starts and ends in the source text ([position, end)).
 */

interface Located {
  /** 0-based offset of the node's first character. */
  readonly position: number;
  /** 0-based offset just past the node's last character. */
  readonly end: number;
}

/** `[givenName]`: a source attribute. */
export interface AttributeReference extends Located {
  readonly kind: "attribute";
  readonly name: string;
}

/** `"United States"`: a string constant (escapes already resolved). */
export interface StringLiteral extends Located {
  readonly kind: "string";
  readonly value: string;
}

/** `8`, `-10`, `&HF7`: kept as written; Graph stores numbers as string constants anyway. */
export interface NumberLiteral extends Located {
  readonly kind: "number";
  readonly text: string;
}

/** A bare word such as `vbBinaryCompare` (InStr's compareType). */
export interface NameLiteral extends Located {
  readonly kind: "name";
  readonly name: string;
}

/** An empty argument slot: an optional parameter left out, as in `Replace([x], "-", , , "_", , )`. */
export interface OmittedArgument extends Located {
  readonly kind: "omitted";
}

export type Argument = Expr | OmittedArgument;

/** `Join(" ", [givenName], [surname])`. */
export interface FunctionCall extends Located {
  readonly kind: "call";
  readonly name: string;
  readonly args: readonly Argument[];
}

export const COMPARISON_OPERATORS = ["=", "<>", ">", ">=", "<", "<="] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** `[country] = "USA"`: the comparison operators IIF's reference lists for its condition. */
export interface Comparison extends Located {
  readonly kind: "comparison";
  readonly operator: ComparisonOperator;
  readonly left: Expr;
  readonly right: Expr;
}

export type Expr = AttributeReference | StringLiteral | NumberLiteral | NameLiteral | FunctionCall | Comparison;

/** The direct sub-expressions of a node, left to right (omitted slots skipped). */
function childrenOf(node: Expr): readonly Expr[] {
  switch (node.kind) {
    case "call":
      return node.args.filter((a): a is Expr => a.kind !== "omitted");
    case "comparison":
      return [node.left, node.right];
    default:
      return [];
  }
}

/** Every node in source order (pre-order), without recursion so depth never matters. */
export function* walk(root: Expr): Generator<Expr> {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Expr;
    yield node;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
