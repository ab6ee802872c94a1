/**
 * SynchronizationJob: a provisioning job created from one of the service principal's templates.
 *
 * Graph calls: create = POST job (+ POST start and a GET read-back when enabled); read = GET job;
 * update of `enabled` = POST start|pause + GET read-back; a changed `restart.trigger` = POST
 * restart with the reset scope; delete = DELETE job + GETs until it is gone. With `waitFor`, a
 * create or update that starts or restarts the job then polls GET job until the cycle it started
 * ends (job-wait.ts), reporting progress to the `pulumi up` output. `servicePrincipalId` and
 * `templateId` cannot change in place: changing them replaces the job.
 */

import * as pulumi from "@pulumi/pulumi";
import { graphApi } from "../graph/client";
import { waitUntil } from "../graph/consistency";
import { isNotFound } from "../graph/errors";
import { jobActionPath, jobPath, jobResourceId, parseJobResourceId } from "../graph/paths";
import { ConsistencyWindow } from "../graph/retry/consistency";
import { withServicePrincipalLock } from "../graph/servicePrincipalLock";
import { SynchronizationJob as GraphJob } from "../graph/types";
import { checkRestart, RestartScope, RestartSpec, restartBody } from "../settings/restart-scope";
import { CheckFailure, checkIdentifier, checkObjectId, checkOptionalBoolean, isUnknown } from "../validation";
import { changed, CheckResult, configureFromStack, GONE, PartialCreateError, providerOf, ResourceHandler } from "./handler";
import { createJobOnce } from "./jobCreation";
import { baselineOf, CycleBaseline, DEFAULT_WAIT_TIMEOUT_SECONDS, WAIT_TARGETS, WaitFor, waitForJob } from "./job-wait";
import { reportProgress } from "./progress";
import { EntraSyncResource } from "./shim";

export const JOB_STATE_VERSION = 1;

export interface SynchronizationJobArgs {
  /** Object id of the service principal (enterprise application), not its appId. */
  servicePrincipalId: pulumi.Input<string>;
  /** Template to create the job from, e.g. "scim" for a non-gallery SCIM app. */
  templateId: pulumi.Input<string>;
  /** Whether the job runs (started) or is paused. Default true. */
  enabled?: pulumi.Input<boolean>;
  /**
   * Restart the job (`POST .../restart`) whenever `trigger` changes, e.g. to lift a quarantine
   * after fixing the credentials: `{ trigger: "2024-06-01", scope: ["QuarantineState"] }`. `scope`
   * defaults to the portal's "Restart provisioning" (Watermark, Escrows, QuarantineState). Creating
   * the job does not restart it; declaring `restart` on an existing job does.
   */
  restart?: pulumi.Input<{ trigger: pulumi.Input<string>; scope?: pulumi.Input<pulumi.Input<RestartScope>[]> }>;
  /**
   * After a create or update that starts or restarts the job, wait until its first cycle has ended
   * ("initialCycle") or it is in steady state ("steadyState"), logging progress. Default "none".
   * A cycle that ends in quarantine fails the operation with Graph's reason.
   */
  waitFor?: pulumi.Input<WaitFor>;
  /** Deadline of `waitFor`, in seconds. Default 600. */
  waitTimeoutSeconds?: pulumi.Input<number>;
}

export interface JobInputs {
  servicePrincipalId: string;
  templateId: string;
  enabled: boolean;
  restart?: RestartSpec;
  waitFor?: WaitFor;
  waitTimeoutSeconds?: number;
}

/** The inputs that are instructions to the provider, not properties of the Graph job. */
type JobOperations = Pick<JobInputs, "restart" | "waitFor" | "waitTimeoutSeconds">;

