/**
 * SynchronizationJob: a provisioning job created from one of the service principal's templates.
 *
 * A program declares one SynchronizationJob; it is two resources in state:
 *  - the job itself (this file): create = list the jobs + POST job (jobCreation.ts: at most one
 *    job, however the run fails); read = GET job; delete = DELETE job + GETs until it is gone.
 *    `servicePrincipalId` and `templateId` cannot change in place: changing them replaces the job.
 *  - its child SynchronizationJobActivation (job-activation.ts), which starts, pauses, restarts
 *    and waits. It is separate so that the engine has saved the job's id before anything starts
 *    the job: see job-activation.ts for why that is what prevents duplicate jobs.
 * The class exposes the child's outputs (`enabled`, `status`, `schedule`, ...) as its own.
 */

import * as pulumi from "@pulumi/pulumi";
import { graphApi } from "../graph/client";
import { waitUntil } from "../graph/consistency";
import { isNotFound } from "../graph/errors";
import { jobPath, jobResourceId } from "../graph/paths";
import { withServicePrincipalLock } from "../graph/servicePrincipalLock";
import type { SynchronizationJob as GraphJob } from "../graph/types";
import type { RestartScope, RestartSpec } from "../settings/restart-scope";
import { CheckFailure, checkIdentifier, checkObjectId, isUnknown } from "../validation";
import { CheckResult, configureFromStack, GONE, ResourceHandler } from "./handler";
import { ACTIVATION_ARGS, SynchronizationJobActivation } from "./job-activation";
import { findJob, locateJob } from "./job-lookup";
import { createJobOnce } from "./jobCreation";
import type { JobSchedule, JobStatus } from "./job-status";
import type { WaitFor } from "./job-wait";
import { EntraSyncResource } from "./shim";

export type { JobExecutionSummary, JobProgress, JobQuarantineSummary, JobSchedule, JobStatus } from "./job-status";

/** 2: enabled, the operations, status and schedule moved to the SynchronizationJobActivation child. */
export const JOB_STATE_VERSION = 2;

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
}

export interface JobOutputs extends JobInputs {
  stateVersion: number;
  jobId: string;
}

const INPUT_KEYS = ["servicePrincipalId", "templateId"];

export class SynchronizationJob extends EntraSyncResource {
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly templateId: pulumi.Output<string>;
  /** Graph's job id, e.g. "scim.0123...abcd.<guid>". */
  declare readonly jobId: pulumi.Output<string>;
  declare readonly stateVersion: pulumi.Output<number>;
  /** The child resource that runs the job; its outputs follow. */
  readonly activation: SynchronizationJobActivation;
  readonly enabled: pulumi.Output<boolean>;
  readonly restart: pulumi.Output<RestartSpec | undefined>;
  readonly waitFor: pulumi.Output<WaitFor | undefined>;
  readonly waitTimeoutSeconds: pulumi.Output<number | undefined>;
  /** The job's status as of the last create, update or refresh. */
  readonly status: pulumi.Output<JobStatus>;
  readonly schedule: pulumi.Output<JobSchedule>;

  constructor(name: string, args: SynchronizationJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "SynchronizationJob",
      "pulumi-entra-sync/provider/resources/job",
      name,
      { servicePrincipalId: args.servicePrincipalId, templateId: args.templateId, jobId: undefined, stateVersion: undefined },
      opts,
    );
    // `ignoreChanges` is per resource: the names that belong to the child go to the child.
    const ignoreChanges = opts?.ignoreChanges?.filter((k) => (ACTIVATION_ARGS as readonly string[]).includes(k));
    this.activation = new SynchronizationJobActivation(
      `${name}-activation`,
      {
        servicePrincipalId: args.servicePrincipalId,
        jobId: this.jobId,
        enabled: args.enabled,
        restart: args.restart,
        waitFor: args.waitFor,
        waitTimeoutSeconds: args.waitTimeoutSeconds,
      },
      { parent: this, ...(ignoreChanges?.length ? { ignoreChanges } : {}) },
    );
    this.enabled = this.activation.enabled;
    this.restart = this.activation.restart;
    this.waitFor = this.activation.waitFor;
    this.waitTimeoutSeconds = this.activation.waitTimeoutSeconds;
    this.status = this.activation.status;
    this.schedule = this.activation.schedule;
  }
}

// --- handler (runs in the provider process) -----------------------------------------------------

function outputsOf(servicePrincipalId: string, job: GraphJob): JobOutputs {
  return { stateVersion: JOB_STATE_VERSION, servicePrincipalId, templateId: job.templateId, jobId: job.id };
}

export const handler: ResourceHandler<JobInputs, JobOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<JobInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
    for (const k of Object.keys(news)) {
      if (!k.startsWith("__") && !INPUT_KEYS.includes(k)) failures.push({ property: k, reason: `${k} is not an input of SynchronizationJob` });
    }
    if (failures.length > 0) return { failures };
    return { inputs: { servicePrincipalId: news.servicePrincipalId as string, templateId: news.templateId as string } };
  },

  async diff(_id, olds, news) {
    const replaces = (["servicePrincipalId", "templateId"] as const).filter((k) => isUnknown(news[k]) || olds[k] !== news[k]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  // Failure handling (no orphans, no duplicates): see jobCreation.ts, job-activation.ts and README "Failure handling".
  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    return withServicePrincipalLock(sp, async () => {
      const { job } = await createJobOnce(sp, inputs.templateId, `create synchronization job from template "${inputs.templateId}"`);
      return { id: jobResourceId(sp, job.id), outs: outputsOf(sp, job) };
    });
  },

  async read(id, props) {
    const { sp, jobId } = locateJob(id, props);
    const job = await findJob(sp, jobId);
    if (!job) return GONE;
    const outs = outputsOf(sp, job);
    return { id: jobResourceId(sp, job.id), props: outs, inputs: { servicePrincipalId: sp, templateId: outs.templateId } as JobOutputs };
  },

  /** Never called: diff reports a change only with a replacement. The interface asks for it. */
  async update(_id, olds) {
    return { outs: olds };
  },

  async delete(id, props) {
    const { sp, jobId } = locateJob(id, props);
    await withServicePrincipalLock(sp, async () => {
      try {
        await graphApi().delete(jobPath(sp, jobId), `delete synchronization job ${jobId}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      await waitUntil(
        async () => (await findJob(sp, jobId)) === undefined,
        { description: `synchronization job ${jobId} to be deleted`, timeoutMs: graphApi().settings.consistencyTimeoutMs },
      );
    });
  },
};
