/**
 * `SynchronizationJob.waitFor` and `waitTimeoutSeconds`: what a create or update that starts or
 * restarts the job waits for, and for how long. Pure: the program's types, and check() of the two
 * inputs (no Graph call); the waiting itself is ../handlers/job-wait.ts.
 */

import { type CheckFailure, describe, isNumberInRange, isUnknown } from "../validation";

export const WAIT_TARGETS = ["none", "initialCycle", "steadyState"] as const;
export type WaitFor = (typeof WAIT_TARGETS)[number];

export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600;

/**
 * The longest waitTimeoutSeconds accepted: 24 hours. A `pulumi up` that waits longer for a cycle
 * is a hung deployment rather than a wait (for initial cycles that take days, use waitFor "none"
 * and watch the job's status), and no timer of the provider could wait longer than 2^31-1 ms
 * (about 24.8 days) in one go anyway. 1e308 seconds would otherwise mean "wait forever".
 */
export const MAX_WAIT_TIMEOUT_SECONDS = 24 * 60 * 60;

/** check() of waitFor: one of WAIT_TARGETS. */
export function checkWaitFor(property: string, value: unknown, failures: CheckFailure[]): void {
  if (value === undefined || value === null || isUnknown(value) || (WAIT_TARGETS as readonly unknown[]).includes(value)) return;
  failures.push({ property, reason: `${property} must be one of ${WAIT_TARGETS.map((t) => `"${t}"`).join(", ")}, got ${JSON.stringify(value)}` });
}

/** check() of waitTimeoutSeconds: a positive number of seconds, at most MAX_WAIT_TIMEOUT_SECONDS. */
export function checkWaitTimeout(property: string, value: unknown, failures: CheckFailure[]): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (!isNumberInRange(value, 0, MAX_WAIT_TIMEOUT_SECONDS) || value === 0) {
    failures.push({
      property,
      reason: `${property} must be a positive number of seconds, at most ${MAX_WAIT_TIMEOUT_SECONDS} (24 hours), got ${describe(value)}`,
    });
  }
}
