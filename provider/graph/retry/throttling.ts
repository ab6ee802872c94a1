/**
 * Throttling: Graph answers 429 (and some services 503) with Retry-After when a client sends too
 * much (docs/graph-behaviour.md §1; provisionOnDemand allows 5 requests per 10 s). The wait the server
 * asks for comes first; without one, capped exponential back-off with full jitter.
 *
 * A 429 means Graph refused the request, so it is retried whatever the method. A 503 is retried
 * here only when it carries Retry-After (a deliberate "come back later") and the request is
 * idempotent: a 503 from a gateway does not prove the backend did nothing. For a request that is
 * not idempotent, the caller gets the wait asked for (CallReport.retryAfterMs) and looks whether
 * the request took effect before it sends it again (job creation).
 */

import { backoffDelayMs, type BackoffOptions } from "./backoff";
import { retryAfterMs } from "./retry-after";
import { type Attempt, formatWait, type RetryDecision, type RetryStrategy } from "./strategy";

const THROTTLING = "throttling";

interface ThrottlingOptions extends BackoffOptions {
  /** For HTTP-date Retry-After values. */
  now: () => number;
}

export function throttlingStrategy(options: ThrottlingOptions): RetryStrategy {
  return {
    name: THROTTLING,
    decide({ outcome, request, attempt }: Attempt): RetryDecision | undefined {
      if (outcome.kind !== "response") return undefined;
      const asked = retryAfterMs(outcome.headers, options.now());
      if (outcome.status === 429) {
        return asked !== undefined
          ? { retry: true, delayMs: asked, reason: `429 throttled, Retry-After ${formatWait(asked)}` }
          : { retry: true, delayMs: backoffDelayMs(attempt, options), reason: "429 throttled, no Retry-After" };
      }
      if (outcome.status === 503 && asked !== undefined) {
        if (!request.idempotent) {
          return {
            retry: false,
            delayMs: 0,
            ambiguous: true,
            reason: `503 on a ${request.method} that may have taken effect; not sent again without checking`,
          };
        }
        return { retry: true, delayMs: asked, reason: `503 unavailable, Retry-After ${formatWait(asked)}` };
      }
      return undefined;
    },
  };
}
