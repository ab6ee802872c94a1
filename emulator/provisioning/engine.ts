/**
 * The emulated provisioning service: tenant lookups and job operations shared by the Graph routes
 * and the control plane. It owns the store, the runtime configuration, the cycle timers and the
 * non-persisted random stream (request and activity ids).
 */
import type { SynchronizationSchema } from "../../provider/graph/types";
import { isoNow, systemClock, type Clock } from "../core/clock";
import { testConnection, type ConnectionTestResult, type TargetProbe } from "./test-connection";
import { directoryObjectNotFound, invalidObjectIdentifier, syncfabricError, SyncErrorCode } from "../http/errors";
import {
  applyCycleOutcome,
  applyPause,
  applyRestart,
  applyStart,
  isRunning,
  newJob,
  newJobId,
  ZERO_COUNTS,
  type CycleCounts,
  type CycleOutcome,
  type RestartScopeFlag,
} from "../tenant/jobs";
import { emptyConnectorStore } from "./connector-store";
import { runExportCycle } from "./cycle";
import type { EvaluationContext } from "./evaluate";
import { jobSetup, testConnectionAttribute } from "./job-setup";
import { runOnDemand, type OnDemandOutcome, type OnDemandRequest } from "./on-demand";
import { exceedsEscrowThreshold, quarantineDisableAfterMs, quarantineRetryDelayMs } from "./quarantine-policy";
import { PROVISION_ON_DEMAND_LIMIT, SlidingWindowLimit } from "./rate-limit";
import { TargetHttp } from "./target-http";
import { deriveSeed, Rng } from "../core/rng";
import { CycleScheduler } from "./scheduler";
import { secretsAsMap } from "../tenant/secrets";
import type { JobRecord, ServicePrincipalResource, Store, SynchronizationRecord, TemplateRecord, TenantState } from "../tenant/store";

/**
 * When provisioning cycles run: on the jobs' schedules (timers: `cycleDelayMs` after a start or
 * restart, then every `cycleIntervalMs`), or only when asked (POST /_emulator/cycles), as moto's
 * "manual" state transitions: a test decides when a job's status moves.
 */
export type CycleMode = "scheduled" | "manual";
export const CYCLE_MODES: readonly CycleMode[] = ["scheduled", "manual"];

export interface EmulatorConfig {
  cycleDelayMs: number;
  cycleIntervalMs: number;
  pageSize: number;
  cycles: CycleMode;
}

interface CycleReport {
  servicePrincipalId: string;
  jobId: string;
  result: "Succeeded" | "Failed" | "Skipped";
  statusCode?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the engine works with besides the store and its configuration. */
interface EngineDependencies {
  /** The tenant POST /_emulator/reset goes back to: the one this emulator was started with. */
  freshTenant: () => TenantState;
  log?: (line: string) => void;
  /** How the provisioning service reaches target applications. */
  targetHttp?: TargetHttp;
  /** Default the system clock. */
  clock?: Clock;
}

export class EmulatorEngine {
  readonly ephemeral: Rng;
  /** How the provisioning service reaches target applications. */
  readonly targetHttp: TargetHttp;
  /** provisionOnDemand's documented limit, per service principal. */
  readonly onDemandLimit: SlidingWindowLimit;
  /** Every time the engine writes down and every timer it sets. */
  readonly clock: Clock;
  private readonly scheduler: CycleScheduler;
  private stopped = false;
  /** The cycle running for each job (keyed by service principal and job id). */
  private readonly cyclesInProgress = new Map<string, Promise<CycleReport>>();
  /** Cycles in flight, so stop() can wait for them instead of racing the state file. */
  private readonly inFlight = new Set<Promise<unknown>>();

  private readonly log: (line: string) => void;
  private readonly freshTenant: () => TenantState;

