/**
 * How long the server asked us to wait. Graph sends `Retry-After` in whole seconds on 429 and
 * sometimes 503 (docs/graph-behaviour.md §1); HTTP also allows an HTTP-date there (RFC 9110 §10.2.3);
 * Azure services and the emulator add `retry-after-ms` with the exact wait, which wins when present
 * (as in @azure/core-rest-pipeline's throttling policy).
 */

import type { HeaderLookup } from "./strategy";

/** Milliseconds to wait, or undefined when no usable header is present. Never negative. */
export function retryAfterMs(headers: HeaderLookup, now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const ms = parseNumber(headers.get(name));
    if (ms !== undefined) return ms;
  }
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  const seconds = parseNumber(value);
  if (seconds !== undefined) return seconds * 1000;
  // An HTTP-date names a weekday and month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone would also take "-3".
  const date = /^[A-Za-z]{3},/.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
