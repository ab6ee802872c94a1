/**
 * The provisioning service's regular expressions are .NET ones; this project runs them on RE2
 * (re2js), whose matching time is linear in the text. This file rewrites a .NET pattern in RE2's
 * syntax, and rejects what RE2 cannot do (backreferences, lookaround, atomic groups, ...) with the
 * feature's name, so that `pulumi preview` says so instead of an evaluation hanging.
 *
 * Where the two read the same text differently, the .NET meaning is kept:
 * - `\w`, `\d`, `\s` are Unicode classes in .NET (`[\p{L}\p{Mn}\p{Nd}\p{Pc}]`, `\p{Nd}`,
 *   `[\f\n\r\t\v\x85\p{Z}]`), ASCII ones in RE2: they are written out;
 * - `\b` inside a class is a backspace; `\uFFFF`, `\e`, `\cX`, octal `\0nn` are written as `\x{...}`;
 * - `[` inside a class is a literal; `{` that does not start `{n}`, `{n,}`, `{n,m}` is a literal;
 * - named groups `(?<name>...)` / `(?'name'...)` become `(?P<name>...)`, and .NET's group numbers
 *   (unnamed groups first, then named ones) are mapped onto RE2's (left to right).
 * Not kept (README lists them): `$` and `\Z` do not match before a final newline; `\b` and `\B`
 * use ASCII word characters.
 */

/** A pattern that is not valid .NET syntax, or uses a feature the linear-time engine lacks. */
export class RegexSyntaxError extends SyntaxError {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`Invalid regular expression: /${pattern}/: ${reason}`);
    this.name = "RegexSyntaxError";
  }
}

/** A .NET capture group: its .NET number, its name (null when unnamed) and its RE2 index. */
export interface DotNetGroup {
  number: number;
  name: string | null;
  re2Index: number;
}

interface TranslatedPattern {
  /** The pattern in RE2 syntax. */
  source: string;
  /** The capture groups in .NET numbering order (group 0, the whole match, not included). */
  groups: DotNetGroup[];
}

const WORD = String.raw`\p{L}\p{Mn}\p{Nd}\p{Pc}`;
const SPACE = String.raw`\f\n\r\t\v\x{85}\p{Z}`;
const DIGIT = String.raw`\p{Nd}`;

/** .NET's Unicode general categories (named blocks, `\p{IsGreek}`, are rejected separately). */
const CATEGORIES = new Set("L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn".split(" "));

/** RE2 refuses larger counts in `{n,m}`; .NET accepts any int. */
const MAX_REPEAT_COUNT = 1000;

/**
 * Compiling is not free either (a Unicode class such as `\w` is hundreds of ranges): longer
 * patterns are refused, which keeps compiling one under a second. Real ones are far shorter.
 */
const MAX_PATTERN_LENGTH = 10_000;

/** Translate a .NET pattern; throws RegexSyntaxError. */
export function translateDotNetPattern(pattern: string): TranslatedPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexSyntaxError(
      `${pattern.slice(0, 40)}...`,
      `a pattern longer than ${MAX_PATTERN_LENGTH.toLocaleString("en-US")} characters (${pattern.length}) is not supported`,
    );
  }
  return new Translator(pattern).run();
}

type Piece = string | { backreferenceOrLiteral: string; literal: string; position: number };

class Translator {
  private pos = 0;
  private readonly out: Piece[] = [];
  /** RE2 capture groups in order of their opening parenthesis: name or null. */
  private readonly captures: (string | null)[] = [];
  private readonly names = new Set<string>();
  private depth = 0;

  constructor(private readonly pattern: string) {}

  run(): TranslatedPattern {
    while (this.pos < this.pattern.length) this.term();
    if (this.depth > 0) this.fail("Unterminated group");
    const groups = this.dotNetGroups();
    const source = this.out
      .map((piece) => {
        if (typeof piece === "string") return piece;
        // `\<name>` is a backreference when a group has that name or number, else the literal text.
        const name = piece.backreferenceOrLiteral;
        const isGroup = this.names.has(name) || (/^\d+$/.test(name) && Number(name) >= 1 && Number(name) <= groups.length);
        if (isGroup) this.unsupported(`backreference \\<${name}>`, piece.position);
        return piece.literal;
      })
      .join("");
    return { source, groups };
  }

  // --- outside a character class -----------------------------------------------------------------