  constructor(
    readonly store: Store,
    readonly config: EmulatorConfig,
    dependencies: EngineDependencies,
  ) {
    this.log = dependencies.log ?? (() => undefined);
    this.targetHttp = dependencies.targetHttp ?? new TargetHttp(undefined);
    this.freshTenant = dependencies.freshTenant;
    this.clock = dependencies.clock ?? systemClock;
    this.onDemandLimit = new SlidingWindowLimit(PROVISION_ON_DEMAND_LIMIT.requests, PROVISION_ON_DEMAND_LIMIT.windowMs, () => this.clock.now());
    this.ephemeral = new Rng(deriveSeed(store.state.seed, "ephemeral"));
    // A cycle that fails unexpectedly is logged (track); the timer's promise never rejects.
    this.scheduler = new CycleScheduler(this.clock, (sp, job) => this.track(this.runCycle(sp, job)).catch(() => undefined));
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

  /**
   * Control plane: delete a service principal out of band (as an admin deleting the enterprise
   * app would), with its synchronization jobs, secrets and assignments. Returns false if absent.
   */
  deleteServicePrincipal(servicePrincipalId: string): boolean {
    const sp = this.store.state.servicePrincipals.find((s) => s.id.toLowerCase() === servicePrincipalId.toLowerCase());
    if (!sp) return false;
    for (const jobRecord of this.store.state.synchronization[sp.id]?.jobs ?? []) this.scheduler.disarm(sp.id, jobRecord.job.id);
    this.store.mutate((state) => {
      state.servicePrincipals = state.servicePrincipals.filter((s) => s.id !== sp.id);
      delete state.synchronization[sp.id];
      state.appRoleAssignments = state.appRoleAssignments?.filter((a) => a.resourceId !== sp.id);
    });
    return true;
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
      this.schedule(servicePrincipalId, jobRecord.job.id, this.config.cycleDelayMs);
    }
  }

  pauseJob(servicePrincipalId: string, jobRecord: JobRecord): void {
    this.scheduler.disarm(servicePrincipalId, jobRecord.job.id);
    this.store.mutate(() => applyPause(jobRecord.job));
  }

