/**
 * SynchronizationJobActivation: whether a synchronization job runs, its restarts, and the waits
 * for its cycles. It is the child every SynchronizationJob registers (job.ts); programs do not
 * declare it themselves. Why it is a resource of its own, and its Graph calls:
 * ../handlers/job-activation.ts.
 */

import type * as pulumi from "@pulumi/pulumi";
import type { RestartSpec } from "../settings/restart-scope";
import type { WaitFor } from "../settings/wait-for";
import type { JobSchedule, JobStatus, SynchronizationJobArgs } from "./job";
import { EntraSyncResource } from "./resource";

/** The inputs a program may pass through SynchronizationJob (also what `ignoreChanges` may name). */
export const ACTIVATION_ARGS = ["enabled", "restart", "waitFor", "waitTimeoutSeconds"] as const;

/** How a SynchronizationJob declares it should run; see SynchronizationJobArgs for each member. */
type JobActivationArgs = Pick<SynchronizationJobArgs, (typeof ACTIVATION_ARGS)[number]>;

interface SynchronizationJobActivationArgs extends JobActivationArgs {
  servicePrincipalId: pulumi.Input<string>;
  /** Graph's job id, from the parent SynchronizationJob. */
  jobId: pulumi.Input<string>;
  /** The parent adopted an existing job: create records how it runs and changes nothing. */
  adopted?: pulumi.Input<boolean>;
}

export class SynchronizationJobActivation extends EntraSyncResource {
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly jobId: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly restart: pulumi.Output<RestartSpec | undefined>;
  declare readonly waitFor: pulumi.Output<WaitFor | undefined>;
  declare readonly waitTimeoutSeconds: pulumi.Output<number | undefined>;
  declare readonly status: pulumi.Output<JobStatus>;
  declare readonly schedule: pulumi.Output<JobSchedule>;
  declare readonly stateVersion: pulumi.Output<number>;

  constructor(name: string, args: SynchronizationJobActivationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "SynchronizationJobActivation",
      name,
      {
        servicePrincipalId: args.servicePrincipalId,
        jobId: args.jobId,
        adopted: args.adopted,
        enabled: args.enabled,
        restart: args.restart,
        waitFor: args.waitFor,
        waitTimeoutSeconds: args.waitTimeoutSeconds,
        status: undefined,
        schedule: undefined,
        stateVersion: undefined,
      },
      opts,
    );
  }
}