  private term(): void {
    const start = this.pos;
    const c = this.next();
    switch (c) {
      case "\\":
        this.escape(start);
        break;
      case "[":
        this.characterClass();
        break;
      case "(":
        this.group(start);
        break;
      case ")":
        if (this.depth === 0) this.fail("Unmatched ')'");
        this.depth--;
        this.emit(")");
        break;
      case "*":
      case "+":
      case "?":
        this.emit(c);
        this.quantifierSuffix(start);
        break;
      case "{": {
        const counts = this.matchAt(/\{(\d+)(,(\d*))?\}/y, start);
        if (!counts) {
          this.emit("\\{"); // .NET: a brace that does not start a quantifier is a literal.
          break;
        }
        const [text, min, , max] = counts;
        if (Number(min) > MAX_REPEAT_COUNT || (max !== undefined && max !== "" && Number(max) > MAX_REPEAT_COUNT)) {
          this.unsupported(`repeat count above ${MAX_REPEAT_COUNT} (${text})`, start);
        }
        this.pos = start + text.length;
        this.emit(text);
        this.quantifierSuffix(start);
        break;
      }
      case "}":
        this.emit("\\}");
        break;
      case "^":
      case "$":
      case ".":
      case "|":
        this.emit(c);
        break;
      default:
        this.emit(literal(c));
    }
  }

  /** After a quantifier: `?` makes it lazy (RE2 has that); `+` would make it possessive. */
  private quantifierSuffix(start: number): void {
    if (this.peek() === "?") this.emit(this.next());
    if (this.peek() === "+") this.unsupported(`possessive quantifier '${this.pattern.slice(start, this.pos + 1)}'`, start);
  }

  private escape(start: number): void {
    if (this.pos >= this.pattern.length) this.fail("\\ at end of pattern");
    const c = this.next();
    switch (c) {
      case "A":
      case "z":
      case "b":
      case "B":
        this.emit(`\\${c}`);
        return;
      case "Z":
        this.emit("(?-m:$)"); // end of text (RE2's `$` outside multi-line mode)
        return;
      case "G":
        this.unsupported("the \\G anchor (end of the previous match)", start);
        return;
      case "w":
        this.emit(`[${WORD}]`);
        return;
      case "W":
        this.emit(`[^${WORD}]`);
        return;
      case "d":
        this.emit(DIGIT);
        return;
      case "D":
        this.emit(String.raw`\P{Nd}`);
        return;
      case "s":
        this.emit(`[${SPACE}]`);
        return;
      case "S":
        this.emit(`[^${SPACE}]`);
        return;
      case "p":
      case "P":
        this.emit(this.category(c, start));
        return;
      case "k":
        this.unsupported("backreference \\k<name>", start);
        return;
      case "<":
      case "'": {
        const close = c === "<" ? ">" : "'";
        const name = this.matchAt(/\w+/y)?.[0];
        if (name !== undefined && this.pattern[this.pos + name.length] === close) {
          this.out.push({ backreferenceOrLiteral: name, literal: literal(c), position: start });
        } else {
          this.emit(literal(c));
        }
        return;
      }
    }
    if (c >= "1" && c <= "9") this.unsupported(`backreference \\${c}`, start);
    this.emit(this.characterEscape(c, start, false));
  }

