/**
 * The synchronization job lifecycle as pure state transitions on a job (no timers, no I/O):
 * create, start, pause, restart (reset scopes), and the outcome of a provisioning cycle.
 * Sources: docs/graph-behaviour.md §4; choices where the docs are silent are marked INFER
 * and listed in README.md.
 */
import type {
  KeyValuePair,
  QuarantineReason,
  StringKeyLongValuePair,
  SynchronizationError,
  SynchronizationJob,
  SynchronizationTaskExecution,
} from "../../provider/graph/types";
import { badRequestBody } from "../http/errors";
import type { Rng } from "../core/rng";
import type { JobEngineState } from "./store";

/** "Never" timestamp, as Graph serializes DateTimeOffset.MinValue. */
const NEVER = "0001-01-01T00:00:00Z";
/** A disabled job's interval: .NET TimeSpan.MaxValue. */
const DISABLED_INTERVAL = "P10675199DT2H48M5.4775807S";
/** A running job's interval (XTS doc sample after start). */
const ACTIVE_INTERVAL = "PT40M";

export const RESTART_SCOPE_FLAGS = ["None", "ConnectorDataStore", "Escrows", "Watermark", "QuarantineState", "Full", "ForceDeletes"] as const;
export type RestartScopeFlag = (typeof RESTART_SCOPE_FLAGS)[number];
/** An empty/absent resetScope behaves like the portal's "Restart provisioning" [DOC restart]. */
const DEFAULT_RESTART_SCOPE: readonly RestartScopeFlag[] = ["Watermark", "Escrows", "QuarantineState"];

/** `<templateId>.<32 hex>.<tenant id>` — the three-part form real responses show [OBS; INFER: third part]. */
export function newJobId(templateId: string, rng: Rng, tenantId: string): string {
  return `${templateId}.${rng.hex(32)}.${tenantId}`;
}

/**
 * A freshly created job [DOC post-jobs sample]: disabled, max interval, zeroed status. The code
 * is NotConfigured when the service principal has no usable credentials yet ("no authorization
 * provided"), else NotRun [INFER].
 */
export function newJob(id: string, templateId: string, settings: KeyValuePair[], hasCredentials: boolean): SynchronizationJob {
  return {
    id,
    templateId,
    schedule: { expiration: null, interval: DISABLED_INTERVAL, state: "Disabled" },
    status: {
      code: hasCredentials ? "NotRun" : "NotConfigured",
      countSuccessiveCompleteFailures: 0,
      escrowsPruned: false,
      lastExecution: null,
      lastSuccessfulExecution: null,
      lastSuccessfulExecutionWithExports: null,
      progress: [],
      quarantine: null,
      steadyStateFirstAchievedTime: NEVER,
      steadyStateLastAchievedTime: NEVER,
      synchronizedEntryCountByType: [],
      troubleshootingUrl: null,
    },
    synchronizationJobSettings: settings.map((s) => ({ ...s })),
  };
}

/** True when the job is scheduled and not held back by pause (quarantined jobs keep running). */
export function isRunning(job: SynchronizationJob): boolean {
  return job.schedule.state === "Active";
}

/**
 * start [DOC start]: schedule Active (PT40M); a paused job resumes; a quarantined job leaves
 * quarantine. Until a cycle completes the code is NotRun (or Active again for a job that has
 * succeeded before). Returns false when the job was already running and nothing changed.
 */
export function applyStart(job: SynchronizationJob): boolean {
  const status = job.status;
  const wasRunning = isRunning(job) && status.code !== "Quarantine";
  if (wasRunning) return false;
  job.schedule = { expiration: null, interval: ACTIVE_INTERVAL, state: "Active" };
  status.quarantine = null;
  status.code = status.lastSuccessfulExecution ? "Active" : "NotRun";
  if (!status.lastExecution) {
    // The XTS tutorial's first GET after start shows this placeholder execution.
    status.lastExecution = execution("Failed", NEVER, NEVER, null, ZERO_COUNTS, { code: "None", message: "", tenantActionable: false });
  }
  return true;
}

/**
 * pause [DOC pause]: code Paused, progress kept. The schedule goes back to Disabled with the max
 * interval: the docs' only paused samples (v1 job GET of a previously quarantined job, beta job
 * list) show exactly that [INFER from samples].
 */
export function applyPause(job: SynchronizationJob): void {
  job.schedule = { expiration: null, interval: DISABLED_INTERVAL, state: "Disabled" };
  job.status.code = "Paused";
}

