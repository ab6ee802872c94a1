/**
 * The handler of SynchronizationJob (../program/job.ts): the Graph job itself.
 *
 * create = list the jobs + POST job (job-creation.ts: at most one job, however the run fails, and
 * never somebody else's), or, adopting (`jobId`, `adopt: true`), read the job and write nothing;
 * read = GET job; delete = DELETE job + GETs until it is gone, unless another resource of the same
 * program holds the job. Starting, pausing, restarting and waiting are the activation's
 * (job-activation.ts), so that the engine has saved the job's id before anything starts it.
 */

import { graphApi } from "../graph/client";
import { waitUntil } from "../graph/wait";
import { readOrGone } from "../graph/errors";
import { jobPath, jobsPath } from "../graph/paths";
import { resourceIds } from "../state/ids";
import { withServicePrincipalLock } from "../graph/service-principal-lock";
import type { SynchronizationJob as GraphJob } from "../graph/types";
import { UserFacingError } from "../graph/user-facing";
import { declareHeld, isHeldByProgram } from "../ownership/held-by-program";
import { type CheckFailure, checkIdentifier, checkObjectId, checkOptionalBoolean, isUnknown } from "../validation";
import { logLine } from "../graph/log";
import { type CheckResult, configureFromStack, GONE, rejectUnknownInputs, replacementsOf, type ResourceHandler, type Versioned } from "./handler";
import type { JobClaim } from "./job-claim";
import { findJob, locateJob } from "./job-lookup";
import { createJobOnce } from "./job-creation";

export interface JobInputs {
  servicePrincipalId: string;
  /** Absent only when an adopted `jobId` names the job; outputs always have it. */
  templateId: string;
  /** The job to adopt (an input), or the job (an output). */
  jobId?: string;
  /** Adopt the one job of the template. */
  adopt?: boolean;
  /** The claim saved before a create (job-claim.ts); none when adopting. */
  claim?: JobClaim;
}

export interface JobOutputs extends JobInputs, Versioned {
  jobId: string;
  /** How the job came under this resource when it was not created: named by `jobId`, or `adopt`. */
  adoptedBy?: "jobId" | "adopt";
}

const INPUT_KEYS = ["servicePrincipalId", "templateId", "jobId", "adopt", "claim"];

/** Adoption that cannot be done: no such job, another template, several candidates. */
class JobAdoptionError extends UserFacingError {
  override readonly name = "JobAdoptionError";

  constructor(message: string) {
    super(message);
  }
}

/** How a create came by its job: adopting it (named by jobId, or the one job of the template), or not (created). */
function adoptedByOf(inputs: JobInputs): JobOutputs["adoptedBy"] {
  return inputs.jobId !== undefined ? "jobId" : inputs.adopt ? "adopt" : undefined;
}

/** The outputs for `job`; `adoptedBy` as the create found it, kept as stored by a read. */
function outputsOf(servicePrincipalId: string, job: GraphJob, inputs: Partial<JobOutputs>, adoptedBy: JobOutputs["adoptedBy"]): JobOutputs {
  return {
    servicePrincipalId,
    templateId: job.templateId,
    jobId: job.id,
    ...(inputs.adopt !== undefined ? { adopt: inputs.adopt } : {}),
    ...(inputs.claim !== undefined ? { claim: inputs.claim } : {}),
    ...(adoptedBy ? { adoptedBy } : {}),
  };
}

/** The inputs as a refresh stores them: a job adopted by id keeps that id as an input. */
function inputsOf(outs: JobOutputs): JobInputs {
  const inputs: JobInputs = { servicePrincipalId: outs.servicePrincipalId, templateId: outs.templateId };
  if (outs.adoptedBy === "jobId") inputs.jobId = outs.jobId;
  if (outs.adopt !== undefined) inputs.adopt = outs.adopt;
  if (outs.claim !== undefined) inputs.claim = outs.claim;
  return inputs;
}

function checkClaim(value: unknown, failures: CheckFailure[]): void {
  if (value === undefined || isUnknown(value)) return;
  const c = value as Partial<JobClaim>;
  const ok = c !== null && typeof c === "object" && Array.isArray(c.knownJobIds) && typeof c.claimedAt === "string";
  if (!ok) failures.push({ property: "claim", reason: "claim is set by SynchronizationJob itself, from its SynchronizationJobClaim" });
}

