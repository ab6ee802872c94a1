/**
 * Creating a synchronization job at most once, although `POST .../jobs` is not idempotent and a
 * `pulumi up` can fail or be killed half way, and never taking over a job that somebody owns.
 *
 * Graph jobs carry no name, tag or description we could mark as ours, and their ids are chosen by
 * Graph, so "is this job the one I created?" can only be answered by what is observable:
 *
 * 1. Ambiguous POST (no answer, or a 5xx, after the request may have reached Graph): the client
 *    does not send it again (../graph/retry/transient.ts). We list the service principal's jobs
 *    before the POST; after an ambiguous failure we look for a job of our template that was not
 *    there before (after the wait a Retry-After asks for, once; without one, polling, since a new
 *    job may take a moment to be listed, until consistencyTimeoutSeconds or retryDeadlineSeconds,
 *    whichever comes first). Found: it is ours, we carry on with it. Not found: the POST did not
 *    take effect, and it is sent again (at most entra-sync:maxRetries times, never after
 *    retryDeadlineSeconds).
 * 2. `pulumi up` killed (SIGKILL, CI timeout) after the POST reached Graph and before the engine
 *    saved the id: the engine only has a "pending create" and the next run calls create again.
 *    Before the first attempt, the engine saved the resource's claim (job-claim.ts): the ids of
 *    every job the service principal had then. A job the interrupted create left behind is one
 *    that is not in the claim, of our template, never started (starting is the job's child
 *    resource's work, job-activation.ts, which the engine runs only once the job is saved), found
 *    within a day of the claim, and not created or adopted by this process for another resource.
 *    Exactly one such job is adopted; several are an error that lists them.
 * 3. Killed later: the job is in state, and the next run only does what is left (the child's
 *    create, which starts the job unless it is running already).
 *
 * Every other job is somebody's: a paused or running job of another stack, a job created in the
 * portal, the job of a resource this program renamed or replaces (its old resource deletes it at
 * the end of the `up`). None is ever taken over implicitly: create makes a job of its own and says
 * which jobs of the same template it left alone. Taking over an existing job is explicit (`jobId`).
 *
 * Nothing fails after the POST inside this create, so there is no half-created job to report or
 * roll back: a failed start fails the child, with the job already in state.
 */

import { graphApi } from "../graph/client";
import { waitUntil, WaitTimeoutError } from "../graph/wait";
import { mayHaveSucceeded, retryAfterOf } from "../graph/errors";
import { logLine } from "../graph/log";
import { jobsPath } from "../graph/paths";
import type { SynchronizationJob as GraphJob } from "../graph/types";
import { UserFacingError } from "../graph/user-facing";
import type { JobClaim } from "./job-claim";
import { timeOf } from "./job-status";

/** How long after its claim a job can still be taken for the leftover of an interrupted create. */
export const INTERRUPTED_CREATE_WINDOW_MS = 24 * 60 * 60_000;

interface CreatedJob {
  job: GraphJob;
  /** True when the job an interrupted create left behind was taken over instead of creating one. */
  adopted: boolean;
}

/** Every job this process created or adopted, by Graph endpoint, tenant and ids (see claimKey). */
const claimed = new Set<string>();

/** Job ids are unique within a tenant; the endpoint and tenant keep separate tenants (and emulators) apart. */
function claimKey(sp: string, jobId: string): string {
  const { graphEndpoint, tenantId } = graphApi().settings;
  return `${graphEndpoint}|${tenantId ?? ""}|${sp.toLowerCase()}/${jobId}`;
}

/** A job as Graph creates it and nobody has started. */
function neverStarted(job: GraphJob): boolean {
  return job.schedule?.state === "Disabled" && timeOf(job.status?.lastExecution?.timeBegan) === undefined;
}

/** Several jobs could be the one an interrupted create left: taking any of them could take somebody's. */
class AmbiguousLeftoverError extends UserFacingError {
  override readonly name = "AmbiguousLeftoverError";

  constructor(message: string) {
    super(message);
  }
}

/** The job an interrupted create of this resource left behind, if the rules above single one out. */
function leftoverOf(jobs: GraphJob[], sp: string, templateId: string, claim: JobClaim | undefined, now: number): GraphJob | undefined {
  if (!claim) return undefined;
  const claimedAt = Date.parse(claim.claimedAt);
  if (!(now - claimedAt <= INTERRUPTED_CREATE_WINDOW_MS)) return undefined;
  const known = new Set(claim.knownJobIds);
  const candidates = jobs.filter((j) => j.templateId === templateId && !known.has(j.id) && neverStarted(j) && !claimed.has(claimKey(sp, j.id)));
  if (candidates.length > 1) {
    throw new AmbiguousLeftoverError(
      `service principal ${sp} has ${candidates.length} never-started jobs of template "${templateId}" created since this resource's claim ` +
        `(${claim.claimedAt}): ${candidates.map((j) => j.id).join(", ")}. Any of them may be the one an interrupted pulumi up left ` +
        `behind, and the others somebody else's, so none is taken. Adopt the right one explicitly with the jobId input, ` +
        `or delete the ones nobody needs.`,
    );
  }
  return candidates[0];
}

