/**
 * Transient failures: gateway and server errors (408, 500, 502, 503, 504) and broken connections,
 * retried with capped exponential back-off and full jitter, as the Azure SDKs and
 * terraform-provider-azuread's client do.
 *
 * Only idempotent requests are sent again after a failure that may have reached Graph. For a
 * non-idempotent one the decision is "stop, ambiguous": the caller must look before it tries again.
 * A connection that was never established is retried for every method: Graph never saw it.
 */

import { backoffDelayMs, type BackoffOptions } from "./backoff";
import { MAYBE_SENT_CODES, NOT_SENT_CODES } from "./network";
import type { Attempt, RetryDecision, RetryStrategy } from "./strategy";

const TRANSIENT = "transient";

/** 500 is included: Graph's generalException is usually transient, and retries are bounded. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 500, 502, 503, 504]);

export function transientStrategy(options: BackoffOptions): RetryStrategy {
  return {
    name: TRANSIENT,
    decide({ outcome, request, attempt }: Attempt): RetryDecision | undefined {
      let what: string;
      let maybeSent: boolean;
      if (outcome.kind === "response" && TRANSIENT_STATUSES.has(outcome.status)) {
        what = String(outcome.status);
        maybeSent = true;
      } else if (outcome.kind === "network" && (NOT_SENT_CODES.has(outcome.code) || MAYBE_SENT_CODES.has(outcome.code))) {
        what = `network ${outcome.code}`;
        maybeSent = outcome.sent;
      } else {
        return undefined;
      }
      if (maybeSent && !request.idempotent) {
        return {
          retry: false,
          delayMs: 0,
          ambiguous: true,
          reason: `${what} on a ${request.method} that may have taken effect; not sent again without checking`,
        };
      }
      return { retry: true, delayMs: backoffDelayMs(attempt, options), reason: `${what}, transient` };
    },
  };
}
