/**
 * Test doubles for the retry unit tests: a clock whose sleep advances time instantly (and records
 * each wait), outcomes as the middleware would report them, and undici-shaped network errors.
 */

import type { Clock } from "../../provider/graph/retry/clock";
import type { Attempt, AttemptOutcome, HeaderLookup, RetryableRequest } from "../../provider/graph/retry/strategy";

export interface FakeClock extends Clock {
  sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

export function headers(values: Record<string, string> = {}): HeaderLookup {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

export function response(status: number, h: Record<string, string> = {}): AttemptOutcome {
  return { kind: "response", status, headers: headers(h) };
}

export function network(code: string, sent: boolean): AttemptOutcome {
  return { kind: "network", code, sent, error: new Error(code) };
}

export const GET: RetryableRequest = { method: "GET", path: "/servicePrincipals/sp/synchronization/jobs/j", idempotent: true };
export const POST_JOB: RetryableRequest = { method: "POST", path: "/servicePrincipals/sp/synchronization/jobs", idempotent: false };
export const START: RetryableRequest = { method: "POST", path: "/servicePrincipals/sp/synchronization/jobs/j/start", idempotent: true };

export function attempt(outcome: AttemptOutcome, request: RetryableRequest = GET, n = 1): Attempt {
  return { request, outcome, attempt: n, elapsedMs: 0 };
}

/** What Node's fetch throws when the connection breaks: TypeError("fetch failed") with the system error as cause. */
export function fetchFailed(code: string, message = `${code} from the socket`): TypeError {
  const cause = Object.assign(new Error(message), { code });
  return new TypeError("fetch failed", { cause });
}