export async function createJobOnce(sp: string, templateId: string, claim: JobClaim | undefined, operation: string): Promise<CreatedJob> {
  const api = graphApi();
  const before = await api.list<GraphJob>(jobsPath(sp), operation);
  const leftover = leftoverOf(before, sp, templateId, claim, api.clock.now());
  if (leftover) {
    claimed.add(claimKey(sp, leftover.id));
    logLine(
      `adopting synchronization job ${leftover.id} of service principal ${sp}: a never-started job of template "${templateId}" ` +
        `that appeared after this resource's claim, as an interrupted create leaves behind, instead of creating a second one`,
    );
    return { job: leftover, adopted: true };
  }
  const others = before.filter((j) => j.templateId === templateId);
  if (others.length > 0) {
    logLine(
      `service principal ${sp} already has synchronization job${others.length > 1 ? "s" : ""} ${others.map((j) => j.id).join(", ")} ` +
        `of template "${templateId}", which this resource did not create: left alone, and a job of this resource's own is created. ` +
        `To manage an existing job instead, adopt it with the jobId input.`,
    );
  }
  const known = new Set(before.map((j) => j.id));
  // The retry bounds hold over the whole create, resends and looks included: no resend starts
  // after retryDeadlineSeconds, and looking for a job ends at whichever deadline comes first.
  const { clock, settings } = api;
  const started = clock.now();
  const resendUntil = started + settings.retryDeadlineMs;
  const lookUntil = Math.min(resendUntil, started + settings.consistencyTimeoutMs);
  for (let resent = 0; ; resent++) {
    try {
      const created = await api.post<GraphJob>(jobsPath(sp), { templateId }, operation, { retryUntil: resendUntil });
      if (!created?.id) throw new Error("Graph created a synchronization job but returned no id");
      claimed.add(claimKey(sp, created.id));
      return { job: created, adopted: false };
    } catch (e) {
      if (!mayHaveSucceeded(e)) throw e;
      // How long to look depends on what the failure says. A 5xx with Retry-After is the service
      // saying "not now, come back in N s": it usually refused the request without processing it.
      // We wait what it asks (which also gives a job it did create time to be listed), look once,
      // and resend if no new job is there; polling for minutes would ignore the answer. A 5xx
      // without Retry-After or a broken connection says nothing about the outcome: the job may
      // exist and only be listed later, so we poll for as long as the bounds allow before
      // concluding that the request did not take effect. (A 429 never gets here: Graph refused
      // the request, and the client retries it as Retry-After asks.)
      const asked = retryAfterOf(e);
      let found: GraphJob | undefined;
      let mayResend: boolean;
      if (asked !== undefined) {
        mayResend = resent < settings.maxRetries && clock.now() + asked < resendUntil;
        if (mayResend) {
          logLine(`${operation}: Graph asked to come back in ${asked / 1000}s; then looking for a job the request may have created before sending it again`);
          await clock.sleep(asked);
        }
        found = await findNewJob(sp, templateId, known, operation, clock.now(), resendUntil);
      } else {
        logLine(`${operation}: the request may have created a job although it failed; looking for it before sending it again`);
        found = await findNewJob(sp, templateId, known, operation, lookUntil, resendUntil);
        mayResend = resent < settings.maxRetries && clock.now() < resendUntil;
      }
      if (found) {
        claimed.add(claimKey(sp, found.id));
        logLine(`${operation}: found job ${found.id}, created by the request that failed; carrying on with it`);
        return { job: found, adopted: false };
      }
      if (!mayResend) {
        const why = resent >= settings.maxRetries ? "no retries are left (entra-sync:maxRetries)" : "its deadline has passed (entra-sync:retryDeadlineSeconds)";
        logLine(`${operation}: no new job appeared, and the request is not sent again: ${why}`);
        throw e;
      }
      logLine(`${operation}: no new job appeared, so the request did not take effect; sending it again`);
    }
  }
}

/**
 * Look for a job of the template that was not there before: list the jobs, then again with a
 * growing interval until `lookUntil` (when that has passed: one look), since a new job may take a
 * moment to be listed. A throttled list is retried only until `retryUntil`.
 */
async function findNewJob(
  sp: string,
  templateId: string,
  known: ReadonlySet<string>,
  operation: string,
  lookUntil: number,
  retryUntil: number,
): Promise<GraphJob | undefined> {
  const api = graphApi();
  let found: GraphJob | undefined;
  try {
    await waitUntil(
      async () => {
        const jobs = await api.list<GraphJob>(jobsPath(sp), operation, { retryUntil });
        found = jobs.find((j) => j.templateId === templateId && !known.has(j.id));
        return found !== undefined;
      },
      {
        description: `a job created by the failed request to be listed`,
        timeoutMs: Math.max(0, lookUntil - api.clock.now()),
        onProgress: (line) => logLine(`${operation}: ${line}`),
      },
    );
  } catch (e) {
    if (found === undefined && e instanceof WaitTimeoutError) return undefined;
    throw e;
  }
  return found;
}
