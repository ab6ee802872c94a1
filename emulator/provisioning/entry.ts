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
import { mapObject, matchingValues, type MappedObject, type MappedValue } from "./mapping";
import { ScimRequestError, type ScimClient, type ScimCollection, type ScimResource } from "./scim-client";
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, readScimValue, sameScimValue, setOperation, writeScimValue, type ScimPatchOperation } from "./scim-path";
import { step, yesNo, type EntryAction, type EntryReport, type ModifiedProperty, type ProvisioningStep, type StepStatus, type StepType } from "./report";

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

/**
 * Provision one source object: the four steps of the provisioning service, each a method of the
 * run below. The first two can end the entry (nothing to match on; a target that cannot be
 * queried or matches twice); scoping never does; the action always ends it.
 */
export async function provisionEntry(entry: SourceEntry, ctx: EntryContext): Promise<EntryReport> {
  const run = new EntryRun(entry, ctx);
  const ended = run.importSource() ?? (await run.matchTarget());
  if (ended) return ended;
  run.determineScope();
  return run.act();
}

/** One entry on its way through the steps: what it has found so far, and the report it builds. */
class EntryRun {
  private readonly startTime: string;
  private readonly steps: ProvisioningStep[] = [];
  private readonly modified: ModifiedProperty[] = [];
  private readonly targetObjectName: string;
  private readonly collection: ScimCollection;
  private readonly key: string;
  /** What the job's connector store knew of this object before. */
  private readonly known: ConnectorEntry | undefined;
  /** How messages name the object: `User 'ada@contoso.com'`. */
  private readonly noun: string;
  private targetId: string | null;
  private entitled = false;
  /** Set by importSource: the mapped values, and those of the matching attributes in matchingPriority order. */
  private mapped!: MappedObject;
  private matchers: MappedValue[] = [];
  /** Set by matchTarget: the target object, if one matched. */
  private target: ScimResource | undefined;
  /** Set by determineScope: whether the object mapping's scoping filter holds. */
  private inScope = false;

  constructor(
    private readonly entry: SourceEntry,
    private readonly ctx: EntryContext,
  ) {
    this.startTime = isoNow(ctx.clock);
    this.targetObjectName = ctx.objectMapping.targetObjectName;
    this.collection = this.targetObjectName === "Group" ? "Groups" : "Users";
    this.key = connectorKey(entry.objectName, entry.id);
    this.known = ctx.connector.entries[this.key];
    this.noun = `${entry.objectName} '${entry.reportableIdentifier}'`;
    this.targetId = this.known?.targetId ?? null;
  }

  /** 1. Import: the source object through the attribute mappings; it ends here without a value to match on. */
  importSource(): EntryReport | undefined {
    const { entry, ctx } = this;
    this.mapped = mapObject(ctx.objectMapping, ctx.targetObject, entry.object, (sourceId) => resolveReference(ctx.connector, sourceId), ctx.evaluation);
    this.matchers = matchingValues(this.mapped);
    if (this.matchers.length === 0) {
      this.addStep("EntryImport", "Import", "Skipped", `${this.noun} has no value for a matching attribute and cannot be evaluated.`, importDetails(entry.object));
      return this.finish({ status: "Skipped", action: "Other", errorCode: "ImportSkipped", errorMessage: `${this.noun} has no value for any matching attribute.` });
    }
    this.addStep("EntryImport", "Import", "Success", `Retrieved ${this.noun} from ${ctx.sourceDirectoryName}`, importDetails(entry.object));
    return undefined;
  }

  /**
   * 2. Match: the id the job joined the object to, else a query on each matching attribute in
   * matchingPriority order; more than one hit is DuplicateTargetEntries.
   */
  async matchTarget(): Promise<EntryReport | undefined> {
    const { ctx, known } = this;
    let target: ScimResource | undefined;
    try {
      if (known?.targetId) target = await ctx.client.get(this.collection, known.targetId);
      for (const matcher of target ? [] : this.matchers) {
        const found = await ctx.client.query(this.collection, matcher.path.name, String(matcher.value));
        if (found.length > 1) {
          const message = `More than one ${this.targetObjectName} in ${ctx.targetDirectoryName} has ${matcher.path.name} '${String(matcher.value)}'.`;
          this.addStep("EntryImport", "Matching", "Failure", message);
          return this.finish({ status: "Failure", action: "Other", errorCode: "DuplicateTargetEntries", errorMessage: message });
        }
        if (found.length === 1) {
          target = found[0];
          break;
        }
      }
    } catch (err) {
      if (err instanceof ScimRequestError) return this.failed(err, "EntryImport", "Matching", false);
      throw err;
    }
    this.target = target;
    this.targetId = target?.id ?? null;
    if (target) {
      this.addStep("EntryImport", "Matching", "Success", `Retrieved  '${this.entry.reportableIdentifier}' from ${ctx.targetDirectoryName}`, flatten(target));
    } else {
      this.addStep(
        "EntryImport",
        "Matching",
        "Success",
        `No ${this.targetObjectName} matching '${this.entry.reportableIdentifier}' was found in ${ctx.targetDirectoryName}`,
      );
    }
    return undefined;
  }

