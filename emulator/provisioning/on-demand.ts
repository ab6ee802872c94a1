/**
 * provisionOnDemand: provision one user, or one group with up to five of its members, right now,
 * through the job's schema, and report it the way Graph does — a stringKeyStringValuePair whose
 * `key` is `{"result": ..., "details": {...}}` and whose `value` is the provisioning object
 * summary (provisioningSteps, modifiedProperties, statusInfo, identities), both JSON serialized
 * into strings (provisionOnDemand doc example 1).
 *
 * Limits from "On-demand provisioning" (Known limitations): one subject per request; a group with
 * up to five members. The test-connection step is only reported when it fails.
 */
import type { SynchronizationSchema } from "../../provider/graph/types";
import { isoNow, type Clock } from "../core/clock";
import { testConnection } from "./test-connection";
import { badRequestBody, syncfabricError } from "../http/errors";
import type { ConnectorStore, TenantState } from "../tenant/store";
import { emptyConnectorStore } from "./connector-store";
import { provisionEntry } from "./entry";
import type { EvaluationContext } from "./evaluate";
import { entryContext, jobSetup, testConnectionAttribute } from "./job-setup";
import { step, type EntryReport } from "./report";
import { SourceDirectory } from "./source-directory";
import type { TargetHttp } from "./target-http";

export interface OnDemandSubject {
  objectId: string;
  objectTypeName: string;
  members: { objectId: string; objectTypeName: string }[];
}

export interface OnDemandRequest {
  ruleId: string;
  subject: OnDemandSubject;
}

/** Inner error code for a ruleId that names no rule of the job's schema (INFER: undocumented). */
const INVALID_RULE_ID = "InvalidRuleId";
/** Inner error code for requests beyond the documented on-demand limits (INFER: undocumented). */
const INVALID_ON_DEMAND_REQUEST = "InvalidProvisionOnDemandRequest";
const MAX_GROUP_MEMBERS = 5;

/** Read the action's body ({parameters: [{ruleId, subjects: [{objectId, objectTypeName, links}]}]}). */
export function readOnDemandRequest(body: unknown): OnDemandRequest {
  const object = requireObject(body, "The request body must be a JSON object.");
  allowOnly(object, ["parameters"], "parameter", "provisionOnDemand");
  const parameters = object.parameters;
  if (!Array.isArray(parameters) || parameters.length === 0) throw badRequestBody("The parameter 'parameters' is required and must be a non-empty collection.");
  if (parameters.length > 1) {
    throw syncfabricError(400, INVALID_ON_DEMAND_REQUEST, "On-demand provisioning accepts a single rule and subject per request.");
  }
  const parameter = requireObject(parameters[0], "Each item of 'parameters' must be a microsoft.graph.synchronizationJobApplicationParameters object.");
  allowOnly(parameter, ["ruleId", "subjects"], "property", "microsoft.graph.synchronizationJobApplicationParameters");
  if (typeof parameter.ruleId !== "string" || parameter.ruleId === "") throw badRequestBody("The property 'ruleId' is required and must be a string.");
  const subjects = parameter.subjects;
  if (!Array.isArray(subjects) || subjects.length === 0) throw badRequestBody("The property 'subjects' is required and must be a non-empty collection.");
  if (subjects.length > 1) {
    throw syncfabricError(400, INVALID_ON_DEMAND_REQUEST, "On-demand provisioning accepts one user, or one group with up to five members, per request.");
  }
  const subject = readSubject(subjects[0]);
  const links = (subjects[0] as Record<string, unknown>).links;
  const members = links === undefined || links === null ? [] : readMembers(links);
  if (members.length > MAX_GROUP_MEMBERS) {
    throw syncfabricError(400, INVALID_ON_DEMAND_REQUEST, `On-demand provisioning of a group supports up to ${MAX_GROUP_MEMBERS} members at a time.`);
  }
  return { ruleId: parameter.ruleId, subject: { ...subject, members } };
}