/** Parse criteria.resetScope ("Watermark, Escrows, QuarantineState"); throws a 400 on bad input. */
export function parseRestartScope(body: unknown): Set<RestartScopeFlag> {
  if (body === undefined || body === null) return new Set(DEFAULT_RESTART_SCOPE);
  if (typeof body !== "object" || Array.isArray(body)) throw badRequestBody("The request body must be a JSON object.");
  for (const key of Object.keys(body)) {
    if (key !== "criteria" && !key.includes("@odata.")) {
      throw badRequestBody(`The parameter '${key}' in the request payload is not a valid parameter for the operation 'restart'.`);
    }
  }
  const criteria = (body as { criteria?: unknown }).criteria;
  if (criteria === undefined || criteria === null) return new Set(DEFAULT_RESTART_SCOPE);
  if (typeof criteria !== "object" || Array.isArray(criteria)) {
    throw badRequestBody("The value of 'criteria' must be a microsoft.graph.synchronizationJobRestartCriteria object.");
  }
  for (const key of Object.keys(criteria)) {
    if (key !== "resetScope" && !key.includes("@odata.")) {
      throw badRequestBody(
        `The property '${key}' does not exist on type 'microsoft.graph.synchronizationJobRestartCriteria'. Make sure to only use property names that are defined by the type.`,
      );
    }
  }
  const raw = (criteria as { resetScope?: unknown }).resetScope;
  if (raw === undefined || raw === null || raw === "") return new Set(DEFAULT_RESTART_SCOPE);
  if (typeof raw !== "string") throw badRequestBody("The value of 'resetScope' must be a string of flag names.");
  const flags = new Set<RestartScopeFlag>();
  for (const name of raw.split(",").map((p) => p.trim())) {
    // Enum member names are case-sensitive, as in Graph's OData reader.
    if (!(RESTART_SCOPE_FLAGS as readonly string[]).includes(name)) {
      throw badRequestBody(
        `The value '${raw}' is not valid for the flags enum 'microsoft.graph.synchronizationJobRestartScope'. Valid member names: ${RESTART_SCOPE_FLAGS.join(", ")}.`,
      );
    }
    if (name === "Full") {
      for (const f of ["ConnectorDataStore", "Escrows", "Watermark", "QuarantineState"] as const) flags.add(f);
    } else {
      flags.add(name as RestartScopeFlag);
    }
  }
  return flags;
}

/**
 * restart [DOC restart, restartcriteria]: the job runs again (schedule Active) and the chosen
 * state is reset: QuarantineState lifts quarantine, Watermark makes the next cycle a full
 * (initial) one, Escrows drops the escrowed entries (they are no longer retried) and their
 * counters, ConnectorDataStore forgets what the job provisioned where (the next cycle matches
 * every object again). ForceDeletes has no observable effect (no deletion threshold is modelled).
 */
export function applyRestart(job: SynchronizationJob, engine: JobEngineState, flags: Set<RestartScopeFlag>): void {
  const status = job.status;
  job.schedule = { expiration: null, interval: ACTIVE_INTERVAL, state: "Active" };
  if (flags.has("QuarantineState")) status.quarantine = null;
  if (flags.has("Watermark")) engine.nextCycleIsInitial = true;
  if (flags.has("ConnectorDataStore") && engine.connector) engine.connector.entries = {};
  if (flags.has("Escrows")) {
    status.escrowsPruned = false;
    if (engine.connector) engine.connector.escrows = {};
    for (const exec of [status.lastExecution, status.lastSuccessfulExecution, status.lastSuccessfulExecutionWithExports]) {
      if (exec) {
        exec.countEscrowed = 0;
        exec.countEscrowedRaw = 0;
      }
    }
  }
  status.code = status.quarantine ? "Quarantine" : status.lastSuccessfulExecution ? "Active" : "NotRun";
}

export interface CycleCounts {
  entitled: number;
  imported: number;
  importedDeltas: number;
  /** Writes attempted (create, update, disable, delete). */
  exports: number;
  /** Writes that succeeded. */
  exported: number;
  /** Entries that failed this cycle (escrowed, retried by later cycles). */
  escrowed: number;
}

export const ZERO_COUNTS: CycleCounts = { entitled: 0, imported: 0, importedDeltas: 0, exports: 0, exported: 0, escrowed: 0 };

export type CycleOutcome =
  /** The cycle went through every entry (some may have failed: EntryLevelErrors). */
  | { kind: "completed"; counts: CycleCounts; report: CycleReportData }
  /**
   * An initial cycle whose failures crossed the escrow threshold: instead of quarantining, the
   * escrows are pruned, the cycle completes and the job pauses for the customer to clean up
   * [DOC synchronizationStatus.escrowsPruned].
   */
  | { kind: "escrowsPruned"; counts: CycleCounts; report: CycleReportData }
  /** Credentials/connection failed, or an incremental cycle crossed the escrow threshold. */
  | { kind: "quarantined"; reason: QuarantineReason; error: SynchronizationError; counts: CycleCounts; report?: CycleReportData };

