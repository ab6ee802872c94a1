/**
 * Waiting for a condition to hold (a deleted job to be gone, written secrets to read back, a job's
 * cycle to end): bounded by a deadline (never a fixed sleep), polling with a capped, growing
 * interval, and requiring N consecutive confirmations so that one replica answering early cannot
 * end the wait (terraform-provider-azuread's consistency.go does the same).
 *
 * Sending a call again while Graph refuses it because it has not caught up with a write (a job
 * created a moment ago answering 404) is not this module's: that is a retry strategy of the
 * client, asked for per call with a ConsistencyWindow (retry/consistency.ts).
 */

import { providerClock } from "./retry/clock";
import { UserFacingError } from "./user-facing";

interface WaitOptions {
  /** Says what we wait for, in errors and progress messages: "job X to become visible". */
  description: string;
  timeoutMs: number;
  /** Consecutive successful probes needed. */
  confirmations?: number;
  firstIntervalMs?: number;
  maxIntervalMs?: number;
  /** Called on each unsuccessful probe after the first, with a human-readable line. */
  onProgress?: (message: string) => void;
  /** Default: the provider's clock (retry/clock.ts), real time unless a test sets another. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A wait that ran out of time: the user's deadline, not a bug, so no stack trace (user-facing.ts). */
export class WaitTimeoutError extends UserFacingError {
  override readonly name = "WaitTimeoutError";

  constructor(message: string) {
    super(message);
  }
}

/** Poll `probe` until it returns true `confirmations` times in a row, or fail at the deadline. */
export async function waitUntil(probe: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => providerClock.sleep(ms));
  const now = opts.now ?? (() => providerClock.now());
  // NaN would never compare as past the deadline, and Infinity never is: either would poll for ever.
  if (!Number.isFinite(opts.timeoutMs)) throw new Error(`waiting for ${opts.description} needs a finite deadline, got ${opts.timeoutMs} ms`);
  const needed = opts.confirmations ?? 1;
  const deadline = now() + opts.timeoutMs;
  let interval = opts.firstIntervalMs ?? 250;
  const maxInterval = opts.maxIntervalMs ?? 5000;
  let streak = 0;
  for (let attempt = 1; ; attempt++) {
    if (await probe()) {
      streak++;
      if (streak >= needed) return;
    } else {
      streak = 0;
      if (attempt > 1) opts.onProgress?.(`still waiting for ${opts.description} (attempt ${attempt})`);
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      throw new WaitTimeoutError(`timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${opts.description}`);
    }
    await sleep(Math.min(interval, remaining));
    if (streak === 0) interval = Math.min(interval * 2, maxInterval);
  }
}