interface OnDemandInput {
  state: TenantState;
  servicePrincipalId: string;
  factoryTag: string;
  schema: SynchronizationSchema;
  connector: ConnectorStore | undefined;
  credentials: ReadonlyMap<string, string>;
  http: TargetHttp;
  /** A fresh GUID for the test connection's query. */
  probeValue: string;
  /** Clock, random stream and default domain for expressions. */
  evaluation: EvaluationContext;
  /** When the request and its steps happened. */
  clock: Clock;
  request: OnDemandRequest;
}

export interface OnDemandOutcome {
  report: EntryReport;
  /** The job's connector store, updated (the caller persists it). */
  connector: ConnectorStore;
  /** The rule's source and target directory names (sourceSystem/targetSystem of the summary). */
  sourceSystem: string;
  targetSystem: string;
}

export async function runOnDemand(input: OnDemandInput): Promise<OnDemandOutcome> {
  const { schema, request } = input;
  const rule = schema.synchronizationRules.find((r) => sameRuleId(r.id, request.ruleId));
  if (!rule) {
    throw syncfabricError(400, INVALID_RULE_ID, `The rule '${request.ruleId}' is not a synchronization rule of this job's schema.`);
  }
  if (rule.metadata.some((m) => m.key === "supportsProvisionOnDemand" && (m.value ?? "").toLowerCase() === "false")) {
    throw syncfabricError(400, INVALID_ON_DEMAND_REQUEST, `The rule '${rule.id}' does not support on-demand provisioning.`);
  }
  const mappingFor = (objectTypeName: string) => rule.objectMappings.find((m) => m.enabled && m.sourceObjectName.toLowerCase() === objectTypeName.toLowerCase());
  const objectMapping = mappingFor(request.subject.objectTypeName);
  if (!objectMapping) {
    throw syncfabricError(400, INVALID_ON_DEMAND_REQUEST, `The rule '${rule.id}' has no enabled object mapping for '${request.subject.objectTypeName}'.`);
  }
  const connector = input.connector ?? emptyConnectorStore();
  const systems = { sourceSystem: rule.sourceDirectoryName, targetSystem: rule.targetDirectoryName };
  const objectName = objectMapping.sourceObjectName;
  const startTime = isoNow(input.clock);
  const base = {
    sourceId: request.subject.objectId,
    sourceObjectName: objectName,
    reportableIdentifier: request.subject.objectId,
    targetObjectName: objectMapping.targetObjectName,
    startTime,
  };

  const check = await testConnection(input.factoryTag, input.credentials, {
    http: input.http,
    matchingAttribute: testConnectionAttribute(schema),
    probeValue: input.probeValue,
  });
  if (!check.ok) {
    return {
      ...systems,
      connector,
      report: failure(
        input.clock,
        base,
        check.error.code ?? "CredentialValidationFailure",
        check.error.message ?? "",
        "TestConnection",
        "Export",
        "Testing the connection to the target application failed.",
      ),
    };
  }

  const setup = jobSetup(input.credentials, input.http, input.evaluation, input.clock);
  const directory = new SourceDirectory(input.state, input.servicePrincipalId, setup.syncAll);
  const entry = directory.entry(objectName, request.subject.objectId);
  if (!entry) {
    const message = `The ${objectName} '${request.subject.objectId}' was not found in ${rule.sourceDirectoryName}.`;
    return { ...systems, connector, report: failure(input.clock, base, "ObjectNotFound", message, "EntryImport", "Import", message) };
  }
  // A group's listed members go first, so the group's members resolve to their target ids.
  const memberMapping = mappingFor("User");
  const groupMembers = new Set(input.state.groupMembers[entry.id] ?? []);
  for (const member of request.subject.members) {
    const memberEntry = memberMapping && groupMembers.has(member.objectId) ? directory.entry(memberMapping.sourceObjectName, member.objectId) : undefined;
    if (memberEntry && memberMapping) await provisionEntry(memberEntry, entryContext(schema, rule, memberMapping, setup, connector));
  }
  const report = await provisionEntry(entry, entryContext(schema, rule, objectMapping, setup, connector));
  return { ...systems, connector, report };
}

