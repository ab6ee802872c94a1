/**
 * The retry policy of the provider: which strategies run, in which order, within which bounds.
 *
 * Two layers, because they answer different questions under different bounds:
 *   1. transport: throttling, then transient failures. Bounded per call by
 *      `entra-sync:retryDeadlineSeconds` (over all rounds of the consistency layer) and
 *      `entra-sync:maxRetries` (per round).
 *   2. consistency, only for calls the caller marks as being in a consistency window: while the
 *      whole call (with its own transport retries) answers "not replicated yet", run it again until
 *      `entra-sync:consistencyTimeoutSeconds`.
 */

import type { BackoffOptions } from "./backoff";
import { type Clock, providerClock } from "./clock";
import { type RetryEvent, type RetryLimits, type RetryRun, type RetryStop, runWithRetries } from "./compose";
import { consistencyStrategy, type ConsistencyOptions, type ConsistencyWindow } from "./consistency";
import { retryAfterMs } from "./retry-after";
import type { AttemptOutcome, RetryableRequest, RetryStrategy } from "./strategy";
import { throttlingStrategy } from "./throttling";
import { transientStrategy } from "./transient";

interface RetryBounds {
  retryDeadlineMs: number;
  maxRetries: number;
  consistencyTimeoutMs: number;
}

export interface RetryLayer {
  strategies: readonly RetryStrategy[];
  limits: RetryLimits;
}

export interface RetryPolicy {
  readonly clock: Clock;
  readonly transport: RetryLayer;
  consistency(window: ConsistencyWindow): RetryLayer;
}

/** First retry within a second, never more than 30 s apart (Graph's SDK caps at 180 s; we fail sooner). */
const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 1000, maxDelayMs: 30_000 };
/** Replication usually catches up within seconds (docs/graph-behaviour.md §2): poll fast, then every 5 s. */
const DEFAULT_CONSISTENCY_POLL: ConsistencyOptions = { firstDelayMs: 250, maxDelayMs: 5000 };

interface PolicyOverrides {
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffOptions;
  consistencyPoll?: ConsistencyOptions;
}

export function retryPolicy(bounds: RetryBounds, overrides: PolicyOverrides = {}): RetryPolicy {
  const clock = overrides.clock ?? providerClock;
  const backoff = { ...(overrides.backoff ?? DEFAULT_BACKOFF), random: overrides.random };
  return {
    clock,
    transport: {
      strategies: [throttlingStrategy({ ...backoff, now: () => clock.now() }), transientStrategy(backoff)],
      limits: { deadlineMs: bounds.retryDeadlineMs, maxRetries: bounds.maxRetries },
    },
    consistency: (window) => ({
      strategies: [consistencyStrategy(window, overrides.consistencyPoll ?? DEFAULT_CONSISTENCY_POLL)],
      limits: { deadlineMs: bounds.consistencyTimeoutMs, maxRetries: Infinity },
    }),
  };
}

/** How a call ended, over both layers. */
export interface CallReport extends RetryRun {
  /** The bounds that ended the run: the transport layer's, or the consistency window's. */
  layer: "transport" | "consistency";
  /**
   * How long the last response asked to wait before sending again, if it did: for callers that
   * send a non-idempotent request again themselves, after looking (job creation).
   */
  retryAfterMs?: number;
}

interface CallHooks {
  signal?: AbortSignal;
  /** No transport retry wait ends after this time (see GraphCallOptions.retryUntil). */
  retryUntil?: number;
  onRetry?: (event: RetryEvent, layer: "transport" | "consistency") => void;
}

/** Send a request under the policy: transport retries, wrapped in consistency retries if a window is given. */
export async function runWithPolicy(
  tryOnce: () => Promise<AttemptOutcome>,
  request: RetryableRequest,
  policy: RetryPolicy,
  window: ConsistencyWindow | undefined,
  hooks: CallHooks = {},
): Promise<CallReport> {
  const { clock } = policy;
  const { strategies, limits } = policy.transport;
  // A consistency window runs the transport layer once per round. The time spent waiting to retry
  // is counted over the whole call, or every 404 round would hand throttling a fresh
  // retryDeadlineSeconds. maxRetries counts per round: each round is a deliberate new send after
  // a consistency wait, and a window polls for minutes, so a call-wide count would make a call
  // under a steady rate of transient failures fail only because Graph was slow to replicate.
  let waitedMs = 0;
  const transport = () =>
    runWithRetries(tryOnce, {
      request,
      strategies,
      limits: {
        deadlineMs: Math.min(limits.deadlineMs - waitedMs, (hooks.retryUntil ?? Infinity) - clock.now()),
        maxRetries: limits.maxRetries,
      },
      clock,
      signal: hooks.signal,
      onRetry: (e) => {
        waitedMs += e.decision.delayMs;
        hooks.onRetry?.({ ...e, limits }, "transport");
      },
    });
  const asked = (run: RetryRun) => (run.outcome.kind === "response" ? retryAfterMs(run.outcome.headers, clock.now()) : undefined);
  if (!window) {
    const run = await transport();
    return { ...run, layer: "transport", retryAfterMs: asked(run) };
  }

  let attempts = 0;
  let last: RetryRun | undefined;
  const outer = await runWithRetries(
    async () => {
      last = await transport();
      attempts += last.attempts;
      return last.outcome;
    },
    { request, ...policy.consistency(window), clock, signal: hooks.signal, onRetry: (e) => hooks.onRetry?.(e, "consistency") },
  );
  const inner = last!;
  // When the consistency layer had no say, the transport layer's verdict is the one that counts.
  const innerDecided = outer.stop?.kind === "not-retryable";
  const stop: RetryStop | undefined = innerDecided ? inner.stop : outer.stop;
  return {
    outcome: outer.outcome,
    attempts,
    stop,
    ambiguous: inner.ambiguous || outer.ambiguous,
    layer: innerDecided ? "transport" : "consistency",
    retryAfterMs: asked(outer),
  };
}
