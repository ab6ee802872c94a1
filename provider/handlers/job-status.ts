/**
 * What a synchronization job reports about itself (Graph's `status` and `schedule`), reduced to
 * the outputs users read: counts, progress, quarantine, and whether it is running.
 *
 * Error messages are redacted (../redaction.ts): the service's messages about the target quote
 * the URL it called, BaseAddress with any user name, password or query string in it, and these
 * outputs are stored in state and printed in plain text.
 */

import { NEVER, type SynchronizationJob as GraphJob } from "../graph/types";
import type { JobExecutionSummary, JobSchedule, JobStatus } from "../program/job";
import { redactText } from "../redaction";

/** A time Graph reports, or undefined when there is none (absent, or NEVER). */
export function timeOf(t: string | null | undefined): string | undefined {
  return t && t !== NEVER ? t : undefined;
}

/** Running means started and neither paused nor quarantined; anything else is drift from enabled. */
export function isRunning(job: GraphJob): boolean {
  return job.schedule?.state === "Active" && job.status?.code !== "Paused" && job.status?.code !== "Quarantine";
}

function summarizeExecution(e: GraphJob["status"]["lastExecution"]): JobExecutionSummary | null {
  if (!e) return null;
  return {
    state: e.state,
    timeBegan: timeOf(e.timeBegan) ?? null,
    timeEnded: timeOf(e.timeEnded) ?? null,
    countImported: e.countImported ?? 0,
    countImportedDeltas: e.countImportedDeltas ?? 0,
    countEntitled: e.countEntitled ?? 0,
    countExports: e.countExports ?? 0,
    countExported: e.countExported ?? 0,
    countEscrowed: e.countEscrowed ?? 0,
    errorCode: e.error?.code ?? null,
    errorMessage: redactText(e.error?.message) ?? null,
  };
}

export function jobStatusOf(job: GraphJob): JobStatus {
  const s = job.status;
  const q = s?.quarantine;
  return {
    code: s?.code ?? "NotConfigured",
    lastExecution: summarizeExecution(s?.lastExecution ?? null),
    lastSuccessfulExecution: summarizeExecution(s?.lastSuccessfulExecution ?? null),
    quarantine: q
      ? {
          reason: q.reason ?? null,
          seriesCount: q.seriesCount ?? 0,
          seriesBegan: q.seriesBegan || null,
          currentBegan: q.currentBegan || null,
          nextAttempt: q.nextAttempt || null,
          errorCode: q.error?.code ?? null,
          errorMessage: redactText(q.error?.message) ?? null,
          tenantActionable: q.error?.tenantActionable ?? false,
        }
      : null,
    progress: (s?.progress ?? []).map((p) => ({
      completedUnits: p.completedUnits ?? 0,
      totalUnits: p.totalUnits ?? 0,
      units: p.units ?? null,
      observedAt: p.progressObservationDateTime || null,
    })),
    synchronizedEntryCounts: Object.fromEntries((s?.synchronizedEntryCountByType ?? []).filter((p) => p.key).map((p) => [p.key as string, p.value ?? 0])),
    escrowsPruned: s?.escrowsPruned ?? false,
    countSuccessiveCompleteFailures: s?.countSuccessiveCompleteFailures ?? 0,
    steadyStateLastAchievedTime: timeOf(s?.steadyStateLastAchievedTime) ?? null,
  };
}

export function scheduleOf(job: GraphJob): JobSchedule {
  return {
    state: job.schedule?.state ?? "Disabled",
    interval: job.schedule?.interval ?? "",
    expiration: job.schedule?.expiration ?? null,
  };
}
