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
  return typeof value === "string" ? `the string "${value}"` : `${typeof value} ${JSON.stringify(value)}`;
}

/** The closest candidate by edit distance (case-insensitive), if it is close enough to be a typo. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
