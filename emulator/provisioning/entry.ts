/**
 * Provision one source object to the SCIM target through one object mapping, the way the
 * provisioning service processes an entry ("On-demand provisioning": import, determine scope,
 * match, perform action; "How provisioning works"):
 *  1. import the source object and evaluate the attribute mappings;
 *  2. match it in the target: the id the job joined it to, else a query on each matching
 *     attribute in matchingPriority order (more than one hit: DuplicateTargetEntries);
 *  3. scope: active, assigned (or SyncAll), and the object mapping's scoping filter;
 *  4. act: create (POST; groups are created without members, then PATCHed — "Groups are created
 *     with an empty members list"), update only what differs (PATCH), skip when nothing differs
 *     (RedundantExport), or, for an object the job provisioned that left scope, disable a user
 *     (PATCH active=false) or delete a group; objects out of scope are skipped
 *     (NotEffectivelyEntitled).
 * Used by provisionOnDemand and by provisioning cycles; updates the job's connector store.
 */
import type { ObjectDefinition, ObjectMapping } from "../../provider/graph/types";
import { isoNow, type Clock } from "../core/clock";
import type { Assignment } from "./assignments";
import type { ConnectorEntry, ConnectorStore } from "../tenant/store";
import { connectorKey } from "./connector-store";
import { isInScope, type EvaluationContext, type SourceObject, type SourceValue } from "./evaluate";
import { mapObject, matchingValues } from "./mapping";
import { ScimRequestError, type ScimClient, type ScimCollection, type ScimResource } from "./scim-client";
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, readScimValue, sameScimValue, setOperation, writeScimValue, type ScimPatchOperation } from "./scim-path";
import { step, yesNo, type EntryAction, type EntryReport, type ModifiedProperty, type ProvisioningStep } from "./report";

export interface SourceEntry {
  id: string;
  /** "User" or "Group": the source object definition's name. */
  objectName: string;
  /** userPrincipalName for users, displayName for groups. */
  reportableIdentifier: string;
  object: SourceObject;
  assignment: Assignment;
  /** accountEnabled (users); groups are always active. */
  active: boolean;
  /** Fingerprint of everything above, stored when the entry was processed without failure. */
  fingerprint: string;
}

export interface EntryContext {
  client: ScimClient;
  objectMapping: ObjectMapping;
  targetObject: ObjectDefinition | undefined;
  sourceDirectoryName: string;
  targetDirectoryName: string;
  connector: ConnectorStore;
  syncAll: boolean;
  /** SkipOutOfScopeDeletions secret: objects leaving scope are not disabled/deleted. */
  skipOutOfScopeDeletions: boolean;
  /** Clock, random stream and default domain for expressions (Now(), Guid(), DefaultDomain()). */
  evaluation: EvaluationContext;
  /** When the entry and its steps happened. */
  clock: Clock;
}

type Outcome = Pick<EntryReport, "status" | "action" | "errorCode" | "errorMessage"> &
  Partial<Pick<EntryReport, "exportAttempted" | "exportSucceeded" | "targetUnreachable">> & {
    /** Connector store: whether the target object is now provisioned by the job. */
    provisioned?: boolean;
    /** Connector store: the group's member target ids as now exported. */
    members?: string[];
  };

