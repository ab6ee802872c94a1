/**
 * The one place where a user's regular expression is run (Replace's RegularExpression, the REGEX
 * MATCH scoping operators; in the provider and in the emulator). Patterns are the provisioning
 * service's .NET ones, translated to RE2 syntax (regex-translate.ts) and run on re2js, a pure
 * JavaScript port of RE2: matching time grows linearly with the text, so no pattern can backtrack
 * for minutes the way `(a+)+$` does in a backtracking engine. (The `re2` package binds the C++
 * library: a native build or a downloaded binary; `re2-wasm` ships a WebAssembly build with fewer
 * releases. re2js needs neither, is MIT-licensed and has no dependencies.)
 *
 * Linear is still pattern size × text length per search, and a replacement searches once per
 * match. Each operation therefore gets a work budget, counted before every search as the
 * pattern's size times the characters left to search; past it the operation fails instead of
 * running, as a .NET match timeout does.
 */
import { RE2JS, type Matcher } from "re2js";
import { expandReplacement, parseReplacement } from "./regex-replacement";
import { RegexSyntaxError, translateDotNetPattern, type DotNetGroup } from "./regex-translate";

/** Pattern instructions × characters searched, per operation: under a second at worst (measured on 2 cores). */
export const MAX_REGEX_WORK = 10_000_000;

/** An operation that would search more than MAX_REGEX_WORK. */
export class RegexWorkLimitError extends Error {
  constructor(pattern: string, textLength: number) {
    super(
      `The regular expression /${pattern}/ is too costly to apply to a text of ${textLength} characters ` +
        `(its size times the characters searched would exceed ${MAX_REGEX_WORK.toLocaleString("en-US")})`,
    );
    this.name = "RegexWorkLimitError";
  }
}

/** Why a pattern cannot be used (invalid .NET syntax, or a feature RE2 lacks), or undefined. */
export function regexProblem(pattern: string): string | undefined {
  try {
    compileRegex(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof RegexSyntaxError) return e.message;
    throw e;
  }
}

/** A compiled pattern; throws RegexSyntaxError. Compiled patterns are reused (bounded cache). */
export function compileRegex(pattern: string): DotNetRegex {
  const cached = CACHE.get(pattern);
  if (cached !== undefined) {
    if (cached instanceof RegexSyntaxError) throw cached;
    return cached;
  }
  let compiled: DotNetRegex | RegexSyntaxError;
  try {
    compiled = new DotNetRegex(pattern);
  } catch (e) {
    if (!(e instanceof RegexSyntaxError)) throw e;
    compiled = e;
  }
  if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value as string);
  CACHE.set(pattern, compiled);
  if (compiled instanceof RegexSyntaxError) throw compiled;
  return compiled;
}

const CACHE_SIZE = 256;
const CACHE = new Map<string, DotNetRegex | RegexSyntaxError>();

export class DotNetRegex {
  private readonly re2: RE2JS;
  private readonly groups: readonly DotNetGroup[];
  private readonly indexByNumber: ReadonlyMap<number, number>;
  private readonly indexByName: ReadonlyMap<string, number>;
  private readonly size: number;

  constructor(readonly pattern: string) {
    const translated = translateDotNetPattern(pattern);
    try {
      this.re2 = RE2JS.compile(translated.source);
    } catch (e) {
      // What the translation let through but RE2 refuses (e.g. a reversed range [z-a]).
      throw new RegexSyntaxError(pattern, (e as Error).message.replace(/^error parsing regexp: /, ""));
    }
    this.groups = translated.groups;
    this.indexByNumber = new Map([[0, 0], ...this.groups.map((g): [number, number] => [g.number, g.re2Index])]);
    this.indexByName = new Map(this.groups.flatMap((g): [string, number][] => (g.name === null ? [] : [[g.name, g.re2Index]])));
    this.size = this.re2.programSize();
  }

  /** Regex.IsMatch: a match anywhere in the text. */
  isMatch(text: string): boolean {
    new Budget(this, text).spend(0);
    return this.re2.test(text);
  }

  /** The text the first match gave the group (a name, or a .NET group number), else null. */
  groupValue(text: string, group: string): string | null {
    const index = this.re2Index(group);
    if (index === undefined) return null;
    for (const m of this.matches(text)) return m.group(index);
    return null;
  }

  /** Regex.Replace: every match replaced, with .NET substitutions ($1, ${name}, $&, ...). */
  replace(text: string, replacement: string): string {
    const parts = parseReplacement(replacement, this.groups);
    let out = "";
    let copied = 0;
    for (const m of this.matches(text)) {
      const view = { input: text, start: m.start(), end: m.end(), group: (n: number) => m.group(this.re2IndexOfNumber(n)) ?? "" };
      out += text.slice(copied, view.start) + expandReplacement(parts, view);
      copied = view.end;
    }
    return out + text.slice(copied);
  }

  /** Each match's text for the group replaced by `replacement` (taken literally), the rest kept. */
  replaceGroup(text: string, group: string, replacement: string): string {
    const index = this.re2Index(group);
    if (index === undefined) return text;
    let out = "";
    let copied = 0;
    for (const m of this.matches(text)) {
      const start = m.start(index);
      if (start < 0) continue;
      out += text.slice(copied, start) + replacement;
      copied = m.end(index);
    }
    return out + text.slice(copied);
  }

  /** Successive matches as .NET finds them: after an empty match, the next starts one character on. */
  private *matches(text: string): Generator<Matcher> {
    const budget = new Budget(this, text);
    const matcher = this.re2.matcher(text);
    let from = 0;
    while (from <= text.length) {
      budget.spend(from);
      if (!matcher.find(from)) return;
      yield matcher;
      const end = matcher.end();
      from = end > matcher.start() ? end : end + ((text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1);
    }
  }

  /** A group named in an expression: its name, or its .NET number ("0" is the whole match). */
  private re2Index(group: string): number | undefined {
    return this.indexByName.get(group) ?? (/^\d+$/.test(group) ? this.indexByNumber.get(Number(group)) : undefined);
  }

  /** The RE2 index of a group number parseReplacement found in the pattern. */
  private re2IndexOfNumber(number: number): number {
    return this.indexByNumber.get(number)!;
  }

  /** RE2's program size: the instructions a search may step through for each character. */
  get programSize(): number {
    return this.size;
  }
}

class Budget {
  private spent = 0;

  constructor(
    private readonly regex: DotNetRegex,
    private readonly text: string,
  ) {}

  /** Account for a search from `from` to the end of the text; throws past MAX_REGEX_WORK. */
  spend(from: number): void {
    this.spent += this.regex.programSize * (this.text.length - from + 1);
    if (this.spent > MAX_REGEX_WORK) throw new RegexWorkLimitError(this.regex.pattern, this.text.length);
  }
}
