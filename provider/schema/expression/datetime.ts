/**
 * Dates for the expression language: the provisioning service runs on .NET, so dates print the way
 * the reference shows them ("M/d/yyyy h:mm:ss tt", always UTC), FormatDateTime takes .NET custom
 * date and time format strings, DateAdd/DateDiff take VBA's interval letters, and
 * DateFromNum/NumFromDate use Active Directory's file-time numbers.
 */
import { EvaluationError } from "./errors";

/** A DateTime value (CDate, DateAdd, Now, ...): a UTC instant. */
export class DateTimeValue {
  constructor(readonly date: Date) {
    if (Number.isNaN(date.getTime())) throw new EvaluationError("the date is out of range");
  }

  /** "The returned string is always in UTC and follows the format M/d/yyyy h:mm:ss tt" (CDate). */
  toString(): string {
    return formatDateTime(this.date, DEFAULT_DATE_FORMAT);
  }
}

const DEFAULT_DATE_FORMAT = "M/d/yyyy h:mm:ss tt";

/** DateAdd/DateDiff's accepted intervals, as the reference lists them. */
export const DATE_INTERVALS = ["yyyy", "m", "d", "ww", "h", "n", "s"] as const;
export type DateInterval = (typeof DATE_INTERVALS)[number];

/** System.Globalization.DateTimeStyles member names (FormatDateTime's dateTimeStyles). */
export const DATE_TIME_STYLES: readonly string[] = [
  "None",
  "AllowLeadingWhite",
  "AllowTrailingWhite",
  "AllowInnerWhite",
  "AllowWhiteSpaces",
  "NoCurrentDateDefault",
  "AdjustToUniversal",
  "AssumeLocal",
  "AssumeUniversal",
  "RoundtripKind",
];

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MS_PER_DAY = 86_400_000;

// --- .NET custom format strings ------------------------------------------------------------------

type FormatToken = { kind: "field"; letter: string; count: number } | { kind: "literal"; text: string };

const FIELD_LETTERS = new Set(["y", "M", "d", "H", "h", "m", "s", "f", "F", "t", "z", "K", "g"]);

/** Standard format strings (a single letter) that have a culture-independent meaning. */
const STANDARD_FORMATS: Record<string, string> = {
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
};

function tokenizeFormat(format: string): FormatToken[] {
  if (format.length === 1) {
    const standard = STANDARD_FORMATS[format];
    if (standard) return tokenizeFormat(standard);
    if (/[A-Za-z]/.test(format)) throw new EvaluationError(`the standard date format "${format}" is not supported; use a custom format`);
  }
  const tokens: FormatToken[] = [];
  const literal = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === "literal") last.text += text;
    else tokens.push({ kind: "literal", text });
  };
  for (let i = 0; i < format.length;) {
    const c = format[i];
    if (c === "'" || c === '"') {
      const close = format.indexOf(c, i + 1);
      if (close < 0) throw new EvaluationError(`unterminated quoted text in the date format "${format}"`);
      literal(format.slice(i + 1, close));
      i = close + 1;
    } else if (c === "\\") {
      literal(format[i + 1] ?? "");
      i += 2;
    } else if (c === "%") {
      i++; // "%d": a single custom specifier that would otherwise read as a standard format
    } else if (FIELD_LETTERS.has(c)) {
      let count = 1;
      while (format[i + count] === c) count++;
      tokens.push({ kind: "field", letter: c, count });
      i += count;
    } else {
      literal(c); // ':' and '/' are the invariant culture's separators, i.e. themselves
      i++;
    }
  }
  return tokens;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Formats a UTC instant with a .NET custom (or o/s/u standard) format string. */
export function formatDateTime(date: Date, format: string): string {
  let out = "";
  for (const token of tokenizeFormat(format)) {
    if (token.kind === "literal") {
      out += token.text;
      continue;
    }
    const n = token.count;
    const hour = date.getUTCHours();
    switch (token.letter) {
      case "y": {
        const year = date.getUTCFullYear();
        out += n === 1 ? String(year % 100) : n === 2 ? pad(year % 100, 2) : pad(year, n);
        break;
      }
      case "M": {
        const month = date.getUTCMonth();
        out += n === 1 ? String(month + 1) : n === 2 ? pad(month + 1, 2) : n === 3 ? MONTHS[month].slice(0, 3) : MONTHS[month];
        break;
      }
      case "d": {
        const day = date.getUTCDate();
        const weekday = DAYS[date.getUTCDay()];
        out += n === 1 ? String(day) : n === 2 ? pad(day, 2) : n === 3 ? weekday.slice(0, 3) : weekday;
        break;
      }
      case "H":
        out += n === 1 ? String(hour) : pad(hour, 2);
        break;
      case "h":
        out += n === 1 ? String(hour % 12 || 12) : pad(hour % 12 || 12, 2);
        break;
      case "m":
        out += n === 1 ? String(date.getUTCMinutes()) : pad(date.getUTCMinutes(), 2);
        break;
      case "s":
        out += n === 1 ? String(date.getUTCSeconds()) : pad(date.getUTCSeconds(), 2);
        break;
      case "f":
      case "F": {
        const digits = pad(date.getUTCMilliseconds(), 3).padEnd(7, "0").slice(0, Math.min(n, 7));
        out += token.letter === "f" ? digits : digits.replace(/0+$/, "");
        break;
      }
      case "t":
        out += (hour < 12 ? "AM" : "PM").slice(0, n === 1 ? 1 : 2);
        break;
      case "z":
        out += n === 1 ? "+0" : n === 2 ? "+00" : "+00:00"; // always UTC
        break;
      case "K":
        out += "Z";
        break;
      case "g":
        out += "A.D.";
        break;
    }
  }
  return out;
}

