/**
 * The handler of SynchronizationJobActivation (../program/job-activation.ts): whether a
 * synchronization job runs, its restarts, and the waits for its cycles.
 *
 * Why a resource of its own: Pulumi saves a resource's id when its create returns, and only then.
 * If one create both created the job (POST) and started it, a `pulumi up` killed after the start
 * but before the engine saved the id would leave a running job nobody's state knows, and a running
 * job cannot be told apart from somebody else's (Graph jobs carry no name or tag), so the next
 * `pulumi up` would create a second one. With the start in a second resource, the engine has saved
 * the job before anything starts it:
 *  - killed before the job was saved: the job was never started, and the job's create adopts it
 *    (job-creation.ts);
 *  - killed after: the job is in state and this resource's create runs again; it starts the job
 *    only if it is not running and waits for a cycle that may already have ended.
 *
 * Graph calls: create = GET job (+ POST start or pause when the job is not as declared) + GET
 * read-back; read = GET job; update of `enabled` = POST start|pause + GET; a changed
 * `restart.trigger` = POST restart with the reset scope; delete = none (the job itself is deleted
 * right after, by its own resource). With `waitFor`, a create or update that starts or restarts
 * the job then polls GET job until a cycle has ended (job-wait.ts), reporting progress to the
 * `pulumi up` output.
 */

import { graphApi } from "../graph/client";
import { jobActionPath } from "../graph/paths";
import { resourceIds } from "../state/ids";
import { withServicePrincipalLock } from "../graph/service-principal-lock";
import type { SynchronizationJob as GraphJob } from "../graph/types";
import { checkRestart, type RestartSpec, restartBody } from "../settings/restart-scope";
import { checkWaitFor, checkWaitTimeout, DEFAULT_WAIT_TIMEOUT_SECONDS, type WaitFor } from "../settings/wait-for";
import { ACTIVATION_ARGS } from "../program/job-activation";
import type { JobSchedule, JobStatus } from "../program/job";
import { declareHeld } from "../ownership/held-by-program";
import { type CheckFailure, checkIdentifier, checkObjectId, checkOptionalBoolean, isUnknown } from "../validation";
import { changed, type CheckResult, configureFromStack, GONE, rejectUnknownInputs, replacementsOf, type ResourceHandler, type Versioned } from "./handler";
import { baselineOf, type CycleBaseline, waitForJob } from "./job-wait";
import { isRunning, jobStatusOf, scheduleOf } from "./job-status";
import { findJob, getJob, justCreated, locateJob } from "./job-lookup";
import { reportProgress } from "./progress";

const INPUT_KEYS: readonly string[] = ["servicePrincipalId", "jobId", "adopted", ...ACTIVATION_ARGS];

export interface ActivationInputs {
  servicePrincipalId: string;
  jobId: string;
  adopted?: boolean;
  enabled: boolean;
  restart?: RestartSpec;
  waitFor?: WaitFor;
  waitTimeoutSeconds?: number;
}

/** The inputs that are instructions to the provider, not properties of the Graph job. */
type JobOperations = Pick<ActivationInputs, "restart" | "waitFor" | "waitTimeoutSeconds">;

export interface ActivationOutputs extends ActivationInputs, Versioned {
  status: JobStatus;
  schedule: JobSchedule;
}

/** The declared operations, without undefined members (they are kept in state as given). */
function operationsOf(source: Partial<JobOperations>): JobOperations {
  const ops: JobOperations = {};
  if (source.restart !== undefined && source.restart !== null) ops.restart = source.restart;
  if (source.waitFor !== undefined && source.waitFor !== null) ops.waitFor = source.waitFor;
  if (source.waitTimeoutSeconds !== undefined && source.waitTimeoutSeconds !== null) ops.waitTimeoutSeconds = source.waitTimeoutSeconds;
  return ops;
}

function outputsOf(sp: string, job: GraphJob, enabled: boolean, operations: Partial<ActivationInputs> = {}): ActivationOutputs {
  return {
    servicePrincipalId: sp,
    jobId: job.id,
    ...(operations.adopted ? { adopted: true } : {}),
    enabled,
    ...operationsOf(operations),
    status: jobStatusOf(job),
    schedule: scheduleOf(job),
  };
}

/** Start and pause are idempotent (starting a running job changes nothing), so they may be retried. */
async function setRunning(sp: string, jobId: string, running: boolean): Promise<void> {
  const action = running ? "start" : "pause";
  await graphApi().post(jobActionPath(sp, jobId, action), undefined, `${action} synchronization job ${jobId}`, {
    idempotent: true,
    consistency: justCreated(jobId),
  });
}