export async function provisionEntry(entry: SourceEntry, ctx: EntryContext): Promise<EntryReport> {
  const startTime = isoNow(ctx.clock);
  const steps: ProvisioningStep[] = [];
  const modified: ModifiedProperty[] = [];
  const targetObjectName = ctx.objectMapping.targetObjectName;
  const collection: ScimCollection = targetObjectName === "Group" ? "Groups" : "Users";
  const key = connectorKey(entry.objectName, entry.id);
  const known: ConnectorEntry | undefined = ctx.connector.entries[key];
  const noun = `${entry.objectName} '${entry.reportableIdentifier}'`;
  let entitled = false;
  let targetId: string | null = known?.targetId ?? null;

  const finish = ({ provisioned: nowProvisioned, members, ...outcome }: Outcome): EntryReport => {
    if (outcome.status !== "Failure") {
      const provisioned = nowProvisioned ?? (known?.provisioned === true && targetId !== null);
      ctx.connector.entries[key] = {
        sourceObjectName: entry.objectName,
        sourceId: entry.id,
        targetObjectName,
        targetId,
        provisioned,
        sourceFingerprint: entry.fingerprint,
        ...(members ? { members } : known?.members ? { members: known.members } : {}),
      };
    }
    return {
      exportAttempted: false,
      exportSucceeded: false,
      targetUnreachable: false,
      ...outcome,
      steps,
      modifiedProperties: modified,
      sourceId: entry.id,
      sourceObjectName: entry.objectName,
      reportableIdentifier: entry.reportableIdentifier,
      targetId,
      targetObjectName,
      entitled,
      startTime,
      endTime: isoNow(ctx.clock),
    };
  };
  const failed = (err: ScimRequestError, stepName: string, type: "Matching" | "Export", exportAttempted: boolean): EntryReport => {
    steps.push(step(ctx.clock, stepName, type, "Failure", err.message, { ErrorCode: err.code }));
    return finish({
      status: "Failure",
      action: "Other",
      errorCode: err.code,
      errorMessage: err.message,
      exportAttempted,
      targetUnreachable: err.response === undefined,
    });
  };

  // 1. Import
  const mapped = mapObject(ctx.objectMapping, ctx.targetObject, entry.object, (sourceId) => resolveReference(ctx.connector, sourceId), ctx.evaluation);
  const matchers = matchingValues(mapped);
  if (matchers.length === 0) {
    steps.push(step(ctx.clock, "EntryImport", "Import", "Skipped", `${noun} has no value for a matching attribute and cannot be evaluated.`, importDetails(entry.object)));
    return finish({ status: "Skipped", action: "Other", errorCode: "ImportSkipped", errorMessage: `${noun} has no value for any matching attribute.` });
  }
  steps.push(step(ctx.clock, "EntryImport", "Import", "Success", `Retrieved ${noun} from ${ctx.sourceDirectoryName}`, importDetails(entry.object)));

  // 2. Matching
  let target: ScimResource | undefined;
  try {
    if (known?.targetId) target = await ctx.client.get(collection, known.targetId);
    for (const matcher of target ? [] : matchers) {
      const found = await ctx.client.query(collection, matcher.path.name, String(matcher.value));
      if (found.length > 1) {
        const message = `More than one ${targetObjectName} in ${ctx.targetDirectoryName} has ${matcher.path.name} '${String(matcher.value)}'.`;
        steps.push(step(ctx.clock, "EntryImport", "Matching", "Failure", message));
        return finish({ status: "Failure", action: "Other", errorCode: "DuplicateTargetEntries", errorMessage: message });
      }
      if (found.length === 1) {
        target = found[0];
        break;
      }
    }
  } catch (err) {
    if (err instanceof ScimRequestError) return failed(err, "EntryImport", "Matching", false);
    throw err;
  }
  targetId = target?.id ?? null;
  steps.push(
    target
      ? step(ctx.clock, "EntryImport", "Matching", "Success", `Retrieved  '${entry.reportableIdentifier}' from ${ctx.targetDirectoryName}`, flatten(target))
      : step(ctx.clock, "EntryImport", "Matching", "Success", `No ${targetObjectName} matching '${entry.reportableIdentifier}' was found in ${ctx.targetDirectoryName}`),
  );

  // 3. Scoping
  const scope = ctx.objectMapping.scope;
  const inScope = isInScope(scope, entry.object);
  const scopeResults = Object.fromEntries((scope?.groups ?? []).map((g) => [g.name, isInScope({ ...scope!, groups: [g] }, entry.object)]));
  entitled = entry.active && (ctx.syncAll || entry.assignment.assigned) && inScope;
  steps.push(
    step(ctx.clock, "EntrySynchronizationScoping", "Scoping", entitled ? "Success" : "Skipped", `Determine if ${entry.objectName} in scope by evaluating against each scoping filter`, {
      IsActive: yesNo(entry.active),
      ...(ctx.syncAll ? { ScopeSyncAll: "True" } : { Assigned: yesNo(entry.assignment.assigned) }),
      IsEffectivelyEntitledForProvisioning: yesNo(entry.active && (ctx.syncAll || entry.assignment.assigned)),
      IsInProvisioningScope: yesNo(inScope),
      ScopeEvaluationResult: JSON.stringify(scopeResults),
    }),
  );

  // 4. Action
  const flows = (flow: "Add" | "Update" | "Delete") => ctx.objectMapping.flowTypes.split(",").map((f) => f.trim()).includes(flow);
  const managed = known?.provisioned === true && target !== undefined;
  if (!entitled) {
    if (managed && flows("Delete") && !ctx.skipOutOfScopeDeletions) return deprovision();
    const reasons = [
      ...(!entry.active ? ["The object is not active in the source system."] : []),
      ...(!ctx.syncAll && !entry.assignment.assigned ? ["This object is not assigned to the application."] : []),
      ...(!inScope ? ["This object does not pass the scoping filters of the application."] : []),
    ];
    steps.push(step(ctx.clock, "EntrySynchronizationSkip", "Export", "Skipped", `The ${noun} will be skipped. ${reasons.join(" ")}`, { SkipReason: "NotEffectivelyEntitled" }));
    return finish({ status: "Skipped", action: "Other", errorCode: "NotEffectivelyEntitled", errorMessage: reasons.join(" "), provisioned: false });
  }
  if (mapped.errors.length > 0) {
    const message = mapped.errors.map((e) => `${e.targetAttributeName}: ${e.message}`).join("; ");
    steps.push(step(ctx.clock, "EntryExport", "Export", "Failure", `The attribute mappings of ${noun} could not be evaluated: ${message}`));
    return finish({ status: "Failure", action: "Other", errorCode: "AttributeMappingEvaluationFailed", errorMessage: message });
  }
  return target ? update(target) : create();

  async function create(): Promise<EntryReport> {
    if (!flows("Add")) return skipFlow("Add");
    const resource: Record<string, unknown> = { schemas: [collection === "Groups" ? CORE_GROUP_SCHEMA : CORE_USER_SCHEMA] };
    for (const v of mapped.values) {
      writeScimValue(resource, v.path, v.value);
      modified.push({ displayName: v.path.name, oldValue: null, newValue: text(v.value) });
    }
    const members = mapped.memberTargetIds ?? [];
    try {
      const created = await ctx.client.create(collection, resource);
      targetId = created.id;
      if (members.length > 0) {
        await ctx.client.patch(collection, created.id, [{ op: "Add", path: "members", value: members.map((value) => ({ value })) }]);
        modified.push({ displayName: "members", oldValue: null, newValue: members.join(";") });
      }
    } catch (err) {
      if (err instanceof ScimRequestError) return failed(err, "EntryExportAdd", "Export", true);
      throw err;
    }
    steps.push(step(ctx.clock, "EntryExportAdd", "Export", "Success", `${noun} was created in ${ctx.targetDirectoryName}`, exportDetails(modified)));
    return finish({ status: "Success", action: "Create", errorCode: null, errorMessage: null, exportAttempted: true, exportSucceeded: true, provisioned: true, members });
  }

  async function update(current: ScimResource): Promise<EntryReport> {
    const operations: ScimPatchOperation[] = [];
    for (const v of mapped.values) {
      if (v.mapping.flowType === "ObjectAddOnly") continue;
      const before = readScimValue(current, v.path);
      if (sameScimValue(before, v.value)) continue;
      operations.push(setOperation(current, v.path, v.value));
      modified.push({ displayName: v.path.name, oldValue: text(before), newValue: text(v.value) });
    }
    const desiredMembers = mapped.memberTargetIds;
    const trackedMembers = managed ? (known?.members ?? []) : [];
    if (desiredMembers) {
      const added = desiredMembers.filter((m) => !trackedMembers.includes(m));
      const removed = trackedMembers.filter((m) => !desiredMembers.includes(m));
      if (added.length > 0) operations.push({ op: "Add", path: "members", value: added.map((value) => ({ value })) });
      for (const m of removed) operations.push({ op: "Remove", path: `members[value eq "${m}"]` });
      if (added.length + removed.length > 0) modified.push({ displayName: "members", oldValue: trackedMembers.join(";") || null, newValue: desiredMembers.join(";") });
    }
    const members = desiredMembers ?? undefined;
    if (operations.length === 0) {
      const message = `The state of the ${entry.objectName.toLowerCase()} in both the source and target systems already match.`;
      steps.push(
        step(ctx.clock, "EntrySynchronizationSkip", "Export", "Skipped", `${message} No change to the ${noun} currently needs to be made.`, { SkipReason: "RedundantExport" }),
      );
      return finish({ status: "Skipped", action: "Other", errorCode: "RedundantExport", errorMessage: message, provisioned: true, members });
    }
    if (!flows("Update")) return skipFlow("Update");
    try {
      await ctx.client.patch(collection, current.id, operations);
    } catch (err) {
      if (err instanceof ScimRequestError) return failed(err, "EntryExportUpdate", "Export", true);
      throw err;
    }
    steps.push(step(ctx.clock, "EntryExportUpdate", "Export", "Success", `${noun} was updated in ${ctx.targetDirectoryName}`, exportDetails(modified)));
    return finish({ status: "Success", action: "Update", errorCode: null, errorMessage: null, exportAttempted: true, exportSucceeded: true, provisioned: true, members });
  }

  async function deprovision(): Promise<EntryReport> {
    const current = target!;
    let action: EntryAction;
    try {
      if (collection === "Groups") {
        await ctx.client.delete(collection, current.id);
        targetId = null;
        action = "Delete";
      } else {
        // Disable User: PATCH active=false ("Develop a SCIM endpoint", Disable User).
        await ctx.client.patch(collection, current.id, [{ op: "Replace", path: "active", value: false }]);
        modified.push({ displayName: "active", oldValue: text(readScimValue(current, { name: "active", schema: null, attribute: "active", valueFilter: null, subAttribute: null })), newValue: "False" });
        action = "Disable";
      }
    } catch (err) {
      if (err instanceof ScimRequestError) return failed(err, collection === "Groups" ? "EntryExportDelete" : "EntryExportUpdate", "Export", true);
      throw err;
    }
    const verb = action === "Delete" ? "deleted" : "disabled";
    steps.push(step(ctx.clock, action === "Delete" ? "EntryExportDelete" : "EntryExportUpdate", "Export", "Success", `${noun} left the provisioning scope and was ${verb} in ${ctx.targetDirectoryName}`, exportDetails(modified)));
    return finish({ status: "Success", action, errorCode: null, errorMessage: null, exportAttempted: true, exportSucceeded: true, provisioned: false, members: [] });
  }

  function skipFlow(flow: string): EntryReport {
    const message = `The object mapping '${ctx.objectMapping.name}' does not include the '${flow}' flow type.`;
    steps.push(step(ctx.clock, "EntrySynchronizationSkip", "Export", "Skipped", message, { SkipReason: "FlowTypeNotEnabled" }));
    return finish({ status: "Skipped", action: "Other", errorCode: "FlowTypeNotEnabled", errorMessage: message });
  }
}

