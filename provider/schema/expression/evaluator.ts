/**
 * Evaluates an expression against a source object, as Graph's parseExpression does with a
 * testInputObject, and as the emulator does when it provisions.
 */
import type { Comparison, Expr, FunctionCall } from "./ast";
import { bindArguments } from "./binding";
import { findFunction } from "./catalog";
import { DateTimeValue } from "./datetime";
import { EvaluationError } from "./errors";
import { LazyArguments, type ResolvedContext } from "./function-arguments";
import { IMPLEMENTATIONS } from "./function-registry";
import { parseExpression } from "./parser";
import { validateTree } from "./validator";
import { asBoolean, fromSourceValue, isMultiValued, parseNumber, single, toText, type RuntimeValue, type SourceObject } from "./values";

/** null: no value flows (an absent attribute, IgnoreFlowIfNullOrEmpty, a Switch without match, ...). */
export type EvaluationResult = { ok: true; value: string | string[] | null } | { ok: false; error: string };

export interface EvaluationContext {
  /** The clock for Now(); defaults to the system clock. */
  now?: () => Date;
  /** Uniform in [0, 1), for Guid() and RandomString(); defaults to Math.random. */
  random?: () => number;
  /** The tenant's default domain, for DefaultDomain(). */
  defaultDomain?: string;
  /** Whether a SelectUniqueValue candidate is free in the target; defaults to "always". */
  isUniqueValue?: (candidate: string) => boolean;
}

export function evaluateExpression(expr: string | Expr, source: SourceObject, context: EvaluationContext = {}): EvaluationResult {
  let ast: Expr;
  if (typeof expr === "string") {
    const parsed = parseExpression(expr);
    if (!parsed.ok) return { ok: false, error: parsed.error.message };
    ast = parsed.ast;
  } else {
    ast = expr;
  }
  const problems = validateTree(ast);
  if (problems.length > 0) return { ok: false, error: problems.map((p) => p.message).join("; ") };
  try {
    return { ok: true, value: result(new Evaluator(source, resolve(context)).evaluate(ast)) };
  } catch (e) {
    if (e instanceof EvaluationError) return { ok: false, error: e.message };
    throw e;
  }
}

function resolve(context: EvaluationContext): ResolvedContext {
  return {
    now: context.now ?? (() => new Date()),
    random: context.random ?? Math.random,
    isUniqueValue: context.isUniqueValue ?? (() => true),
    ...(context.defaultDomain !== undefined ? { defaultDomain: context.defaultDomain } : {}),
  };
}

function result(value: RuntimeValue): string | string[] | null {
  if (value === null) return null;
  if (isMultiValued(value)) return [...value];
  return toText(value, "the expression");
}

class Evaluator {
  private caseInsensitiveSource: Map<string, string> | undefined;

  constructor(
    private readonly source: SourceObject,
    private readonly context: ResolvedContext,
  ) {}

  evaluate(node: Expr): RuntimeValue {
    switch (node.kind) {
      case "attribute":
        return fromSourceValue(this.attribute(node.name));
      case "string":
        return node.value;
      case "number":
        return node.text;
      case "name":
        return node.name;
      case "comparison":
        return this.compare(node);
      case "call":
        return this.call(node);
    }
  }

  /** Exact name first; then case-insensitively, as Entra attribute names are. */
  private attribute(name: string): SourceObject[string] {
    if (Object.prototype.hasOwnProperty.call(this.source, name)) return this.source[name];
    if (!this.caseInsensitiveSource) {
      this.caseInsensitiveSource = new Map();
      for (const key of Object.keys(this.source)) {
        const lower = key.toLowerCase();
        if (!this.caseInsensitiveSource.has(lower)) this.caseInsensitiveSource.set(lower, key);
      }
    }
    const key = this.caseInsensitiveSource.get(name.toLowerCase());
    return key === undefined ? undefined : this.source[key];
  }

  private call(node: FunctionCall): RuntimeValue {
    const signature = findFunction(node.name);
    const implementation = IMPLEMENTATIONS.get(node.name);
    if (!signature || !implementation) throw new EvaluationError(`Unknown function '${node.name}' at ${node.position}`);
    const { bound, problems } = bindArguments(node, signature);
    if (problems.length > 0) throw new EvaluationError(problems[0].message);
    const thunks = new Map<string, (() => RuntimeValue)[]>();
    for (const { parameter, argument } of bound) {
      if (argument.kind === "omitted") continue;
      const list = thunks.get(parameter.name) ?? [];
      list.push(() => this.evaluate(argument));
      thunks.set(parameter.name, list);
    }
    return implementation(new LazyArguments(node.name, thunks), this.context);
  }

  /**
   * IIF's comparison operators (=, <>, >, >=, <, <=). Numbers compare as numbers (`DateDiff(...) > 5`),
   * dates as dates, booleans ignoring case ("True" = "true"), anything else as case-sensitive text.
   * A side without a value makes the comparison valueless, and IIF then gives no value ("If the
   * source attribute used within the IIF function is empty or null, the condition check fails").
   */
  private compare(node: Comparison): boolean | null {
    const left = single(this.evaluate(node.left), `the left side of '${node.operator}'`);
    const right = single(this.evaluate(node.right), `the right side of '${node.operator}'`);
    if (left === null || right === null) return null;
    let order: number;
    if (left instanceof DateTimeValue && right instanceof DateTimeValue) {
      order = Math.sign(left.date.getTime() - right.date.getTime());
    } else {
      const l = toText(left, "comparison") as string;
      const r = toText(right, "comparison") as string;
      const ln = parseNumber(l);
      const rn = parseNumber(r);
      const lb = typeof left === "boolean" || typeof right === "boolean" ? asBoolean(l) : undefined;
      const rb = lb === undefined ? undefined : asBoolean(r);
      if (ln !== undefined && rn !== undefined) order = Math.sign(ln - rn);
      else if (lb !== undefined && rb !== undefined) order = lb === rb ? 0 : 1;
      else order = l < r ? -1 : l > r ? 1 : 0;
    }
    switch (node.operator) {
      case "=":
        return order === 0;
      case "<>":
        return order !== 0;
      case ">":
        return order > 0;
      case ">=":
        return order >= 0;
      case "<":
        return order < 0;
      case "<=":
        return order <= 0;
    }
  }
}
