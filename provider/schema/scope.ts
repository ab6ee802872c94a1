/**
 * Whether a source object is in scope of an object mapping's scoping filter ("Scoping users or
 * groups to be provisioned with scoping filters", learn.microsoft.com
 * .../app-provisioning/define-conditional-rules-for-provisioning-user-accounts):
 * - clauses of one filter group are ANDed, the groups are ORed; no filter means in scope;
 * - comparisons are case-sensitive (EQUALS "matches the input string value exactly (case
 *   sensitive)", and so NOT EQUALS, Includes, REGEX MATCH);
 * - "Scoping filters will return "false" if the value is null / empty", except IS NULL, whose
 *   whole point is an empty value (and IS NOT NULL, false for it);
 * - a clause with several values holds when any value matches (its negated operators: none does);
 * - a multi-valued attribute follows the operator's multivaluedComparisonType (All: every value).
 */
import type { Filter, FilterClause } from "../graph/types";
import { findFilterOperator } from "./filter-operators";
import { compileRegex } from "./expression/regex";
import { asBoolean, fromSourceValue, isMultiValued, parseInteger, toText, type SourceObject } from "./expression/values";

export function isInScope(filter: Filter | null | undefined, source: SourceObject): boolean {
  const groups = filter?.groups ?? [];
  if (groups.length === 0) return true;
  return groups.some((group) => (group.clauses ?? []).every((clause) => clauseHolds(clause, source)));
}

/** Operators whose clause holds when the positive test fails for every value. */
const NEGATED: Readonly<Record<string, string>> = {
  "!&": "&",
  "NOT EQUALS": "EQUALS",
  "NOT REGEX MATCH": "REGEX MATCH",
};

/** The positive tests of binary operators: attribute value against one clause value. */
const BINARY_TESTS: Readonly<Record<string, (attribute: string, value: string) => boolean>> = {
  // "Clause returns "true" if the evaluated attribute exists in the input string value."
  "&": (attribute, value) => value.includes(attribute),
  ENDS_WITH: (attribute, value) => attribute.endsWith(value),
  EQUALS: (attribute, value) => attribute === value,
  Greater_Than: (attribute, value) => compareIntegers(attribute, value, (a, b) => a > b),
  Greater_Than_OR_EQUALS: (attribute, value) => compareIntegers(attribute, value, (a, b) => a >= b),
  Includes: (attribute, value) => attribute.includes(value),
  // .NET's Regex.IsMatch: a match anywhere in the value (linear time; see expression/regex.ts).
  "REGEX MATCH": (attribute, value) => compileRegex(value).isMatch(attribute),
};

const UNARY_TESTS: Readonly<Record<string, (attribute: string) => boolean>> = {
  "IS TRUE": (attribute) => asBoolean(attribute) === true,
  "IS FALSE": (attribute) => asBoolean(attribute) === false,
  "IS NOT NULL": () => true,
};

function compareIntegers(attribute: string, value: string, test: (a: bigint, b: bigint) => boolean): boolean {
  const a = parseInteger(attribute);
  const b = parseInteger(value);
  return a !== undefined && b !== undefined && test(a, b);
}

/** Throws for an operator Graph would have rejected (checkFilterClause reports it first). */
function clauseHolds(clause: FilterClause, source: SourceObject): boolean {
  const operator = findFilterOperator(clause.operatorName);
  if (!operator) throw new Error(`Unknown scoping filter operator '${clause.operatorName}'`);
  const value = fromSourceValue(source[clause.sourceOperandName] ?? lookUpIgnoringCase(source, clause.sourceOperandName));
  const attributeValues = value === null ? [] : isMultiValued(value) ? value : [toText(value, clause.sourceOperandName) as string];
  const present = attributeValues.filter((v) => v !== "");
  if (operator.name === "IS NULL") return present.length === 0;
  if (present.length === 0) return false;
  const holdsFor = (attribute: string): boolean => singleValueHolds(operator.name, attribute, clause.targetOperand?.values ?? []);
  return operator.multivaluedComparisonType === "All" ? present.every(holdsFor) : present.some(holdsFor);
}

function singleValueHolds(operatorName: string, attribute: string, values: readonly string[]): boolean {
  const unary = UNARY_TESTS[operatorName];
  if (unary) return unary(attribute);
  const positive = NEGATED[operatorName] ?? operatorName;
  const anyMatches = values.some((v) => BINARY_TESTS[positive](attribute, v));
  return positive === operatorName ? anyMatches : !anyMatches;
}

function lookUpIgnoringCase(source: SourceObject, name: string): SourceObject[string] {
  const lower = name.toLowerCase();
  const key = Object.keys(source).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : source[key];
}
