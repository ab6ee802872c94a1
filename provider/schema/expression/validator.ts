/**
 * Static checks of an expression: syntax, function names (with a did-you-mean), argument counts,
 * constant arguments that can be judged without data, and optionally the attributes it reads.
 * One pass over the tree, so validating every expression of a large schema stays linear.
 */
import { didYouMean } from "../../validation";
import { walk, type Expr, type FunctionCall, type NameLiteral } from "./ast";
import { bindArguments } from "./binding";
import { COMPARE_TYPES, findFunction, FUNCTION_NAMES, type ConstantRule } from "./catalog";
import { DATE_INTERVALS, DATE_TIME_STYLES } from "./datetime";
import { MAX_REPORTED_PROBLEMS, type ExpressionError } from "./errors";
import { parseExpression } from "./parser";
import { regexProblem } from "./regex";
import { parseInteger } from "./values";

interface ValidationOptions {
  /** The source object's attribute names; when given, references to other attributes are errors. */
  knownAttributes?: ReadonlySet<string> | readonly string[];
}

interface ValidationResult {
  errors: ExpressionError[];
  /** Source attribute names referenced, in order of first appearance, each once. */
  attributes: string[];
}

export function validateExpression(text: string, options: ValidationOptions = {}): ValidationResult {
  const parsed = parseExpression(text);
  if (!parsed.ok) return { errors: [parsed.error], attributes: [] };
  return { errors: validateTree(parsed.ast, options), attributes: attributeReferences(parsed.ast) };
}

/** The source attributes an expression reads, in order of first appearance, each once. */
export function attributeReferences(ast: Expr): string[] {
  const seen = new Set<string>();
  for (const node of walk(ast)) if (node.kind === "attribute") seen.add(node.name);
  return [...seen];
}

/** The checks of validateExpression on an already parsed tree. */
export function validateTree(ast: Expr, options: ValidationOptions = {}): ExpressionError[] {
  const errors = new ProblemList();
  const attributes = options.knownAttributes ? new AttributeNames(options.knownAttributes) : undefined;
  const permittedNames = new Set<NameLiteral>();
  for (const node of walk(ast)) {
    switch (node.kind) {
      case "call":
        checkCall(node, node === ast, errors, permittedNames);
        break;
      case "name":
        if (!permittedNames.has(node)) {
          errors.push({
            message: `Unexpected word '${node.name}' at ${node.position}: string constants are enclosed in double quotes ("${node.name}") and attribute names in square brackets ([${node.name}])`,
            position: node.position,
            length: node.end - node.position,
          });
        }
        break;
      case "attribute":
        if (attributes && !attributes.has(node.name)) {
          const suggestion = attributes.suggest(node.name);
          errors.push({
            message: `Unknown attribute '${node.name}' at ${node.position}${suggestion ? `; did you mean '${suggestion}'?` : ""}`,
            position: node.position,
            length: node.end - node.position,
          });
        }
        break;
    }
  }
  return errors.truncated();
}

function checkCall(call: FunctionCall, isTopLevel: boolean, errors: ProblemList, permittedNames: Set<NameLiteral>): void {
  const signature = findFunction(call.name);
  if (!signature) {
    const suggestion = didYouMean(call.name, FUNCTION_NAMES);
    errors.push({
      message: `Unknown function '${call.name}' at ${call.position}${suggestion ? `; did you mean '${suggestion}'?` : ""}`,
      position: call.position,
      length: call.name.length,
    });
    return;
  }
  if (signature.topLevelOnly && !isTopLevel) {
    errors.push({
      message: `'${call.name}' at ${call.position} must be the whole expression; it cannot be nested in another function`,
      position: call.position,
      length: call.name.length,
    });
  }
  const { bound, problems } = bindArguments(call, signature);
  for (const problem of problems) errors.push(problem);
  for (const { parameter, argument } of bound) {
    if (argument.kind === "omitted") continue;
    if (argument.kind === "name" && parameter.constantRule === "compareType") permittedNames.add(argument);
    const problem = parameter.type === "Integer" ? checkIntegerConstant(argument) : parameter.constantRule ? checkConstant(parameter.constantRule, argument) : undefined;
    if (problem) {
      errors.push({
        message: `${problem} at ${argument.position} (argument '${parameter.name}' of '${call.name}')`,
        position: argument.position,
        length: argument.end - argument.position,
      });
    }
  }
}

function constantText(expr: Expr): string | undefined {
  if (expr.kind === "string") return expr.value;
  if (expr.kind === "number") return expr.text;
  if (expr.kind === "name") return expr.name;
  return undefined;
}

function checkIntegerConstant(expr: Expr): string | undefined {
  const text = constantText(expr);
  if (text === undefined || expr.kind === "name") return undefined;
  return parseInteger(text) === undefined ? `Expected a whole number, got ${JSON.stringify(text)}` : undefined;
}

function checkConstant(rule: ConstantRule, expr: Expr): string | undefined {
  const text = constantText(expr);
  if (text === undefined) return undefined;
  switch (rule) {
    case "regex": {
      const problem = regexProblem(text);
      return problem === undefined ? undefined : `Invalid regular expression ${JSON.stringify(text)}: ${problem}`;
    }
    case "dateInterval":
      return (DATE_INTERVALS as readonly string[]).includes(text) ? undefined : `Unknown date interval ${JSON.stringify(text)}; use one of ${DATE_INTERVALS.join(", ")}`;
    case "compareType":
      return COMPARE_TYPES.has(text) ? undefined : `Unknown compare type '${text}'; use vbBinaryCompare or vbTextCompare`;
    case "dateTimeStyles": {
      const unknown = text
        .split(/[,|]/)
        .map((s) => s.trim().replace(/^DateTimeStyles\./, ""))
        .filter((s) => s !== "" && !DATE_TIME_STYLES.includes(s));
      return unknown.length === 0 ? undefined : `Unknown DateTimeStyles value '${unknown[0]}'`;
    }
  }
}

/** Collects problems up to MAX_REPORTED_PROBLEMS, then only notes that there were more. */
class ProblemList {
  private readonly problems: ExpressionError[] = [];
  private overflowAt: number | undefined;

  push(problem: ExpressionError): void {
    if (this.problems.length < MAX_REPORTED_PROBLEMS) this.problems.push(problem);
    else this.overflowAt ??= problem.position;
  }

  truncated(): ExpressionError[] {
    if (this.overflowAt === undefined) return this.problems;
    return [
      ...this.problems,
      { message: `More problems from position ${this.overflowAt} on (only the first ${MAX_REPORTED_PROBLEMS} are reported)`, position: this.overflowAt },
    ];
  }
}

/** Attribute names compare case-insensitively, as Entra's attribute names do. */
class AttributeNames {
  private readonly lowerCase: Set<string>;
  private readonly names: readonly string[];

  constructor(known: ReadonlySet<string> | readonly string[]) {
    this.names = [...known];
    this.lowerCase = new Set(this.names.map((n) => n.toLowerCase()));
  }

  has(name: string): boolean {
    return this.lowerCase.has(name.toLowerCase());
  }

  suggest(name: string): string | undefined {
    return didYouMean(name, this.names);
  }
}
