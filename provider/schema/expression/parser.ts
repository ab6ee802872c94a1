/**
 * Recursive-descent parser for attribute-mapping expressions. It reads each token once and never
 * backtracks, so parsing is linear in the text's length; nesting is capped so hostile input cannot
 * exhaust the stack.
 *
 *   expression := operand [comparison-operator operand]
 *   operand    := [attribute] | "string" | number | &Hhex | name | Name "(" [argument {"," argument}] ")"
 *   argument   := expression | (nothing: an omitted optional argument)
 */
import type { Argument, Expr } from "./ast";
import type { ExpressionError } from "./errors";
import { Lexer, LexicalError, type Token } from "./lexer";

/** Deeper than any real mapping; guards the recursion (and every recursive consumer of the tree). */
export const MAX_NESTING_DEPTH = 200;

type ParseResult = { ok: true; ast: Expr } | { ok: false; error: ExpressionError };

class SyntaxProblem extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message);
  }
}

export function parseExpression(text: string): ParseResult {
  try {
    return { ok: true, ast: new Parser(text).parseWhole() };
  } catch (e) {
    if (e instanceof SyntaxProblem || e instanceof LexicalError) return { ok: false, error: e.error };
    throw e;
  }
}

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private depth = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.token = this.lexer.next();
  }

  parseWhole(): Expr {
    if (this.token.kind === "end") throw this.problem("Empty expression", 0, this.text.length);
    const expr = this.expression();
    const next = this.peek();
    if (next.kind !== "end") {
      const hint = next.kind === "operator" ? ": comparisons cannot be chained" : " after the end of the expression";
      throw this.problem(`Unexpected ${this.describe(next)} at ${next.position}${hint}`, next.position);
    }
    return expr;
  }

  /** The current token (a call, so TypeScript does not carry narrowing across advance()). */
  private peek(): Token {
    return this.token;
  }

  private advance(): Token {
    const current = this.token;
    this.token = this.lexer.next();
    return current;
  }

  private expression(): Expr {
    const left = this.operand();
    if (this.peek().kind !== "operator") return left;
    const operator = this.advance();
    if (operator.kind !== "operator") throw new Error("unreachable");
    const right = this.operand();
    return { kind: "comparison", operator: operator.operator, left, right, position: left.position, end: right.end };
  }

  private operand(): Expr {
    const token = this.token;
    switch (token.kind) {
      case "attribute":
        this.advance();
        return { kind: "attribute", name: token.name, position: token.position, end: token.end };
      case "string":
        this.advance();
        return { kind: "string", value: token.value, position: token.position, end: token.end };
      case "number":
        this.advance();
        return { kind: "number", text: token.text, position: token.position, end: token.end };
      case "identifier":
        this.advance();
        if (this.peek().kind === "(") return this.call(token.name, token.position);
        return { kind: "name", name: token.name, position: token.position, end: token.end };
      default:
        throw this.problem(`Expected an attribute, a string, a number or a function call at ${token.position}, found ${this.describe(token)}`, token.position);
    }
  }

  private call(name: string, position: number): Expr {
    const open = this.advance();
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw this.problem(`Functions nest deeper than ${MAX_NESTING_DEPTH} levels at ${position}`, position, name.length);
    }
    const args: Argument[] = [];
    if (this.peek().kind === ")") {
      const close = this.advance();
      this.depth--;
      return { kind: "call", name, args, position, end: close.end };
    }
    for (;;) {
      const next = this.peek();
      if (next.kind === "," || next.kind === ")") {
        // An empty slot: the previous separator (or the opening parenthesis) ends where it starts.
        args.push({ kind: "omitted", position: next.position, end: next.position });
      } else {
        args.push(this.expression());
      }
      const separator = this.peek();
      if (separator.kind === ",") {
        this.advance();
        continue;
      }
      if (separator.kind === ")") {
        this.advance();
        this.depth--;
        return { kind: "call", name, args, position, end: separator.end };
      }
      if (separator.kind === "end") {
        throw this.problem(`Missing ')' at ${separator.position} to close '${name}(' opened at ${open.position}`, separator.position);
      }
      throw this.problem(
        `Expected ',' or ')' at ${separator.position} in the arguments of '${name}' (opened at ${open.position}), found ${this.describe(separator)}`,
        separator.position,
      );
    }
  }

  private describe(token: Token): string {
    if (token.kind === "end") return "the end of the expression";
    const text = this.text.slice(token.position, token.end);
    return `'${text.length > 40 ? `${text.slice(0, 40)}...` : text}'`;
  }

  private problem(message: string, position: number, length?: number): SyntaxProblem {
    return new SyntaxProblem(length === undefined ? { message, position } : { message, position, length });
  }
}
