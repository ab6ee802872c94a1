/**
 * Splits expression text into tokens in one left-to-right pass: every character is looked at a
 * bounded number of times, so even megabytes of expressions lex in linear time.
 */
import type { ComparisonOperator } from "./ast";
import type { ExpressionError } from "./errors";

export type Token =
  | { kind: "attribute"; name: string; position: number; end: number }
  | { kind: "string"; value: string; position: number; end: number }
  | { kind: "number"; text: string; position: number; end: number }
  | { kind: "identifier"; name: string; position: number; end: number }
  | { kind: "operator"; operator: ComparisonOperator; position: number; end: number }
  | { kind: "(" | ")" | "," | "end"; position: number; end: number };

/** A lexical problem; the parser turns it into its result. */
export class LexicalError extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message);
  }
}

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const HEX_DIGIT = /[0-9A-Fa-f]/;
const WHITESPACE = /\s/;

export class Lexer {
  private offset = 0;

  constructor(private readonly text: string) {}

  next(): Token {
    const text = this.text;
    while (this.offset < text.length && WHITESPACE.test(text[this.offset])) this.offset++;
    const start = this.offset;
    if (start >= text.length) return { kind: "end", position: start, end: start };
    const c = text[start];
    switch (c) {
      case "(":
      case ")":
      case ",":
        this.offset++;
        return { kind: c, position: start, end: this.offset };
      case "[":
        return this.attribute(start);
      case '"':
        return this.string(start);
      case "=":
        this.offset++;
        return { kind: "operator", operator: "=", position: start, end: this.offset };
      case "<":
      case ">": {
        const two = text.slice(start, start + 2);
        const operator: ComparisonOperator = two === "<>" || two === "<=" || two === ">=" ? two : c;
        this.offset += operator.length;
        return { kind: "operator", operator, position: start, end: this.offset };
      }
      case "&":
        return this.hexNumber(start);
    }
    if (DIGIT.test(c) || (c === "-" && DIGIT.test(text[start + 1] ?? ""))) return this.decimalNumber(start);
    if (IDENTIFIER_START.test(c)) {
      this.offset++;
      while (this.offset < text.length && IDENTIFIER_PART.test(text[this.offset])) this.offset++;
      return { kind: "identifier", name: text.slice(start, this.offset), position: start, end: this.offset };
    }
    if (c === "'") {
      throw new LexicalError({
        message: `Unexpected "'" at ${start}: string constants are enclosed in double quotes`,
        position: start,
        length: 1,
      });
    }
    throw new LexicalError({ message: `Unexpected character '${c}' at ${start}`, position: start, length: 1 });
  }

  /**
   * `[name]`. Names may themselves contain balanced brackets and quoted text, as API-driven
   * inbound provisioning's SCIM paths do (`[emails[type eq "work"].value]`).
   */
  private attribute(start: number): Token {
    const text = this.text;
    let depth = 0;
    let i = start;
    let inQuotes = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inQuotes) {
        if (c === '"') inQuotes = false;
      } else if (c === '"') {
        inQuotes = true;
      } else if (c === "[") {
        depth++;
      } else if (c === "]" && --depth === 0) {
        break;
      }
    }
    if (i >= text.length) {
      throw new LexicalError({
        message: `Missing ']' to close the attribute name opened at ${start}`,
        position: start,
        length: text.length - start,
      });
    }
    this.offset = i + 1;
    const name = text.slice(start + 1, i);
    if (name.trim() === "") {
      throw new LexicalError({ message: `Empty attribute name at ${start}`, position: start, length: this.offset - start });
    }
    return { kind: "attribute", name, position: start, end: this.offset };
  }

  /**
   * `"..."`. "If you need a backslash ( \ ) or quotation mark ( " ) in the string, it must be
   * escaped with the backslash ( \ ) symbol" (expression reference). Any other backslash is kept
   * as written, so regular expressions such as "\d" survive.
   */
  private string(start: number): Token {
    const text = this.text;
    let value = "";
    let i = start + 1;
    let runStart = i;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') break;
      if (c === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) {
        value += text.slice(runStart, i) + text[i + 1];
        i++;
        runStart = i + 1;
      }
    }
    if (i >= text.length) {
      throw new LexicalError({
        message: `Unterminated string constant starting at ${start}`,
        position: start,
        length: text.length - start,
      });
    }
    value += text.slice(runStart, i);
    this.offset = i + 1;
    return { kind: "string", value, position: start, end: this.offset };
  }

  /** `7`, `-10`, `1.5`. */
  private decimalNumber(start: number): Token {
    const text = this.text;
    let i = start + 1;
    while (i < text.length && DIGIT.test(text[i])) i++;
    if (text[i] === "." && DIGIT.test(text[i + 1] ?? "")) {
      i++;
      while (i < text.length && DIGIT.test(text[i])) i++;
    }
    this.offset = i;
    return { kind: "number", text: text.slice(start, i), position: start, end: i };
  }

  /** `&HF7`: VBA's hexadecimal literal, as BitAnd's example writes it. */
  private hexNumber(start: number): Token {
    const text = this.text;
    let i = start + 1;
    if (text[i] === "H" || text[i] === "h") {
      i++;
      const digitsStart = i;
      while (i < text.length && HEX_DIGIT.test(text[i])) i++;
      if (i > digitsStart) {
        this.offset = i;
        return { kind: "number", text: `&H${text.slice(digitsStart, i).toUpperCase()}`, position: start, end: i };
      }
    }
    throw new LexicalError({
      message: `Unexpected '&' at ${start}: hexadecimal numbers are written &H followed by hex digits`,
      position: start,
      length: 1,
    });
  }
}
