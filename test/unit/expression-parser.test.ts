import * as assert from "assert";
import { canonicalExpression, MAX_NESTING_DEPTH, parseExpression, printExpression, type Expr } from "../../provider/schema/expression";

function parsed(text: string): Expr {
  const result = parseExpression(text);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(text)} to parse, got: ${result.error.message}`);
  return result.ast;
}

function failure(text: string): { message: string; position: number; length?: number } {
  const result = parseExpression(text);
  if (result.ok) assert.fail(`expected ${JSON.stringify(text)} not to parse`);
  return result.error;
}

describe("expression parser", () => {
  it("parses a call with its positions", () => {
    assert.deepStrictEqual(parsed('Join(" ", [givenName], [surname])'), {
      kind: "call",
      name: "Join",
      position: 0,
      end: 33,
      args: [
        { kind: "string", value: " ", position: 5, end: 8 },
        { kind: "attribute", name: "givenName", position: 10, end: 21 },
        { kind: "attribute", name: "surname", position: 23, end: 32 },
      ],
    });
  });

  it("keeps omitted argument slots, as in the parseExpression example", () => {
    const ast = parsed('Replace([preferredLanguage], "-", , , "_", ,  )');
    assert.ok(ast.kind === "call");
    assert.deepStrictEqual(
      ast.args.map((a) => a.kind),
      ["attribute", "string", "omitted", "omitted", "string", "omitted", "omitted"],
    );
    assert.deepStrictEqual(ast.args[2], { kind: "omitted", position: 34, end: 34 });
    assert.deepStrictEqual(ast.args[6], { kind: "omitted", position: 46, end: 46 });
  });

  it("reads numbers, VBA hex numbers, bare names and IIF's comparisons", () => {
    const ast = parsed('IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, BitAnd(&hF, -10), InStr("a", "b", 3, vbBinaryCompare))');
    assert.strictEqual(printExpression(ast), 'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, BitAnd(&HF, -10), InStr("a", "b", 3, vbBinaryCompare))');
    const comparison = parsed('[country]="USA"');
    assert.deepStrictEqual(comparison, {
      kind: "comparison",
      operator: "=",
      left: { kind: "attribute", name: "country", position: 0, end: 9 },
      right: { kind: "string", value: "USA", position: 10, end: 15 },
      position: 0,
      end: 15,
    });
    for (const op of ["<>", ">=", "<=", "<", ">"]) {
      const ast2 = parsed(`[a] ${op} 1`);
      assert.ok(ast2.kind === "comparison" && ast2.operator === op, op);
    }
  });

  it('resolves \\" and \\\\ in string constants and keeps other backslashes', () => {
    assert.deepStrictEqual(parsed('"Company name: \\"Contoso\\""'), {
      kind: "string",
      value: 'Company name: "Contoso"',
      position: 0,
      end: 27,
    });
    assert.strictEqual((parsed('"a\\\\b"') as { value: string }).value, "a\\b");
    // The reference's regex examples double their backslashes; a lone one before another character stays.
    assert.strictEqual((parsed('"\\\\+(?<isdCode>\\\\d* )"') as { value: string }).value, "\\+(?<isdCode>\\d* )");
    assert.strictEqual((parsed('"\\d"') as { value: string }).value, "\\d");
  });

  it("accepts attribute names with dots, colons and SCIM filters in brackets", () => {
    for (const name of [
      "passwordProfile.password",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
      'emails[type eq "work"].value',
      "extension_9d98ed114c4840d298fad781915f27e4_employeeType",
    ]) {
      assert.deepStrictEqual(parsed(`[${name}]`), { kind: "attribute", name, position: 0, end: name.length + 2 });
    }
  });

  it("accepts white space anywhere between tokens, including new lines", () => {
    const text = 'SelectUniqueValue( \n    Join("@", [a], "contoso.com"), \n    Join("@", Mid([a], 1, 1), "contoso.com")\n)';
    assert.strictEqual(printExpression(parsed(text)), 'SelectUniqueValue(Join("@", [a], "contoso.com"), Join("@", Mid([a], 1, 1), "contoso.com"))');
  });

  describe("errors carry the offending position", () => {
    it("unterminated string", () => {
      assert.deepStrictEqual(failure('Append([a], ".test)'), {
        message: "Unterminated string constant starting at 12",
        position: 12,
        length: 7,
      });
      // An escaped quote does not close the string.
      assert.strictEqual(failure('"abc\\"').position, 0);
    });

    it("missing closing parenthesis", () => {
      assert.deepStrictEqual(failure('Join(" ", [givenName]'), {
        message: "Missing ')' at 21 to close 'Join(' opened at 4",
        position: 21,
      });
      assert.strictEqual(failure("Not(Not([a])").position, 12);
    });

    it("a comma where the expression has ended, and junk after it", () => {
      assert.deepStrictEqual(failure("[a],"), { message: "Unexpected ',' at 3 after the end of the expression", position: 3 });
      assert.strictEqual(failure('Append([a], "b") [c]').position, 17);
      assert.strictEqual(failure('Append([a] "b")').message, `Expected ',' or ')' at 11 in the arguments of 'Append' (opened at 6), found '"b"'`);
    });

    it("a missing operand", () => {
      assert.deepStrictEqual(failure("IIF([a] = , 1, 2)"), {
        message: "Expected an attribute, a string, a number or a function call at 10, found ','",
        position: 10,
      });
      assert.deepStrictEqual(failure(""), { message: "Empty expression", position: 0, length: 0 });
      assert.strictEqual(failure("   ").message, "Empty expression");
    });

    it("brackets, quotes and characters the language does not have", () => {
      assert.deepStrictEqual(failure("Append([givenName, 1)"), {
        message: "Missing ']' to close the attribute name opened at 7",
        position: 7,
        length: 14,
      });
      assert.strictEqual(failure("[]").message, "Empty attribute name at 0");
      assert.strictEqual(failure("Append([a], 'x')").message, `Unexpected "'" at 12: string constants are enclosed in double quotes`);
      assert.strictEqual(failure("Append([a], $x)").message, "Unexpected character '$' at 12");
      assert.strictEqual(failure("BitAnd(&G, 1)").position, 7);
      assert.strictEqual(failure("[a] = [b] = [c]").message, "Unexpected '=' at 10: comparisons cannot be chained");
    });

    it("nesting beyond the limit is an error, not a stack overflow", () => {
      const deep = `${"Not(".repeat(100_000)}[a]${")".repeat(100_000)}`;
      const error = failure(deep);
      assert.match(error.message, new RegExp(`deeper than ${MAX_NESTING_DEPTH} levels`));
      assert.strictEqual(error.position, 4 * MAX_NESTING_DEPTH);
      assert.ok(parseExpression(`${"Not(".repeat(MAX_NESTING_DEPTH)}[a]${")".repeat(MAX_NESTING_DEPTH)}`).ok);
    });
  });

  describe("canonical text", () => {
    it("normalizes white space and string escapes, and drops trailing omitted arguments", () => {
      assert.strictEqual(canonicalExpression('Replace( [preferredLanguage] ,"-",,,"_",,  )'), 'Replace([preferredLanguage], "-", , , "_")');
      assert.strictEqual(canonicalExpression('Join (" ",[givenName],\n[surname])'), 'Join(" ", [givenName], [surname])');
      assert.strictEqual(canonicalExpression('IIF([country]="USA",[country],[department])'), 'IIF([country] = "USA", [country], [department])');
      assert.strictEqual(canonicalExpression('"\\d\\\\"'), '"\\\\d\\\\"');
    });

    it("is idempotent and leaves text that does not parse alone", () => {
      const texts = ['Replace([x], "-", , , "_", , )', 'Switch([Active], , "1", "True", "0", "False")', 'FormatDateTime([d], , "yyyy", "yy")'];
      for (const t of texts) assert.strictEqual(canonicalExpression(canonicalExpression(t)), canonicalExpression(t));
      assert.strictEqual(canonicalExpression('Join(" ", [a]'), 'Join(" ", [a]');
    });

    it("keeps omitted arguments that are not at the end", () => {
      assert.strictEqual(canonicalExpression('Switch([Active], , "1", "x")'), 'Switch([Active], , "1", "x")');
    });
  });
});
