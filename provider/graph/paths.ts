/** Graph paths of the synchronization API, relative to the version root (/v1.0 or /beta). */

const seg = encodeURIComponent;

export const servicePrincipalPath = (sp: string) => `/servicePrincipals/${seg(sp)}`;
const synchronizationPath = (sp: string) => `${servicePrincipalPath(sp)}/synchronization`;
export const secretsPath = (sp: string) => `${synchronizationPath(sp)}/secrets`;
export const templatesPath = (sp: string) => `${synchronizationPath(sp)}/templates`;
export const jobsPath = (sp: string) => `${synchronizationPath(sp)}/jobs`;
export const jobPath = (sp: string, job: string) => `${jobsPath(sp)}/${seg(job)}`;
export const jobActionPath = (sp: string, job: string, action: "start" | "pause" | "restart" | "validateCredentials") => `${jobPath(sp, job)}/${action}`;
export const jobSchemaPath = (sp: string, job: string) => `${jobPath(sp, job)}/schema`;

export const templateSchemaPath = (sp: string, template: string) => `${templatesPath(sp)}/${seg(template)}/schema`;
/** `POST .../jobs/validateCredentials`: the collection-bound overload, usable before any job exists. */
export const jobsValidateCredentialsPath = (sp: string) => `${jobsPath(sp)}/validateCredentials`;
export const jobProvisionOnDemandPath = (sp: string, job: string) => `${jobPath(sp, job)}/provisionOnDemand`;
export const templatePath = (sp: string, template: string) => `${templatesPath(sp)}/${seg(template)}`;