  /** 3. Scope: active, assigned (or SyncAll), and the object mapping's scoping filter. */
  determineScope(): void {
    const { entry, ctx } = this;
    const scope = ctx.objectMapping.scope;
    this.inScope = isInScope(scope, entry.object);
    const scopeResults = Object.fromEntries((scope?.groups ?? []).map((g) => [g.name, isInScope({ ...scope!, groups: [g] }, entry.object)]));
    const effectivelyEntitled = entry.active && (ctx.syncAll || entry.assignment.assigned);
    this.entitled = effectivelyEntitled && this.inScope;
    this.addStep(
      "EntrySynchronizationScoping",
      "Scoping",
      this.entitled ? "Success" : "Skipped",
      `Determine if ${entry.objectName} in scope by evaluating against each scoping filter`,
      {
        IsActive: yesNo(entry.active),
        ...(ctx.syncAll ? { ScopeSyncAll: "True" } : { Assigned: yesNo(entry.assignment.assigned) }),
        IsEffectivelyEntitledForProvisioning: yesNo(effectivelyEntitled),
        IsInProvisioningScope: yesNo(this.inScope),
        ScopeEvaluationResult: JSON.stringify(scopeResults),
      },
    );
  }

  /**
   * 4. Act: for an object out of scope, disable (users) or delete (groups) what the job
   * provisioned, else skip it (NotEffectivelyEntitled); in scope, create it, update what differs,
   * or skip it when nothing does (RedundantExport).
   */
  async act(): Promise<EntryReport> {
    if (!this.entitled) {
      const managed = this.known?.provisioned === true && this.target !== undefined;
      if (managed && this.flows("Delete") && !this.ctx.skipOutOfScopeDeletions) return this.deprovision(this.target!);
      return this.skipNotEntitled();
    }
    if (this.mapped.errors.length > 0) return this.mappingFailed();
    return this.target ? this.update(this.target) : this.create();
  }

  private skipNotEntitled(): EntryReport {
    const { entry, ctx } = this;
    const reasons = [
      ...(!entry.active ? ["The object is not active in the source system."] : []),
      ...(!ctx.syncAll && !entry.assignment.assigned ? ["This object is not assigned to the application."] : []),
      ...(!this.inScope ? ["This object does not pass the scoping filters of the application."] : []),
    ];
    this.addStep("EntrySynchronizationSkip", "Export", "Skipped", `The ${this.noun} will be skipped. ${reasons.join(" ")}`, { SkipReason: "NotEffectivelyEntitled" });
    return this.finish({ status: "Skipped", action: "Other", errorCode: "NotEffectivelyEntitled", errorMessage: reasons.join(" "), provisioned: false });
  }

  private mappingFailed(): EntryReport {
    const message = this.mapped.errors.map((e) => `${e.targetAttributeName}: ${e.message}`).join("; ");
    this.addStep("EntryExport", "Export", "Failure", `The attribute mappings of ${this.noun} could not be evaluated: ${message}`);
    return this.finish({ status: "Failure", action: "Other", errorCode: "AttributeMappingEvaluationFailed", errorMessage: message });
  }

  /** POST; groups are created without members, then PATCHed ("Groups are created with an empty members list"). */
  private async create(): Promise<EntryReport> {
    const { ctx, collection, modified } = this;
    if (!this.flows("Add")) return this.skipFlow("Add");
    const resource: Record<string, unknown> = { schemas: [collection === "Groups" ? CORE_GROUP_SCHEMA : CORE_USER_SCHEMA] };
    for (const v of this.mapped.values) {
      writeScimValue(resource, v.path, v.value);
      modified.push({ displayName: v.path.name, oldValue: null, newValue: text(v.value) });
    }
    const members = this.mapped.memberTargetIds ?? [];
    try {
      const created = await ctx.client.create(collection, resource);
      this.targetId = created.id;
      if (members.length > 0) {
        await ctx.client.patch(collection, created.id, [{ op: "Add", path: "members", value: members.map((value) => ({ value })) }]);
        modified.push({ displayName: "members", oldValue: null, newValue: members.join(";") });
      }
    } catch (err) {
      if (err instanceof ScimRequestError) return this.failed(err, "EntryExportAdd", "Export", true);
      throw err;
    }
    return this.exported("EntryExportAdd", "Create", `${this.noun} was created in ${ctx.targetDirectoryName}`, members);
  }

