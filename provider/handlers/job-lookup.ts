/**
 * Finding a synchronization job from a resource's id or stored outputs, and reading it: shared by
 * the job, its activation and the schema.
 */

import { graphApi } from "../graph/client";
import { readOrGone } from "../graph/errors";
import { jobPath } from "../graph/paths";
import type { ConsistencyWindow } from "../graph/retry/consistency";
import type { SynchronizationJob as GraphJob } from "../graph/types";
import { parseResourceId } from "../state/ids";

/**
 * The service principal and job a resource stands for, from its stored outputs or else from its
 * id (a job, activation, schema or on-demand id: ../state/ids.ts).
 */
export function locateJob(id: string, props: { servicePrincipalId?: string; jobId?: string }): { sp: string; jobId: string } {
  const parsed = parseResourceId(id);
  const sp = props.servicePrincipalId ?? parsed?.servicePrincipalId;
  const jobId = props.jobId ?? parsed?.jobId;
  if (!sp || !jobId) throw new Error(`cannot tell the service principal and job from resource id "${id}"`);
  return { sp, jobId };
}

/**
 * A job created a moment ago may answer 404 (or 409 while the backend still sets it up) for a
 * while: calls right after its create wait that out, up to entra-sync:consistencyTimeoutSeconds,
 * through the retry layer's consistency strategy (../graph/retry/consistency.ts), which logs each
 * round like any other retry. `statuses` narrows what counts as "not visible yet".
 */
export function justCreated(jobId: string, statuses: readonly number[] = [404, 409]): ConsistencyWindow {
  return { description: `synchronization job ${jobId} to become visible`, statuses };
}

export function getJob(sp: string, jobId: string, consistency?: ConsistencyWindow): Promise<GraphJob> {
  return graphApi().get<GraphJob>(jobPath(sp, jobId), `read synchronization job ${jobId}`, consistency ? { consistency } : undefined);
}

/** The job, or undefined when Graph says it does not exist (deleted out of band). */
export function findJob(sp: string, jobId: string): Promise<GraphJob | undefined> {
  return readOrGone(() => getJob(sp, jobId));
}
