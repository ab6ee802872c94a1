import * as assert from "assert";
import { FUNCTION_NAMES, MAPPING_FUNCTIONS, findFunction } from "../../provider/schema/expression";
import { IMPLEMENTATIONS } from "../../provider/schema/expression/function-registry";

/** The "List of Functions" of the expression reference (functions-for-customizing-application-data). */
const REFERENCE_FUNCTIONS = [
  "Append",
  "AppRoleAssignmentsComplex",
  "BitAnd",
  "CBool",
  "CDate",
  "Coalesce",
  "ConvertToBase64",
  "ConvertToUTF8Hex",
  "Count",
  "CStr",
  "DateAdd",
  "DateDiff",
  "DateFromNum",
  "FormatDateTime",
  "Guid",
  "IgnoreFlowIfNullOrEmpty",
  "IIF",
  "InStr",
  "IsNull",
  "IsNullOrEmpty",
  "IsPresent",
  "IsString",
  "Item",
  "Join",
  "Left",
  "Mid",
  "NormalizeDiacritics",
  "Not",
  "Now",
  "NumFromDate",
  "PCase",
  "RandomString",
  "Redact",
  "RemoveDuplicates",
  "Replace",
  "SelectUniqueValue",
  "SingleAppRoleAssignment",
  "Split",
  "StripSpaces",
  "Switch",
  "ToLower",
  "ToUpper",
  "Word",
];

/** In Graph's full `functions` response (beta docs) but not in the reference. */
const GRAPH_LISTING_ONLY = ["AppRoleAssignments", "DefaultDomain", "IsNothing", "Prepend"];

const p = (name: string, type: string, required = true, allowMultipleOccurrences = false) => ({ allowMultipleOccurrences, name, required, type });

describe("expression function catalog", () => {
  it("has every function of the reference, plus those only Graph's listing has", () => {
    assert.deepStrictEqual([...FUNCTION_NAMES].sort(), [...REFERENCE_FUNCTIONS, ...GRAPH_LISTING_ONLY].sort());
    assert.strictEqual(REFERENCE_FUNCTIONS.length, 43);
  });

  it("has an implementation for every function, and nothing else", () => {
    assert.deepStrictEqual([...IMPLEMENTATIONS.keys()].sort(), [...FUNCTION_NAMES].sort());
  });

  it("spells parameters as Graph's functions listing does where Graph publishes them", () => {
    const graph = new Map(MAPPING_FUNCTIONS.map((f) => [f.name, f.parameters]));
    assert.deepStrictEqual(graph.get("Append"), [p("source", "String"), p("suffix", "String")]);
    assert.deepStrictEqual(graph.get("DefaultDomain"), []);
    assert.deepStrictEqual(graph.get("Join"), [p("separator", "String"), p("source", "String", true, true)]);
    assert.deepStrictEqual(graph.get("Mid"), [p("source", "String"), p("start", "Integer"), p("length", "Integer")]);
    assert.deepStrictEqual(graph.get("Not"), [p("source", "Boolean")]);
    assert.deepStrictEqual(graph.get("Replace"), [
      p("source", "String"),
      p("Find", "String", false),
      p("RegularExpression", "String", false),
      p("RegularExpressionGroupName", "String", false),
      p("Replacement", "String", false),
      p("ReplacementPropertyName", "String", false),
      p("Template", "String", false),
    ]);
    assert.deepStrictEqual(graph.get("Switch"), [p("source", "String"), p("defaultValue", "String", false), p("switchValue", "String", false, true)]);
    for (const name of ["AppRoleAssignments", "SingleAppRoleAssignment", "StripSpaces"]) assert.deepStrictEqual(graph.get(name), [p("source", "String")]);
  });

  it("follows the reference where it is newer than Graph's listing", () => {
    const graph = new Map(MAPPING_FUNCTIONS.map((f) => [f.name, f.parameters]));
    // Graph's listing: FormatDateTime(source, inputFormat, outputFormat); the reference adds dateTimeStyles.
    assert.deepStrictEqual(
      graph.get("FormatDateTime")?.map((x) => `${x.name}${x.required ? "" : "?"}`),
      ["source", "dateTimeStyles?", "inputFormat", "outputFormat"],
    );
    // Graph's listing has Split's delimiter optional; the reference requires it.
    assert.deepStrictEqual(graph.get("Split"), [p("source", "String"), p("delimiter", "String")]);
  });

  it("lists the reference's optional and repeating parameters", () => {
    const optional = MAPPING_FUNCTIONS.flatMap((f) => f.parameters.filter((x) => !x.required).map((x) => `${f.name}.${x.name}`));
    assert.deepStrictEqual(optional.sort(), [
      "FormatDateTime.dateTimeStyles",
      "InStr.compareType",
      "InStr.start",
      "PCase.wordSeparators",
      "RandomString.CharactersToAvoid",
      "Replace.Find",
      "Replace.RegularExpression",
      "Replace.RegularExpressionGroupName",
      "Replace.Replacement",
      "Replace.ReplacementPropertyName",
      "Replace.Template",
      "Switch.defaultValue",
      "Switch.switchValue",
      "ToLower.culture",
      "ToUpper.culture",
    ]);
    const repeating = MAPPING_FUNCTIONS.flatMap((f) => f.parameters.filter((x) => x.allowMultipleOccurrences).map((x) => `${f.name}.${x.name}`));
    assert.deepStrictEqual(repeating.sort(), ["Coalesce.source", "Join.source", "SelectUniqueValue.uniqueValueRule", "Switch.switchValue"]);
  });

  it("puts a repeating parameter last, where positional binding can find it", () => {
    for (const f of MAPPING_FUNCTIONS) {
      const index = f.parameters.findIndex((x) => x.allowMultipleOccurrences);
      assert.ok(index < 0 || index === f.parameters.length - 1, f.name);
    }
  });

  it("finds functions case-sensitively and exposes only Graph's fields", () => {
    assert.strictEqual(findFunction("Join")?.name, "Join");
    assert.strictEqual(findFunction("join"), undefined);
    for (const f of MAPPING_FUNCTIONS) {
      assert.deepStrictEqual(Object.keys(f), ["name", "parameters"]);
      for (const x of f.parameters) assert.deepStrictEqual(Object.keys(x).sort(), ["allowMultipleOccurrences", "name", "required", "type"]);
    }
  });
});