  /** PATCH only what differs (members as additions and removals of what the job exported). */
  private async update(current: ScimResource): Promise<EntryReport> {
    const { entry, ctx, modified } = this;
    const operations: ScimPatchOperation[] = [];
    for (const v of this.mapped.values) {
      if (v.mapping.flowType === "ObjectAddOnly") continue;
      const before = readScimValue(current, v.path);
      if (sameScimValue(before, v.value)) continue;
      operations.push(setOperation(current, v.path, v.value));
      modified.push({ displayName: v.path.name, oldValue: text(before), newValue: text(v.value) });
    }
    const desiredMembers = this.mapped.memberTargetIds;
    const managed = this.known?.provisioned === true;
    const trackedMembers = managed ? (this.known?.members ?? []) : [];
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
      this.addStep("EntrySynchronizationSkip", "Export", "Skipped", `${message} No change to the ${this.noun} currently needs to be made.`, {
        SkipReason: "RedundantExport",
      });
      return this.finish({ status: "Skipped", action: "Other", errorCode: "RedundantExport", errorMessage: message, provisioned: true, members });
    }
    if (!this.flows("Update")) return this.skipFlow("Update");
    try {
      await ctx.client.patch(this.collection, current.id, operations);
    } catch (err) {
      if (err instanceof ScimRequestError) return this.failed(err, "EntryExportUpdate", "Export", true);
      throw err;
    }
    return this.exported("EntryExportUpdate", "Update", `${this.noun} was updated in ${ctx.targetDirectoryName}`, members);
  }

  /** The export of a create or an update went through: its step and the entry's report. */
  private exported(step: "EntryExportAdd" | "EntryExportUpdate", action: "Create" | "Update", message: string, members: string[] | undefined): EntryReport {
    this.addStep(step, "Export", "Success", message, exportDetails(this.modified));
    return this.finish({ status: "Success", action, errorCode: null, errorMessage: null, exportAttempted: true, exportSucceeded: true, provisioned: true, members });
  }

  /** An object the job provisioned left scope: disable a user (PATCH active=false), delete a group. */
  private async deprovision(current: ScimResource): Promise<EntryReport> {
    const { ctx, collection, modified } = this;
    let action: EntryAction;
    try {
      if (collection === "Groups") {
        await ctx.client.delete(collection, current.id);
        this.targetId = null;
        action = "Delete";
      } else {
        // Disable User: PATCH active=false ("Develop a SCIM endpoint", Disable User).
        await ctx.client.patch(collection, current.id, [{ op: "Replace", path: "active", value: false }]);
        modified.push({
          displayName: "active",
          oldValue: text(readScimValue(current, { name: "active", schema: null, attribute: "active", valueFilter: null, subAttribute: null })),
          newValue: "False",
        });
        action = "Disable";
      }
    } catch (err) {
      if (err instanceof ScimRequestError) return this.failed(err, collection === "Groups" ? "EntryExportDelete" : "EntryExportUpdate", "Export", true);
      throw err;
    }
    const verb = action === "Delete" ? "deleted" : "disabled";
    this.addStep(
      action === "Delete" ? "EntryExportDelete" : "EntryExportUpdate",
      "Export",
      "Success",
      `${this.noun} left the provisioning scope and was ${verb} in ${ctx.targetDirectoryName}`,
      exportDetails(modified),
    );
    return this.finish({ status: "Success", action, errorCode: null, errorMessage: null, exportAttempted: true, exportSucceeded: true, provisioned: false, members: [] });
  }

  private skipFlow(flow: string): EntryReport {
    const message = `The object mapping '${this.ctx.objectMapping.name}' does not include the '${flow}' flow type.`;
    this.addStep("EntrySynchronizationSkip", "Export", "Skipped", message, { SkipReason: "FlowTypeNotEnabled" });
    return this.finish({ status: "Skipped", action: "Other", errorCode: "FlowTypeNotEnabled", errorMessage: message });
  }

  private flows(flow: "Add" | "Update" | "Delete"): boolean {
    return this.ctx.objectMapping.flowTypes
      .split(",")
      .map((f) => f.trim())
      .includes(flow);
  }

  private addStep(name: string, type: StepType, status: StepStatus, description: string, details?: Record<string, string>): void {
    this.steps.push(step(this.ctx.clock, name, type, status, description, details));
  }

  /** A SCIM call failed: the entry fails (escrowed), and a target that did not answer at all ends the cycle. */
  private failed(err: ScimRequestError, stepName: string, type: "Matching" | "Export", exportAttempted: boolean): EntryReport {
    this.addStep(stepName, type, "Failure", err.message, { ErrorCode: err.code });
    return this.finish({
      status: "Failure",
      action: "Other",
      errorCode: err.code,
      errorMessage: err.message,
      exportAttempted,
      targetUnreachable: err.response === undefined,
    });
  }

  /** The report; unless the entry failed, the connector store remembers where the object now stands. */
  private finish({ provisioned: nowProvisioned, members, ...outcome }: Outcome): EntryReport {
    const { entry, known, targetId } = this;
    if (outcome.status !== "Failure") {
      const provisioned = nowProvisioned ?? (known?.provisioned === true && targetId !== null);
      this.ctx.connector.entries[this.key] = {
        sourceObjectName: entry.objectName,
        sourceId: entry.id,
        targetObjectName: this.targetObjectName,
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
      steps: this.steps,
      modifiedProperties: this.modified,
      sourceId: entry.id,
      sourceObjectName: entry.objectName,
      reportableIdentifier: entry.reportableIdentifier,
      targetId,
      targetObjectName: this.targetObjectName,
      entitled: this.entitled,
      startTime: this.startTime,
      endTime: isoNow(this.ctx.clock),
    };
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
  for (const [k, v] of Object.entries<SourceValue>(object)) {
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
