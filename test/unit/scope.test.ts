import * as assert from "assert";
import type { Filter, FilterClause } from "../../provider/graph/types";
import { checkFilterClause, FILTER_OPERATORS, findFilterOperator } from "../../provider/schema/filter-operators";
import type { SourceObject } from "../../provider/schema/expression";
import { isInScope } from "../../provider/schema/scope";

const clause = (sourceOperandName: string, operatorName: string, ...values: string[]): FilterClause => ({
  sourceOperandName,
  operatorName,
  targetOperand: { values },
});

const filter = (...groups: FilterClause[][]): Filter => ({
  categoryFilterGroups: [],
  groups: groups.map((clauses, i) => ({ name: `group ${i + 1}`, clauses })),
  inputFilterGroups: [],
});

const inScope = (c: FilterClause, source: SourceObject) => isInScope(filter([c]), source);

describe("scoping-filter operators", () => {
  it("lists the operators of the scoping-filter reference, spelled as it spells them", () => {
    assert.deepStrictEqual(
      FILTER_OPERATORS.map((o) => o.name),
      [
        "&",
        "!&",
        "ENDS_WITH",
        "EQUALS",
        "Greater_Than",
        "Greater_Than_OR_EQUALS",
        "Includes",
        "IS FALSE",
        "IS NOT NULL",
        "IS NULL",
        "IS TRUE",
        "NOT EQUALS",
        "NOT REGEX MATCH",
        "REGEX MATCH",
      ],
    );
  });

  it("describes EQUALS exactly as Graph's filterOperators sample does", () => {
    assert.deepStrictEqual(findFilterOperator("EQUALS"), {
      name: "EQUALS",
      arity: "Binary",
      multivaluedComparisonType: "All",
      supportedAttributeTypes: ["String", "Integer"],
    });
  });

  it("gives the IS operators no operand and the others one", () => {
    const unary = FILTER_OPERATORS.filter((o) => o.arity === "Unary").map((o) => o.name);
    assert.deepStrictEqual(unary, ["IS FALSE", "IS NOT NULL", "IS NULL", "IS TRUE"]);
  });

  it("finds operators case-insensitively", () => {
    assert.strictEqual(findFilterOperator("equals")?.name, "EQUALS");
    assert.strictEqual(findFilterOperator("is not null")?.name, "IS NOT NULL");
    assert.strictEqual(findFilterOperator("GREATER_THAN")?.name, "Greater_Than");
    assert.strictEqual(findFilterOperator("LIKE"), undefined);
  });

  describe("checking a clause", () => {
    it("accepts well-formed clauses", () => {
      assert.deepStrictEqual(checkFilterClause(clause("department", "EQUALS", "Sales")), []);
      assert.deepStrictEqual(checkFilterClause(clause("jobTitle", "IS NOT NULL")), []);
      assert.deepStrictEqual(checkFilterClause({ operatorName: "IS TRUE", targetOperand: null }), []);
      assert.deepStrictEqual(checkFilterClause(clause("employeeId", "Greater_Than_OR_EQUALS", "1000000")), []);
      assert.deepStrictEqual(checkFilterClause(clause("userPrincipalName", "REGEX MATCH", ".*\\@domain.com")), []);
    });

    it("suggests the operator meant", () => {
      assert.deepStrictEqual(checkFilterClause(clause("department", "EQUAL", "Sales")), ["Unknown scoping filter operator 'EQUAL'; did you mean 'EQUALS'?"]);
      assert.deepStrictEqual(checkFilterClause(clause("department", "REGEX_MATCH", "x")), ["Unknown scoping filter operator 'REGEX_MATCH'; did you mean 'REGEX MATCH'?"]);
      assert.match(checkFilterClause(clause("department", "Less_Than", "5"))[0], /^Unknown scoping filter operator 'Less_Than'/);
    });

    it("checks the number of values against the arity", () => {
      assert.deepStrictEqual(checkFilterClause(clause("accountEnabled", "IS TRUE", "true")), ["'IS TRUE' takes no values, got 1"]);
      assert.deepStrictEqual(checkFilterClause(clause("department", "EQUALS")), ["'EQUALS' needs a value to compare with"]);
      assert.deepStrictEqual(checkFilterClause({ operatorName: "Includes", targetOperand: null }), ["'Includes' needs a value to compare with"]);
      assert.deepStrictEqual(checkFilterClause(clause("department", "EQUALS", "Sales", "Marketing")), []);
    });

    it("checks values integer and regex operators cannot use", () => {
      assert.deepStrictEqual(checkFilterClause(clause("employeeId", "Greater_Than", "one million")), [`'Greater_Than' compares whole numbers; "one million" is not one`]);
      assert.deepStrictEqual(checkFilterClause(clause("upn", "NOT REGEX MATCH", "([a-z]")), [
        `'NOT REGEX MATCH' value "([a-z]" is not a valid regular expression: Invalid regular expression: /([a-z]/: Unterminated group`,
      ]);
    });
  });
});

