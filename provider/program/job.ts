/**
 * SynchronizationJob: a provisioning job created from one of the service principal's templates.
 *
 * A program declares one SynchronizationJob; it is three resources in state:
 *  - its claim (job-claim.ts), saved first: the jobs the service principal had before this
 *    resource created its own, so that an interrupted create's job can be told from anybody else's;
 *  - the job itself: create = list the jobs + POST job (../handlers/job-creation.ts: at most one
 *    job, however the run fails, and never somebody else's); read = GET job; delete = DELETE job +
 *    GETs until it is gone, unless another resource of the same program holds the job.
 *    `servicePrincipalId` and `templateId` cannot change in place: changing them replaces the job
 *    (a service principal id that differs only in case is the same one).
 *  - its child SynchronizationJobActivation (job-activation.ts), which starts, pauses, restarts
 *    and waits. It is separate so that the engine has saved the job's id before anything starts
 *    the job: see ../handlers/job-activation.ts for why that is what prevents duplicate jobs.
 * The class exposes the child's outputs (`enabled`, `status`, `schedule`, ...) as its own.
 *
 * Adopting an existing job instead (`jobId`, or `adopt: true`): no claim, and create writes
 * nothing: it reads the job, and the activation records how it runs. From then on the job is
 * managed like a created one, delete included.
 */

import * as pulumi from "@pulumi/pulumi";
import type { RestartScope, RestartSpec } from "../settings/restart-scope";
import type { WaitFor } from "../settings/wait-for";
import { ACTIVATION_ARGS, SynchronizationJobActivation } from "./job-activation";
import { SynchronizationJobClaim } from "./job-claim";
import { EntraSyncResource } from "./resource";
import { siblingOptions } from "./sibling";

export interface SynchronizationJobArgs {
  /** Object id of the service principal (enterprise application), not its appId. */
  servicePrincipalId: pulumi.Input<string>;
  /** Template to create the job from, e.g. "scim" for a non-gallery SCIM app. Optional when `jobId` is given. */
  templateId?: pulumi.Input<string>;
  /**
   * Adopt this existing job (e.g. one set up in the portal) instead of creating one: the first
   * `up` writes nothing to it, and from then on it is managed (and deleted by `destroy`) like a
   * created one. Consider `protect: true` or `retainOnDelete: true` for a production job.
   */
  jobId?: pulumi.Input<string>;
  /**
   * Adopt the service principal's one job of `templateId` instead of creating one; several (or
   * none) is an error that lists them. Like `jobId`, without knowing the id.
   */
  adopt?: pulumi.Input<boolean>;
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
    const adopting = args.jobId !== undefined || args.adopt !== undefined;
    // Saved before the job's create runs, so that an interrupted create's job is recognisable (job-claim.ts).
    const claim = adopting
      ? undefined
      : new SynchronizationJobClaim(
          `${name}-claim`,
          { servicePrincipalId: args.servicePrincipalId, templateId: args.templateId as pulumi.Input<string> },
          siblingOptions(opts, "-claim"),
        );
    super(
      "SynchronizationJob",
      name,
      {
        servicePrincipalId: args.servicePrincipalId,
        templateId: args.templateId,
        jobId: args.jobId,
        adopt: args.adopt,
        claim: claim ? pulumi.all([claim.knownJobIds, claim.claimedAt]).apply(([knownJobIds, claimedAt]) => ({ knownJobIds, claimedAt })) : undefined,
        stateVersion: undefined,
      },
      opts,
    );
    // `ignoreChanges` is per resource: the names that belong to the child go to the child.
    const ignoreChanges = opts?.ignoreChanges?.filter((k) => (ACTIVATION_ARGS as readonly string[]).includes(k));
    this.activation = new SynchronizationJobActivation(
      `${name}-activation`,
      {
        servicePrincipalId: args.servicePrincipalId,
        jobId: this.jobId,
        // An adopted job runs as it did until the program's `enabled` is applied by the next up.
        adopted: adopting || undefined,
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