/** The stringKeyStringValuePair Graph answers with. */
export function onDemandResponse(outcome: OnDemandOutcome, changeId: string): { key: string; value: string } {
  const { report, sourceSystem, targetSystem } = outcome;
  const details = report.status === "Success" ? {} : { errorCode: report.errorCode, errorMessage: report.errorMessage };
  const summary = {
    action: report.action,
    changeId,
    endTime: report.endTime,
    modifiedProperties: report.modifiedProperties,
    provisioningSteps: report.steps,
    reportableIdentifier: report.reportableIdentifier,
    startTime: report.startTime,
    statusInfo: {
      status: report.status,
      errorCode: report.status === "Failure" ? report.errorCode : null,
      reason: report.status === "Failure" ? report.errorMessage : null,
      additionalDetails: null,
      errorCategory: report.status === "Failure" ? "NonServiceFailure" : null,
      recommendedAction: null,
    },
    sourceIdentity: { id: report.sourceId, type: report.sourceObjectName, displayName: null, details: null },
    sourceSystem: { id: null, name: sourceSystem, details: null },
    targetIdentity: { id: report.targetId, type: report.targetObjectName, displayName: null, details: null },
    targetSystem: { id: null, name: targetSystem, details: null },
  };
  return { key: JSON.stringify({ result: report.status, details }), value: JSON.stringify(summary) };
}

/** Rule ids may carry a version suffix in requests ("...#V2" in the doc's group example). */
function sameRuleId(schemaRuleId: string, requested: string): boolean {
  const bare = (id: string) => id.split("#")[0].toLowerCase();
  return schemaRuleId.toLowerCase() === requested.toLowerCase() || bare(schemaRuleId) === bare(requested);
}

function failure(
  clock: Clock,
  base: Pick<EntryReport, "sourceId" | "sourceObjectName" | "reportableIdentifier" | "targetObjectName" | "startTime">,
  errorCode: string,
  errorMessage: string,
  stepName: string,
  stepType: "Import" | "Export",
  description: string,
): EntryReport {
  return {
    ...base,
    status: "Failure",
    action: "Other",
    errorCode,
    errorMessage,
    steps: [step(clock, stepName, stepType, "Failure", description, { ErrorCode: errorCode, ErrorMessage: errorMessage })],
    modifiedProperties: [],
    targetId: null,
    entitled: false,
    exportAttempted: false,
    exportSucceeded: false,
    targetUnreachable: false,
    endTime: isoNow(clock),
  };
}

function readSubject(value: unknown): { objectId: string; objectTypeName: string } {
  const subject = requireObject(value, "Each subject must be a microsoft.graph.synchronizationJobSubject object.");
  allowOnly(subject, ["objectId", "objectTypeName", "links"], "property", "microsoft.graph.synchronizationJobSubject");
  if (typeof subject.objectId !== "string" || subject.objectId === "") throw badRequestBody("The property 'objectId' is required and must be a string.");
  if (typeof subject.objectTypeName !== "string" || subject.objectTypeName === "") {
    throw badRequestBody("The property 'objectTypeName' is required and must be a string.");
  }
  return { objectId: subject.objectId, objectTypeName: subject.objectTypeName };
}

function readMembers(links: unknown): { objectId: string; objectTypeName: string }[] {
  const object = requireObject(links, "The property 'links' must be a microsoft.graph.synchronizationLinkedObjects object.");
  allowOnly(object, ["manager", "members", "owners"], "property", "microsoft.graph.synchronizationLinkedObjects");
  const members = object.members;
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members)) throw badRequestBody("The property 'members' must be a collection of subjects.");
  return members.map(readSubject);
}

function requireObject(value: unknown, message: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw badRequestBody(message);
  return value as Record<string, unknown>;
}

/** Graph's OData reader rejects members a type does not declare. */
function allowOnly(object: Record<string, unknown>, allowed: string[], kind: "parameter" | "property", owner: string): void {
  for (const key of Object.keys(object)) {
    if (allowed.includes(key) || key.includes("@odata.")) continue;
    throw badRequestBody(
      kind === "parameter"
        ? `The parameter '${key}' in the request payload is not a valid parameter for the operation '${owner}'.`
        : `The property '${key}' does not exist on type '${owner}'. Make sure to only use property names that are defined by the type.`,
    );
  }
}
