/**
 * SynchronizationJob: a provisioning job created from one of the service principal's templates.
 *
 * Graph calls: create = POST job (+ POST start and a GET read-back when enabled); read = GET job;
 * update of `enabled` = POST start|pause + GET read-back; delete = DELETE job + GETs until it is
 * gone. `servicePrincipalId` and `templateId` cannot change in place: changing them replaces the job.
 */

import * as pulumi from "@pulumi/pulumi";
import { graphApi } from "../graph/client";
import { retryWhile, waitUntil } from "../graph/consistency";
import { isNotFound } from "../graph/errors";
import { jobActionPath, jobPath, jobResourceId, jobsPath, parseJobResourceId } from "../graph/paths";
import { withServicePrincipalLock } from "../graph/servicePrincipalLock";
import { SynchronizationJob as GraphJob } from "../graph/types";
import { CheckFailure, checkIdentifier, checkObjectId, checkOptionalBoolean, isUnknown } from "../validation";
import { changed, CheckResult, configureFromStack, GONE, PartialCreateError, providerOf, ResourceHandler } from "./handler";
import { EntraSyncResource } from "./shim";

export const JOB_STATE_VERSION = 1;

export interface SynchronizationJobArgs {
  /** Object id of the service principal (enterprise application), not its appId. */
  servicePrincipalId: pulumi.Input<string>;
  /** Template to create the job from, e.g. "scim" for a non-gallery SCIM app. */
  templateId: pulumi.Input<string>;
  /** Whether the job runs (started) or is paused. Default true. */
  enabled?: pulumi.Input<boolean>;
}

export interface JobInputs {
  servicePrincipalId: string;
  templateId: string;
  enabled: boolean;
}

export interface JobExecutionSummary {
  state: string;
  timeBegan: string | null;
  timeEnded: string | null;
  countExported: number;
  countImported: number;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface JobQuarantineSummary {
  reason: string | null;
  seriesCount: number;
  currentBegan: string | null;
  nextAttempt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface JobStatus {
  code: string;
  lastExecution: JobExecutionSummary | null;
  lastSuccessfulExecution: JobExecutionSummary | null;
  quarantine: JobQuarantineSummary | null;
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
    countExported: e.countExported ?? 0,
    countImported: e.countImported ?? 0,
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
          currentBegan: q.currentBegan || null,
          nextAttempt: q.nextAttempt || null,
          errorCode: q.error?.code ?? null,
          errorMessage: q.error?.message ?? null,
        }
      : null,
    countSuccessiveCompleteFailures: s?.countSuccessiveCompleteFailures ?? 0,
    steadyStateLastAchievedTime:
      s?.steadyStateLastAchievedTime && s.steadyStateLastAchievedTime !== NEVER ? s.steadyStateLastAchievedTime : null,
  };
}

function outputsOf(servicePrincipalId: string, job: GraphJob, enabled: boolean): JobOutputs {
  return {
    stateVersion: JOB_STATE_VERSION,
    servicePrincipalId,
    templateId: job.templateId,
    enabled,
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

/** A job created a moment ago may answer 404 for a while: retry within the consistency deadline. */
function untilVisible<T>(jobId: string, action: () => Promise<T>): Promise<T> {
  return retryWhile(action, isNotFound, {
    description: `synchronization job ${jobId} to become visible`,
    timeoutMs: graphApi().settings.consistencyTimeoutMs,
  });
}

async function setRunning(sp: string, jobId: string, running: boolean): Promise<void> {
  const action = running ? "start" : "pause";
  await untilVisible(jobId, () =>
    graphApi().post(jobActionPath(sp, jobId, action), undefined, `${action} synchronization job ${jobId}`),
  );
}

function locate(id: string, props: Partial<JobOutputs>): { sp: string; jobId: string } {
  const parsed = parseJobResourceId(id);
  const sp = props.servicePrincipalId ?? parsed?.servicePrincipalId;
  const jobId = props.jobId ?? parsed?.jobId;
  if (!sp || !jobId) throw new Error(`cannot tell the service principal and job from resource id "${id}"`);
  return { sp, jobId };
}

export const handler: ResourceHandler<JobInputs, JobOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<JobInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
    checkOptionalBoolean("enabled", news.enabled, failures);
    const known = Object.keys(news).filter((k) => !k.startsWith("__"));
    for (const k of known) {
      if (!["servicePrincipalId", "templateId", "enabled"].includes(k)) {
        failures.push({ property: k, reason: `${k} is not an input of SynchronizationJob` });
      }
    }
    if (failures.length > 0) return { failures };
    return {
      inputs: {
        servicePrincipalId: news.servicePrincipalId as string,
        templateId: news.templateId as string,
        enabled: (news.enabled as boolean | undefined) ?? true,
      },
    };
  },

  async diff(_id, olds, news) {
    const replaces = (["servicePrincipalId", "templateId"] as const).filter(
      (k) => isUnknown(news[k]) || olds[k] !== news[k],
    );
    const enabledChanged = isUnknown(news.enabled) || (olds.enabled ?? true) !== (news.enabled ?? true);
    return { changes: replaces.length > 0 || enabledChanged, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    return withServicePrincipalLock(sp, async () => {
      const created = await graphApi().post<GraphJob>(
        jobsPath(sp),
        { templateId: inputs.templateId },
        `create synchronization job from template "${inputs.templateId}"`,
      );
      if (!created?.id) throw new Error(`Graph created a synchronization job but returned no id`);
      const id = jobResourceId(sp, created.id);
      if (!inputs.enabled) {
        return { id, outs: outputsOf(sp, created, false) };
      }
      try {
        await setRunning(sp, created.id, true);
        const job = await untilVisible(created.id, () => getJob(sp, created.id));
        return { id, outs: outputsOf(sp, job, true) };
      } catch (e) {
        // The job exists: tell the engine, so that the next run starts it instead of creating another.
        throw new PartialCreateError(id, { ...outputsOf(sp, created, false), ...providerOf(inputs) }, e);
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
    const outs = outputsOf(sp, job, isRunning(job));
    return {
      id: jobResourceId(sp, job.id),
      props: outs,
      inputs: { servicePrincipalId: sp, templateId: outs.templateId, enabled: outs.enabled } as JobInputs as JobOutputs,
    };
  },

  async update(id, olds, news) {
    const { sp, jobId } = locate(id, olds);
    return withServicePrincipalLock(sp, async () => {
      if (olds.enabled !== news.enabled) await setRunning(sp, jobId, news.enabled);
      const job = await getJob(sp, jobId);
      return { outs: outputsOf(sp, job, news.enabled) };
    });
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
