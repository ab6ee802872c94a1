/**
 * Microsoft Graph synchronization types (v1.0), as the OpenAPI subset in
 * test/contract/openapi-synchronization-v1.0.json (Microsoft's OpenAPI) describes them. Shared by the provider and
 * the emulator: this file and the expression language are the only code they have in common.
 */

type SynchronizationScheduleState = "Active" | "Disabled" | "Paused";
type SynchronizationStatusCode = "NotConfigured" | "NotRun" | "Active" | "Paused" | "Quarantine";
export type QuarantineReason =
  | "EncounteredBaseEscrowThreshold"
  | "EncounteredTotalEscrowThreshold"
  | "EncounteredEscrowProportionThreshold"
  | "EncounteredQuarantineException"
  | "Unknown"
  | "QuarantinedOnDemand"
  | "TooManyDeletes"
  | "IngestionInterrupted";

export interface SynchronizationSchedule {
  expiration: string | null;
  interval: string;
  state: SynchronizationScheduleState;
}

export interface SynchronizationError {
  code: string | null;
  message: string | null;
  tenantActionable: boolean;
}

interface SynchronizationQuarantine {
  currentBegan: string | null;
  error: SynchronizationError | null;
  nextAttempt: string | null;
  reason: QuarantineReason | null;
  seriesBegan: string | null;
  seriesCount: number;
}

/** The time Graph reports for what has not happened (a job's first cycle, before it ran). */
export const NEVER = "0001-01-01T00:00:00Z";

export interface SynchronizationTaskExecution {
  activityIdentifier: string | null;
  countEntitled: number;
  countEntitledForProvisioning: number;
  countEscrowed: number;
  countEscrowedRaw: number;
  countExported: number;
  countExports: number;
  countImported: number;
  countImportedDeltas: number;
  countImportedReferenceDeltas: number;
  error: SynchronizationError | null;
  state: "Succeeded" | "Failed" | "EntryLevelErrors";
  timeBegan: string;
  timeEnded: string;
}

interface SynchronizationProgress {
  completedUnits: number;
  progressObservationDateTime: string;
  totalUnits: number;
  units: string | null;
}

export interface StringKeyLongValuePair {
  key: string | null;
  value: number;
}

export interface SynchronizationStatus {
  code: SynchronizationStatusCode;
  countSuccessiveCompleteFailures: number;
  escrowsPruned: boolean;
  lastExecution: SynchronizationTaskExecution | null;
  lastSuccessfulExecution: SynchronizationTaskExecution | null;
  lastSuccessfulExecutionWithExports: SynchronizationTaskExecution | null;
  progress: SynchronizationProgress[];
  quarantine: SynchronizationQuarantine | null;
  steadyStateFirstAchievedTime: string;
  steadyStateLastAchievedTime: string;
  synchronizedEntryCountByType: StringKeyLongValuePair[];
  troubleshootingUrl: string | null;
}

export interface KeyValuePair {
  name: string;
  value: string | null;
}

export interface SynchronizationJob {
  id: string;
  templateId: string;
  schedule: SynchronizationSchedule;
  status: SynchronizationStatus;
  synchronizationJobSettings: KeyValuePair[];
  /** Contained navigation; present only when expanded or on the schema endpoint. */
  schema?: SynchronizationSchema;
}

export interface SynchronizationSecretKeyStringValuePair {
  key: SynchronizationSecretKey;
  value: string;
}

export interface SynchronizationMetadataEntry {
  key: string;
  value: string | null;
}

export interface SynchronizationTemplate {
  id: string;
  applicationId: string;
  default: boolean;
  description: string | null;
  discoverable: boolean;
  factoryTag: string;
  metadata: SynchronizationMetadataEntry[];
  schema?: SynchronizationSchema;
}

// --- schema -------------------------------------------------------------------------------------

export type AttributeType = "String" | "Integer" | "Reference" | "Binary" | "Boolean" | "DateTime";
export type Mutability = "ReadWrite" | "ReadOnly" | "Immutable" | "WriteOnly";

export interface StringKeyStringValuePair {
  key: string | null;
  value: string | null;
}

export interface MetadataEntry {
  key: string;
  value: string | null;
}

export interface ReferencedObject {
  referencedObjectName: string | null;
  referencedProperty: string | null;
}

export interface AttributeDefinition {
  anchor: boolean;
  apiExpressions: StringKeyStringValuePair[];
  caseExact: boolean;
  defaultValue: string | null;
  flowNullValues: boolean;
  metadata: MetadataEntry[];
  multivalued: boolean;
  mutability: Mutability;
  name: string;
  referencedObjects: ReferencedObject[];
  required: boolean;
  type: AttributeType;
}

export interface ObjectDefinition {
  attributes: AttributeDefinition[];
  metadata: MetadataEntry[];
  name: string;
  supportedApis: string[];
}

export interface DirectoryDefinition {
  id: string;
  discoverabilities: string;
  discoveryDateTime: string | null;
  name: string;
  objects: ObjectDefinition[];
  readOnly: boolean;
  version: string | null;
}

