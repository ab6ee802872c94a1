/**
 * The composer: sends a request, asks the strategies in order what to do with each failure (the
 * first that has an opinion decides), waits as told, and stops at the first success, at a
 * decision not to retry, at the retry limit, or when the next wait would end past the deadline.
 * It never sleeps past the deadline hoping for the best: a Retry-After longer than the time left
 * ends the run at once, with the server's answer.
 */

import type { Clock } from "./clock";
import { type Attempt, type AttemptOutcome, type RetryableRequest, type RetryDecision, type RetryStrategy, succeeded } from "./strategy";

export interface RetryLimits {
  /** No try starts later than this after the first one began. */
  deadlineMs: number;
  /** Retries (tries after the first) allowed; Infinity leaves the bound to the deadline. */
  maxRetries: number;
}

export interface RetryEvent {
  strategy: string;
  attempt: Attempt;
  decision: RetryDecision;
  /** 1 for the first retry. */
  retry: number;
  limits: RetryLimits;
}

/** Why a run ended without success. */
export type RetryStop =
  | { kind: "not-retryable" }
  | { kind: "declined"; strategy: string; reason: string }
  | { kind: "max-retries"; strategy: string; reason: string }
  | { kind: "deadline"; strategy: string; reason: string; delayMs: number };

export interface RetryRun {
  /** What the last try produced. */
  outcome: AttemptOutcome;
  attempts: number;
  /** Undefined when the last try succeeded. */
  stop?: RetryStop;
  /** The last failure may have taken effect: look before sending the request again. */
  ambiguous: boolean;
}

interface RunOptions {
  request: RetryableRequest;
  strategies: readonly RetryStrategy[];
  limits: RetryLimits;
  clock: Clock;
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
}

/** `tryOnce` sends the request once and reports the outcome; it does not throw for failures. */
export async function runWithRetries(tryOnce: () => Promise<AttemptOutcome>, options: RunOptions): Promise<RetryRun> {
  const { clock, limits } = options;
  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const outcome = await tryOnce();
    if (succeeded(outcome)) return { outcome, attempts: attempt, ambiguous: false };
    const current: Attempt = { request: options.request, outcome, attempt, elapsedMs: clock.now() - started };
    const decided = decide(options.strategies, current);
    if (!decided) return { outcome, attempts: attempt, stop: { kind: "not-retryable" }, ambiguous: false };
    const { strategy, decision } = decided;
    const ambiguous = decision.ambiguous === true;
    if (!decision.retry) {
      return { outcome, attempts: attempt, stop: { kind: "declined", strategy, reason: decision.reason }, ambiguous };
    }
    if (attempt > limits.maxRetries) {
      return { outcome, attempts: attempt, stop: { kind: "max-retries", strategy, reason: decision.reason }, ambiguous };
    }
    if (clock.now() - started + decision.delayMs > limits.deadlineMs) {
      const stop: RetryStop = { kind: "deadline", strategy, reason: decision.reason, delayMs: decision.delayMs };
      return { outcome, attempts: attempt, stop, ambiguous };
    }
    options.onRetry?.({ strategy, attempt: current, decision, retry: attempt, limits });
    await clock.sleep(decision.delayMs, options.signal);
  }
}

function decide(strategies: readonly RetryStrategy[], attempt: Attempt): { strategy: string; decision: RetryDecision } | undefined {
  for (const strategy of strategies) {
    const decision = strategy.decide(attempt);
    if (decision) return { strategy: strategy.name, decision };
  }
  return undefined;
}