export interface JobExecutionSummary {
  state: string;
  timeBegan: string | null;
  timeEnded: string | null;
  countImported: number;
  countImportedDeltas: number;
  countEntitled: number;
  countExports: number;
  countExported: number;
  countEscrowed: number;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface JobQuarantineSummary {
  /** Graph's quarantineReason, e.g. EncounteredQuarantineException (credentials) or TooManyDeletes. */
  reason: string | null;
  seriesCount: number;
  seriesBegan: string | null;
  currentBegan: string | null;
  nextAttempt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Whether the administrator can fix the cause (e.g. credentials), per Graph. */
  tenantActionable: boolean;
}

export interface JobProgress {
  completedUnits: number;
  totalUnits: number;
  units: string | null;
  observedAt: string | null;
}

export interface JobStatus {
  code: string;
  lastExecution: JobExecutionSummary | null;
  lastSuccessfulExecution: JobExecutionSummary | null;
  quarantine: JobQuarantineSummary | null;
  progress: JobProgress[];
  /** Objects the job has synchronized, by object type (Graph's synchronizedEntryCountByType). */
  synchronizedEntryCounts: Record<string, number>;
  escrowsPruned: boolean;
  countSuccessiveCompleteFailures: number;
  steadyStateLastAchievedTime: string | null;
}

export interface JobSchedule {
  state: string;
  interval: string;
  expiration: string | null;
}

export interface JobOutputs extends JobInputs {
  stateVersion: number;
  jobId: string;
  status: JobStatus;
  schedule: JobSchedule;
}

export class SynchronizationJob extends EntraSyncResource {
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly templateId: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly restart: pulumi.Output<RestartSpec | undefined>;
  declare readonly waitFor: pulumi.Output<WaitFor | undefined>;
  declare readonly waitTimeoutSeconds: pulumi.Output<number | undefined>;
  /** Graph's job id, e.g. "scim.0123...abcd.<guid>". */
  declare readonly jobId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<JobStatus>;
  declare readonly schedule: pulumi.Output<JobSchedule>;
  declare readonly stateVersion: pulumi.Output<number>;

  constructor(name: string, args: SynchronizationJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "SynchronizationJob",
      "pulumi-entra-sync/provider/resources/job",
      name,
      {
        servicePrincipalId: args.servicePrincipalId,
        templateId: args.templateId,
        enabled: args.enabled,
        restart: args.restart,
        waitFor: args.waitFor,
        waitTimeoutSeconds: args.waitTimeoutSeconds,
        jobId: undefined,
        status: undefined,
        schedule: undefined,
        stateVersion: undefined,
      },
      opts,
    );
  }
}

// --- handler (runs in the provider process) -----------------------------------------------------

const NEVER = "0001-01-01T00:00:00Z";

/** Running means started and neither paused nor quarantined; anything else is drift from enabled. */
export function isRunning(job: GraphJob): boolean {
  return job.schedule?.state === "Active" && job.status?.code !== "Paused" && job.status?.code !== "Quarantine";
}

function summarizeExecution(e: GraphJob["status"]["lastExecution"]): JobExecutionSummary | null {
  if (!e) return null;
  return {
    state: e.state,
    timeBegan: e.timeBegan && e.timeBegan !== NEVER ? e.timeBegan : null,
    timeEnded: e.timeEnded && e.timeEnded !== NEVER ? e.timeEnded : null,
    countImported: e.countImported ?? 0,
    countImportedDeltas: e.countImportedDeltas ?? 0,
    countEntitled: e.countEntitled ?? 0,
    countExports: e.countExports ?? 0,
    countExported: e.countExported ?? 0,
    countEscrowed: e.countEscrowed ?? 0,
    errorCode: e.error?.code ?? null,
    errorMessage: e.error?.message ?? null,
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
          errorMessage: q.error?.message ?? null,
          tenantActionable: q.error?.tenantActionable ?? false,
        }
      : null,
    progress: (s?.progress ?? []).map((p) => ({
      completedUnits: p.completedUnits ?? 0,
      totalUnits: p.totalUnits ?? 0,
      units: p.units ?? null,
      observedAt: p.progressObservationDateTime || null,
    })),
    synchronizedEntryCounts: Object.fromEntries(
      (s?.synchronizedEntryCountByType ?? []).filter((p) => p.key).map((p) => [p.key as string, p.value ?? 0]),
    ),
    escrowsPruned: s?.escrowsPruned ?? false,
    countSuccessiveCompleteFailures: s?.countSuccessiveCompleteFailures ?? 0,
    steadyStateLastAchievedTime:
      s?.steadyStateLastAchievedTime && s.steadyStateLastAchievedTime !== NEVER ? s.steadyStateLastAchievedTime : null,
  };
}

/** The declared operations, without undefined members (they are kept in state as given). */
function operationsOf(source: Partial<JobOperations>): JobOperations {
  const ops: JobOperations = {};
  if (source.restart !== undefined && source.restart !== null) ops.restart = source.restart;
  if (source.waitFor !== undefined && source.waitFor !== null) ops.waitFor = source.waitFor;
  if (source.waitTimeoutSeconds !== undefined && source.waitTimeoutSeconds !== null) ops.waitTimeoutSeconds = source.waitTimeoutSeconds;
  return ops;
}

