/**
 * .NET substitutions in a replacement string (Regex.Replace; "Substitutions in regular
 * expressions", learn.microsoft.com): `$number` and `${name}` (a group that exists, else the text
 * stays literal), `$$`, `$&` (the match), `` $` `` and `$'` (the text before and after it), `$+`
 * (the last group) and `$_` (the whole input). Group numbers are .NET's.
 */
import type { DotNetGroup } from "./regex-translate";

/** What a substitution can refer to: a .NET group number (0 = the match) or a part of the input. */
type ReplacementPart = { text: string } | { group: number } | { input: "before" | "after" | "all" };

/** The parts of a replacement string, resolved against the pattern's groups. */
export function parseReplacement(replacement: string, groups: readonly DotNetGroup[]): ReplacementPart[] {
  const numbers = new Set([0, ...groups.map((g) => g.number)]);
  const names = new Map(groups.filter((g) => g.name !== null).map((g) => [g.name as string, g.number]));
  const lastGroup = Math.max(...numbers);
  const parts: ReplacementPart[] = [];
  let text = "";
  const push = (part: ReplacementPart) => {
    if (text !== "") parts.push({ text });
    text = "";
    parts.push(part);
  };
  let i = 0;
  while (i < replacement.length) {
    const c = replacement[i];
    if (c !== "$") {
      text += c;
      i++;
      continue;
    }
    const next = replacement[i + 1];
    const digits = /\d+/y;
    digits.lastIndex = i + 1;
    const number = digits.exec(replacement)?.[0];
    const braced = /\{(\w+)\}/y;
    braced.lastIndex = i + 1;
    const reference = braced.exec(replacement)?.[1];
    if (number !== undefined && numbers.has(Number(number))) {
      push({ group: Number(number) });
      i += 1 + number.length;
    } else if (reference !== undefined && (names.has(reference) || (/^\d+$/.test(reference) && numbers.has(Number(reference))))) {
      push({ group: names.get(reference) ?? Number(reference) });
      i += 3 + reference.length;
    } else if (next === "$") {
      text += "$";
      i += 2;
    } else if (next === "&") {
      push({ group: 0 });
      i += 2;
    } else if (next === "+") {
      push({ group: lastGroup });
      i += 2;
    } else if (next === "`" || next === "'" || next === "_") {
      push({ input: next === "`" ? "before" : next === "'" ? "after" : "all" });
      i += 2;
    } else {
      // Not a substitution: .NET keeps the '$' (and reads what follows as text).
      text += "$";
      i++;
    }
  }
  if (text !== "") parts.push({ text });
  return parts;
}

/** One match, as a substitution sees it. */
interface MatchView {
  /** A group's text by .NET number ("" when it did not take part in the match). */
  group(number: number): string;
  input: string;
  start: number;
  end: number;
}

export function expandReplacement(parts: readonly ReplacementPart[], match: MatchView): string {
  let out = "";
  for (const part of parts) {
    if ("text" in part) out += part.text;
    else if ("group" in part) out += match.group(part.group);
    else if (part.input === "before") out += match.input.slice(0, match.start);
    else if (part.input === "after") out += match.input.slice(match.end);
    else out += match.input;
  }
  return out;
}
