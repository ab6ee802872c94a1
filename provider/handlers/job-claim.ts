/**
 * The handler of SynchronizationJobClaim (../program/job-claim.ts): the jobs a service principal
 * had just before a SynchronizationJob created its own, saved before the job's create runs. Every
 * SynchronizationJob registers one (job.ts); programs do not declare it themselves.
 *
 * Why: Graph jobs carry no name or tag, so the job left behind by a `pulumi up` killed after
 * Graph created a job and before the engine saved its id looks like any other job. This record
 * tells them apart: a job that was already there when the claim was saved belongs to somebody
 * else (another stack, the portal, a renamed or replaced resource of this stack) and is never
 * taken over. Only a job that appeared after the claim, of the claimed template, never started,
 * within a day of the claim, can be what an interrupted create left (job-creation.ts).
 *
 * Graph calls: create = GET the service principal's jobs; read, update and delete: none (what was
 * there before the job's create is history; refresh must not rewrite it).
 */

import { graphApi } from "../graph/client";
import { jobsPath } from "../graph/paths";
import type { SynchronizationJob as GraphJob } from "../graph/types";
import { resourceIds } from "../state/ids";
import { type CheckFailure, checkIdentifier, checkObjectId } from "../validation";
import { type CheckResult, configureFromStack, replacementsOf, type ResourceHandler, type Versioned } from "./handler";

/** What a job's create needs from its claim. */
export interface JobClaim {
  /** Ids of the service principal's jobs (of any template) when the claim was saved. */
  knownJobIds: string[];
  /** When the claim was saved (ISO 8601). */
  claimedAt: string;
}

export interface JobClaimInputs {
  servicePrincipalId: string;
  templateId: string;
}

export interface JobClaimOutputs extends JobClaimInputs, JobClaim, Versioned {}

export const handler: ResourceHandler<JobClaimInputs, JobClaimOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<JobClaimInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
    if (failures.length > 0) return { failures };
    return { inputs: { servicePrincipalId: news.servicePrincipalId as string, templateId: news.templateId as string } };
  },

  /** A claim is for one service principal and template: another is another claim. */
  async diff(_id, olds, news) {
    const replaces = replacementsOf<JobClaimInputs>(olds, news, ["templateId"]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    const jobs = await graphApi().list<GraphJob>(jobsPath(sp), `list the synchronization jobs of service principal ${sp}`);
    const claimedAt = new Date(graphApi().clock.now()).toISOString();
    const outs: JobClaimOutputs = { ...inputs, knownJobIds: jobs.map((j) => j.id).sort(), claimedAt };
    return { id: resourceIds.claim(sp, inputs.templateId, claimedAt), outs };
  },

  async read(id, props) {
    return { id, props, inputs: { servicePrincipalId: props.servicePrincipalId, templateId: props.templateId } as JobClaimOutputs };
  },

  /** Never called: diff reports a change only with a replacement. */
  async update(_id, olds) {
    return { outs: olds };
  },

  async delete() {},
};
