/**
 * Waiting for a started or restarted job to get somewhere, for `SynchronizationJob.waitFor`.
 *
 * A started job reports `NotRun` until its first cycle ends; a restart resets state and runs a new
 * (initial) cycle. Graph has no "cycle finished" signal, so the wait compares the job's
 * `status.lastExecution` with the one seen before the start/restart: a different execution that
 * has ended is a new cycle. Targets:
 *  - `initialCycle`: a new cycle has ended (the job left NotRun);
 *  - `steadyState`: a new cycle has ended and the job is Active with a newer
 *    `steadyStateLastAchievedTime` (Graph's "steady state": the initial cycle is done and the job
 *    runs incremental cycles).
 * A new cycle that ends in quarantine or failure fails the wait with Graph's reason and error, and
 * a job that stops running fails it too: waiting longer would not change either. Polling is bounded
 * by `waitTimeoutSeconds` (waitUntil: growing interval, deadline, no fixed sleeps) and reports each
 * change of status through the progress reporter.
 */

import { waitUntil, WaitTimeoutError } from "../graph/wait";
import type { SynchronizationError, SynchronizationJob as GraphJob, SynchronizationTaskExecution } from "../graph/types";
import { redactText } from "../redaction";
import type { WaitFor } from "../settings/wait-for";
import { timeOf } from "./job-status";
import type { ProgressReporter } from "./progress";

/** What the job looked like before the start or restart. */
export interface CycleBaseline {
  activityIdentifier: string | null;
  timeEnded: string | undefined;
  steadyStateLastAchievedTime: string | undefined;
}

export function baselineOf(job: GraphJob | undefined): CycleBaseline {
  const last = job?.status?.lastExecution;
  return {
    activityIdentifier: last?.activityIdentifier ?? null,
    timeEnded: timeOf(last?.timeEnded),
    steadyStateLastAchievedTime: timeOf(job?.status?.steadyStateLastAchievedTime),
  };
}

/** The cycle that ended since the baseline, if any. */
function newCycle(job: GraphJob, baseline: CycleBaseline): SynchronizationTaskExecution | undefined {
  const last = job.status?.lastExecution;
  const ended = timeOf(last?.timeEnded);
  if (!last || !ended) return undefined;
  return last.activityIdentifier !== baseline.activityIdentifier || ended !== baseline.timeEnded ? last : undefined;
}

type WaitVerdict = { done: true } | { done: false; failure?: string };

/** Decide, from one GET of the job, whether the wait is over, failed, or goes on. */
export function judge(job: GraphJob, baseline: CycleBaseline, target: Exclude<WaitFor, "none">, seenRunning: boolean): WaitVerdict {
  const code = job.status?.code;
  const cycle = newCycle(job, baseline);
  if (cycle && code === "Quarantine") {
    const q = job.status.quarantine;
    const error = q?.error ?? cycle.error;
    return {
      done: false,
      failure: `the job was quarantined after its cycle (reason ${q?.reason ?? "unknown"})` + (error?.code ? `: ${describeError(error)}` : ""),
    };
  }
  if (cycle && cycle.state === "Failed") {
    return { done: false, failure: `the cycle failed: ${cycle.error ? describeError(cycle.error) : "no error code"}` };
  }
  // A read right after start may come from a replica that has not seen it yet: only a job that was
  // seen running and then stopped (paused or disabled out of band) fails the wait.
  if (seenRunning && (job.schedule?.state !== "Active" || code === "Paused")) {
    return { done: false, failure: `the job is not running (schedule ${job.schedule?.state}, status ${code}); nothing will end a cycle` };
  }
  if (!cycle || code === "NotRun") return { done: false };
  if (target === "initialCycle") return { done: true };
  const steady = timeOf(job.status.steadyStateLastAchievedTime);
  return code === "Active" && steady !== undefined && steady !== baseline.steadyStateLastAchievedTime ? { done: true } : { done: false };
}

/** "Code: message", the message redacted: it may quote the target's URL with its credentials. */
function describeError(error: SynchronizationError): string {
  return `${error.code ?? "no error code"}${error.message ? `: ${redactText(error.message)}` : ""}`;
}

/** One line on where the job is, for progress messages. */
function describeStatus(job: GraphJob): string {
  const s = job.status;
  const parts = [`status ${s?.code ?? "unknown"}`];
  for (const p of s?.progress ?? []) {
    if (p.totalUnits > 0) parts.push(`${p.completedUnits}/${p.totalUnits}${p.units ? ` ${p.units}` : ""}`);
  }
  const last = s?.lastExecution;
  if (last && timeOf(last.timeEnded)) {
    parts.push(`last cycle ${last.state}: ${last.countImported ?? 0} imported, ${last.countExported ?? 0} exported, ${last.countEscrowed ?? 0} escrowed`);
  }
  if (s?.quarantine?.reason) parts.push(`quarantined (${s.quarantine.reason})`);
  return parts.join(", ");
}

const TARGET_TEXT: Record<Exclude<WaitFor, "none">, string> = {
  initialCycle: "its initial cycle to end",
  steadyState: "steady state",
};

interface JobWaitOptions {
  jobId: string;
  target: Exclude<WaitFor, "none">;
  timeoutSeconds: number;
  baseline: CycleBaseline;
  getJob: () => Promise<GraphJob>;
  report: ProgressReporter;
  /** Test seams for waitUntil. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Poll the job until the target is reached; returns the last job read. */
export async function waitForJob(opts: JobWaitOptions): Promise<GraphJob> {
  const what = `job ${opts.jobId}: waiting for ${TARGET_TEXT[opts.target]}`;
  opts.report(`${what} (up to ${opts.timeoutSeconds}s)`);
  let last: GraphJob | undefined;
  let lastLine = "";
  let failure: string | undefined;
  let seenRunning = false;
  try {
    await waitUntil(
      async () => {
        last = await opts.getJob();
        const verdict = judge(last, opts.baseline, opts.target, seenRunning);
        seenRunning ||= last.schedule?.state === "Active";
        if (!verdict.done && verdict.failure) {
          failure = verdict.failure;
          return true; // stop polling; reported below
        }
        const line = describeStatus(last);
        if (!verdict.done && line !== lastLine) opts.report(`${what}: ${line}`);
        lastLine = line;
        return verdict.done;
      },
      {
        description: `job ${opts.jobId} to reach ${opts.target}`,
        timeoutMs: opts.timeoutSeconds * 1000,
        firstIntervalMs: 500,
        maxIntervalMs: 5000,
        sleep: opts.sleep,
        now: opts.now,
      },
    );
  } catch (e) {
    if (e instanceof WaitTimeoutError) {
      throw new Error(`job ${opts.jobId} did not reach ${opts.target} within waitTimeoutSeconds=${opts.timeoutSeconds}` + (last ? ` (${describeStatus(last)})` : ""));
    }
    throw e;
  }
  if (failure) throw new Error(`job ${opts.jobId} did not reach ${opts.target}: ${failure}`);
  opts.report(`job ${opts.jobId}: reached ${opts.target === "initialCycle" ? "the end of its initial cycle" : "steady state"}: ${describeStatus(last!)}`);
  return last!;
}