export interface AttributeMappingSource {
  expression: string | null;
  name: string | null;
  parameters: { key: string; value: AttributeMappingSource }[];
  type: "Attribute" | "Constant" | "Function";
}

export interface AttributeMapping {
  defaultValue: string | null;
  exportMissingReferences: boolean;
  flowBehavior: "FlowWhenChanged" | "FlowAlways";
  flowType: "Always" | "ObjectAddOnly" | "MultiValueAddOnly" | "ValueAddOnly" | "AttributeAddOnly";
  matchingPriority: number;
  source: AttributeMappingSource | null;
  targetAttributeName: string;
}

export interface FilterClause {
  operatorName: string;
  sourceOperandName: string;
  targetOperand: { values: string[] } | null;
}

export interface FilterGroup {
  clauses: FilterClause[];
  name: string;
}

export interface Filter {
  categoryFilterGroups: FilterGroup[];
  groups: FilterGroup[];
  inputFilterGroups: FilterGroup[];
}

/** One parameter of a mapping function, as `GET .../schema/functions` lists it. */
export interface AttributeMappingParameterSchema {
  allowMultipleOccurrences: boolean;
  name: string;
  required: boolean;
  type: AttributeType;
}

/** A function usable in attribute-mapping expressions (`GET .../schema/functions`). */
export interface AttributeMappingFunctionSchema {
  name: string;
  parameters: AttributeMappingParameterSchema[];
}

/** A scoping-filter operator (`GET .../schema/filterOperators`). */
export interface FilterOperatorSchema {
  arity: "Binary" | "Unary";
  multivaluedComparisonType: "All" | "Any";
  name: string;
  supportedAttributeTypes: AttributeType[];
}

export interface ObjectMapping {
  attributeMappings: AttributeMapping[];
  enabled: boolean;
  flowTypes: string;
  metadata: MetadataEntry[];
  name: string;
  scope: Filter | null;
  sourceObjectName: string;
  targetObjectName: string;
}

export interface SynchronizationRule {
  containerFilter?: unknown;
  editable: boolean;
  groupFilter?: unknown;
  id: string;
  metadata: StringKeyStringValuePair[];
  name: string;
  objectMappings: ObjectMapping[];
  priority: number;
  sourceDirectoryName: string;
  targetDirectoryName: string;
}

export interface SynchronizationSchema {
  id?: string;
  directories: DirectoryDefinition[];
  synchronizationRules: SynchronizationRule[];
  version?: string | null;
}

// --- errors -------------------------------------------------------------------------------------

/** OData error body, as every Graph error response carries it. */
export interface ODataErrorBody {
  error: {
    code: string;
    message: string;
    target?: string;
    details?: { code: string; message: string; target?: string }[];
    innerError?: {
      "request-id"?: string;
      "client-request-id"?: string;
      date?: string;
      [k: string]: unknown;
    };
  };
}

export interface ODataCollection<T> {
  "@odata.context"?: string;
  "@odata.nextLink"?: string;
  value: T[];
}

// --- secret keys --------------------------------------------------------------------------------

/** The `microsoft.graph.synchronizationSecret` enum (45 members) from the v1.0 OpenAPI. */
export const SYNCHRONIZATION_SECRET_KEYS = [
  "None",
  "UserName",
  "Password",
  "SecretToken",
  "AppKey",
  "BaseAddress",
  "ClientIdentifier",
  "ClientSecret",
  "SingleSignOnType",
  "Sandbox",
  "Url",
  "Domain",
  "ConsumerKey",
  "ConsumerSecret",
  "TokenKey",
  "TokenExpiration",
  "Oauth2AccessToken",
  "Oauth2AccessTokenCreationTime",
  "Oauth2RefreshToken",
  "SyncAll",
  "InstanceName",
  "Oauth2ClientId",
  "Oauth2ClientSecret",
  "CompanyId",
  "UpdateKeyOnSoftDelete",
  "SynchronizationSchedule",
  "SystemOfRecord",
  "SandboxName",
  "EnforceDomain",
  "SyncNotificationSettings",
  "SkipOutOfScopeDeletions",
  "Oauth2AuthorizationCode",
  "Oauth2RedirectUri",
  "ApplicationTemplateIdentifier",
  "Oauth2TokenExchangeUri",
  "Oauth2AuthorizationUri",
  "AuthenticationType",
  "Server",
  "PerformInboundEntitlementGrants",
  "HardDeletesEnabled",
  "SyncAgentCompatibilityKey",
  "SyncAgentADContainer",
  "ValidateDomain",
  "TestReferences",
  "ConnectionString",
] as const;

export type SynchronizationSecretKey = (typeof SYNCHRONIZATION_SECRET_KEYS)[number];

/** The application permission every write in this API needs. */
export const SYNCHRONIZATION_WRITE_ROLE = "Synchronization.ReadWrite.All";