/** The target id of a provisioned user or group, by source object id. */
function resolveReference(connector: ConnectorStore, sourceId: string): string | undefined {
  for (const objectName of ["User", "Group"]) {
    const e = connector.entries[connectorKey(objectName, sourceId)];
    if (e?.provisioned && e.targetId) return e.targetId;
  }
  return undefined;
}

/** The imported attributes with a value, as text ("True"/"False" for booleans, lists joined by ';'). */
function importDetails(object: SourceObject): Record<string, string> {
  const details: Record<string, string> = {};
  const scalar = (v: string | number | boolean) => (typeof v === "boolean" ? yesNo(v) : String(v));
  for (const [k, v] of Object.entries(object) as [string, SourceValue][]) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) details[k] = v.map(scalar).join(";");
      continue;
    }
    details[k] = scalar(v as string | number | boolean);
  }
  return details;
}

function exportDetails(modified: ModifiedProperty[]): Record<string, string> {
  return Object.fromEntries(modified.map((m) => [m.displayName, m.newValue ?? ""]));
}

/** A SCIM resource's top-level values as step details (complex values as JSON text). */
function flatten(resource: ScimResource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(resource)) {
    if (k === "schemas" || k === "meta" || v === null || v === undefined) continue;
    out[k] = typeof v === "object" ? JSON.stringify(v) : typeof v === "boolean" ? yesNo(v) : String(v);
  }
  return out;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((v) => text(v) ?? "").join(";");
  if (typeof value === "object") return text((value as { value?: unknown }).value);
  if (typeof value === "boolean") return yesNo(value);
  return String(value);
}
