/**
 * The values an expression works with, and the conversions between them. The provisioning
 * service is .NET: booleans print as "True"/"False", dates as "M/d/yyyy h:mm:ss tt", and numbers
 * travel as strings (Graph stores the constant `8` as `"8"`), so numbers are strings here too.
 */
import type { DateTimeValue } from "./datetime";
import { EvaluationError } from "./errors";

/** A value of the source object, as callers supply it (Graph's testInputObject properties, a user, ...). */
export type SourceValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];
export type SourceObject = Readonly<Record<string, SourceValue>>;

/** A single value: text (numbers included), a boolean, or a date. */
export type ScalarValue = string | boolean | DateTimeValue;
/** What an expression node evaluates to; null means "no value" (absent attribute, no match, ...). */
export type RuntimeValue = null | ScalarValue | readonly string[];

export function isMultiValued(value: RuntimeValue): value is readonly string[] {
  return Array.isArray(value);
}

/** A source attribute's value; multi-valued ones become lists of text, empty lists no value. */
export function fromSourceValue(value: SourceValue): RuntimeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return String(value);
  const list = value.map((v) => (typeof v === "boolean" ? booleanText(v) : String(v)));
  return list.length === 0 ? null : list;
}

function booleanText(value: boolean): string {
  return value ? "True" : "False";
}

/** A single value out of what may be a list: one element is fine, more is an error. */
export function single(value: RuntimeValue, what: string): null | ScalarValue {
  if (!isMultiValued(value)) return value;
  if (value.length === 0) return null;
  if (value.length === 1) return value[0];
  throw new EvaluationError(`${what} expects a single value, got ${value.length} values`);
}

/** As text (.NET's ToString): "True"/"False", "M/d/yyyy h:mm:ss tt"; null stays null. */
export function toText(value: RuntimeValue, what: string): string | null {
  const v = single(value, what);
  if (v === null || typeof v === "string") return v;
  if (typeof v === "boolean") return booleanText(v);
  return v.toString();
}

/** Absent, or present but empty: what IsNullOrEmpty tests. */
export function isNullOrEmpty(value: RuntimeValue): boolean {
  return value === null || value === "" || (isMultiValued(value) && value.length === 0);
}

/** A boolean when the value is one ("True"/"true"/true), undefined when it is something else. */
export function asBoolean(value: RuntimeValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const lower = value.trim().toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : undefined;
}

const DECIMAL_INTEGER = /^\s*-?\d+\s*$/;
const HEX_INTEGER = /^\s*&H([0-9A-F]+)\s*$/i;
const DECIMAL_NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

/** A whole number written in decimal or as VBA hex (`&HF7`); undefined if the text is neither. */
export function parseInteger(text: string): bigint | undefined {
  if (DECIMAL_INTEGER.test(text)) return BigInt(text.trim());
  const hex = HEX_INTEGER.exec(text);
  return hex ? BigInt(`0x${hex[1]}`) : undefined;
}

/** A number for comparisons (`DateDiff(...) > 5`); undefined when the text is not numeric. */
export function parseNumber(text: string): number | undefined {
  if (DECIMAL_NUMBER.test(text)) return Number(text);
  const integer = parseInteger(text);
  return integer === undefined ? undefined : Number(integer);
}

/** A whole-number argument that must fit ordinary arithmetic (lengths, positions, counts). */
export function toInteger(value: RuntimeValue, what: string): number | null {
  const text = toText(value, what);
  if (text === null) return null;
  const n = parseInteger(text);
  if (n === undefined || n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new EvaluationError(`${what} expects a whole number, got ${JSON.stringify(text)}`);
  }
  return Number(n);
}
