/**
 * Capped exponential back-off with full jitter: the n-th retry waits a uniformly random time in
 * [0, min(cap, base * 2^(n-1))]. Full jitter spreads clients that failed together (the AWS
 * architecture blog's comparison; @azure/core-rest-pipeline jitters the same way), so they do not
 * come back in lockstep and fail together again.
 */

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** In [0, 1); injectable for tests. */
  random?: () => number;
}

/** The wait before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