  private group(start: number): void {
    this.depth++;
    if (this.peek() !== "?") {
      this.captures.push(null);
      this.emit("(");
      return;
    }
    const construct = (text: string) => this.pattern.startsWith(text, this.pos + 1);
    if (construct(":")) {
      this.pos += 2;
      return this.emit("(?:");
    }
    if (construct("=")) return this.unsupported("lookahead (?=...)", start);
    if (construct("!")) return this.unsupported("negative lookahead (?!...)", start);
    if (construct("<=")) return this.unsupported("lookbehind (?<=...)", start);
    if (construct("<!")) return this.unsupported("negative lookbehind (?<!...)", start);
    if (construct(">")) return this.unsupported("atomic group (?>...)", start);
    if (construct("(")) return this.unsupported("conditional (?(...)...)", start);
    if (construct("#")) {
      // An inline comment: .NET ends it at the first ')'.
      const end = this.pattern.indexOf(")", this.pos);
      if (end < 0) this.fail("Unterminated (?#...) comment");
      this.pos = end + 1;
      this.depth--;
      return;
    }
    if (construct("<") || construct("'")) return this.namedGroup(start, construct("<") ? ">" : "'");
    const options = this.matchAt(/([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/y, this.pos + 1);
    if (options) return this.inlineOptions(start, options);
    this.fail(`Unrecognized grouping construct at ${start}`);
  }

  private namedGroup(start: number, close: string): void {
    const body = this.matchAt(/.([^>']*)[>']/y, this.pos + 1);
    const name = body?.[1] ?? "";
    if (!body || !body[0].endsWith(close)) this.fail(`Invalid group name at ${start}`);
    if (name.includes("-")) this.unsupported(`balancing group (?<${name}>...)`, start);
    if (/^\d+$/.test(name)) this.unsupported(`numbered group (?<${name}>...)`, start);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      if (/^[\p{L}\p{Mn}\p{Nd}\p{Pc}]+$/u.test(name)) this.unsupported(`non-ASCII group name '${name}'`, start);
      this.fail(`Invalid group name '${name}' at ${start}`);
    }
    if (this.names.has(name)) this.unsupported(`a second group named '${name}'`, start);
    this.names.add(name);
    this.captures.push(name);
    this.pos += 1 + body[0].length;
    this.emit(`(?P<${name}>`);
  }

  private inlineOptions(start: number, [text, on, off = "", end]: RegExpExecArray): void {
    for (const option of on + off) {
      if (option === "n") this.unsupported("inline option n (explicit capture)", start);
      if (option === "x") this.unsupported("inline option x (ignore pattern whitespace)", start);
      if (!"ims".includes(option)) this.fail(`Unrecognized grouping construct at ${start}`);
    }
    this.pos += 1 + text.length;
    const flags = `${on}${off ? `-${off}` : ""}`;
    if (end === ")") {
      this.depth--; // (?imsx-imsx) applies to the rest of the enclosing group; it opens none
      if (flags !== "") this.emit(`(?${flags})`);
    } else {
      this.emit(`(?${flags}:`);
    }
  }

  // --- character classes -------------------------------------------------------------------------

  private characterClass(): void {
    const negated = this.peek() === "^";
    if (negated) this.pos++;
    const members: string[] = [];
    /** Negated shorthands (\W, \S) cannot go inside RE2's brackets: they become alternatives. */
    const outsideMembers: string[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= this.pattern.length) this.fail("Unterminated character class");
      const itemStart = this.pos;
      const c = this.next();
      if (c === "]" && !first) break;
      if (c === "[" && this.matchAt(/:\w*:\]/y)) {
        this.unsupported("POSIX character class [:name:]", itemStart);
      }
      if (c === "-" && !first && this.peek() === "[") this.unsupported("character class subtraction [a-z-[aeiou]]", itemStart);
      first = false;
      const item = c === "\\" ? this.classEscape(itemStart) : { char: literal(c) };
      if ("set" in item) {
        members.push(item.set);
        continue;
      }
      if ("outside" in item) {
        if (negated) this.unsupported(`${this.pattern.slice(itemStart, this.pos)} inside a negated character class`, itemStart);
        outsideMembers.push(item.outside);
        continue;
      }
      if (this.peek() === "-" && this.pattern[this.pos + 1] !== "]" && this.pattern[this.pos + 1] !== "[" && this.pos + 1 < this.pattern.length) {
        this.pos++;
        const endStart = this.pos;
        const e = this.next();
        const end = e === "\\" ? this.classEscape(endStart) : { char: literal(e) };
        if (!("char" in end)) this.fail(`A character range cannot end with the class ${this.pattern.slice(endStart, this.pos)}`);
        members.push(`${item.char}-${end.char}`);
        continue;
      }
      members.push(item.char);
    }
    const bracket = members.length > 0 ? `[${negated ? "^" : ""}${members.join("")}]` : "";
    if (outsideMembers.length === 0) {
      // `[^]`-like classes cannot happen: .NET reads a leading ']' as a member.
      this.emit(bracket);
      return;
    }
    this.emit(`(?:${[bracket, ...outsideMembers].filter((m) => m !== "").join("|")})`);
  }

  private classEscape(start: number): { char: string } | { set: string } | { outside: string } {
    if (this.pos >= this.pattern.length) this.fail("\\ at end of pattern");
    const c = this.next();
    switch (c) {
      case "w":
        return { set: WORD };
      case "d":
        return { set: DIGIT };
      case "D":
        return { set: String.raw`\P{Nd}` };
      case "s":
        return { set: SPACE };
      case "W":
        return { outside: `[^${WORD}]` };
      case "S":
        return { outside: `[^${SPACE}]` };
      case "p":
      case "P":
        return { set: this.category(c, start) };
      case "b":
        return { char: hex(8) }; // backspace, inside a class
    }
    return { char: this.characterEscape(c, start, true) };
  }

