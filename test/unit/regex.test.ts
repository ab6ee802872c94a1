/**
 * Regular expressions: .NET patterns translated to RE2 and run in linear time; .NET features RE2
 * lacks rejected at check time with the property path; .NET substitutions in Replace.
 */
import { strict as assert } from "node:assert";
import type { Filter } from "../../provider/graph/types";
import { evaluateExpression, quoteString, validateExpression } from "../../provider/schema/expression";
import { compileRegex, MAX_REGEX_WORK, regexProblem, RegexWorkLimitError } from "../../provider/schema/expression/regex";
import { translateDotNetPattern } from "../../provider/schema/expression/regex-translate";
import { isInScope } from "../../provider/schema/scope";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationSchema");

const SP = "2d3a3a4e-51a5-4a8e-9a2b-5d1c2d1b0c11";
const JOB = "scim.0123456789abcdef0123456789abcdef.3c1a9a5e-0d4f-4e9b-8a77-6f1c2b3d4e5f";

/** The reviewer's input: exponential for `(a+)+$` in a backtracking engine. */
const ADVERSARIAL = `${"a".repeat(50_000)}!`;

const replaceExpression = (pattern: string, replacement = "x") => `Replace([mail], , ${quoteString(pattern)}, , ${quoteString(replacement)}, , )`;

function value(expression: string, source: Record<string, string>): unknown {
  const result = evaluateExpression(expression, source);
  assert.ok(result.ok, result.ok ? "" : result.error);
  return result.value;
}

const scopeOf = (operatorName: string, pattern: string): Filter => ({
  groups: [{ name: "g", clauses: [{ sourceOperandName: "mail", operatorName, targetOperand: { values: [pattern] } }] }],
  inputFilterGroups: [],
  categoryFilterGroups: [],
});

/** One .NET feature RE2 lacks per row: a pattern using it, and how the rejection names it. */
const UNSUPPORTED: [string, string, RegExp][] = [
  ["numbered backreference", String.raw`(a)\1`, /backreference \\1 at 3 is not supported/],
  ["named backreference", String.raw`(?<x>a)\k<x>`, /backreference \\k<name> at 7 is not supported/],
  ["\\<name> backreference", String.raw`(?<x>a)\<x>`, /backreference \\<x> at 7 is not supported/],
  ["lookahead", "a(?=b)", /lookahead \(\?=\.\.\.\) at 1 is not supported/],
  ["negative lookahead", "a(?!b)", /negative lookahead \(\?!\.\.\.\) at 1 is not supported/],
  ["lookbehind", "(?<=a)b", /lookbehind \(\?<=\.\.\.\) at 0 is not supported/],
  ["negative lookbehind", "(?<!a)b", /negative lookbehind \(\?<!\.\.\.\) at 0 is not supported/],
  ["atomic group", "(?>a+)b", /atomic group \(\?>\.\.\.\) at 0 is not supported/],
  ["possessive quantifier", "a++b", /possessive quantifier '\+\+' at 1 is not supported/],
  ["conditional", "(?(a)a|b)", /conditional \(\?\(\.\.\.\)\.\.\.\) at 0 is not supported/],
  ["balancing group", "(?<open-close>a)", /balancing group \(\?<open-close>\.\.\.\) at 0 is not supported/],
  ["explicit-capture option", "(?n)(a)", /inline option n \(explicit capture\) at 0 is not supported/],
  ["ignore-whitespace option", "(?x) a b", /inline option x \(ignore pattern whitespace\) at 0 is not supported/],
  ["\\G anchor", String.raw`\Ga`, /the \\G anchor .* at 0 is not supported/],
  ["class subtraction", "[a-z-[aeiou]]", /character class subtraction .* at 4 is not supported/],
  ["Unicode block", String.raw`\p{IsGreek}`, /Unicode block \\p\{IsGreek\} at 0 is not supported/],
  ["repeat count above 1000", "a{2,1001}", /repeat count above 1000 \(\{2,1001\}\) at 1 is not supported/],
  ["numbered group name", "(?<2>a)", /numbered group \(\?<2>\.\.\.\) at 0 is not supported/],
  ["non-ASCII group name", "(?<prénom>a)", /non-ASCII group name 'prénom' at 0 is not supported/],
  ["group name used twice", "(?<x>a)|(?<x>b)", /a second group named 'x' at 8 is not supported/],
  ["negated shorthand in a negated class", String.raw`[^\W\d]`, /\\W inside a negated character class at 2 is not supported/],
  ["POSIX class", "[[:alpha:]]", /POSIX character class \[:name:\] at 1 is not supported/],
  ["pattern longer than 10,000 characters", String.raw`\w`.repeat(5001), /a pattern longer than 10,000 characters \(10002\) is not supported/],
];

