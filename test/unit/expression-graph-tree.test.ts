import * as assert from "assert";
import type { AttributeMappingSource } from "../../provider/graph/types";
import { canonicalExpression, evaluateExpression, InvalidExpressionError, mappingSourceToExpression, toMappingSource } from "../../provider/schema/expression";
import { scimTemplateSchema } from "../../emulator/seed/scim-template";
import { REFERENCE_EXPRESSIONS, REFERENCE_SOURCE } from "./expression-examples";

const attribute = (name: string): AttributeMappingSource => ({ expression: `[${name}]`, name, parameters: [], type: "Attribute" });
const constant = (name: string): AttributeMappingSource => ({ expression: JSON.stringify(name), name, parameters: [], type: "Constant" });

/** A tree with every `expression` removed, as a client might build one by hand. */
function withoutExpressions(source: AttributeMappingSource): AttributeMappingSource {
  return { ...source, expression: null, parameters: source.parameters.map((p) => ({ key: p.key, value: withoutExpressions(p.value) })) };
}

describe("expressions as Graph attributeMappingSource trees", () => {
  it("matches the parseExpression example's parsedExpression exactly", () => {
    // v1.0 synchronization-synchronizationschema-parseexpression.md, request and response.
    const tree = toMappingSource('Replace([preferredLanguage], "-", , , "_", ,  )');
    assert.deepStrictEqual(tree, {
      expression: 'Replace([preferredLanguage], "-", , , "_", , )',
      name: "Replace",
      parameters: [
        { key: "source", value: { expression: "[preferredLanguage]", name: "preferredLanguage", parameters: [], type: "Attribute" } },
        { key: "Find", value: { expression: '"-"', name: "-", parameters: [], type: "Constant" } },
        { key: "Replacement", value: { expression: '"_"', name: "_", parameters: [], type: "Constant" } },
      ],
      type: "Function",
    });
    // ... and its evaluationResult for the example's test input object.
    assert.deepStrictEqual(evaluateExpression(tree.expression, { preferredLanguage: "EN-US", IsSoftDeleted: "false" }), {
      ok: true,
      value: "EN_US",
    });
  });

  it("matches attributeMappingSource's Mid sample: numbers are string constants", () => {
    assert.deepStrictEqual(toMappingSource("Mid([userPrincipalName], 1, 8)"), {
      expression: "Mid([userPrincipalName], 1, 8)",
      name: "Mid",
      parameters: [
        { key: "source", value: attribute("userPrincipalName") },
        { key: "start", value: { expression: '"1"', name: "1", parameters: [], type: "Constant" } },
        { key: "length", value: { expression: '"8"', name: "8", parameters: [], type: "Constant" } },
      ],
      type: "Function",
    });
    assert.deepStrictEqual(toMappingSource("[mail]"), attribute("mail"));
    assert.deepStrictEqual(toMappingSource('"Company name: \\"Contoso\\""'), {
      expression: '"Company name: \\"Contoso\\""',
      name: 'Company name: "Contoso"',
      parameters: [],
      type: "Constant",
    });
  });

  it("produces the trees the emulator's seeded SCIM template stores (Join, Not)", () => {
    const schema = scimTemplateSchema({ sourceDirectoryId: "s", targetDirectoryId: "t", ruleId: "r" });
    const mappings = schema.synchronizationRules.flatMap((r) => r.objectMappings.flatMap((om) => om.attributeMappings));
    const functions = mappings.map((m) => m.source).filter((s): s is AttributeMappingSource => s?.type === "Function");
    assert.deepStrictEqual(functions.map((s) => s.name).sort(), ["Join", "Not"]);
    for (const source of functions) assert.deepStrictEqual(toMappingSource(source.expression as string), source);
    const join = functions.find((s) => s.name === "Join") as AttributeMappingSource;
    assert.deepStrictEqual(
      join.parameters.map((p) => p.key),
      ["separator", "source", "source"],
    );
  });

  it("keys repeated and optional parameters as Graph's function schema names them", () => {
    const keys = (text: string) => toMappingSource(text).parameters.map((p) => p.key);
    assert.deepStrictEqual(keys('Switch([Active], , "1", "True", "0", "False")'), ["source", "switchValue", "switchValue", "switchValue", "switchValue"]);
    assert.deepStrictEqual(keys('Switch([state], "Sydney", "QLD", "Brisbane")'), ["source", "defaultValue", "switchValue", "switchValue"]);
    assert.deepStrictEqual(keys('FormatDateTime([d], , "yyyyMMdd", "yyyy-MM-dd")'), ["source", "inputFormat", "outputFormat"]);
    assert.deepStrictEqual(keys('FormatDateTime([d], "yyyyMMdd", "yyyy-MM-dd")'), ["source", "inputFormat", "outputFormat"]);
    assert.deepStrictEqual(keys('FormatDateTime([d], "AssumeUniversal", "yyyyMMdd", "yyyy-MM-dd")'), ["source", "dateTimeStyles", "inputFormat", "outputFormat"]);
    assert.deepStrictEqual(keys('Replace([t], , "\\\\d+", "g" , , [mobile], )'), [
      "source",
      "RegularExpression",
      "RegularExpressionGroupName",
      "ReplacementPropertyName",
    ]);
    assert.deepStrictEqual(keys("Coalesce([mail], [userPrincipalName])"), ["source", "source"]);
  });

  it("represents IIF's comparisons as operator-named Function nodes (Graph documents none)", () => {
    const tree = toMappingSource('IIF([country]="USA",[country],[department])');
    assert.strictEqual(tree.expression, 'IIF([country] = "USA", [country], [department])');
    assert.deepStrictEqual(tree.parameters[0], {
      key: "condition",
      value: {
        expression: '[country] = "USA"',
        name: "=",
        parameters: [
          { key: "left", value: attribute("country") },
          { key: "right", value: constant("USA") },
        ],
        type: "Function",
      },
    });
    assert.strictEqual(mappingSourceToExpression(withoutExpressions(tree)), 'IIF([country] = "USA", [country], [department])');
  });

  it("throws InvalidExpressionError, with positions, for text it cannot convert", () => {
    assert.throws(
      () => toMappingSource('Join(" ", [a]'),
      (e: unknown) => e instanceof InvalidExpressionError && e.problems[0].position === 13 && /Missing '\)'/.test(e.message),
    );
    assert.throws(
      () => toMappingSource("Joinn([a])"),
      (e: unknown) => e instanceof InvalidExpressionError && e.problems[0].message === "Unknown function 'Joinn' at 0; did you mean 'Join'?",
    );
  });

  describe("back to text", () => {
    it("uses the tree's expression, canonically", () => {
      const tree: AttributeMappingSource = {
        expression: 'Replace([preferredLanguage], "-", , , "_", ,  )',
        name: "Replace",
        parameters: [],
        type: "Function",
      };
      assert.strictEqual(mappingSourceToExpression(tree), 'Replace([preferredLanguage], "-", , , "_")');
      assert.strictEqual(mappingSourceToExpression({ ...tree, expression: "not ( valid" }), "not ( valid");
    });

    it("rebuilds the text from parameters when there is no expression", () => {
      const cases: [string, string][] = [
        ['Replace([preferredLanguage], "-", , , "_", , )', 'Replace([preferredLanguage], "-", , , "_")'],
        ["Mid([userPrincipalName], 1, 8)", 'Mid([userPrincipalName], "1", "8")'],
        ['Switch([Active], , "1", "True", "0", "False")', 'Switch([Active], , "1", "True", "0", "False")'],
        ['FormatDateTime([d], "yyyyMMdd", "yyyy-MM-dd")', 'FormatDateTime([d], , "yyyyMMdd", "yyyy-MM-dd")'],
        ['Join(" ", [givenName], [surname])', 'Join(" ", [givenName], [surname])'],
        ['Replace([t], , "\\\\d+", "g" , , [mobile], )', 'Replace([t], , "\\\\d+", "g", , [mobile])'],
      ];
      for (const [text, expected] of cases) assert.strictEqual(mappingSourceToExpression(withoutExpressions(toMappingSource(text))), expected, text);
      assert.strictEqual(mappingSourceToExpression({ expression: null, name: "mail", parameters: [], type: "Attribute" }), "[mail]");
      assert.strictEqual(mappingSourceToExpression({ expression: null, name: 'say "hi"', parameters: [], type: "Constant" }), '"say \\"hi\\""');
    });

    it("keeps keys it does not know, in order, rather than losing them", () => {
      const tree: AttributeMappingSource = {
        expression: null,
        name: "FutureFunction",
        parameters: [
          { key: "a", value: attribute("x") },
          { key: "b", value: constant("y") },
        ],
        type: "Function",
      };
      assert.strictEqual(mappingSourceToExpression(tree), 'FutureFunction([x], "y")');
    });
  });

  it("round-trips the reference's expressions: text -> tree -> text", () => {
    const context = { now: () => new Date("2012-03-10T00:00:00Z"), random: () => 0.5 };
    for (const text of REFERENCE_EXPRESSIONS) {
      const tree = toMappingSource(text);
      assert.strictEqual(mappingSourceToExpression(tree), canonicalExpression(text), text);
      // Rebuilt from parameters alone, the text means the same thing.
      const rebuilt = mappingSourceToExpression(withoutExpressions(tree));
      const original = evaluateExpression(text, REFERENCE_SOURCE, context);
      assert.ok(original.ok, `${text}: ${JSON.stringify(original)}`);
      assert.deepStrictEqual(evaluateExpression(rebuilt, REFERENCE_SOURCE, context), original, text);
      assert.deepStrictEqual(
        toMappingSource(rebuilt).parameters.map((p) => p.key),
        tree.parameters.map((p) => p.key),
        text,
      );
    }
  });
});