  restartJob(servicePrincipalId: string, jobRecord: JobRecord, flags: Set<RestartScopeFlag>): void {
    this.store.mutate(() => applyRestart(jobRecord.job, jobRecord.engine, flags));
    this.schedule(servicePrincipalId, jobRecord.job.id, this.config.cycleDelayMs);
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

  // --- target applications -------------------------------------------------------------------

  /** Test connection against the target with these credentials (validateCredentials, cycles, on demand). */
  testConnection(factoryTag: string, credentials: ReadonlyMap<string, string>, schema: SynchronizationSchema): Promise<ConnectionTestResult> {
    return testConnection(factoryTag, credentials, this.probe(schema));
  }

  /** provisionOnDemand: provision one subject now; the job's connector store keeps the result. */
  async provisionOnDemand(servicePrincipalId: string, jobRecord: JobRecord, request: OnDemandRequest): Promise<OnDemandOutcome> {
    const template = this.findTemplate(servicePrincipalId, jobRecord.job.templateId);
    const outcome = await runOnDemand({
      state: this.store.state,
      servicePrincipalId,
      factoryTag: template?.template.factoryTag ?? "",
      schema: jobRecord.schema,
      connector: jobRecord.engine.connector,
      credentials: secretsAsMap(this.syncRecord(servicePrincipalId).secrets),
      http: this.targetHttp,
      probeValue: this.ephemeral.guid(),
      evaluation: this.evaluationContext(),
      clock: this.clock,
      request,
    });
    this.store.mutate(() => {
      jobRecord.engine.connector = outcome.connector;
    });
    return outcome;
  }

  /** Now() reads the emulator's clock; Guid() and RandomString() draw from its seeded stream, never Math.random. */
  private evaluationContext(): EvaluationContext {
    return { now: () => new Date(this.clock.now()), random: () => this.ephemeral.next(), defaultDomain: this.store.state.tenantDomain };
  }

  private probe(schema: SynchronizationSchema): TargetProbe {
    return { http: this.targetHttp, matchingAttribute: testConnectionAttribute(schema), probeValue: this.ephemeral.guid() };
  }

  // --- provisioning cycles ----------------------------------------------------------------------

  /**
   * Run one provisioning cycle for a running job: test the connection, then (SCIM apps) export
   * what is in scope — everything on an initial cycle, changes on an incremental one — and record
   * the outcome on the job's status. Reports "Skipped" when the job is gone or not running (also
   * after an await).
   */
  runCycle(servicePrincipalId: string, jobId: string): Promise<CycleReport> {
    // One cycle per job at a time: a timer and POST /_emulator/cycles share the running one, so two
    // cycles never create the same object twice.
    const key = `${servicePrincipalId}\u0000${jobId}`;
    const running = this.cyclesInProgress.get(key);
    if (running) return running;
    const cycle = this.runCycleNow(servicePrincipalId, jobId).finally(() => this.cyclesInProgress.delete(key));
    this.cyclesInProgress.set(key, cycle);
    return cycle;
  }

  private async runCycleNow(servicePrincipalId: string, jobId: string): Promise<CycleReport> {
    const skipped: CycleReport = { servicePrincipalId, jobId, result: "Skipped" };
    const before = this.store.state.synchronization[servicePrincipalId]?.jobs.find((j) => j.job.id === jobId);
    if (this.stopped || !before || !isRunning(before.job)) return skipped;
    const began = isoNow(this.clock);
    const schemaRevision = before.engine.schemaRevision;
    const outcome = await this.cycleOutcome(servicePrincipalId, before);

    // The job may have been paused, deleted or reset while the cycle ran.
    const jobRecord = this.store.state.synchronization[servicePrincipalId]?.jobs.find((j) => j.job.id === jobId);
    if (this.stopped || !jobRecord || !isRunning(jobRecord.job)) return skipped;
    const ended = isoNow(this.clock);
    const quarantined = outcome.kind === "quarantined";
    const retryIndex = jobRecord.job.status.quarantine ? jobRecord.job.status.quarantine.seriesCount + 1 : 0;
    const nextDelayMs = quarantined ? quarantineRetryDelayMs(retryIndex, this.config.cycleIntervalMs) : this.config.cycleIntervalMs;
    this.store.mutate(() => {
      applyCycleOutcome(jobRecord.job, jobRecord.engine, outcome, {
        began,
        ended,
        activityId: this.ephemeral.guid(),
        nextAttempt: new Date(this.clock.now() + nextDelayMs).toISOString(),
        disableAfterMs: quarantineDisableAfterMs(this.config.cycleIntervalMs),
      });
      // A schema change during the cycle still calls for a full cycle next.
      if (jobRecord.engine.schemaRevision !== schemaRevision) jobRecord.engine.nextCycleIsInitial = true;
    });
    const counts = outcome.counts;
    const summary = quarantined
      ? `Failed (${outcome.reason}: ${outcome.error.code})`
      : `${outcome.kind === "escrowsPruned" ? "EscrowsPruned" : counts.escrowed > 0 ? "EntryLevelErrors" : "Succeeded"} (imported ${counts.imported}, exported ${counts.exported}, escrowed ${counts.escrowed})`;
    this.log(`cycle ${jobId}: ${summary} -> ${jobRecord.job.status.code}`);
    if (isRunning(jobRecord.job)) this.schedule(servicePrincipalId, jobId, nextDelayMs);
    return {
      servicePrincipalId,
      jobId,
      result: quarantined ? "Failed" : "Succeeded",
      statusCode: jobRecord.job.status.code,
    };
  }

  private async cycleOutcome(servicePrincipalId: string, jobRecord: JobRecord): Promise<CycleOutcome> {
    const factoryTag = this.findTemplate(servicePrincipalId, jobRecord.job.templateId)?.template.factoryTag ?? "";
    const credentials = secretsAsMap(this.syncRecord(servicePrincipalId).secrets);
    const schema = jobRecord.schema;
    const check = await this.testConnection(factoryTag, credentials, schema);
    if (!check.ok) return { kind: "quarantined", reason: "EncounteredQuarantineException", error: check.error, counts: ZERO_COUNTS };
    if (factoryTag !== "CustomSCIM") {
      return {
        kind: "completed",
        counts: this.countsWithoutTarget(jobRecord, credentials),
        report: { synchronizedEntryCountByType: [], progress: { completed: 0, total: 0 } },
      };
    }
    const connector = (jobRecord.engine.connector ??= emptyConnectorStore());
    const initial = jobRecord.engine.nextCycleIsInitial;
    const result = await runExportCycle({
      state: this.store.state,
      servicePrincipalId,
      schema,
      connector,
      setup: jobSetup(credentials, this.targetHttp, this.evaluationContext(), this.clock),
      initial,
    });
    const report = { synchronizedEntryCountByType: result.entryCountByType, progress: result.progress };
    if (result.unreachable) {
      return { kind: "quarantined", reason: "EncounteredQuarantineException", error: result.unreachable, counts: result.counts, report };
    }
    if (exceedsEscrowThreshold(result.counts.escrowed, result.counts.imported)) {
      if (initial) return { kind: "escrowsPruned", counts: result.counts, report };
      const top = result.failures[0];
      return {
        kind: "quarantined",
        reason: "EncounteredEscrowProportionThreshold",
        error: {
          code: top?.code ?? "Unknown",
          message: `${result.counts.escrowed} of ${result.counts.imported} entries failed in this cycle (more than 40 %). ${top?.message ?? ""}`.trim(),
          tenantActionable: true,
        },
        counts: result.counts,
        report,
      };
    }
    return { kind: "completed", counts: result.counts, report };
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

  /** After loading a state file, and when cycles go back to their schedules: running jobs get their timers back. */
  armRunningJobs(): void {
    for (const [spId, record] of Object.entries(this.store.state.synchronization)) {
      for (const jobRecord of record.jobs) {
        if (!isRunning(jobRecord.job)) continue;
        const neverRan = jobRecord.job.status.code === "NotRun";
        this.schedule(spId, jobRecord.job.id, neverRan ? this.config.cycleDelayMs : this.config.cycleIntervalMs);
      }
    }
  }

  /**
   * Control plane: change the runtime configuration. Delays apply to timers armed afterwards;
   * switching to manual cycles clears every timer, back to scheduled arms the running jobs again.
   */
  configure(changes: Partial<EmulatorConfig>): void {
    const before = this.config.cycles;
    Object.assign(this.config, changes);
    if (this.config.cycles === before) return;
    if (this.config.cycles === "manual") this.scheduler.disarmAll();
    else this.armRunningJobs();
  }

  /** A job's next cycle in `delayMs`, unless cycles run only when asked. */
  private schedule(servicePrincipalId: string, jobId: string, delayMs: number): void {
    if (this.config.cycles === "scheduled") this.scheduler.arm(servicePrincipalId, jobId, delayMs);
  }

  /** Control plane: back to the tenant the emulator was started with (its seed, extra apps included). */
  reset(): void {
    this.scheduler.disarmAll();
    this.store.replace(this.freshTenant());
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
   * Counts for templates whose target the emulator does not host (salesforce): an initial cycle
   * imports every user and group of the tenant, entitled ones being all of them with SyncAll;
   * nothing is exported; later cycles import nothing.
   */
  private countsWithoutTarget(jobRecord: JobRecord, credentials: Map<string, string>): CycleCounts {
    if (!jobRecord.engine.nextCycleIsInitial) return ZERO_COUNTS;
    const objects = this.store.state.users.length + this.store.state.groups.length;
    const syncAll = (credentials.get("SyncAll") ?? "").toLowerCase() === "true";
    return { ...ZERO_COUNTS, entitled: syncAll ? objects : 0, imported: objects };
  }
}

function cloneSchema(schema: SynchronizationSchema): SynchronizationSchema {
  return JSON.parse(JSON.stringify(schema)) as SynchronizationSchema;
}

/** Schema versions are opaque strings in Graph; the emulator counts revisions. */
function schemaVersion(revision: number): string {
  return `v1.${revision}`;
}