describe("isInScope", () => {
  it("puts everything in scope without a filter or groups", () => {
    assert.strictEqual(isInScope(null, {}), true);
    assert.strictEqual(isInScope(undefined, { department: "Sales" }), true);
    assert.strictEqual(isInScope(filter(), { department: "Sales" }), true);
  });

  it("ANDs the clauses of a group and ORs the groups", () => {
    // The reference's example filter: New York, Engineering, employee ID 1,000,000-2,000,000, a job title.
    const newYorkEngineers = [
      clause("state", "EQUALS", "New York"),
      clause("department", "EQUALS", "Engineering"),
      clause("employeeId", "Greater_Than_OR_EQUALS", "1000000"),
      clause("employeeId", "REGEX MATCH", "^(1[0-9]{6}|2000000)$"),
      clause("jobTitle", "IS NOT NULL"),
    ];
    const user = { state: "New York", department: "Engineering", employeeId: "1500000", jobTitle: "Engineer" };
    assert.strictEqual(isInScope(filter(newYorkEngineers), user), true);
    assert.strictEqual(isInScope(filter(newYorkEngineers), { ...user, jobTitle: "" }), false);
    assert.strictEqual(isInScope(filter(newYorkEngineers), { ...user, employeeId: "2500000" }), false);
    const sales = [clause("department", "EQUALS", "Sales")];
    assert.strictEqual(isInScope(filter(newYorkEngineers, sales), { department: "Sales" }), true);
    assert.strictEqual(isInScope(filter(newYorkEngineers, sales), { department: "Marketing" }), false);
  });

  it("compares case-sensitively, as EQUALS, NOT EQUALS, Includes and REGEX MATCH are documented", () => {
    assert.strictEqual(inScope(clause("department", "EQUALS", "sales"), { department: "sales" }), true);
    assert.strictEqual(inScope(clause("department", "EQUALS", "sales"), { department: "Sales" }), false);
    assert.strictEqual(inScope(clause("department", "NOT EQUALS", "sales"), { department: "Sales" }), true);
    assert.strictEqual(inScope(clause("department", "Includes", "ale"), { department: "Sales" }), true);
    assert.strictEqual(inScope(clause("department", "Includes", "SAL"), { department: "Sales" }), false);
    assert.strictEqual(inScope(clause("upn", "REGEX MATCH", ".*\\@domain.com"), { upn: "a@domain.com" }), true);
    assert.strictEqual(inScope(clause("upn", "REGEX MATCH", ".*\\@domain.com"), { upn: "a@DOMAIN.com" }), false);
    assert.strictEqual(inScope(clause("upn", "NOT REGEX MATCH", ".*\\@domain.com"), { upn: "a@other.com" }), true);
    assert.strictEqual(inScope(clause("upn", "ENDS_WITH", "@contoso.com"), { upn: "a@contoso.com" }), true);
    assert.strictEqual(inScope(clause("upn", "ENDS_WITH", "@contoso.com"), { upn: "a@contoso.com.evil" }), false);
  });

  it("answers false for an empty or absent value, except IS NULL", () => {
    const empties: SourceObject[] = [{}, { department: "" }, { department: null }];
    for (const source of empties) {
      assert.strictEqual(inScope(clause("department", "IS NULL"), source), true);
      assert.strictEqual(inScope(clause("department", "IS NOT NULL"), source), false);
      assert.strictEqual(inScope(clause("department", "EQUALS", "Sales"), source), false);
      assert.strictEqual(inScope(clause("department", "NOT EQUALS", "Sales"), source), false);
      // "It returns "false" if the attribute is null / empty."
      assert.strictEqual(inScope(clause("department", "NOT REGEX MATCH", "Sales"), source), false);
      assert.strictEqual(inScope(clause("department", "!&", "Sales"), source), false);
    }
    assert.strictEqual(inScope(clause("department", "IS NULL"), { department: "Sales" }), false);
  });

  it("reads booleans for IS TRUE and IS FALSE", () => {
    assert.strictEqual(inScope(clause("accountEnabled", "IS TRUE"), { accountEnabled: true }), true);
    assert.strictEqual(inScope(clause("accountEnabled", "IS TRUE"), { accountEnabled: "True" }), true);
    assert.strictEqual(inScope(clause("accountEnabled", "IS TRUE"), { accountEnabled: "false" }), false);
    assert.strictEqual(inScope(clause("accountEnabled", "IS FALSE"), { accountEnabled: false }), true);
    assert.strictEqual(inScope(clause("accountEnabled", "IS FALSE"), { accountEnabled: "yes" }), false);
    // A boolean reads as .NET prints it.
    assert.strictEqual(inScope(clause("accountEnabled", "EQUALS", "True"), { accountEnabled: true }), true);
  });

  it("compares whole numbers for Greater_Than, and fails for anything else", () => {
    assert.strictEqual(inScope(clause("employeeId", "Greater_Than", "1000000"), { employeeId: 1000001 }), true);
    assert.strictEqual(inScope(clause("employeeId", "Greater_Than", "1000000"), { employeeId: "1000000" }), false);
    assert.strictEqual(inScope(clause("employeeId", "Greater_Than_OR_EQUALS", "1000000"), { employeeId: "1000000" }), true);
    assert.strictEqual(inScope(clause("employeeId", "Greater_Than", "9"), { employeeId: "10" }), true); // not "10" < "9" as text
    assert.strictEqual(inScope(clause("employeeId", "Greater_Than", "9"), { employeeId: "ten" }), false);
  });

  it("uses & and !& as 'the attribute is (not) in the value'", () => {
    assert.strictEqual(inScope(clause("country", "&", "US,CA,MX"), { country: "CA" }), true);
    assert.strictEqual(inScope(clause("country", "&", "US,CA,MX"), { country: "FR" }), false);
    assert.strictEqual(inScope(clause("country", "!&", "US,CA,MX"), { country: "FR" }), true);
  });

  it("matches any of several values, and negated operators none of them", () => {
    const either = clause("department", "EQUALS", "Sales", "Marketing");
    assert.strictEqual(inScope(either, { department: "Marketing" }), true);
    assert.strictEqual(inScope(either, { department: "Legal" }), false);
    const neither = clause("department", "NOT EQUALS", "Sales", "Marketing");
    assert.strictEqual(inScope(neither, { department: "Marketing" }), false);
    assert.strictEqual(inScope(neither, { department: "Legal" }), true);
  });

  it("requires every value of a multi-valued attribute to match (multivaluedComparisonType All)", () => {
    const c = clause("proxyAddresses", "ENDS_WITH", "@contoso.com");
    assert.strictEqual(inScope(c, { proxyAddresses: ["a@contoso.com", "b@contoso.com"] }), true);
    assert.strictEqual(inScope(c, { proxyAddresses: ["a@contoso.com", "b@fabrikam.com"] }), false);
    assert.strictEqual(inScope(clause("proxyAddresses", "IS NULL"), { proxyAddresses: [] }), true);
  });

  it("finds the attribute ignoring case, like Entra's attribute names", () => {
    assert.strictEqual(inScope(clause("Department", "EQUALS", "Sales"), { department: "Sales" }), true);
  });

  it("throws for an operator that checkFilterClause would have rejected", () => {
    assert.throws(() => inScope(clause("department", "LIKE", "S%"), { department: "Sales" }), /Unknown scoping filter operator 'LIKE'/);
  });
});
