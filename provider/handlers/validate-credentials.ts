/**
 * Test provisioning credentials against the target application before they are saved
 * (`SynchronizationSecrets.validateCredentials`), as the portal's "Test Connection" does.
 *
 * Graph has two overloads (docs/graph-behaviour.md §4): `POST .../jobs/{job}/validateCredentials` and
 * the jobs-collection-bound `POST .../jobs/validateCredentials` naming the template, which works
 * before any job exists — the usual order, since a job is created after its credentials. Both
 * answer 204 when the target accepted the credentials and an error naming the target's answer
 * otherwise; that error fails the create/update before the secrets PUT, so rejected credentials
 * never replace working ones. The target's answer quotes the URL it called (BaseAddress, with any
 * credentials in it) and may echo what it was sent: the values are remembered for redaction
 * before the call, and the message is redacted (../redaction.ts).
 */

import { graphApi } from "../graph/client";
import { CredentialValidationError, isGraphRequestError } from "../graph/errors";
import { jobActionPath, jobsValidateCredentialsPath } from "../graph/paths";
import { redactText, rememberSecretValues } from "../redaction";

interface ValidationTarget {
  /** Validate with the job-bound overload (the job's template is used). */
  jobId?: string;
  /** Otherwise the collection-bound overload, for this template. */
  templateId?: string;
}

export async function validateCredentials(servicePrincipalId: string, credentials: Record<string, string>, target: ValidationTarget): Promise<void> {
  rememberSecretValues(credentials);
  const pairs = Object.entries(credentials).map(([key, value]) => ({ key, value }));
  const [path, body] = target.jobId
    ? [jobActionPath(servicePrincipalId, target.jobId, "validateCredentials"), { useSavedCredentials: false, credentials: pairs }]
    : [jobsValidateCredentialsPath(servicePrincipalId), { useSavedCredentials: false, templateId: target.templateId, credentials: pairs }];
  try {
    // Validation only reads the target, so a retry is harmless.
    await graphApi().post(path, body, "validate synchronization credentials", { idempotent: true });
  } catch (e) {
    // 400 is the target's verdict; anything else (401/403/404, throttling) is about the call itself.
    if (isGraphRequestError(e) && e.status === 400) throw new CredentialValidationError(e.code, e.graphMessage, e.requestId);
    throw e;
  }
}

/**
 * Test the credentials Graph has saved (`useSavedCredentials: true`) without sending any: Graph
 * masks saved values, so this is how refresh can tell that they are not the ones declared. The
 * target's rejection (400) is returned as a message; undefined means they work.
 */
export async function savedCredentialsRejection(servicePrincipalId: string, target: ValidationTarget): Promise<string | undefined> {
  const [path, body] = target.jobId
    ? [jobActionPath(servicePrincipalId, target.jobId, "validateCredentials"), { useSavedCredentials: true, credentials: [] }]
    : [jobsValidateCredentialsPath(servicePrincipalId), { useSavedCredentials: true, templateId: target.templateId, credentials: [] }];
  try {
    await graphApi().post(path, body, "validate the saved synchronization credentials", { idempotent: true });
    return undefined;
  } catch (e) {
    if (isGraphRequestError(e) && e.status === 400) return redactText(`${e.code}: ${e.graphMessage}`);
    throw e;
  }
}
