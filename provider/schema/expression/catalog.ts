/**
 * The functions the expression language knows, with their parameters.
 *
 * Sources, in order of authority for each fact:
 * - Parameter *names* are the keys of `attributeMappingSource.parameters` in Graph's tree form, so
 *   where Graph publishes them they win: the full `GET .../schema/functions` response kept in an
 *   HTML comment of microsoft-graph-docs `api-reference/beta/api/synchronization-synchronizationschema-functions.md`
 *   (Append, DefaultDomain, AppRoleAssignments, FormatDateTime, IsNothing, Join, Prepend, Mid, Not,
 *   Replace, SingleAppRoleAssignment, Split, StripSpaces, Switch), confirmed by the parseExpression
 *   example (Replace's `source`, `Find`, `Replacement`) and attributeMappingSource's Mid sample
 *   (`source`, `start`, `length`).
 * - Everything else (the other functions, which parameters are optional, parameters that listing
 *   predates such as FormatDateTime's dateTimeStyles) follows the expression reference
 *   (learn.microsoft.com .../app-provisioning/functions-for-customizing-application-data),
 *   spelling each name as its "Function:" line does.
 *
 * `type` uses Graph's attributeType enum; the reference's "Expression"/"Attribute" become String
 * and "Num"/"Number" become Integer.
 */
import type { AttributeMappingFunctionSchema, AttributeMappingParameterSchema, AttributeType } from "../../graph/types";

/** Constant arguments that can be checked before anything runs. */
export type ConstantRule =
  | "regex" // a .NET regular expression
  | "dateInterval" // DateAdd/DateDiff: yyyy, m, d, ww, h, n, s
  | "compareType" // InStr: vbTextCompare or vbBinaryCompare
  | "dateTimeStyles"; // FormatDateTime: System.Globalization.DateTimeStyles names

/** InStr's compareType values (VBA's CompareMethod): binary is case-sensitive, text is not. */
export const COMPARE_TYPES: ReadonlySet<string> = new Set(["vbBinaryCompare", "vbTextCompare", "0", "1"]);

export interface ParameterSignature extends Readonly<AttributeMappingParameterSchema> {
  readonly constantRule?: ConstantRule;
}

export interface FunctionSignature {
  readonly name: string;
  readonly parameters: readonly ParameterSignature[];
  /** For a repeating parameter, how many occurrences are required at least (default 1 when required). */
  readonly minimumRepeats?: number;
  /** Switch: "Key and value parameters must always come in pairs ... an even number of parameters." */
  readonly evenArgumentCount?: boolean;
  /** SelectUniqueValue: "This function must be at the top-level and can't be nested." */
  readonly topLevelOnly?: boolean;
}

interface ParameterOptions {
  optional?: boolean;
  repeating?: boolean;
  constantRule?: ConstantRule;
}

function param(name: string, type: AttributeType, options: ParameterOptions = {}): ParameterSignature {
  return {
    allowMultipleOccurrences: options.repeating ?? false,
    name,
    required: !options.optional,
    type,
    ...(options.constantRule ? { constantRule: options.constantRule } : {}),
  };
}

const S = "String";
const I = "Integer";
const B = "Boolean";
const D = "DateTime";

