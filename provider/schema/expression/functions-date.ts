/**
 * Date functions of the expression reference: dates in, DateTime values out (printed as
 * "M/d/yyyy h:mm:ss tt" in UTC), .NET format strings for FormatDateTime, AD file times for
 * DateFromNum/NumFromDate.
 */
import {
  addInterval,
  DATE_INTERVALS,
  DATE_TIME_STYLES,
  DateTimeValue,
  diffInterval,
  formatDateTime,
  fromFileTime,
  parseDateTime,
  parseDateTimeExact,
  toFileTime,
  type DateInterval,
} from "./datetime";
import { EvaluationError } from "./errors";
import { requiredInteger, requiredText, type FunctionArguments, type FunctionImplementation } from "./function-arguments";
import { parseInteger, single } from "./values";

/** A DateTime argument: a DateTime value, or a date string as CDate reads it. */
function dateArgument(args: FunctionArguments, parameter: string): Date | null {
  const value = single(args.value(parameter), `${args.functionName}'s ${parameter}`);
  if (value === null) return null;
  if (value instanceof DateTimeValue) return value.date;
  if (typeof value === "boolean") throw new EvaluationError(`${args.functionName}'s ${parameter} expects a date, got a boolean`);
  return parseDateTime(value);
}

function intervalArgument(args: FunctionArguments): DateInterval {
  const interval = requiredText(args, "interval");
  if (!(DATE_INTERVALS as readonly string[]).includes(interval)) {
    throw new EvaluationError(`${args.functionName}'s interval must be one of ${DATE_INTERVALS.join(", ")}; got ${JSON.stringify(interval)}`);
  }
  return interval as DateInterval;
}

export const DATE_FUNCTIONS: Readonly<Record<string, FunctionImplementation>> = {
  CDate: (args) => {
    const date = dateArgument(args, "expression");
    return date === null ? null : new DateTimeValue(date);
  },

  DateAdd: (args) => {
    const interval = intervalArgument(args);
    const amount = requiredInteger(args, "value");
    const date = dateArgument(args, "dateTime");
    return date === null ? null : new DateTimeValue(addInterval(date, interval, amount));
  },

  /** Positive when date2 is later than date1. */
  DateDiff: (args) => {
    const interval = intervalArgument(args);
    const from = dateArgument(args, "date1");
    const to = dateArgument(args, "date2");
    return from === null || to === null ? null : String(diffInterval(interval, from, to));
  },

  /** `DateFromNum(129699324000000000)` is January 1, 2012 at 11:00 PM. */
  DateFromNum: (args) => {
    const text = args.text("value");
    if (text === null) return null;
    const ticks = parseInteger(text);
    if (ticks === undefined) throw new EvaluationError(`DateFromNum expects an AD date number, got ${JSON.stringify(text)}`);
    return new DateTimeValue(fromFileTime(ticks));
  },

  /**
   * Reads source with inputFormat and writes it with outputFormat (.NET custom format strings).
   * A DateTime source (CDate, DateAdd, ...) needs no reading.
   */
  FormatDateTime: (args) => {
    const source = single(args.value("source"), "FormatDateTime's source");
    if (source === null) return null;
    const styles = args.text("dateTimeStyles");
    for (const style of styles?.split(/[,|]/) ?? []) {
      const name = style.trim().replace(/^DateTimeStyles\./, "");
      if (name !== "" && !DATE_TIME_STYLES.includes(name)) throw new EvaluationError(`FormatDateTime: unknown DateTimeStyles value '${name}'`);
    }
    const outputFormat = requiredText(args, "outputFormat");
    if (source instanceof DateTimeValue) return formatDateTime(source.date, outputFormat);
    if (typeof source === "boolean") throw new EvaluationError("FormatDateTime's source expects a date, got a boolean");
    return formatDateTime(parseDateTimeExact(source, requiredText(args, "inputFormat")), outputFormat);
  },

  Now: (_args, context) => new DateTimeValue(context.now()),

  /** An ISO 8601 date as an AD file time (100-ns ticks since 1601), e.g. for accountExpires. */
  NumFromDate: (args) => {
    const date = dateArgument(args, "value");
    return date === null ? null : String(toFileTime(date));
  },
};