interface ParsedFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  meridiem?: "AM" | "PM";
  offsetMinutes?: number;
}

/**
 * DateTime.ParseExact with the invariant culture: the text must follow the format exactly (leading
 * and trailing white space allowed, as FormatDateTime's default DateTimeStyles allow). Text with a
 * UTC offset is converted to UTC; text without one is taken as UTC.
 */
export function parseDateTimeExact(text: string, format: string): Date {
  const input = text.trim();
  const fields: ParsedFields = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let i = 0;
  const fail = (): never => {
    throw new EvaluationError(`"${text}" does not match the date format "${format}"`);
  };
  const digits = (min: number, max: number): number => {
    let j = i;
    while (j < input.length && j - i < max && input[j] >= "0" && input[j] <= "9") j++;
    if (j - i < min) fail();
    const value = Number(input.slice(i, j));
    i = j;
    return value;
  };
  const word = (choices: readonly string[]): number => {
    const rest = input.slice(i).toLowerCase();
    const index = choices.findIndex((w) => rest.startsWith(w.toLowerCase()));
    if (index < 0) fail();
    i += choices[index].length;
    return index;
  };
  const offset = (withMinutes: "required" | "optional" | "none", hourDigits: [number, number]): number => {
    const sign = input[i] === "-" ? -1 : input[i] === "+" ? 1 : fail();
    i++;
    const hours = digits(...hourDigits);
    let minutes = 0;
    if (withMinutes !== "none" && input[i] === ":") {
      i++;
      minutes = digits(2, 2);
    } else if (withMinutes === "required") {
      fail();
    }
    return sign * (hours * 60 + minutes);
  };

  for (const token of tokenizeFormat(format)) {
    if (token.kind === "literal") {
      if (!input.startsWith(token.text, i)) fail();
      i += token.text.length;
      continue;
    }
    const n = token.count;
    const width: [number, number] = n === 1 ? [1, 2] : [2, 2];
    switch (token.letter) {
      case "y":
        if (n <= 2) {
          const y = digits(n === 1 ? 1 : 2, 2);
          fields.year = y <= 49 ? 2000 + y : 1900 + y; // .NET's TwoDigitYearMax is 2049
        } else {
          fields.year = digits(n, n);
        }
        break;
      case "M":
        fields.month = n <= 2 ? digits(...width) : word(n === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS) + 1;
        break;
      case "d":
        if (n <= 2) fields.day = digits(...width);
        else word(n === 3 ? DAYS.map((d) => d.slice(0, 3)) : DAYS);
        break;
      case "H":
      case "h":
        fields.hour = digits(...width);
        break;
      case "m":
        fields.minute = digits(...width);
        break;
      case "s":
        fields.second = digits(...width);
        break;
      case "f":
      case "F": {
        const start = i;
        digits(token.letter === "f" ? n : 0, n);
        fields.millisecond = Math.round(Number(`0.${input.slice(start, i) || "0"}`) * 1000);
        break;
      }
      case "t":
        fields.meridiem = word(n === 1 ? ["A", "P"] : ["AM", "PM"]) === 0 ? "AM" : "PM";
        break;
      case "z":
        fields.offsetMinutes = offset(n >= 3 ? "required" : "none", n === 1 ? [1, 2] : [2, 2]);
        break;
      case "K":
        if (input[i] === "Z") {
          i++;
          fields.offsetMinutes = 0;
        } else if (input[i] === "+" || input[i] === "-") {
          fields.offsetMinutes = offset("required", [2, 2]);
        }
        break;
      case "g":
        word(["A.D.", "AD"]);
        break;
    }
  }
  if (i !== input.length) fail();
  return fromFields(fields, text);
}

