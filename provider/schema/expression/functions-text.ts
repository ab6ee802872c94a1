/**
 * String functions of the expression reference. Behaviour in edge cases follows the reference's
 * own words where it gives them (Left, Word, Join's example); an absent source gives no value.
 */
import { normalizeDiacritics } from "./diacritics";
import { EvaluationError } from "./errors";
import { requiredInteger, requiredText, type FunctionArguments, type FunctionImplementation } from "./function-arguments";
import { replace } from "./replace";
import { isMultiValued, toText, type RuntimeValue } from "./values";

/** Applies a text transformation to the `source` argument; no value in, no value out. */
function mapSource(transform: (source: string, args: FunctionArguments) => RuntimeValue): FunctionImplementation {
  return (args) => {
    const source = args.text("source");
    return source === null ? null : transform(source, args);
  };
}

function casing(direction: "lower" | "upper"): FunctionImplementation {
  return mapSource((source, args) => {
    const culture = args.text("culture");
    // "If there's no culture info specified, then it uses Invariant culture."
    if (culture === null || culture === "") return direction === "lower" ? source.toLowerCase() : source.toUpperCase();
    let locale: string;
    try {
      [locale] = Intl.getCanonicalLocales(culture);
    } catch {
      throw new EvaluationError(`${args.functionName}'s culture ${JSON.stringify(culture)} is not a culture name like en-US`);
    }
    return direction === "lower" ? source.toLocaleLowerCase(locale) : source.toLocaleUpperCase(locale);
  });
}

/** Characters that end a word for PCase without wordSeparators: anything but letters, marks and digits. */
const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;

/**
 * "Converts the first character of each word in a string to upper case, and all other characters
 * are converted to lower case." Without wordSeparators, the separators are the Unicode categories
 * the reference lists (spaces, controls, punctuation, symbols): everything but letters and digits.
 */
function properCase(source: string, separators: string | null): string {
  const isSeparator = separators === null ? (c: string) => !WORD_CHARACTER.test(c) : (c: string) => separators.includes(c);
  let out = "";
  let atWordStart = true;
  for (const c of source.toLowerCase()) {
    out += atWordStart ? c.toUpperCase() : c;
    atWordStart = isSeparator(c);
  }
  return out;
}

export const TEXT_FUNCTIONS: Readonly<Record<string, FunctionImplementation>> = {
  Append: mapSource((source, args) => source + (args.text("suffix") ?? "")),
  Prepend: mapSource((source, args) => (args.text("prefix") ?? "") + source),

  /** "Converts a string to a Unicode base64 string": UTF-16LE bytes, as .NET's Encoding.Unicode. */
  ConvertToBase64: mapSource((source) => Buffer.from(source, "utf16le").toString("base64")),
  ConvertToUTF8Hex: mapSource((source) => Buffer.from(source, "utf8").toString("hex").toUpperCase()),

  /** 1-based position of value2 in value1 from `start`, 0 when absent; vbTextCompare ignores case. */
  InStr: (args) => {
    const haystack = args.text("value1");
    const needle = args.text("value2");
    if (haystack === null || needle === null) return null;
    const start = args.integer("start") ?? 1;
    if (start < 1) throw new EvaluationError(`InStr's start must be 1 or more, got ${start}`);
    const compareType = args.text("compareType");
    const ignoreCase = compareType === "vbTextCompare" || compareType === "1";
    const h = ignoreCase ? haystack.toLowerCase() : haystack;
    const n = ignoreCase ? needle.toLowerCase() : needle;
    return String(h.indexOf(n, start - 1) + 1);
  },

  /**
   * "Combine multiple source string values into a single string, each value separated by a
   * separator"; multi-valued sources contribute every value. Empty values are skipped: the
   * reference's `Join(", ", "", [surname], [givenName])` gives "Doe, John".
   */
  Join: (args) => {
    const separator = args.text("separator") ?? "";
    const parts: string[] = [];
    for (const value of args.each("source")) {
      const values = isMultiValued(value) ? value : [toText(value, "Join's source")];
      for (const v of values) if (v !== null && v !== "") parts.push(v);
    }
    return parts.join(separator);
  },

  /** The reference's rules: 0 -> "", negative -> the whole string, null string -> "". */
  Left: (args) => {
    const text = args.text("String");
    const count = requiredInteger(args, "NumChars");
    if (text === null) return "";
    return count < 0 ? text : text.slice(0, count);
  },

  /** 1-based start; a length past the end stops at the end. */
  Mid: mapSource((source, args) => {
    const start = requiredInteger(args, "start");
    const length = requiredInteger(args, "length");
    if (start < 1) throw new EvaluationError(`Mid's start is 1-based and must be 1 or more, got ${start}`);
    if (length < 0) throw new EvaluationError(`Mid's length cannot be negative, got ${length}`);
    return source.slice(start - 1, start - 1 + length);
  }),

  NormalizeDiacritics: mapSource((source) => normalizeDiacritics(source)),
  PCase: mapSource((source, args) => properCase(source, args.text("wordSeparators"))),
  Replace: replace,

  /**
   * "Splits a string into a multi-valued array, using the specified delimiter character." Values
   * are trimmed: the reference splits "PermissionSetOne, PermissionSetTwo" on "," into
   * ["PermissionSetOne", "PermissionSetTwo"].
   */
  Split: mapSource((source, args) => {
    const delimiter = requiredText(args, "delimiter");
    if (delimiter === "") throw new EvaluationError("Split's delimiter cannot be empty");
    return source.split(delimiter).map((part) => part.trim());
  }),

  /** "Removes all space (" ") characters from the source string." */
  StripSpaces: mapSource((source) => source.split(" ").join("")),
  ToLower: casing("lower"),
  ToUpper: casing("upper"),

  /**
   * The WordNumber-th run of characters between any of the delimiter characters; "" when the
   * number is below 1, the string is null, or there are fewer words.
   */
  Word: (args) => {
    const text = args.text("String");
    const number = requiredInteger(args, "WordNumber");
    const delimiters = args.text("Delimiters") ?? "";
    if (text === null || number < 1) return "";
    const words: string[] = [];
    let current = "";
    for (const c of text) {
      if (delimiters.includes(c)) {
        if (current !== "") words.push(current);
        current = "";
      } else {
        current += c;
      }
    }
    if (current !== "") words.push(current);
    return words[number - 1] ?? "";
  },
};
