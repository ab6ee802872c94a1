/**
 * Conditions, null tests and conversions of the expression reference.
 */
import { EvaluationError } from "./errors";
import type { FunctionImplementation } from "./function-arguments";
import { asBoolean, isMultiValued, isNullOrEmpty, parseInteger, parseNumber, single, toText, type RuntimeValue } from "./values";

const isNull = (value: RuntimeValue): boolean => value === null;

export const LOGIC_FUNCTIONS: Readonly<Record<string, FunctionImplementation>> = {
  /** Bitwise AND of two whole numbers (decimal or &H hex): `BitAnd(&HF, &HF7)` is 7. */
  BitAnd: (args) => {
    const operands = ["value1", "value2"].map((name) => {
      const text = args.text(name);
      const n = text === null ? undefined : parseInteger(text);
      if (n === undefined) throw new EvaluationError(`BitAnd's ${name} expects a whole number, got ${JSON.stringify(text)}`);
      return n;
    });
    return String(operands[0] & operands[1]);
  },

  /** "If the expression evaluates to a non-zero value, then CBool returns True, else it returns False." */
  CBool: (args) => {
    const value = single(args.value("Expression"), "CBool's Expression");
    if (value === null) return false;
    if (typeof value !== "string") return typeof value === "boolean" ? value : true;
    const asBool = asBoolean(value);
    if (asBool !== undefined) return asBool;
    const n = parseNumber(value);
    if (n === undefined) throw new EvaluationError(`CBool cannot read ${JSON.stringify(value)} as a boolean or a number`);
    return n !== 0;
  },

  /** "Returns the first source value that isn't NULL", or NULL when all are. */
  Coalesce: (args) => {
    for (const value of args.each("source")) if (value !== null) return value;
    return null;
  },

  CStr: (args) => toText(args.value("value"), "CStr's value"),

  /** Drops the attribute from the flow (no value) when the expression is NULL or empty. */
  IgnoreFlowIfNullOrEmpty: (args) => {
    const value = args.value("expression");
    return isNullOrEmpty(value) ? null : value;
  },

  /**
   * One of two values by a condition. "If the source attribute used within the IIF function is
   * empty or null, the condition check fails": a condition without a value gives no value.
   */
  IIF: (args) => {
    const condition = single(args.value("condition"), "IIF's condition");
    if (condition === null) return null;
    const decided = asBoolean(condition);
    if (decided === undefined) {
      throw new EvaluationError(`IIF's condition must be true or false, got ${JSON.stringify(toText(condition, "IIF's condition"))}`);
    }
    return decided ? args.value("valueIfTrue") : args.value("valueIfFalse");
  },

  IsNothing: (args) => isNull(args.value("source")),
  /** "For an attribute, a Null is expressed by the absence of the attribute." */
  IsNull: (args) => isNull(args.value("Expression")),
  IsNullOrEmpty: (args) => isNullOrEmpty(args.value("Expression")),
  IsPresent: (args) => !isNullOrEmpty(args.value("Expression")),
  /** True for a single value (every single value reads as a string); false for none or several. */
  IsString: (args) => {
    const value = args.value("Expression");
    return value !== null && (!isMultiValued(value) || value.length === 1);
  },

  /** "If source value is True, returns False. Otherwise, returns True." */
  Not: (args) => asBoolean(single(args.value("source"), "Not's source")) !== true,

  /** Only the provisioning logs change ("[Redact]"); the value flows unchanged. */
  Redact: (args) => args.value("source"),

  /**
   * The first generated value not yet present in the target. Uniqueness needs the target
   * directory, so the caller decides (EvaluationContext.isUniqueValue); by default every value is
   * unique and the first rule with a value wins.
   */
  SelectUniqueValue: (args, context) => {
    let candidates = 0;
    for (const value of args.each("uniqueValueRule")) {
      const text = toText(value, "SelectUniqueValue's uniqueValueRule");
      if (text === null || text === "") continue;
      candidates++;
      if (context.isUniqueValue(text)) return text;
    }
    throw new EvaluationError(`SelectUniqueValue: all ${candidates} generated values already exist in the target; the entry would be escrowed`);
  },

  /**
   * The value paired with the key equal to source (case-sensitive), else defaultValue. An absent
   * source matches the key "": the reference's own advice for empty values is
   * `Switch([statusFlag], "Default Value", "true", "1", "", "0")`.
   */
  Switch: (args) => {
    const source = toText(args.value("source"), "Switch's source") ?? "";
    let key: string | null | undefined;
    for (const value of args.each("switchValue")) {
      if (key === undefined) {
        key = toText(value, "Switch's key") ?? "";
      } else {
        if (key === source) return value;
        key = undefined;
      }
    }
    return args.has("defaultValue") ? args.value("defaultValue") : null;
  },
};