/** A restart is due when the declared trigger differs from the one last applied (or there was none). */
function restartDue(previous: RestartSpec | undefined, next: RestartSpec | undefined): boolean {
  return next !== undefined && next.trigger !== previous?.trigger;
}

async function restartJob(sp: string, jobId: string, spec: RestartSpec): Promise<void> {
  const body = restartBody(spec.scope);
  reportProgress(`job ${jobId}: restarting (trigger "${spec.trigger}", reset scope ${body.criteria.resetScope})`);
  await graphApi().post(jobActionPath(sp, jobId, "restart"), body, `restart synchronization job ${jobId}`);
}

/** With `waitFor`, poll the job after a start or restart until a cycle since `baseline` has ended. */
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
  checkOptionalBoolean("enabled", news.enabled, failures);
  checkRestart("restart", news.restart, failures);
  checkWaitFor("waitFor", news.waitFor, failures);
  checkWaitTimeout("waitTimeoutSeconds", news.waitTimeoutSeconds, failures);
}

export const handler: ResourceHandler<ActivationInputs, ActivationOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<ActivationInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkIdentifier("jobId", news.jobId, "synchronization job id", failures);
    checkOptionalBoolean("adopted", news.adopted, failures);
    checkOperations(news, failures);
    rejectUnknownInputs("SynchronizationJobActivation", INPUT_KEYS, news, failures);
    if (failures.length > 0) return { failures };
    // The job this activation runs is held by the program: no delete of this deployment removes it.
    declareHeld("job", news.servicePrincipalId, news.jobId);
    return {
      inputs: {
        servicePrincipalId: news.servicePrincipalId as string,
        jobId: news.jobId as string,
        ...(news.adopted === true ? { adopted: true } : {}),
        enabled: (news.enabled as boolean | undefined) ?? true,
        ...operationsOf(news),
      },
    };
  },

  async diff(_id, olds, news) {
    // A new job (the parent was replaced) is a new activation: it starts the new job.
    const replaces = replacementsOf<ActivationInputs>(olds, news, ["jobId"]);
    const enabledChanged = isUnknown(news.enabled) || (olds.enabled ?? true) !== (news.enabled ?? true);
    // restart, waitFor and waitTimeoutSeconds change in place; only a new trigger makes Graph calls.
    const operationsChanged = changed(operationsOf(olds), operationsOf(news));
    return { changes: replaces.length > 0 || enabledChanged || operationsChanged, replaces, deleteBeforeReplace: false };
  },

  /**
   * Bring the job to the declared state. Usually the job was created a moment ago and never
   * started; after a killed `pulumi up` it may be running already, and then it is not started
   * again (Graph asks not to send start to a running job). Creating does not restart the job:
   * `restart` acts when its trigger changes later.
   */
  async create(inputs) {
    const { servicePrincipalId: sp, jobId } = inputs;
    if (inputs.adopted) {
      // Adoption writes nothing: how the job runs now is recorded, and a different declared
      // `enabled` is an ordinary change that the next preview shows and the next up applies.
      const live = await getJob(sp, jobId);
      return { id: resourceIds.job(sp, jobId), outs: outputsOf(sp, live, isRunning(live), inputs) };
    }
    const job = await withServicePrincipalLock(sp, async () => {
      const before = await getJob(sp, jobId, justCreated(jobId));
      if (isRunning(before) === inputs.enabled) return before;
      await setRunning(sp, jobId, inputs.enabled);
      return getJob(sp, jobId, justCreated(jobId));
    });
    // The wait is for the job's first cycle: any ended cycle counts, including one that ended while
    // a killed run was waiting for it. Waiting only reads, so it does not hold the lock.
    const settled = inputs.enabled ? await settle(sp, jobId, inputs, baselineOf(undefined), job) : job;
    return { id: resourceIds.job(sp, jobId), outs: outputsOf(sp, settled, inputs.enabled, inputs) };
  },

  async read(id, props) {
    const { sp, jobId } = locateJob(id, props);
    const job = await findJob(sp, jobId);
    if (!job) return GONE;
    // restart/waitFor/waitTimeoutSeconds are not visible in Graph: they are carried over as stored.
    const outs = outputsOf(sp, job, isRunning(job), props);
    const inputs: ActivationInputs = { servicePrincipalId: sp, jobId, ...(props.adopted ? { adopted: true } : {}), enabled: outs.enabled, ...operationsOf(props) };
    return { id: resourceIds.job(sp, jobId), props: outs, inputs: inputs as ActivationOutputs };
  },

  async update(id, olds, news) {
    const { sp, jobId } = locateJob(id, olds);
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

  /** Nothing to undo in Graph: the parent SynchronizationJob deletes the job right after. */
  async delete() {},
};
