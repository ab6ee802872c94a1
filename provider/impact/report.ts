/**
 * The impact report: what the next provisioning cycle does to a sample of the job's source objects
 * when the proposed schema replaces the current one. Plain data (it is also the JSON file's
 * content, see report-file.ts); values are text as the provisioning logs print them, or null where
 * nothing flows. Produced by evaluate.ts, rendered by render.ts.
 */

/** Format version of the JSON document. */
export const IMPACT_REPORT_VERSION = 1;

export interface ImpactReport {
  /** Format version of the document. */
  version: typeof IMPACT_REPORT_VERSION;
  /** The app's service principal. */
  servicePrincipalId: string;
  /** The synchronization job. */
  jobId: string;
  /** What "before" is: the job's live schema. */
  current: "live job schema";
  /** Objects read, and whether the job provisions all users and groups (SyncAll) or the assigned ones. */
  sample: SampleSummary;
  /** Values are masked ("***"): counts only (entra-sync:impactRedact). */
  redacted: boolean;
  /** Per enabled object mapping of the proposed schema (and of the current one, if disabled now). */
  mappings: MappingImpact[];
  /** Why the report is incomplete or absent (missing permission, a failed read): one line each. */
  notes: string[];
  /** Graph calls the sample took. */
  graphCalls: number;
}

export interface SampleSummary {
  scope: "assignedUsersAndGroups" | "allUsersAndGroups";
  /** Objects read per source object name ("User", "Group"). */
  read: Record<string, number>;
  /** The limit per source object name (entra-sync:impactSampleSize). */
  limit: number;
  /** Whether there were more objects than the limit (the sample is the first `limit`). */
  truncated: Record<string, boolean>;
}

/** What happens to one sampled object in the next cycle under the proposed schema. */
export type ObjectAction =
  /** In scope before and after, some value changes: PATCH. */
  | "update"
  /** In scope before and after, nothing the target receives changes. */
  | "unchanged"
  /** Enters scope: created (or matched and updated) in the target. */
  | "create"
  /** Leaves scope: a user is disabled, a group deleted (unless deletions are skipped). */
  | "deprovision"
  /** Leaves scope, but SkipOutOfScopeDeletions (or no Delete flow) leaves it in the target. */
  | "leaveAsIs"
  /** Out of scope before and after. */
  | "outOfScope"
  /** In scope, but a mapping fails to evaluate: the entry fails, the target gets nothing. */
  | "fail"
  /** No value for any matching attribute: the service skips the object. */
  | "skip";

export interface ObjectPrediction {
  id: string;
  label: string;
  action: ObjectAction;
  inScopeBefore: boolean;
  inScopeAfter: boolean;
  /** Target attribute -> value the current schema flows (null: none). */
  before: Record<string, ValueText>;
  /** Target attribute -> value the proposed schema flows (null: none; the target keeps what it has). */
  after: Record<string, ValueText>;
}

/** A value as the target receives it: text, a number or boolean (typed attributes), a list, or a reference to source ids. */
export type ValueText = string | number | boolean | string[] | { references: string[] } | null;

export interface AttributeChange {
  /** The target attribute, e.g. title or urn:...:enterprise:2.0:User:costCenter. */
  targetAttribute: string;
  /** Objects in scope before and after whose value the target receives changes. */
  changed: number;
  /** Objects whose value stops flowing (mapping removed, value now null): the target keeps the old one. */
  stopsFlowing: number;
  /** The change is not applied to existing objects: the mapping flows on create only (ObjectAddOnly). */
  addOnly: number;
  /** Values of a sensitive (credential-like) attribute are never shown. */
  sensitive: boolean;
  /** Up to the examples limit: the object's label, the value before and after ("***" when masked). */
  examples: { object: string; before: ValueText; after: ValueText }[];
}

export interface EvaluationFailure {
  /** The input's property path, e.g. objectMappings.User.attributeMappings.title.expression. */
  property: string;
  /** The evaluator's message for the first object (quoted values masked when redacted); the others' differ only in their values. */
  message: string;
  /** How many sampled objects in scope it fails for, and which (labels, up to the examples limit). */
  count: number;
  /** Labels of the objects it fails for (up to the examples limit). */
  objects: string[];
}

export interface MappingImpact {
  /** The object mapping's key in the inputs (objectMappings.<key>), e.g. "User". */
  key: string;
  /** The object mapping's name in Graph, e.g. "Provision Microsoft Entra ID Users". */
  name: string;
  /** "User" or "Group". */
  sourceObjectName: string;
  /** The target directory's object, e.g. "User". */
  targetObjectName: string;
  /** Sampled objects of the mapping's source object. */
  sampled: number;
  /** Of them, in scope under the current schema. */
  inScopeBefore: number;
  /** Of them, in scope under the proposed schema. */
  inScopeAfter: number;
  /** Labels of objects entering scope (up to the examples limit). */
  entering: string[];
  /** Labels of objects leaving scope (up to the examples limit). */
  leaving: string[];
  /** Entering/leaving counts (the lists above hold up to the examples limit). */
  enteringCount: number;
  leavingCount: number;
  /** Objects whose entry fails (evaluation errors) or is skipped (no matching value). */
  failing: number;
  skipped: number;
  /** Per target attribute whose value changes, stops flowing or is add-only. */
  attributes: AttributeChange[];
  /** Evaluation errors of the proposed schema, by property path and message. */
  failures: EvaluationFailure[];
  /** Source attributes the mappings read that Graph does not return (read as null). */
  unreadable: string[];
  /** Per sampled object (the JSON file; render.ts prints the summaries above). */
  objects: ObjectPrediction[];
}
