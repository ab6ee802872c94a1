/**
 * When the provisioning service quarantines a job, and how often it retries one, in emulator time.
 * From "Application provisioning in quarantine status": quarantine when more than 40 % of the
 * processed entries failed (EncounteredEscrowProportionThreshold) or when credentials / the
 * connection fail (EncounteredQuarantineException); a quarantined job is retried 6 h, 12 h and
 * 24 h after the first failure, then daily, and disabled after four weeks. A failing *initial*
 * cycle does not quarantine: its escrows are pruned and the job pauses once the cycle completes
 * (synchronizationStatus.escrowsPruned).
 *
 * The emulator compresses time: one regular interval (40 minutes in Entra) is `cycleIntervalMs`,
 * and every duration keeps its ratio to it. It also drops the service's minimum of 5,000 failures
 * before the proportion is evaluated, which no emulated tenant would reach.
 */

/** More than this share of failed entries (among those the cycle wrote or tried to write) quarantines. */
const ESCROW_PROPORTION_THRESHOLD = 0.4;

/** Entra's schedule interval, the unit the real durations are expressed in. */
const REAL_INTERVAL_MINUTES = 40;
const HOUR = 60 / REAL_INTERVAL_MINUTES; // intervals per hour
/** Delays between quarantined attempts: at +6 h, +12 h, +24 h after the first failure, then daily. */
const RETRY_DELAYS_IN_INTERVALS = [6 * HOUR, 6 * HOUR, 12 * HOUR];
const DAILY_IN_INTERVALS = 24 * HOUR;
const DISABLE_AFTER_IN_INTERVALS = 28 * 24 * HOUR;

export function exceedsEscrowThreshold(failed: number, attempted: number): boolean {
  return failed > 0 && attempted > 0 && failed / attempted > ESCROW_PROPORTION_THRESHOLD;
}

/** Delay before the next attempt of a job quarantined `seriesCount` re-evaluations ago (0 = just quarantined). */
export function quarantineRetryDelayMs(seriesCount: number, cycleIntervalMs: number): number {
  const intervals = RETRY_DELAYS_IN_INTERVALS[seriesCount] ?? DAILY_IN_INTERVALS;
  return Math.round(intervals * cycleIntervalMs);
}

/** How long a quarantine series may last before the job is disabled. */
export function quarantineDisableAfterMs(cycleIntervalMs: number): number {
  return Math.round(DISABLE_AFTER_IN_INTERVALS * cycleIntervalMs);
}