function outputsOf(servicePrincipalId: string, job: GraphJob, enabled: boolean, operations: Partial<JobOperations> = {}): JobOutputs {
  return {
    stateVersion: JOB_STATE_VERSION,
    servicePrincipalId,
    templateId: job.templateId,
    enabled,
    ...operationsOf(operations),
    jobId: job.id,
    status: jobStatusOf(job),
    schedule: {
      state: job.schedule?.state ?? "Disabled",
      interval: job.schedule?.interval ?? "",
      expiration: job.schedule?.expiration ?? null,
    },
  };
}

async function getJob(sp: string, jobId: string): Promise<GraphJob> {
  return graphApi().get<GraphJob>(jobPath(sp, jobId), `read synchronization job ${jobId}`);
}

/**
 * A job created a moment ago may answer 404 (or 409 while the backend still sets it up) for a
 * while: calls that follow a create wait that out, up to entra-sync:consistencyTimeoutSeconds.
 */
function justCreated(jobId: string): ConsistencyWindow {
  return { description: `synchronization job ${jobId} to become visible`, statuses: [404, 409] };
}

/** Start and pause are idempotent (starting a running job changes nothing), so they may be retried. */
async function setRunning(sp: string, jobId: string, running: boolean): Promise<void> {
  const action = running ? "start" : "pause";
  await graphApi().post(jobActionPath(sp, jobId, action), undefined, `${action} synchronization job ${jobId}`, {
    idempotent: true,
    consistency: justCreated(jobId),
  });
}

function locate(id: string, props: Partial<JobOutputs>): { sp: string; jobId: string } {
  const parsed = parseJobResourceId(id);
  const sp = props.servicePrincipalId ?? parsed?.servicePrincipalId;
  const jobId = props.jobId ?? parsed?.jobId;
  if (!sp || !jobId) throw new Error(`cannot tell the service principal and job from resource id "${id}"`);
  return { sp, jobId };
}

const INPUT_KEYS = ["servicePrincipalId", "templateId", "enabled", "restart", "waitFor", "waitTimeoutSeconds"];

/** A restart is due when the declared trigger differs from the one last applied (or there was none). */
export function restartDue(previous: RestartSpec | undefined, next: RestartSpec | undefined): boolean {
  return next !== undefined && next.trigger !== previous?.trigger;
}

async function restartJob(sp: string, jobId: string, spec: RestartSpec): Promise<void> {
  const body = restartBody(spec.scope);
  reportProgress(`job ${jobId}: restarting (trigger "${spec.trigger}", reset scope ${body.criteria.resetScope})`);
  await graphApi().post(jobActionPath(sp, jobId, "restart"), body, `restart synchronization job ${jobId}`);
}

/** With `waitFor`, poll the job after a start or restart until the cycle it began has ended. */
async function settle(sp: string, jobId: string, inputs: JobOperations, baseline: CycleBaseline, job: GraphJob): Promise<GraphJob> {
  if (!inputs.waitFor || inputs.waitFor === "none") return job;
  return waitForJob({
    jobId,
    target: inputs.waitFor,
    timeoutSeconds: inputs.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
    baseline,
    getJob: () => getJob(sp, jobId),
    report: reportProgress,
  });
}

function checkOperations(news: Record<string, unknown>, failures: CheckFailure[]): void {
  checkRestart("restart", news.restart, failures);
  const waitFor = news.waitFor;
  if (waitFor !== undefined && waitFor !== null && !isUnknown(waitFor) && !(WAIT_TARGETS as readonly unknown[]).includes(waitFor)) {
    failures.push({ property: "waitFor", reason: `waitFor must be one of ${WAIT_TARGETS.map((t) => `"${t}"`).join(", ")}, got ${JSON.stringify(waitFor)}` });
  }
  const timeout = news.waitTimeoutSeconds;
  if (timeout !== undefined && timeout !== null && !isUnknown(timeout) && !(typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout))) {
    failures.push({ property: "waitTimeoutSeconds", reason: `waitTimeoutSeconds must be a positive number of seconds, got ${JSON.stringify(timeout)}` });
  }
}

