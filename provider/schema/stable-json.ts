/**
 * Order-independent JSON: Graph may return an object's members in another order than we sent them,
 * so comparisons and digests of schema parts use sorted keys.
 */

import { createHash } from "node:crypto";

export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    // defineProperty, not assignment: a "__proto__" key (JSON.parse makes it an own property) stays data.
    if (v !== undefined) Object.defineProperty(out, key, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

/** A short digest, enough to tell two definitions apart in state without storing them. */
export function digest(value: unknown): string {
  return createHash("sha256").update(stableStringify(value)).digest("base64url").slice(0, 22);
}
