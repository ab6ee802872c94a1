/**
 * Shared pieces of `check`: failures name the property path, and nothing here calls Graph, so bad
 * input is rejected at `pulumi preview` time.
 */

export interface CheckFailure {
  property: string;
  reason: string;
}

/** The value the Pulumi engine sends for inputs not known during preview (pulumi#6310). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A required object id (service principal, user, group): a GUID. */
export function checkObjectId(property: string, value: unknown, what: string, failures: CheckFailure[]): void {
  if (isUnknown(value)) return;
  if (typeof value !== "string" || value === "") {
    failures.push({ property, reason: `${property} is required: the ${what} object id (a GUID)` });
  } else if (!GUID.test(value)) {
    failures.push({
      property,
      reason: `${property} must be the ${what} object id, a GUID like 00000000-0000-0000-0000-000000000000; got "${value}"`,
    });
  }
}

/** A required, non-empty identifier string (template id, job id): no spaces or slashes. */
export function checkIdentifier(property: string, value: unknown, what: string, failures: CheckFailure[]): void {
  if (isUnknown(value)) return;
  if (typeof value !== "string" || value.trim() === "") {
    failures.push({ property, reason: `${property} is required: the ${what} (a non-empty string)` });
  } else if (!/^[A-Za-z0-9][A-Za-z0-9._#-]*$/.test(value)) {
    failures.push({ property, reason: `${property} is not a valid ${what}: "${value}" (letters, digits, '.', '_', '-', '#' only)` });
  }
}

export function checkOptionalBoolean(property: string, value: unknown, failures: CheckFailure[]): void {
  if (value === undefined || isUnknown(value)) return;
  if (typeof value !== "boolean") {
    failures.push({ property, reason: `${property} must be a boolean (true or false), got ${describe(value)}` });
  }
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  // String() for numbers: JSON.stringify writes NaN and Infinity as "null".
  if (typeof value === "number") return `number ${String(value)}`;
  return typeof value === "string" ? `the string "${value}"` : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * A finite number within [min, max], and whole when `integer`: NaN, Infinity and 1e308 are not.
 * (Number.isInteger(1e308) is true: every double that large is whole, so a range is always needed.)
 */
export function isNumberInRange(value: unknown, min: number, max: number, options: { integer?: boolean } = {}): value is number {
  return typeof value === "number" && Number.isFinite(value) && (!options.integer || Number.isInteger(value)) && value >= min && value <= max;
}

/**
 * Suggestions stop at this many edits: a name further than that from every candidate is not a typo
 * of one. The bound is what keeps did-you-mean linear in the input's length (see editDistanceWithin).
 */
export const MAX_SUGGESTION_DISTANCE = 10;

/**
 * The closest candidate by edit distance (case-insensitive), if it is close enough to be a typo:
 * within a third of the input's length (at least 2, at most MAX_SUGGESTION_DISTANCE) edits.
 * Cost: one pass to lower-case the input, then O(candidates x MAX_SUGGESTION_DISTANCE x candidate
 * length) however long the input is: a candidate whose length differs from the input's by more
 * than the bound is skipped without comparing, and the others are compared only within the bound. (The unbounded distance
 * this replaced cost input length x candidate length per candidate: a 1 MB secret key name took
 * 15 s of `pulumi preview`.)
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(Math.max(2, Math.floor(input.length / 3)), MAX_SUGGESTION_DISTANCE);
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    // Bounded by one less than the best so far: a tie keeps the earlier candidate, as before.
    const d = editDistanceWithin(lower, c.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}

/**
 * The Levenshtein distance of a and b when it is at most `bound`, otherwise bound + 1. Only the
 * diagonal band |i - j| <= bound of the table can hold values within the bound (Ukkonen), so each
 * row costs O(bound) and the whole O(bound x min(|a|, |b|)); a length difference above the bound
 * answers at once.
 */
export function editDistanceWithin(a: string, b: string, bound: number): number {
  const over = bound + 1;
  if (bound < 0) return over;
  if (a.length < b.length) [a, b] = [b, a]; // rows run over the longer string, columns over b
  const n = b.length;
  if (a.length - n > bound) return over;
  // Cells outside the band stay `over`, so the band's edges read "too far" from beyond it.
  let prev = new Array<number>(n + 1).fill(over);
  let cur = new Array<number>(n + 1).fill(over);
  for (let j = 0; j <= Math.min(n, bound); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - bound);
    const to = Math.min(n, i + bound);
    cur[from - 1] = from === 1 && i <= bound ? i : over;
    let rowMin = cur[from - 1];
    for (let j = from; j <= to; j++) {
      const d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur[j] = d > over ? over : d;
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (to < n) cur[to + 1] = over;
    if (rowMin > bound) return over; // every path from this row on only grows
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[n], over);
}
