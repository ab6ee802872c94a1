/**
 * pulumi-entra-sync: Pulumi resources for Microsoft Entra ID application provisioning
 * (Microsoft Graph `servicePrincipals/{id}/synchronization`).
 */

export { SynchronizationJob, SynchronizationJobArgs, JobStatus, JobSchedule } from "./resources/job";
export { SynchronizationSecrets, SynchronizationSecretsArgs, SECRET_KEYS } from "./resources/secrets";
export { SynchronizationSchema, SynchronizationSchemaArgs } from "./resources/schema";
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
export { GraphRequestError, isGraphRequestError } from "./graph/errors";
export { ConnectionSettings, resolveConnectionSettings } from "./graph/connection";
