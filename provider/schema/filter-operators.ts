/**
 * Scoping-filter operators, in the shape of Graph's `GET .../schema/filterOperators`.
 *
 * Names are spelled exactly as "Scoping users or groups to be provisioned with scoping filters"
 * (learn.microsoft.com .../app-provisioning/define-conditional-rules-for-provisioning-user-accounts)
 * lists them: &, !&, ENDS_WITH, EQUALS, Greater_Than, Greater_Than_OR_EQUALS, Includes, IS FALSE,
 * IS NOT NULL, IS NULL, IS TRUE, NOT EQUALS, NOT REGEX MATCH, REGEX MATCH. That page names no
 * less-than or excludes operator, so there are none here.
 *
 * Graph publishes only EQUALS's schema (Binary, All, [String, Integer]). The others' arity follows
 * from whether the page's description compares against a value; their multivaluedComparisonType is
 * "All" like EQUALS's (the page says filtering on multi-valued attributes is not supported); their
 * attribute types follow the descriptions (integers for Greater_Than, booleans for IS TRUE, ...).
 */
import type { AttributeType, FilterClause, FilterOperatorSchema } from "../graph/types";
import { didYouMean } from "../validation";
import { regexProblem } from "./expression/regex";
import { parseInteger } from "./expression/values";

const ANY_TYPE: AttributeType[] = ["String", "Integer", "Reference", "Binary", "Boolean", "DateTime"];

function operator(name: string, arity: "Binary" | "Unary", supportedAttributeTypes: AttributeType[]): FilterOperatorSchema {
  return { name, arity, multivaluedComparisonType: "All", supportedAttributeTypes };
}

export const FILTER_OPERATORS: readonly FilterOperatorSchema[] = [
  operator("&", "Binary", ["String"]),
  operator("!&", "Binary", ["String"]),
  operator("ENDS_WITH", "Binary", ["String"]),
  operator("EQUALS", "Binary", ["String", "Integer"]),
  operator("Greater_Than", "Binary", ["Integer"]),
  operator("Greater_Than_OR_EQUALS", "Binary", ["Integer"]),
  operator("Includes", "Binary", ["String"]),
  operator("IS FALSE", "Unary", ["Boolean"]),
  operator("IS NOT NULL", "Unary", ANY_TYPE),
  operator("IS NULL", "Unary", ANY_TYPE),
  operator("IS TRUE", "Unary", ["Boolean"]),
  operator("NOT EQUALS", "Binary", ["String", "Integer"]),
  operator("NOT REGEX MATCH", "Binary", ["String"]),
  operator("REGEX MATCH", "Binary", ["String"]),
];

const BY_LOWER_CASE_NAME = new Map(FILTER_OPERATORS.map((o) => [o.name.toLowerCase(), o]));

/** The operator of that name, compared case-insensitively ("equals" finds EQUALS). */
export function findFilterOperator(name: string): FilterOperatorSchema | undefined {
  return BY_LOWER_CASE_NAME.get(name.trim().toLowerCase());
}

/** Operators that compare whole numbers ("The value ... must be an integer"). */
const INTEGER_OPERATORS = new Set(["Greater_Than", "Greater_Than_OR_EQUALS"]);
const REGEX_OPERATORS = new Set(["REGEX MATCH", "NOT REGEX MATCH"]);

/** Whether the operator (as FILTER_OPERATORS spells it) compares with a regular expression. */
export function isRegexOperator(name: string): boolean {
  return REGEX_OPERATORS.has(name);
}

/**
 * Problems with a clause's operator and values, each a sentence: an unknown operator (with a
 * did-you-mean), values where a unary operator takes none, no value for a binary one, values an
 * integer or regex operator cannot use. The source attribute is the caller's to check.
 */
export function checkFilterClause(clause: Pick<FilterClause, "operatorName" | "targetOperand"> & { sourceOperandName?: string }): string[] {
  const op = findFilterOperator(clause.operatorName);
  if (!op) {
    const suggestion = didYouMean(
      clause.operatorName,
      FILTER_OPERATORS.map((o) => o.name),
    );
    return [
      `Unknown scoping filter operator '${clause.operatorName}'${suggestion ? `; did you mean '${suggestion}'?` : `; use one of ${FILTER_OPERATORS.map((o) => o.name).join(", ")}`}`,
    ];
  }
  const values: readonly unknown[] = clause.targetOperand?.values ?? [];
  if (op.arity === "Unary") {
    return values.length === 0 ? [] : [`'${op.name}' takes no values, got ${values.length}`];
  }
  if (values.length === 0) return [`'${op.name}' needs a value to compare with`];
  const problems: string[] = [];
  for (const value of values) {
    if (typeof value !== "string") {
      problems.push(`'${op.name}' values must be strings, got ${JSON.stringify(value)}`);
    } else if (INTEGER_OPERATORS.has(op.name) && parseInteger(value) === undefined) {
      problems.push(`'${op.name}' compares whole numbers; ${JSON.stringify(value)} is not one`);
    } else if (REGEX_OPERATORS.has(op.name)) {
      const problem = regexProblem(value);
      if (problem) problems.push(`'${op.name}' value ${JSON.stringify(value)} is not a valid regular expression: ${problem}`);
    }
  }
  return problems;
}