function fromFields(f: ParsedFields, text: string): Date {
  let hour = f.hour;
  if (f.meridiem) {
    if (hour < 1 || hour > 12) throw new EvaluationError(`"${text}" has an hour outside 1-12 with AM/PM`);
    hour = (hour % 12) + (f.meridiem === "PM" ? 12 : 0);
  }
  const valid = f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= daysInMonth(f.year, f.month - 1) && hour <= 23 && f.minute <= 59 && f.second <= 59;
  if (!valid) throw new EvaluationError(`"${text}" is not a valid date`);
  const date = new Date(0);
  date.setUTCFullYear(f.year, f.month - 1, f.day);
  date.setUTCHours(hour, f.minute, f.second, f.millisecond);
  return new Date(date.getTime() - (f.offsetMinutes ?? 0) * 60_000);
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

// --- free-form date strings ------------------------------------------------------------------------

/** ISO 8601, with the HR systems' date-with-offset form the reference uses ("2020-03-16-07:00"). */
const ISO_DATE =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?:[T ](?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.(?<fraction>\d{1,7}))?)?)?\s*(?<zone>Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** The reference's own output format, so results of Now/CDate/DateAdd read back. */
const US_DATE = /^(?<month>\d{1,2})\/(?<day>\d{1,2})\/(?<year>\d{4})(?:\s+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?\s*(?<meridiem>AM|PM)?)?$/i;

/**
 * Reads a date string as CDate does for the reference's examples ("2020-03-16-07:00",
 * "2009-06-15T01:45:30-07:00", "8/25/2021 5:41:18 PM", "2021-08-24"). No offset means UTC.
 */
export function parseDateTime(text: string): Date {
  const input = text.trim();
  // Both patterns name their parts alike (year, month, day, hour, ...).
  const parts = (ISO_DATE.exec(input) ?? US_DATE.exec(input))?.groups;
  if (!parts) throw new EvaluationError(`"${text}" is not a date this implementation can read (ISO 8601 or M/d/yyyy h:mm:ss tt)`);
  const fields: ParsedFields = {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour ?? 0),
    minute: Number(parts.minute ?? 0),
    second: Number(parts.second ?? 0),
    millisecond: parts.fraction ? Math.round(Number(`0.${parts.fraction}`) * 1000) : 0,
  };
  const zone = parts.zone;
  if (zone && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    fields.offsetMinutes = (zone[0] === "-" ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0"));
  }
  if (parts.meridiem) fields.meridiem = parts.meridiem.toUpperCase() as "AM" | "PM";
  return fromFields(fields, text);
}

// --- arithmetic -------------------------------------------------------------------------------------

/** DateAdd: calendar intervals clamp the day to the target month's length, as .NET's AddMonths does. */
export function addInterval(date: Date, interval: DateInterval, amount: number): Date {
  const result = new Date(date.getTime());
  switch (interval) {
    case "yyyy":
    case "m": {
      const months = interval === "yyyy" ? amount * 12 : amount;
      const total = result.getUTCFullYear() * 12 + result.getUTCMonth() + months;
      const year = Math.floor(total / 12);
      const month = total - year * 12;
      result.setUTCFullYear(year, month, Math.min(result.getUTCDate(), daysInMonth(year, month)));
      return result;
    }
    case "ww":
      return new Date(date.getTime() + amount * 7 * MS_PER_DAY);
    case "d":
      return new Date(date.getTime() + amount * MS_PER_DAY);
    case "h":
      return new Date(date.getTime() + amount * 3_600_000);
    case "n":
      return new Date(date.getTime() + amount * 60_000);
    case "s":
      return new Date(date.getTime() + amount * 1000);
  }
}

/**
 * DateDiff, as VBA counts: years and months by calendar, weeks ("ww") by the number of Sundays
 * crossed, days/hours/minutes/seconds as whole elapsed units. Checked against the reference's table
 * (8/25/2021 5:41:18 PM to 2012-03-16-07:00 is -3449 days, -493 weeks, -113 months, -9 years).
 */
export function diffInterval(interval: DateInterval, from: Date, to: Date): number {
  const elapsed = to.getTime() - from.getTime();
  switch (interval) {
    case "yyyy":
      return to.getUTCFullYear() - from.getUTCFullYear();
    case "m":
      return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
    case "ww":
      return Math.round((startOfWeek(to) - startOfWeek(from)) / (7 * MS_PER_DAY));
    case "d":
      return Math.trunc(elapsed / MS_PER_DAY);
    case "h":
      return Math.trunc(elapsed / 3_600_000);
    case "n":
      return Math.trunc(elapsed / 60_000);
    case "s":
      return Math.trunc(elapsed / 1000);
  }
}

function startOfWeek(date: Date): number {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return midnight - date.getUTCDay() * MS_PER_DAY;
}

// --- Active Directory file times ------------------------------------------------------------------

/** 100-nanosecond ticks between 1601-01-01 (file time zero) and 1970-01-01 (Unix epoch). */
const FILE_TIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** DateFromNum: an AD file time (e.g. lastLogonTimestamp) as a date. */
export function fromFileTime(ticks: bigint): Date {
  return new Date(Number((ticks - FILE_TIME_UNIX_EPOCH) / 10_000n));
}

/** NumFromDate: a date as an AD file time (e.g. for accountExpires). */
export function toFileTime(date: Date): bigint {
  return BigInt(date.getTime()) * 10_000n + FILE_TIME_UNIX_EPOCH;
}
