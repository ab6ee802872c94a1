/**
 * Eventual consistency specific to synchronization: right after a write, Graph's replicas may not
 * know about it yet. A job created a moment ago answers 404 to GET and start; a permission or an
 * owner granted a moment ago answers 403; concurrent backend updates answer 409
 * (docs/graph-behaviour.md §2; terraform-provider-azuread retries 403/409 on every sync call and polls
 * 404 after create).
 *
 * Applied only where the caller says the call is in such a window: outside one, a 404 means gone
 * and a 403 means a missing permission, and retrying them would only delay a clear error. These
 * answers are refusals, so retrying is safe for any method.
 */

import type { Attempt, RetryDecision, RetryStrategy } from "./strategy";

const CONSISTENCY = "consistency";

export interface ConsistencyWindow {
  /** What we wait for, for logs: "synchronization job X to become visible". */
  readonly description: string;
  /** The statuses that mean "not replicated yet" for this call, e.g. [404] just after create. */
  readonly statuses: readonly number[];
}

export interface ConsistencyOptions {
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Polls with a doubling interval up to `maxDelayMs`; the composer's deadline ends the wait. */
export function consistencyStrategy(window: ConsistencyWindow, options: ConsistencyOptions): RetryStrategy {
  return {
    name: CONSISTENCY,
    decide({ outcome, attempt }: Attempt): RetryDecision | undefined {
      if (outcome.kind !== "response" || !window.statuses.includes(outcome.status)) return undefined;
      const delayMs = Math.min(options.maxDelayMs, options.firstDelayMs * 2 ** Math.max(0, attempt - 1));
      return { retry: true, delayMs, reason: `${outcome.status} while waiting for ${window.description}` };
    },
  };
}