export const handler: ResourceHandler<JobInputs, JobOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<JobInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
    checkOptionalBoolean("enabled", news.enabled, failures);
    checkOperations(news, failures);
    const known = Object.keys(news).filter((k) => !k.startsWith("__"));
    for (const k of known) {
      if (!INPUT_KEYS.includes(k)) {
        failures.push({ property: k, reason: `${k} is not an input of SynchronizationJob` });
      }
    }
    if (failures.length > 0) return { failures };
    return {
      inputs: {
        servicePrincipalId: news.servicePrincipalId as string,
        templateId: news.templateId as string,
        enabled: (news.enabled as boolean | undefined) ?? true,
        ...operationsOf(news as Partial<JobOperations>),
      },
    };
  },

  async diff(_id, olds, news) {
    const replaces = (["servicePrincipalId", "templateId"] as const).filter(
      (k) => isUnknown(news[k]) || olds[k] !== news[k],
    );
    const enabledChanged = isUnknown(news.enabled) || (olds.enabled ?? true) !== (news.enabled ?? true);
    // restart, waitFor and waitTimeoutSeconds change in place; only a new trigger makes Graph calls.
    const operationsChanged = changed(operationsOf(olds), operationsOf(news));
    return { changes: replaces.length > 0 || enabledChanged || operationsChanged, replaces, deleteBeforeReplace: false };
  },

  // Failure handling (no orphans, no duplicates): see jobCreation.ts and README "Failure handling".
  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    return withServicePrincipalLock(sp, async () => {
      const operation = `create synchronization job from template "${inputs.templateId}"`;
      const { job: created } = await createJobOnce(sp, inputs.templateId, operation);
      const id = jobResourceId(sp, created.id);
      if (!inputs.enabled) {
        return { id, outs: outputsOf(sp, created, false, inputs) };
      }
      try {
        await setRunning(sp, created.id, true);
        const job = await graphApi().get<GraphJob>(jobPath(sp, created.id), `read synchronization job ${created.id}`, {
          consistency: justCreated(created.id),
        });
        const settled = await settle(sp, created.id, inputs, baselineOf(created), job);
        return { id, outs: outputsOf(sp, settled, true, inputs) };
      } catch (e) {
        // The job exists: tell the engine, so that the next run starts it instead of creating another.
        throw new PartialCreateError(id, { ...outputsOf(sp, created, false, inputs), ...providerOf(inputs) }, e);
      }
    });
  },

  async read(id, props) {
    const { sp, jobId } = locate(id, props);
    let job: GraphJob;
    try {
      job = await getJob(sp, jobId);
    } catch (e) {
      if (isNotFound(e)) return GONE;
      throw e;
    }
    // restart/waitFor/waitTimeoutSeconds are not visible in Graph: they are carried over as stored.
    const outs = outputsOf(sp, job, isRunning(job), props);
    const inputs: JobInputs = { servicePrincipalId: sp, templateId: outs.templateId, enabled: outs.enabled, ...operationsOf(props) };
    return { id: jobResourceId(sp, job.id), props: outs, inputs: inputs as JobOutputs };
  },

  async update(id, olds, news) {
    const { sp, jobId } = locate(id, olds);
    const { job, baseline } = await withServicePrincipalLock(sp, async () => {
      const restart = restartDue(olds.restart, news.restart) ? news.restart : undefined;
      if (restart && !news.enabled) {
        // Restarting runs the job; a job declared disabled stays paused and the trigger is recorded.
        reportProgress(`job ${jobId}: restart trigger changed but enabled is false: not restarting`);
      }
      const starts = news.enabled && (restart !== undefined || olds.enabled !== news.enabled);
      const before = starts ? baselineOf(await getJob(sp, jobId)) : undefined;
      if (news.enabled && restart) {
        await restartJob(sp, jobId, restart);
      } else if (olds.enabled !== news.enabled) {
        await setRunning(sp, jobId, news.enabled);
      }
      return { job: await getJob(sp, jobId), baseline: before };
    });
    // Waiting only reads, so it does not hold the service principal's lock for minutes.
    const settled = baseline ? await settle(sp, jobId, news, baseline, job) : job;
    return { outs: outputsOf(sp, settled, news.enabled, news) };
  },

  async delete(id, props) {
    const { sp, jobId } = locate(id, props);
    await withServicePrincipalLock(sp, async () => {
      try {
        await graphApi().delete(jobPath(sp, jobId), `delete synchronization job ${jobId}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      await waitUntil(
        async () => {
          try {
            await getJob(sp, jobId);
            return false;
          } catch (e) {
            if (isNotFound(e)) return true;
            throw e;
          }
        },
        { description: `synchronization job ${jobId} to be deleted`, timeoutMs: graphApi().settings.consistencyTimeoutMs },
      );
    });
  },
};
