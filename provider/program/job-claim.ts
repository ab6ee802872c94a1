/**
 * SynchronizationJobClaim: the jobs a service principal had just before a SynchronizationJob
 * created its own, saved before the job's create runs. Every SynchronizationJob registers one
 * (job.ts); programs do not declare it themselves. Why, and what it records:
 * ../handlers/job-claim.ts.
 */

import type * as pulumi from "@pulumi/pulumi";
import { EntraSyncResource } from "./resource";

export class SynchronizationJobClaim extends EntraSyncResource {
  declare readonly knownJobIds: pulumi.Output<string[]>;
  declare readonly claimedAt: pulumi.Output<string>;

  constructor(name: string, args: { servicePrincipalId: pulumi.Input<string>; templateId: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(
      "SynchronizationJobClaim",
      name,
      { servicePrincipalId: args.servicePrincipalId, templateId: args.templateId, knownJobIds: undefined, claimedAt: undefined, stateVersion: undefined },
      opts,
    );
  }
}