describe("regular expressions (.NET patterns on RE2)", () => {
  describe("translation keeps the .NET meaning", () => {
    const matches = (pattern: string, text: string) => compileRegex(pattern).isMatch(text);

    it("reads \\w, \\d and \\s as .NET's Unicode classes, not RE2's ASCII ones", () => {
      assert.equal(compileRegex(String.raw`\w+`).replace("Jürgen Müller_1", "<$0>"), "<Jürgen> <Müller_1>");
      assert.equal(matches(String.raw`^\d+$`, "٣٤"), true); // Arabic-Indic digits are \p{Nd}
      assert.equal(matches(String.raw`^\s$`, "\u00a0"), true); // no-break space is \p{Z}
      assert.equal(matches(String.raw`^\W$`, "é"), false);
      assert.equal(matches(String.raw`^[\W_]+$`, "_-!"), true);
      assert.equal(matches(String.raw`^[\W_]+$`, "é"), false);
      assert.equal(matches(String.raw`^[^\s@]+@[^\s@]+$`, "jürgen@contoso.com"), true);
    });

    it("reads .NET's character escapes", () => {
      assert.equal(matches(String.raw`^\x41\u00e9\e\cA\0\t$`, "Aé\x1b\x01\0\t"), true);
      assert.equal(matches(String.raw`^[\b]$`, "\b"), true); // a backspace inside a class
      assert.equal(matches(String.raw`^[\101]$`, "A"), true); // octal inside a class
      assert.equal(matches(String.raw`^.*\@domain\.com$`, "a@domain.com"), true); // escaped punctuation
      assert.equal(matches(String.raw`\bcat\b`, "a cat!"), true);
      assert.equal(matches(String.raw`^\p{Lu}\p{Ll}+$`, "Émile"), true);
    });

    it("keeps literal braces and brackets literal, as .NET does", () => {
      assert.equal(matches("^a{,3}$", "a{,3}"), true);
      assert.equal(matches("^}{$", "}{"), true);
      assert.equal(matches("^[]a]+$", "]a]"), true);
      assert.equal(matches("^[[]$", "["), true);
      assert.equal(matches("^[a-]+$", "a-"), true);
    });

    it("keeps groups, options, comments, lazy quantifiers and \\Z", () => {
      assert.equal(compileRegex("(?i)ABC").isMatch("xabcx"), true);
      assert.equal(compileRegex("a(?i:b)C").isMatch("aBC"), true);
      assert.equal(compileRegex("a(?i:b)C").isMatch("aBc"), false);
      assert.equal(compileRegex("(?m)^b$").isMatch("a\nb\nc"), true);
      assert.equal(compileRegex("(?s)a.b").isMatch("a\nb"), true);
      assert.equal(compileRegex("a.b").isMatch("a\nb"), false);
      assert.equal(compileRegex(String.raw`a(?#a comment)b\Z`).isMatch("ab"), true);
      assert.equal(compileRegex("<.+?>").replace("<a><b>", "[$0]"), "[<a>][<b>]");
      assert.equal(compileRegex("(?'user'[^@]+)@").replace("jo@x", "${user}"), "jox");
    });

    it("writes named groups in RE2's syntax", () => {
      assert.equal(translateDotNetPattern(String.raw`(?<isdCode>\+\d*)`).source, String.raw`(?P<isdCode>\+\p{Nd}*)`);
    });

    it("numbers groups as .NET does: unnamed groups first, then named ones", () => {
      assert.deepEqual(translateDotNetPattern("(?<a>x)(y)(?<b>z)(w)").groups, [
        { number: 1, name: null, re2Index: 2 },
        { number: 2, name: null, re2Index: 4 },
        { number: 3, name: "a", re2Index: 1 },
        { number: 4, name: "b", re2Index: 3 },
      ]);
      assert.equal(compileRegex("(?<a>x)(y)").replace("xy", "$1$2"), "yx");
    });

    it("reports .NET syntax errors", () => {
      assert.equal(regexProblem("(a"), "Invalid regular expression: /(a/: Unterminated group");
      assert.equal(regexProblem("a)"), "Invalid regular expression: /a)/: Unmatched ')'");
      assert.equal(regexProblem("[ab"), "Invalid regular expression: /[ab/: Unterminated character class");
      assert.equal(regexProblem("ab\\"), "Invalid regular expression: /ab\\/: \\ at end of pattern");
      assert.match(regexProblem(String.raw`\q`)!, /Unrecognized escape sequence \\q/);
      assert.match(regexProblem(String.raw`\p{Greek}`)!, /Unknown property 'Greek'/);
      assert.match(regexProblem("(?P<a>x)")!, /Unrecognized grouping construct/);
      assert.match(regexProblem("[z-a]")!, /invalid character class range/);
      assert.match(regexProblem("*a")!, /missing argument to repetition operator/);
    });
  });

  describe("rejects .NET features the linear-time engine lacks, naming them", () => {
    for (const [feature, pattern, message] of UNSUPPORTED) {
      describe(feature, () => {
        it("in the regex module", () => {
          assert.match(regexProblem(pattern) ?? "accepted", message);
        });

        it("in the expression validator, naming Replace's argument", () => {
          const errors = validateExpression(replaceExpression(pattern)).errors;
          assert.equal(errors.length, 1, JSON.stringify(errors));
          assert.match(errors[0].message, message);
          assert.match(errors[0].message, /\(argument 'RegularExpression' of 'Replace'\)$/);
        });

        it("in SynchronizationSchema check, at the expression's and the scoping clause's paths", async () => {
          const result = await handler.check(
            {},
            {
              servicePrincipalId: SP,
              jobId: JOB,
              objectMappings: {
                User: {
                  attributeMappings: { displayName: { expression: replaceExpression(pattern) } },
                  scope: { byMail: [{ attribute: "mail", operator: "REGEX MATCH", values: [pattern] }] },
                },
              },
            },
          );
          const failures = result.failures ?? [];
          assert.deepEqual(
            failures.map((f) => f.property),
            ["objectMappings.User.attributeMappings.displayName.expression", "objectMappings.User.scope.byMail[0].operator"],
            JSON.stringify(failures),
          );
          for (const failure of failures) assert.match(failure.reason, message);
        });
      });
    }
  });

  describe("runs in linear time", () => {
    it("evaluates Replace with (a+)+$ on 50,000 a's and a '!' (no match: the value is kept)", () => {
      assert.equal(value(replaceExpression("(a+)+$"), { mail: ADVERSARIAL }), ADVERSARIAL);
    });

    it("evaluates Replace with (a+)+! on the same value (one match)", () => {
      assert.equal(value(replaceExpression("(a+)+!"), { mail: ADVERSARIAL }), "x");
    });

    it("evaluates REGEX MATCH and NOT REGEX MATCH (a+)+$ scoping clauses on it", () => {
      assert.equal(isInScope(scopeOf("REGEX MATCH", "(a+)+$"), { mail: ADVERSARIAL }), false);
      assert.equal(isInScope(scopeOf("NOT REGEX MATCH", "(a+)+$"), { mail: ADVERSARIAL }), true);
      assert.equal(isInScope(scopeOf("REGEX MATCH", "(a+)+$"), { mail: "aaaa" }), true);
    });

    it("stops an operation past its work budget instead of running it", () => {
      // Each match of a(?:.*b)? searches to the end of the text: quadratic over 20,000 matches.
      const result = evaluateExpression(replaceExpression("a(?:.*b)?"), { mail: "a".repeat(20_000) });
      assert.equal(result.ok, false);
      assert.match(result.ok ? "" : result.error, /too costly to apply to a text of 20000 characters/);
      // A large pattern on a long text, before any search.
      const large = compileRegex("[a-z]{1000}".repeat(3));
      assert.ok(large.programSize * 10_001 > MAX_REGEX_WORK);
      assert.throws(() => large.isMatch("a".repeat(10_000)), RegexWorkLimitError);
      assert.throws(() => isInScope(scopeOf("REGEX MATCH", "[a-z]{1000}".repeat(3)), { mail: "a".repeat(10_000) }), RegexWorkLimitError);
    });
  });

  describe("Replace's .NET substitutions", () => {
    const replaced = (pattern: string, replacement: string, text: string) => value(replaceExpression(pattern, replacement), { mail: text });

    it("substitutes numbered and named groups, the match, $$ and the text around the match", () => {
      assert.equal(replaced(String.raw`(\w+)@(?<domain>\w+)`, "${domain}/$1/$2/${1}", "jo@contoso"), "contoso/jo/contoso/jo");
      assert.equal(replaced("o", "[$&|$`|$'|$_|$$]", "jo!"), "j[o|j|!|jo!|$]!");
      assert.equal(replaced("(a)(b)?", "$+", "a"), "");
    });

    it("keeps a '$' that names no group, as .NET does", () => {
      assert.equal(replaced("(a)", "$2|${x}|$10|$", "a"), "$2|${x}|$10|$");
    });

    it("replaces empty matches between characters, as .NET does", () => {
      assert.equal(replaced("x*", "-", "abc"), "-a-b-c-");
      assert.equal(replaced("a*", "-", "baaac"), "-b--c-");
    });
  });
});
