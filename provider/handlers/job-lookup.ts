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

export function getJob(sp: string, jobId: string, consistency?: ConsistencyWindow): Promise<GraphJob> {
  return graphApi().get<GraphJob>(jobPath(sp, jobId), `read synchronization job ${jobId}`, consistency ? { consistency } : undefined);
}

/** The job, or undefined when Graph says it does not exist (deleted out of band). */
export function findJob(sp: string, jobId: string): Promise<GraphJob | undefined> {
  return readOrGone(() => getJob(sp, jobId));
}