  // --- escapes shared by both contexts -----------------------------------------------------------

  private category(p: string, start: number): string {
    const name = this.matchAt(/\{([^}]*)\}/y);
    if (!name) this.fail(`Incomplete \\${p}{X} character escape at ${start}`);
    this.pos += name[0].length;
    if (name[1].startsWith("Is")) this.unsupported(`Unicode block \\${p}{${name[1]}}`, start);
    if (!CATEGORIES.has(name[1])) this.fail(`Unknown property '${name[1]}' at ${start}`);
    return `\\${p}{${name[1]}}`;
  }

  /** The character escapes .NET reads alike inside and outside classes, as RE2 text. */
  private characterEscape(c: string, start: number, inClass: boolean): string {
    switch (c) {
      case "a":
        return hex(7);
      case "e":
        return hex(0x1b);
      case "f":
      case "n":
      case "r":
      case "t":
      case "v":
        return `\\${c}`;
      case "x":
        return hex(this.hexDigits(2, start));
      case "u":
        return hex(this.hexDigits(4, start));
      case "c": {
        if (this.pos >= this.pattern.length) this.fail(`Missing control character at ${start}`);
        const control = this.next().toUpperCase();
        if (!/^[@-_]$/.test(control)) this.fail(`Unrecognized control character at ${start}`);
        return hex(control.charCodeAt(0) ^ 0x40);
      }
    }
    if (c >= "0" && c <= "7" && (c === "0" || inClass)) {
      // Octal: up to three digits, the value kept to a byte as .NET does.
      const digits = this.matchAt(/[0-7]{0,2}/y)![0];
      this.pos += digits.length;
      return hex(parseInt(c + digits, 8) & 0xff);
    }
    if (/[\p{L}\p{Mn}\p{Nd}\p{Pc}]/u.test(c)) this.fail(`Unrecognized escape sequence \\${c} at ${start}`);
    return literal(c);
  }

  private hexDigits(count: number, start: number): number {
    const digits = this.pattern.slice(this.pos, this.pos + count);
    if (digits.length < count || !/^[0-9a-fA-F]+$/.test(digits)) this.fail(`Insufficient hex digits at ${start}`);
    this.pos += count;
    return parseInt(digits, 16);
  }

  // --- helpers -------------------------------------------------------------------------------------

  /** The next character (a whole code point), consumed. */
  private next(): string {
    const c = String.fromCodePoint(this.pattern.codePointAt(this.pos)!);
    this.pos += c.length;
    return c;
  }

  /** A sticky regular expression's match at `at` (default: the current position). */
  private matchAt(sticky: RegExp, at = this.pos): RegExpExecArray | null {
    sticky.lastIndex = at;
    return sticky.exec(this.pattern);
  }

  private peek(): string | undefined {
    return this.pattern[this.pos];
  }

  private emit(text: string): void {
    this.out.push(text);
  }

  private dotNetGroups(): DotNetGroup[] {
    // .NET numbers unnamed groups first, left to right, then named groups in order of appearance.
    const indexed = this.captures.map((name, i) => ({ name, re2Index: i + 1 }));
    const ordered = [...indexed.filter((g) => g.name === null), ...indexed.filter((g) => g.name !== null)];
    return ordered.map((g, i) => ({ number: i + 1, name: g.name, re2Index: g.re2Index }));
  }

  private unsupported(feature: string, position: number): never {
    throw new RegexSyntaxError(this.pattern, `${feature} at ${position} is not supported: regular expressions run on a linear-time engine (RE2)`);
  }

  private fail(reason: string): never {
    throw new RegexSyntaxError(this.pattern, reason);
  }
}

/** A literal character in RE2 syntax: ASCII punctuation escaped, anything else as itself. */
function literal(c: string): string {
  if (c.length === 1 && c < "\x80" && !/[A-Za-z0-9]/.test(c)) {
    return c < " " || c === "\x7f" ? hex(c.charCodeAt(0)) : `\\${c}`;
  }
  return c;
}

function hex(code: number): string {
  return `\\x{${code.toString(16).toUpperCase()}}`;
}
