/**
 * The Pulumi ids of this package's resources: one rule to build them, one parser. Ids are stored
 * in every stack's state and compared by refresh ("still there, same id"), so what these return
 * for existing inputs never changes.
 *
 * The rule: a resource's id is the Graph path of what it stands for (../graph/paths.ts, which
 * URI-encodes each id in a path), and a record Graph does not hold (a job's claim, a secrets
 * revision) is the path of what it belongs to plus a `#` fragment. Encoding leaves the ids these
 * resources hold as they are (service principal ids are GUIDs; job ids are
 * `<template>.<hex>.<guid>`; template ids are names), so the ids written before this module,
 * some of them built without encoding, read the same.
 */

import { jobPath, jobProvisionOnDemandPath, jobSchemaPath, jobsPath, secretsPath } from "../graph/paths";

export const resourceIds = {
  /** A SynchronizationJob, and its SynchronizationJobActivation: the job. */
  job: (sp: string, jobId: string) => jobPath(sp, jobId),
  /** A SynchronizationJobClaim: the service principal's jobs, as they were at `claimedAt`. */
  claim: (sp: string, templateId: string, claimedAt: string) => `${jobsPath(sp)}#claim:${templateId}:${claimedAt}`,
  /** SynchronizationSecrets: the service principal's secrets. */
  secrets: (sp: string) => secretsPath(sp),
  /**
   * A SynchronizationSecretsRevision. The one id without the leading `/servicePrincipals/`: it
   * has been stored so since revisions exist.
   */
  secretsRevision: (sp: string) => `${secretsPath(sp).replace(/^\/servicePrincipals\//, "")}#revision`,
  /** A SynchronizationSchema: the job's schema. */
  schema: (sp: string, jobId: string) => jobSchemaPath(sp, jobId),
  /** A ProvisionOnDemand: the job's provisionOnDemand action. */
  onDemand: (sp: string, jobId: string) => jobProvisionOnDemandPath(sp, jobId),
} as const;

const JOB_ID = /^\/servicePrincipals\/([^/#]+)\/synchronization\/jobs\/([^/#]+)(?:\/schema|\/provisionOnDemand)?$/;

/**
 * The service principal and job of a job, activation, schema or on-demand id (decoded), or
 * undefined for any other string.
 */
export function parseResourceId(id: string): { servicePrincipalId: string; jobId: string } | undefined {
  const m = JOB_ID.exec(id);
  if (!m) return undefined;
  try {
    return { servicePrincipalId: decodeURIComponent(m[1]), jobId: decodeURIComponent(m[2]) };
  } catch {
    return undefined; // a malformed escape: not an id this package wrote
  }
}
