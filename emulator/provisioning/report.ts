/**
 * What the provisioning service reports about one object it processed: the provisioning steps
 * and modified properties of a provisioningObjectSummary (provisioning logs), which
 * provisionOnDemand returns serialized in its `value` string. Step names, types and detail keys
 * follow the provisionOnDemand doc example (EntryImport/Import, EntryImport/Matching,
 * EntrySynchronizationScoping/Scoping, EntrySynchronizationSkip/Export).
 */
import { isoNow, type Clock } from "../core/clock";

export type StepType = "Import" | "Matching" | "Scoping" | "Export";
export type StepStatus = "Success" | "Skipped" | "Failure";
export type EntryStatus = "Success" | "Skipped" | "Failure";
/** provisioningAction members as the doc example spells them ("Other"). */
export type EntryAction = "Create" | "Update" | "Disable" | "Delete" | "Other";

export interface ProvisioningStep {
  name: string;
  type: StepType;
  status: StepStatus;
  description: string;
  timestamp: string;
  /** Values are strings, as in the doc example ("True", JSON text, ...). */
  details: Record<string, string>;
}

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

/** The outcome for one source object. */
export interface EntryReport {
  status: EntryStatus;
  action: EntryAction;
  /** Skip reason (RedundantExport, NotEffectivelyEntitled, ...) or error code. */
  errorCode: string | null;
  errorMessage: string | null;
  steps: ProvisioningStep[];
  modifiedProperties: ModifiedProperty[];
  sourceId: string;
  sourceObjectName: string;
  reportableIdentifier: string;
  targetId: string | null;
  targetObjectName: string;
  /** Whether the object passed scoping (entitled for provisioning). */
  entitled: boolean;
  /** Whether a write (POST/PATCH/DELETE) was attempted, and whether it succeeded. */
  exportAttempted: boolean;
  exportSucceeded: boolean;
  /** The failure means the target could not be reached at all (not an entry-level problem). */
  targetUnreachable: boolean;
  startTime: string;
  endTime: string;
}

/** A step, dated by the emulator's clock. */
export function step(clock: Clock, name: string, type: StepType, status: StepStatus, description: string, details: Record<string, string> = {}): ProvisioningStep {
  return { name, type, status, description, timestamp: isoNow(clock), details };
}

/** Booleans as the service writes them in step details. */
export function yesNo(value: boolean): string {
  return value ? "True" : "False";
}