/** Status fields a cycle that reached the target reports besides its counters. */
export interface CycleReportData {
  synchronizedEntryCountByType: StringKeyLongValuePair[];
  progress: { completed: number; total: number };
}

interface CycleTiming {
  began: string;
  ended: string;
  activityId: string;
  /** When a quarantined job will be evaluated again (the emulator's next cycle). */
  nextAttempt: string;
  /** A quarantine series older than this disables the job [DOC quarantine page: four weeks]. */
  disableAfterMs: number;
}

/** Record a finished cycle on the job [DOC status/quarantine; INFER for the exact fields]. */
export function applyCycleOutcome(job: SynchronizationJob, engine: JobEngineState, outcome: CycleOutcome, timing: CycleTiming): void {
  const status = job.status;
  if (outcome.report) {
    status.synchronizedEntryCountByType = outcome.report.synchronizedEntryCountByType;
    status.progress = [
      {
        completedUnits: outcome.report.progress.completed,
        progressObservationDateTime: timing.ended,
        totalUnits: outcome.report.progress.total,
        units: "Entries",
      },
    ];
  }
  if (outcome.kind === "completed" || outcome.kind === "escrowsPruned") {
    const clean = outcome.counts.escrowed === 0;
    const exec = execution(clean ? "Succeeded" : "EntryLevelErrors", timing.began, timing.ended, timing.activityId, outcome.counts, null);
    status.lastExecution = exec;
    if (clean) {
      status.lastSuccessfulExecution = exec;
      if (outcome.counts.exported > 0) status.lastSuccessfulExecutionWithExports = exec;
      // Steady state: every change processed, nothing left to retry.
      if (status.steadyStateFirstAchievedTime === NEVER) status.steadyStateFirstAchievedTime = timing.ended;
      status.steadyStateLastAchievedTime = timing.ended;
    }
    // "Any successful retry lifts" the quarantine [DOC quarantine page].
    status.quarantine = null;
    status.countSuccessiveCompleteFailures = 0;
    engine.nextCycleIsInitial = false;
    if (outcome.kind === "escrowsPruned") {
      status.escrowsPruned = true;
      if (engine.connector) engine.connector.escrows = {};
      job.schedule = { expiration: null, interval: DISABLED_INTERVAL, state: "Disabled" };
      status.code = "Paused";
    } else {
      status.code = "Active";
    }
    return;
  }
  const error = { ...outcome.error, tenantActionable: true };
  status.lastExecution = execution("Failed", timing.began, timing.ended, timing.activityId, outcome.counts, error);
  status.countSuccessiveCompleteFailures += 1;
  if (!status.quarantine) {
    status.quarantine = {
      currentBegan: timing.ended,
      error,
      nextAttempt: timing.nextAttempt,
      reason: outcome.reason,
      seriesBegan: timing.ended,
      // "Number of times in this series the quarantine was re-evaluated and left in effect".
      seriesCount: 0,
    };
  } else {
    status.quarantine.currentBegan = timing.ended;
    status.quarantine.nextAttempt = timing.nextAttempt;
    status.quarantine.error = error;
    status.quarantine.reason = outcome.reason;
    status.quarantine.seriesCount += 1;
  }
  status.code = "Quarantine";
  const seriesAge = Date.parse(timing.ended) - Date.parse(status.quarantine.seriesBegan ?? timing.ended);
  if (seriesAge >= timing.disableAfterMs) {
    // "If the job stays in quarantine for more than four weeks, it's disabled" [DOC quarantine page].
    job.schedule = { expiration: null, interval: DISABLED_INTERVAL, state: "Disabled" };
  }
}

function execution(
  state: "Succeeded" | "Failed" | "EntryLevelErrors",
  began: string,
  ended: string,
  activityId: string | null,
  counts: CycleCounts,
  error: SynchronizationError | null,
): SynchronizationTaskExecution {
  return {
    activityIdentifier: activityId,
    countEntitled: counts.entitled,
    countEntitledForProvisioning: counts.entitled,
    countEscrowed: counts.escrowed,
    countEscrowedRaw: counts.escrowed,
    countExported: counts.exported,
    countExports: counts.exports,
    countImported: counts.imported,
    countImportedDeltas: counts.importedDeltas,
    countImportedReferenceDeltas: 0,
    error,
    state,
    timeBegan: began,
    timeEnded: ended,
  };
}
