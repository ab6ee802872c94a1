/**
 * ProvisionOnDemand: provision chosen users or groups through a job now, instead of waiting for
 * the next cycle (`POST .../jobs/{job}/provisionOnDemand`), and keep what happened as outputs. An
 * action: it runs on create and again whenever `subjects`, `ruleId` or `triggers` change; delete
 * does nothing in Graph. How it runs: ../handlers/provision-on-demand.ts.
 */

import type * as pulumi from "@pulumi/pulumi";
import type { OnDemandSubject, OnDemandSubjectResult } from "../on-demand/result";
import { EntraSyncResource } from "./resource";

export interface ProvisionOnDemandSubject {
  /** The object's id in the source: an Entra user or group object id (a DN for AD -> Entra). */
  objectId: pulumi.Input<string>;
  /** Its object type in the source directory: "User" or "Group" for Entra ID. */
  objectTypeName: pulumi.Input<string>;
  /** For a group: object ids of members (users) to provision with it; Graph takes up to five. */
  members?: pulumi.Input<pulumi.Input<string>[]>;
}

/** A subject as stored: the Graph subject plus optional group members. */
export interface OnDemandSubjectInput extends OnDemandSubject {
  members?: string[];
}

export interface ProvisionOnDemandArgs {
  /** Object id of the service principal (enterprise application). */
  servicePrincipalId: pulumi.Input<string>;
  /** Graph's job id, e.g. `job.jobId` of a SynchronizationJob. */
  jobId: pulumi.Input<string>;
  /** The users or groups to provision, in order. */
  subjects: pulumi.Input<pulumi.Input<ProvisionOnDemandSubject>[]>;
  /** The synchronization rule to use; by default the job's rule for each subject's object type. */
  ruleId?: pulumi.Input<string>;
  /** Any values; changing one provisions the subjects again. */
  triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class ProvisionOnDemand extends EntraSyncResource {
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly jobId: pulumi.Output<string>;
  declare readonly subjects: pulumi.Output<OnDemandSubjectInput[]>;
  declare readonly ruleId: pulumi.Output<string | undefined>;
  declare readonly triggers: pulumi.Output<Record<string, string> | undefined>;
  /** What the provisioning service did with each subject. */
  declare readonly results: pulumi.Output<OnDemandSubjectResult[]>;
  declare readonly stateVersion: pulumi.Output<number>;

  constructor(name: string, args: ProvisionOnDemandArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "ProvisionOnDemand",
      name,
      {
        servicePrincipalId: args.servicePrincipalId,
        jobId: args.jobId,
        subjects: args.subjects,
        ruleId: args.ruleId,
        triggers: args.triggers,
        results: undefined,
        stateVersion: undefined,
      },
      opts,
    );
  }
}