/** The existing job an adopting create takes: the named one, or the service principal's one job of the template. */
async function jobToAdopt(inputs: JobInputs): Promise<GraphJob> {
  const sp = inputs.servicePrincipalId;
  if (inputs.jobId) {
    const job = await findJob(sp, inputs.jobId);
    if (!job) {
      throw new JobAdoptionError(`jobId: service principal ${sp} has no synchronization job ${inputs.jobId} to adopt`);
    }
    if (inputs.templateId && job.templateId !== inputs.templateId) {
      throw new JobAdoptionError(`jobId: job ${inputs.jobId} was created from template "${job.templateId}", not "${inputs.templateId}" as templateId says`);
    }
    return job;
  }
  const jobs = (await graphApi().list<GraphJob>(jobsPath(sp), `list the synchronization jobs of service principal ${sp}`)).filter(
    (j) => j.templateId === inputs.templateId,
  );
  if (jobs.length !== 1) {
    throw new JobAdoptionError(
      `adopt: service principal ${sp} has ${jobs.length === 0 ? "no job" : `${jobs.length} jobs`} of template "${inputs.templateId}"` +
        (jobs.length > 1 ? ` (${jobs.map((j) => j.id).join(", ")}); name the one to adopt with jobId` : " to adopt"),
    );
  }
  return jobs[0];
}

export const handler: ResourceHandler<JobInputs, JobOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<JobInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    const hasJobId = news.jobId !== undefined && news.jobId !== null;
    if (hasJobId) checkIdentifier("jobId", news.jobId, "synchronization job id", failures);
    if (!hasJobId || (news.templateId !== undefined && news.templateId !== null)) {
      checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
    }
    checkOptionalBoolean("adopt", news.adopt, failures);
    if (hasJobId && news.adopt === true) {
      failures.push({ property: "adopt", reason: "adopt takes the one job of templateId; with jobId the job is named already: set one of them" });
    }
    checkClaim(news.claim, failures);
    rejectUnknownInputs("SynchronizationJob", INPUT_KEYS, news, failures);
    if (failures.length > 0) return { failures };
    const inputs: JobInputs = { servicePrincipalId: news.servicePrincipalId as string, templateId: news.templateId as string };
    if (hasJobId) inputs.jobId = news.jobId as string;
    if (news.adopt !== undefined && news.adopt !== null) inputs.adopt = news.adopt as boolean;
    if (news.claim !== undefined) inputs.claim = news.claim as JobClaim;
    if (!inputs.templateId) delete (inputs as Partial<JobInputs>).templateId;
    // A job the program names is held: no delete of this deployment removes it (a rename that adopts).
    if (hasJobId) declareHeld("job", inputs.servicePrincipalId, inputs.jobId);
    return { inputs };
  },

  async diff(_id, olds, news) {
    const replaces = replacementsOf<JobInputs>(olds, news);
    // An adopted job's template comes from Graph; a program that leaves templateId out keeps it.
    if (isUnknown(news.templateId) || (news.templateId !== undefined && olds.templateId !== news.templateId)) replaces.push("templateId");
    if (news.jobId !== undefined && (isUnknown(news.jobId) || news.jobId !== olds.jobId)) replaces.push("jobId");
    // The claim and adopt only matter to a create: changing them changes nothing in Graph.
    if (replaces.length === 0) declareHeld("job", olds.servicePrincipalId, olds.jobId);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  // Failure handling (no orphans, no duplicates, no takeovers): see job-creation.ts, job-activation.ts and README.
  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    if (inputs.jobId !== undefined || inputs.adopt) {
      const job = await jobToAdopt(inputs);
      declareHeld("job", sp, job.id);
      logLine(`adopting synchronization job ${job.id} of service principal ${sp}, as the program asks: nothing is written to it`);
      return { id: resourceIds.job(sp, job.id), outs: outputsOf(sp, job, inputs, adoptedByOf(inputs)) };
    }
    return withServicePrincipalLock(sp, async () => {
      const { job } = await createJobOnce(sp, inputs.templateId, inputs.claim, `create synchronization job from template "${inputs.templateId}"`);
      return { id: resourceIds.job(sp, job.id), outs: outputsOf(sp, job, inputs, undefined) };
    });
  },

  async read(id, props) {
    const { sp, jobId } = locateJob(id, props);
    const job = await findJob(sp, jobId);
    if (!job) return GONE;
    const outs = outputsOf(sp, job, props, props.adoptedBy);
    return { id: resourceIds.job(sp, job.id), props: outs, inputs: inputsOf(outs) as JobOutputs };
  },

  /** Never called: diff reports a change only with a replacement. The interface asks for it. */
  async update(_id, olds) {
    return { outs: olds };
  },

  async delete(id, props) {
    const { sp, jobId } = locateJob(id, props);
    if (isHeldByProgram("job", sp, jobId)) {
      logLine(`not deleting synchronization job ${jobId} of service principal ${sp}: another resource of this program holds it`);
      return;
    }
    await withServicePrincipalLock(sp, async () => {
      await readOrGone(() => graphApi().delete(jobPath(sp, jobId), `delete synchronization job ${jobId}`));
      await waitUntil(async () => (await findJob(sp, jobId)) === undefined, {
        description: `synchronization job ${jobId} to be deleted`,
        timeoutMs: graphApi().settings.consistencyTimeoutMs,
      });
    });
  },
};
