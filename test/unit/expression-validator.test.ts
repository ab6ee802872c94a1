import * as assert from "assert";
import { attributeReferences, parseExpression, validateExpression } from "../../provider/schema/expression";
import { REFERENCE_EXPRESSIONS } from "./expression-examples";

const messages = (text: string, knownAttributes?: readonly string[]) => validateExpression(text, knownAttributes ? { knownAttributes } : {}).errors.map((e) => e.message);

describe("expression validator", () => {
  it("accepts the reference's examples", () => {
    for (const text of REFERENCE_EXPRESSIONS) assert.deepStrictEqual(messages(text), [], text);
  });

  it("reports an unknown function with a did-you-mean suggestion", () => {
    assert.deepStrictEqual(validateExpression('Joinn(" ", [a])').errors, [{ message: "Unknown function 'Joinn' at 0; did you mean 'Join'?", position: 0, length: 5 }]);
    // "The syntax is case-sensitive."
    assert.deepStrictEqual(messages("Append([a], isnullorempty([b]))"), ["Unknown function 'isnullorempty' at 12; did you mean 'IsNullOrEmpty'?"]);
    assert.deepStrictEqual(messages("Frobnicate([a])"), ["Unknown function 'Frobnicate' at 0"]);
  });

  it("checks argument counts against the catalog", () => {
    assert.deepStrictEqual(validateExpression("Append([a])").errors, [{ message: "'Append' at 0 expects 2 arguments (source, suffix), got 1", position: 0, length: 11 }]);
    assert.deepStrictEqual(validateExpression('Not([a], "b")').errors, [{ message: "'Not' at 0 takes at most 1 argument (source), got 2", position: 9, length: 3 }]);
    assert.deepStrictEqual(messages("Now(1)"), ["'Now' at 0 takes no arguments, got 1"]);
    assert.deepStrictEqual(messages('Join(" ")'), ["'Join' at 0 expects at least 2 arguments (separator, source, ...), got 1"]);
    assert.deepStrictEqual(messages("Mid([a], 1)"), ["'Mid' at 0 expects 3 arguments (source, start, length), got 2"]);
    assert.deepStrictEqual(messages('ToLower([a], "en-US", 1)'), ["'ToLower' at 0 takes at most 2 arguments (source, [culture]), got 3"]);
    assert.deepStrictEqual(messages("SelectUniqueValue([a])"), ["'SelectUniqueValue' at 0 expects at least 2 arguments (uniqueValueRule, ...), got 1"]);
    assert.deepStrictEqual(messages('Replace([a], "-", , , "_", , , "extra")'), [
      "'Replace' at 0 takes at most 7 arguments (source, [Find], [RegularExpression], [RegularExpressionGroupName], [Replacement], [ReplacementPropertyName], [Template]), got 8",
    ]);
    // An empty slot says the full positional form is meant, so a parameter at the end is missing.
    assert.deepStrictEqual(messages('FormatDateTime([d], , "yyyyMMdd")'), [
      "'FormatDateTime' at 0 is missing outputFormat (source, [dateTimeStyles], inputFormat, outputFormat)",
    ]);
    assert.deepStrictEqual(messages('FormatDateTime([d], "yyyyMMdd", "yyyy")'), []);
    // Variadic functions take any number.
    assert.deepStrictEqual(messages(`Join(" ", ${Array.from({ length: 50 }, (_, i) => `[a${i}]`).join(", ")})`), []);
  });

  it("reports empty arguments where a value is required (a trailing comma)", () => {
    assert.deepStrictEqual(validateExpression('Join(" ", [a], )').errors, [
      {
        message: "Argument 3 of 'Join' at 0 (source) is empty; repeated arguments cannot be left out (a trailing comma?)",
        position: 15,
      },
    ]);
    assert.deepStrictEqual(messages("Append([a], )"), ["Argument 2 of 'Append' at 0 (suffix) is empty; it is required (a trailing comma?)"]);
    assert.deepStrictEqual(messages("Mid(, 1, 2)"), ["Argument 1 of 'Mid' at 0 (source) is empty; it is required"]);
    // Optional parameters may be left empty, trailing or not.
    assert.deepStrictEqual(messages('Replace([preferredLanguage], "-", , , "_", ,  )'), []);
  });

  it("knows the shape rules of Switch and SelectUniqueValue", () => {
    assert.deepStrictEqual(messages('Switch([a], "d", "k")'), ["'Switch' at 0 needs its keys and values in pairs (an even number of arguments in all), got 3"]);
    assert.deepStrictEqual(messages('Switch([a], "d", , "v")'), ["Argument 3 of 'Switch' at 0 (switchValue) is empty; repeated arguments cannot be left out"]);
    assert.deepStrictEqual(messages("ToLower(SelectUniqueValue([a], [b]))"), [
      "'SelectUniqueValue' at 8 must be the whole expression; it cannot be nested in another function",
    ]);
  });

  it("checks constant arguments that can be judged without data", () => {
    assert.deepStrictEqual(validateExpression('Mid([a], "one", 2)').errors, [
      { message: `Expected a whole number, got "one" at 9 (argument 'start' of 'Mid')`, position: 9, length: 5 },
    ]);
    assert.deepStrictEqual(messages('Replace([a], , "(unclosed", , "", , )'), [
      `Invalid regular expression "(unclosed": Invalid regular expression: /(unclosed/: Unterminated group at 15 (argument 'RegularExpression' of 'Replace')`,
    ]);
    assert.deepStrictEqual(messages('DateAdd("days", 1, Now())'), [
      `Unknown date interval "days"; use one of yyyy, m, d, ww, h, n, s at 8 (argument 'interval' of 'DateAdd')`,
    ]);
    assert.deepStrictEqual(messages('InStr("a", "b", 1, vbFuzzyCompare)'), [
      "Unknown compare type 'vbFuzzyCompare'; use vbBinaryCompare or vbTextCompare at 19 (argument 'compareType' of 'InStr')",
    ]);
    assert.deepStrictEqual(messages('FormatDateTime([d], "AssumeUniversal, RoundTripKind", "yyyy", "yy")'), [
      "Unknown DateTimeStyles value 'RoundTripKind' at 20 (argument 'dateTimeStyles' of 'FormatDateTime')",
    ]);
    assert.deepStrictEqual(messages('FormatDateTime([d], "AllowLeadingWhite, DateTimeStyles.RoundtripKind", "yyyy", "yy")'), []);
    // Attribute and function arguments are only known at run time.
    assert.deepStrictEqual(messages("Mid([a], [start], Count([b]))"), []);
  });

  it("rejects bare words except InStr's compare types", () => {
    assert.deepStrictEqual(messages('IIF([a] = "x", True, False)'), [
      `Unexpected word 'True' at 15: string constants are enclosed in double quotes ("True") and attribute names in square brackets ([True])`,
      `Unexpected word 'False' at 21: string constants are enclosed in double quotes ("False") and attribute names in square brackets ([False])`,
    ]);
    assert.deepStrictEqual(messages('Append(givenName, "x")'), [
      `Unexpected word 'givenName' at 7: string constants are enclosed in double quotes ("givenName") and attribute names in square brackets ([givenName])`,
    ]);
  });

  it("lists referenced attributes in order, once each, and checks them when asked", () => {
    const text = 'Join(" ", [givenName], Replace([surname], , "x", , "", , ), [givenName], [mobile])';
    assert.deepStrictEqual(validateExpression(text).attributes, ["givenName", "surname", "mobile"]);
    const parsed = parseExpression(text);
    assert.ok(parsed.ok);
    assert.deepStrictEqual(attributeReferences(parsed.ast), ["givenName", "surname", "mobile"]);

    assert.deepStrictEqual(validateExpression(text, { knownAttributes: new Set(["givenName", "Surname", "mobile"]) }).errors, []);
    assert.deepStrictEqual(validateExpression("Append([givnName], [zzzzzzzzzzzzzzz])", { knownAttributes: ["givenName", "surname"] }).errors, [
      { message: "Unknown attribute 'givnName' at 7; did you mean 'givenName'?", position: 7, length: 10 },
      { message: "Unknown attribute 'zzzzzzzzzzzzzzz' at 19", position: 19, length: 17 },
    ]);
  });

  it("returns the syntax error alone, and no attributes, when the text does not parse", () => {
    assert.deepStrictEqual(validateExpression('Join(" ", [a]'), {
      errors: [{ message: "Missing ')' at 13 to close 'Join(' opened at 4", position: 13 }],
      attributes: [],
    });
  });

  describe("cost stays linear in the size of the input", function () {
    // A bound, not a measurement: linear work finishes in well under a second; exponential
    // backtracking or quadratic scanning of megabyte inputs would not finish at all.
    this.timeout(20_000);

    it("validates a megabyte of realistic mapping expressions", () => {
      const samples = [
        'Join(" ", [givenName], [surname])',
        'Replace([preferredLanguage], "-", , , "_", , )',
        'IIF([country]="USA",IIF([state]="CA","True","False"),"False")',
        'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))',
        'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
        'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
        'Joinn(" ", [givenName], [surname])',
      ];
      const known = ["givenName", "surname", "preferredLanguage", "country", "state", "PreferredFirstName", "PreferredLastName", "extensionAttribute1"];
      let bytes = 0;
      let errors = 0;
      for (let i = 0; bytes < 1_000_000; i++) {
        const text = samples[i % samples.length];
        bytes += text.length;
        errors += validateExpression(text, { knownAttributes: known }).errors.length;
      }
      assert.ok(errors > 0);
    });

    it("handles pathological megabyte inputs", () => {
      const megabyte = 1_000_000;
      assert.strictEqual(validateExpression(`"${"a".repeat(megabyte)}`).errors[0].message, "Unterminated string constant starting at 0");
      assert.strictEqual(validateExpression(`[${"[".repeat(megabyte)}`).errors[0].position, 0);
      assert.strictEqual(validateExpression(`Join(" "${", [a]".repeat(megabyte / 5)})`).errors.length, 0);
      const commas = validateExpression(`Join(" "${",".repeat(megabyte)})`).errors;
      assert.strictEqual(commas.length, 101);
      assert.strictEqual(commas[100].message, "More problems from position 109 on (only the first 100 are reported)");
      assert.strictEqual(validateExpression(`${"x".repeat(megabyte)}()`).errors[0].message.startsWith("Unknown function 'xxx"), true);
      assert.match(validateExpression(`${"Not(".repeat(megabyte / 4)}`).errors[0].message, /deeper than/);
    });
  });
});
