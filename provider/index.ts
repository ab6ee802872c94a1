/**
 * pulumi-entra-sync: Pulumi resources for Microsoft Entra ID application provisioning
 * (Microsoft Graph `servicePrincipals/{id}/synchronization`).
 */

export { SynchronizationJob, SynchronizationJobArgs, JobStatus, JobSchedule } from "./program/job";
export { SynchronizationJobActivation } from "./program/job-activation";
export { SynchronizationSecrets, SynchronizationSecretsArgs, SECRET_KEYS } from "./program/secrets";
export { SynchronizationSchema, SynchronizationSchemaArgs } from "./program/schema";
export type {
  AttributeMappingCustomization,
  ExtensionAttribute,
  ExtensionAttributes,
  ObjectMappingCustomization,
  ScopingClause,
  ScopingFilter,
} from "./schema/customization";
export {
  canonicalExpression,
  evaluateExpression,
  parseExpression,
  validateExpression,
  MAPPING_FUNCTIONS,
  type EvaluationResult,
  type SourceObject,
} from "./schema/expression";
export { FILTER_OPERATORS } from "./schema/filter-operators";
export { isInScope } from "./schema/scope";
export type { EffectiveAttributeMapping, EffectiveMappings, EffectiveObjectMapping } from "./schema/keyed";
export { CredentialValidationError, GraphRequestError, isGraphRequestError } from "./graph/errors";
export { ConnectionSettings, ImpactSettings, resolveConnectionSettings } from "./graph/connection";
export { previewProvisioningImpact, type ProvisioningImpactOptions } from "./impact/api";
export { renderImpact, type ImpactDetail } from "./impact/render";
export { IMPACT_REPORT_VERSION } from "./impact/report";
export type { AttributeChange, EvaluationFailure, ImpactReport, MappingImpact, ObjectAction, ObjectPrediction, SampleSummary, ValueText } from "./impact/report";
export type { JobExecutionSummary, JobProgress, JobQuarantineSummary } from "./program/job";
export { RESTART_SCOPES, DEFAULT_RESTART_SCOPE, resetScopeString } from "./settings/restart-scope";
export type { RestartScope, RestartSpec } from "./settings/restart-scope";
export { WAIT_TARGETS, DEFAULT_WAIT_TIMEOUT_SECONDS } from "./settings/wait-for";
export type { WaitFor } from "./settings/wait-for";
export { PROVISIONING_SCOPES, settingsToSecrets } from "./settings/provisioning-settings";
export type { ProvisioningScope, ProvisioningSettings } from "./settings/provisioning-settings";
export { ProvisionOnDemand, ProvisionOnDemandArgs, ProvisionOnDemandSubject } from "./program/provision-on-demand";
export type { OnDemandStep, OnDemandSubjectResult } from "./on-demand/result";
export {
  findTemplateByFactoryTag,
  getSynchronizationTemplate,
  getSynchronizationTemplates,
  getSynchronizationTemplatesOutput,
  getTemplateSchema,
  getTemplateSchemaOutput,
} from "./functions/templates";
export type { GetSynchronizationTemplatesArgs, GetTemplateSchemaArgs, SynchronizationTemplateInfo } from "./functions/templates";
