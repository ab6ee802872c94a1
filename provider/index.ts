/**
 * pulumi-entra-sync: Pulumi resources for Microsoft Entra ID application provisioning
 * (Microsoft Graph `servicePrincipals/{id}/synchronization`).
 */

export { SynchronizationJob, SynchronizationJobArgs, JobStatus, JobSchedule } from "./resources/job";
export { SynchronizationSecrets, SynchronizationSecretsArgs, SECRET_KEYS } from "./resources/secrets";
export { GraphRequestError, isGraphRequestError } from "./graph/errors";
export { ConnectionSettings, resolveConnectionSettings } from "./graph/connection";