const SIGNATURES: readonly FunctionSignature[] = [
  { name: "Append", parameters: [param("source", S), param("suffix", S)] },
  // The reference names the parameter "[appRoleAssignments]"; Graph keys SingleAppRoleAssignment's
  // and AppRoleAssignments' identical parameter `source`, so this one is keyed the same way.
  { name: "AppRoleAssignmentsComplex", parameters: [param("source", S)] },
  // In Graph's functions listing, not in the reference (the older form of AppRoleAssignmentsComplex).
  { name: "AppRoleAssignments", parameters: [param("source", S)] },
  { name: "BitAnd", parameters: [param("value1", I), param("value2", I)] },
  { name: "CBool", parameters: [param("Expression", S)] },
  { name: "CDate", parameters: [param("expression", S)] },
  // "Coalesce(source1, source2, ..., defaultValue)": the trailing optional defaultValue cannot be
  // told apart from one more source and acts the same (the first non-NULL value wins), so every
  // argument is a `source`, as Join's repeating sources are.
  { name: "Coalesce", parameters: [param("source", S, { repeating: true })] },
  { name: "ConvertToBase64", parameters: [param("source", S)] },
  { name: "ConvertToUTF8Hex", parameters: [param("source", S)] },
  { name: "Count", parameters: [param("attribute", S)] },
  { name: "CStr", parameters: [param("value", S)] },
  {
    name: "DateAdd",
    parameters: [param("interval", S, { constantRule: "dateInterval" }), param("value", I), param("dateTime", D)],
  },
  {
    name: "DateDiff",
    parameters: [param("interval", S, { constantRule: "dateInterval" }), param("date1", D), param("date2", D)],
  },
  { name: "DateFromNum", parameters: [param("value", I)] },
  // In Graph's functions listing, not in the reference: the tenant's default domain name.
  { name: "DefaultDomain", parameters: [] },
  // Graph's listing has FormatDateTime(source, inputFormat, outputFormat); the reference has since
  // added the optional dateTimeStyles second. Calls with three arguments still bind to the three
  // required parameters (see binding.ts), so both forms work.
  {
    name: "FormatDateTime",
    parameters: [param("source", S), param("dateTimeStyles", S, { optional: true, constantRule: "dateTimeStyles" }), param("inputFormat", S), param("outputFormat", S)],
  },
  { name: "Guid", parameters: [] },
  { name: "IgnoreFlowIfNullOrEmpty", parameters: [param("expression", S)] },
  { name: "IIF", parameters: [param("condition", B), param("valueIfTrue", S), param("valueIfFalse", S)] },
  {
    name: "InStr",
    parameters: [param("value1", S), param("value2", S), param("start", I, { optional: true }), param("compareType", S, { optional: true, constantRule: "compareType" })],
  },
  // In Graph's listing, not in the reference: true when the source has no value.
  { name: "IsNothing", parameters: [param("source", B)] },
  { name: "IsNull", parameters: [param("Expression", S)] },
  { name: "IsNullOrEmpty", parameters: [param("Expression", S)] },
  { name: "IsPresent", parameters: [param("Expression", S)] },
  { name: "IsString", parameters: [param("Expression", S)] },
  { name: "Item", parameters: [param("attribute", S), param("index", I)] },
  { name: "Join", parameters: [param("separator", S), param("source", S, { repeating: true })] },
  { name: "Left", parameters: [param("String", S), param("NumChars", I)] },
  { name: "Mid", parameters: [param("source", S), param("start", I), param("length", I)] },
  { name: "NormalizeDiacritics", parameters: [param("source", S)] },
  { name: "Not", parameters: [param("source", B)] },
  { name: "Now", parameters: [] },
  { name: "NumFromDate", parameters: [param("value", S)] },
  { name: "PCase", parameters: [param("source", S), param("wordSeparators", S, { optional: true })] },
  // In Graph's listing, not in the reference: the prefix followed by the source.
  { name: "Prepend", parameters: [param("prefix", S), param("source", S)] },
  {
    name: "RandomString",
    parameters: [
      param("Length", I),
      param("MinimumNumbers", I),
      param("MinimumSpecialCharacters", I),
      param("MinimumCapital", I),
      param("MinimumLowerCase", I),
      param("CharactersToAvoid", S, { optional: true }),
    ],
  },
  // The reference's heading says Redact() but its table requires one "attribute/value" argument and
  // every example passes one; `source` is the name Graph uses for such single inputs.
  { name: "Redact", parameters: [param("source", S)] },
  { name: "RemoveDuplicates", parameters: [param("attribute", S)] },
  // Graph's names; the reference calls them oldValue, regexPattern, regexGroupName,
  // replacementValue, replacementAttributeName and template.
  {
    name: "Replace",
    parameters: [
      param("source", S),
      param("Find", S, { optional: true }),
      param("RegularExpression", S, { optional: true, constantRule: "regex" }),
      param("RegularExpressionGroupName", S, { optional: true }),
      param("Replacement", S, { optional: true }),
      param("ReplacementPropertyName", S, { optional: true }),
      param("Template", S, { optional: true }),
    ],
  },
  {
    name: "SelectUniqueValue",
    // "Requires a minimum of two arguments ... There's no upper bound."
    parameters: [param("uniqueValueRule", S, { repeating: true })],
    minimumRepeats: 2,
    topLevelOnly: true,
  },
  { name: "SingleAppRoleAssignment", parameters: [param("source", S)] },
  // Graph's listing marks delimiter optional; the reference requires it and names no default.
  { name: "Split", parameters: [param("source", S), param("delimiter", S)] },
  { name: "StripSpaces", parameters: [param("source", S)] },
  {
    name: "Switch",
    parameters: [param("source", S), param("defaultValue", S, { optional: true }), param("switchValue", S, { optional: true, repeating: true })],
    evenArgumentCount: true,
  },
  { name: "ToLower", parameters: [param("source", S), param("culture", S, { optional: true })] },
  { name: "ToUpper", parameters: [param("source", S), param("culture", S, { optional: true })] },
  { name: "Word", parameters: [param("String", S), param("WordNumber", I), param("Delimiters", S)] },
];

const BY_NAME = new Map(SIGNATURES.map((s) => [s.name, s]));

/** Every function name, alphabetically. */
export const FUNCTION_NAMES: readonly string[] = [...BY_NAME.keys()].sort((a, b) => a.localeCompare(b, "en"));

/** The signature of a function; names are case-sensitive ("The syntax is case-sensitive"). */
export function findFunction(name: string): FunctionSignature | undefined {
  return BY_NAME.get(name);
}

/** The catalog in the shape Graph's `GET .../schema/functions` returns. */
export const MAPPING_FUNCTIONS: readonly AttributeMappingFunctionSchema[] = FUNCTION_NAMES.map((name) => {
  const signature = BY_NAME.get(name) as FunctionSignature;
  return {
    name,
    parameters: signature.parameters.map(({ allowMultipleOccurrences, name: n, required, type }) => ({
      allowMultipleOccurrences,
      name: n,
      required,
      type,
    })),
  };
});

/** Fewest and most arguments a call may have (counting omitted slots). */
export function argumentCountRange(signature: FunctionSignature): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const p of signature.parameters) {
    if (p.allowMultipleOccurrences) {
      if (p.required) min += signature.minimumRepeats ?? 1;
      max = Infinity;
    } else {
      if (p.required) min++;
      max++;
    }
  }
  return { min, max };
}
