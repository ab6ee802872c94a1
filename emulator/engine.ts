/**
 * The emulated provisioning service: tenant lookups and job operations shared by the Graph routes
 * and the control plane. It owns the store, the runtime configuration, the cycle timers and the
 * non-persisted random stream (request and activity ids).
 */
import type { SynchronizationSchema } from "../provider/graph/types";
import { checkTargetCredentials } from "./credentials";
import { directoryObjectNotFound, invalidObjectIdentifier, syncfabricError, SyncErrorCode } from "./errors";
import {
  applyCycleOutcome,
  applyPause,
  applyRestart,
  applyStart,
  isRunning,
  newJob,
  newJobId,
  type CycleCounts,
  type CycleOutcome,
  type RestartScopeFlag,
} from "./jobs";
import { deriveSeed, Rng } from "./rng";
import { CycleScheduler } from "./scheduler";
import { secretsAsMap } from "./secrets";
import { buildSeedTenant } from "./seed";
import type { JobRecord, ServicePrincipalResource, Store, SynchronizationRecord, TemplateRecord } from "./store";

export interface EmulatorConfig {
  cycleDelayMs: number;
  cycleIntervalMs: number;
  pageSize: number;
}

export interface CycleReport {
  servicePrincipalId: string;
  jobId: string;
  result: "Succeeded" | "Failed" | "Skipped";
  statusCode?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EmulatorEngine {
  readonly ephemeral: Rng;
  private readonly scheduler: CycleScheduler;
  private stopped = false;
  /** Cycles in flight, so stop() can wait for them instead of racing the state file. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly store: Store,
    readonly config: EmulatorConfig,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.ephemeral = new Rng(deriveSeed(store.state.seed, "ephemeral"));
    this.scheduler = new CycleScheduler((sp, job) => {
      this.track(this.runCycle(sp, job));
    });
  }

  get tenantId(): string {
    return this.store.state.tenantId;
  }

  // --- lookups ----------------------------------------------------------------------------------

  /** Resolve `{sp}` (object id, or the alternate key `(appId='...')`); 400 for a malformed id, 404 if absent. */
  requireServicePrincipal(key: string): ServicePrincipalResource {
    const alternate = /^\(appId='(.*)'\)$/.exec(key);
    const sps = this.store.state.servicePrincipals;
    if (alternate) {
      const sp = sps.find((s) => s.appId.toLowerCase() === alternate[1].toLowerCase());
      if (!sp) throw directoryObjectNotFound(alternate[1]);
      return sp;
    }
    if (!GUID.test(key)) throw invalidObjectIdentifier(key);
    const sp = sps.find((s) => s.id.toLowerCase() === key.toLowerCase());
    if (!sp) throw directoryObjectNotFound(key);
    return sp;
  }

  syncRecord(servicePrincipalId: string): SynchronizationRecord {
    return this.store.syncRecord(servicePrincipalId);
  }

  requireJob(servicePrincipalId: string, jobId: string): JobRecord {
    const record = this.store.state.synchronization[servicePrincipalId];
    const job = record?.jobs.find((j) => j.job.id === jobId);
    if (!job) throw syncfabricError(404, SyncErrorCode.resourceNotFound, `The job '${jobId}' does not exist.`);
    return job;
  }

  findTemplate(servicePrincipalId: string, templateId: string): TemplateRecord | undefined {
    return this.store.state.synchronization[servicePrincipalId]?.templates.find((t) => t.template.id === templateId);
  }

  // --- jobs -------------------------------------------------------------------------------------

  createJob(servicePrincipalId: string, template: TemplateRecord): JobRecord {
    return this.store.mutate(() => {
      const record = this.syncRecord(servicePrincipalId);
      const id = newJobId(template.template.id, this.store.ids, this.tenantId);
      const hasSecrets = (record.secrets ?? []).length > 0;
      const jobRecord: JobRecord = {
        job: newJob(id, template.template.id, template.jobSettings, hasSecrets),
        schema: { ...cloneSchema(template.template.schema), id, version: schemaVersion(0) },
        engine: { nextCycleIsInitial: true, schemaRevision: 0 },
      };
      record.jobs.push(jobRecord);
      return jobRecord;
    });
  }

  deleteJob(servicePrincipalId: string, jobId: string): void {
    this.scheduler.disarm(servicePrincipalId, jobId);
    this.store.mutate(() => {
      const record = this.syncRecord(servicePrincipalId);
      record.jobs = record.jobs.filter((j) => j.job.id !== jobId);
    });
  }

  startJob(servicePrincipalId: string, jobRecord: JobRecord): void {
    const changed = this.store.mutate(() => applyStart(jobRecord.job));
    if (changed || !this.scheduler.isArmed(servicePrincipalId, jobRecord.job.id)) {
      this.scheduler.arm(servicePrincipalId, jobRecord.job.id, this.config.cycleDelayMs);
    }
  }

  pauseJob(servicePrincipalId: string, jobRecord: JobRecord): void {
    this.scheduler.disarm(servicePrincipalId, jobRecord.job.id);
    this.store.mutate(() => applyPause(jobRecord.job));
  }

  restartJob(servicePrincipalId: string, jobRecord: JobRecord, flags: Set<RestartScopeFlag>): void {
    this.store.mutate(() => applyRestart(jobRecord.job, jobRecord.engine, flags));
    this.scheduler.arm(servicePrincipalId, jobRecord.job.id, this.config.cycleDelayMs);
  }

  /** PUT .../schema: replace the whole schema; the next cycle reprocesses everything [DOC tutorials]. */
  replaceSchema(jobRecord: JobRecord, schema: SynchronizationSchema): void {
    this.store.mutate(() => {
      jobRecord.engine.schemaRevision += 1;
      jobRecord.schema = { ...schema, id: jobRecord.job.id, version: schemaVersion(jobRecord.engine.schemaRevision) };
      jobRecord.engine.nextCycleIsInitial = true;
    });
  }

  /** DELETE .../schema: back to the template's schema. */
  resetSchema(servicePrincipalId: string, jobRecord: JobRecord): void {
    const template = this.findTemplate(servicePrincipalId, jobRecord.job.templateId);
    const baseline = template ? cloneSchema(template.template.schema) : { directories: [], synchronizationRules: [] };
    this.replaceSchema(jobRecord, baseline);
  }

  // --- provisioning cycles ----------------------------------------------------------------------

  /**
   * Run one provisioning cycle for a running job. The only place where a cycle's work happens;
   * today it checks the credentials and counts the source objects, later it will export to the
   * target. Reports "Skipped" when the job is gone or not running (also after an await).
   */
  async runCycle(servicePrincipalId: string, jobId: string): Promise<CycleReport> {
    const skipped: CycleReport = { servicePrincipalId, jobId, result: "Skipped" };
    const before = this.store.state.synchronization[servicePrincipalId]?.jobs.find((j) => j.job.id === jobId);
    if (this.stopped || !before || !isRunning(before.job)) return skipped;
    const began = new Date().toISOString();
    const record = this.syncRecord(servicePrincipalId);
    const template = this.findTemplate(servicePrincipalId, before.job.templateId);
    const credentials = secretsAsMap(record.secrets);
    const check = await checkTargetCredentials(template?.template.factoryTag ?? "", credentials);

    // The job may have been paused, deleted or reset while the check ran.
    const jobRecord = this.store.state.synchronization[servicePrincipalId]?.jobs.find((j) => j.job.id === jobId);
    if (this.stopped || !jobRecord || !isRunning(jobRecord.job)) return skipped;
    const ended = new Date().toISOString();
    const outcome: CycleOutcome = check.ok
      ? { ok: true, counts: this.cycleCounts(jobRecord, credentials) }
      : { ok: false, error: check.error };
    this.store.mutate(() =>
      applyCycleOutcome(jobRecord.job, jobRecord.engine, outcome, {
        began,
        ended,
        activityId: this.ephemeral.guid(),
        nextAttempt: new Date(Date.now() + this.config.cycleIntervalMs).toISOString(),
      }),
    );
    this.log(`cycle ${jobId}: ${outcome.ok ? "Succeeded" : `Failed (${outcome.error.code})`} -> ${jobRecord.job.status.code}`);
    if (isRunning(jobRecord.job)) this.scheduler.arm(servicePrincipalId, jobId, this.config.cycleIntervalMs);
    return {
      servicePrincipalId,
      jobId,
      result: outcome.ok ? "Succeeded" : "Failed",
      statusCode: jobRecord.job.status.code,
    };
  }

  /** Control plane: one cycle now for every running job. */
  async runAllCycles(): Promise<CycleReport[]> {
    const reports: CycleReport[] = [];
    for (const [spId, record] of Object.entries(this.store.state.synchronization)) {
      for (const jobRecord of [...record.jobs]) {
        if (!isRunning(jobRecord.job)) continue;
        reports.push(await this.track(this.runCycle(spId, jobRecord.job.id)));
      }
    }
    return reports;
  }

  /** After loading a state file: running jobs get their timers back. */
  armRunningJobs(): void {
    for (const [spId, record] of Object.entries(this.store.state.synchronization)) {
      for (const jobRecord of record.jobs) {
        if (!isRunning(jobRecord.job)) continue;
        const neverRan = jobRecord.job.status.code === "NotRun";
        this.scheduler.arm(spId, jobRecord.job.id, neverRan ? this.config.cycleDelayMs : this.config.cycleIntervalMs);
      }
    }
  }

  /** Control plane: back to the seeded tenant. */
  reset(): void {
    this.scheduler.disarmAll();
    this.store.replace(buildSeedTenant(this.store.state.seed));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.scheduler.disarmAll();
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, (err: unknown) => {
      done();
      this.log(`cycle failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
    });
    return p;
  }

  /**
   * Placeholder counts until the emulator provisions to a real target: an initial cycle imports
   * every user and group of the tenant; entitled objects are all of them when SyncAll is "true"
   * (nothing is assigned to apps in the emulator yet); delta cycles import nothing.
   */
  private cycleCounts(jobRecord: JobRecord, credentials: Map<string, string>): CycleCounts {
    const initial = jobRecord.engine.nextCycleIsInitial || !jobRecord.job.status.lastSuccessfulExecution;
    if (!initial) return { entitled: 0, imported: 0, importedDeltas: 0, exports: 0, exported: 0 };
    const objects = this.store.state.users.length + this.store.state.groups.length;
    const syncAll = (credentials.get("SyncAll") ?? "").toLowerCase() === "true";
    return { entitled: syncAll ? objects : 0, imported: objects, importedDeltas: 0, exports: 0, exported: 0 };
  }
}

export function cloneSchema(schema: SynchronizationSchema): SynchronizationSchema {
  return JSON.parse(JSON.stringify(schema)) as SynchronizationSchema;
}

/** Schema versions are opaque strings in Graph; the emulator counts revisions. */
function schemaVersion(revision: number): string {
  return `v1.${revision}`;
}
