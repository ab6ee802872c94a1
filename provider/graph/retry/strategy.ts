/**
 * The vocabulary of retrying one Graph call: what was sent, what came back, and what a strategy
 * decides about it. Strategies are small, named and separately tested (throttling.ts,
 * transient.ts, consistency.ts); compose.ts runs them in order under a deadline and a retry limit.
 */

/** Header lookup as fetch's `Headers` offers it (case-insensitive). */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface RetryableRequest {
  readonly method: string;
  /** Graph path without the query string, for logs and errors. */
  readonly path: string;
  /**
   * Safe to send twice: GET, PUT and DELETE, and POSTs whose effect does not add up (start, pause).
   * A POST that creates something (a job, an on-demand provisioning) is not: once it may have reached
   * Graph, only the caller can tell, by looking, whether it took effect.
   */
  readonly idempotent: boolean;
}

/** What one try produced. */
export type AttemptOutcome =
  | { readonly kind: "response"; readonly status: number; readonly headers: HeaderLookup }
  /**
   * No response: the connection failed. `sent` is false only when the failure happened before the
   * request could reach Graph (connection refused, name resolution retry, connect timeout).
   */
  | { readonly kind: "network"; readonly code: string; readonly sent: boolean; readonly error: unknown }
  /** Getting an access token failed (@azure/identity already retried its own transport failures). */
  | { readonly kind: "token"; readonly error: unknown }
  /** Anything else thrown while sending: a bug, never retried. */
  | { readonly kind: "other"; readonly error: unknown };

export interface Attempt {
  readonly request: RetryableRequest;
  readonly outcome: AttemptOutcome;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Time since the first try started. */
  readonly elapsedMs: number;
}

export interface RetryDecision {
  readonly retry: boolean;
  /** Wait before the next try; ignored when `retry` is false. */
  readonly delayMs: number;
  /** One line for logs and errors, e.g. "429 TooManyRequests, Retry-After 5s". */
  readonly reason: string;
  /**
   * The request may have taken effect although no success came back, and it is not safe to send
   * again blindly: the caller has to look before it tries again (see job creation).
   */
  readonly ambiguous?: boolean;
}

export interface RetryStrategy {
  readonly name: string;
  /** A decision, or undefined when the outcome is none of this strategy's business. */
  decide(attempt: Attempt): RetryDecision | undefined;
}

/** Responses below 400 are answers, not failures: no strategy is consulted. */
export function succeeded(outcome: AttemptOutcome): boolean {
  return outcome.kind === "response" && outcome.status < 400;
}

/** A wait as people read it: "20ms", "1.5s". */
export function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 100) / 10}s`;
}
