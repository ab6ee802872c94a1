/**
 * The answer of `POST .../jobs/{job}/provisionOnDemand`, made readable.
 *
 * Graph answers 200 with one `stringKeyStringValuePair` whose `key` and `value` are JSON documents
 * serialized as strings (docs/graph-behaviour.md §6, the v1.0 doc examples):
 *   key   = {"result":"Skipped","details":{"errorCode":"RedundantExport","errorMessage":"..."}}
 *   value = a provisioning-object summary: action, modifiedProperties[], provisioningSteps[]
 *           (name, type, status, description, details), reportableIdentifier, statusInfo,
 *           sourceIdentity, targetIdentity, ...
 * Another real shape names a type in `key` and carries a JSON array in `value` (cross-tenant
 * synchronization, hamilton#203); it is kept as "Unknown" with the status found in it, if any.
 * Pure functions, so the parsing is unit-tested on the published examples.
 *
 * The texts are redacted (../redaction.ts): step descriptions and error messages quote the target's
 * URL with any credentials in BaseAddress, and written attribute values may be credentials
 * themselves (a password attribute is blanked whole).
 */

import { redactNamed, redactText } from "../redaction";

export interface OnDemandStep {
  name: string;
  type: string;
  status: string;
  description: string;
}

export interface OnDemandSubjectResult {
  objectId: string;
  objectTypeName: string;
  ruleId: string;
  /** Graph's verdict: "Success", "Skipped", "Failure", ... ("Unknown" when the answer had another shape). */
  result: string;
  /** Why it was skipped or failed, e.g. "RedundantExport", as Graph reports it. */
  errorCode: string | null;
  errorMessage: string | null;
  /** What was done in the target: "Create", "Update", "Delete", "Other", ... */
  action: string | null;
  /** How the object is named in reports, e.g. its userPrincipalName. */
  reportableIdentifier: string | null;
  /** The object's id in the target system, when it exists there. */
  targetId: string | null;
  steps: OnDemandStep[];
  /** Attribute -> value as written to the target. */
  modifiedProperties: Record<string, string | null>;
}

export interface OnDemandSubject {
  objectId: string;
  objectTypeName: string;
}

type Json = Record<string, unknown>;

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const asObject = (v: unknown): Json | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : v === null || v === undefined ? null : String(v));

export function parseOnDemandResponse(subject: OnDemandSubject, ruleId: string, response: { key?: unknown; value?: unknown } | undefined): OnDemandSubjectResult {
  const key = asObject(parseJson(response?.key));
  const rawValue = parseJson(response?.value);
  const value = asObject(rawValue);
  const details = asObject(key?.details);
  const statusInfo = asObject(value?.statusInfo);
  const steps = (Array.isArray(value?.provisioningSteps) ? value.provisioningSteps : []).map((s): OnDemandStep => {
    const step = asObject(s) ?? {};
    return { name: str(step.name) ?? "", type: str(step.type) ?? "", status: str(step.status) ?? "", description: str(step.description) ?? "" };
  });
  const modified: Record<string, string | null> = {};
  for (const p of Array.isArray(value?.modifiedProperties) ? value.modifiedProperties : []) {
    const prop = asObject(p);
    const name = str(prop?.displayName);
    if (name) modified[name] = str(prop?.newValue);
  }
  const fallbackStatus = Array.isArray(rawValue) ? str(asObject(rawValue[0])?.status ?? asObject(rawValue[0])?.Status) : null;
  return redactResult({
    objectId: subject.objectId,
    objectTypeName: subject.objectTypeName,
    ruleId,
    result: str(key?.result) ?? str(statusInfo?.status) ?? fallbackStatus ?? "Unknown",
    errorCode: str(details?.errorCode) ?? str(statusInfo?.errorCode),
    errorMessage: str(details?.errorMessage) ?? str(statusInfo?.reason),
    action: str(value?.action),
    reportableIdentifier: str(value?.reportableIdentifier),
    targetId: str(asObject(value?.targetIdentity)?.id),
    steps,
    modifiedProperties: modified,
  });
}

/**
 * A result without credentials: messages and step descriptions redacted, attribute values
 * redacted or, for attributes named like a credential, blanked. Also applied to the results
 * 0.1.0 stored unredacted, by the state contract's upgrade (../state/contract.ts).
 */
export function redactResult(r: OnDemandSubjectResult): OnDemandSubjectResult {
  return {
    ...r,
    errorMessage: redactText(r.errorMessage),
    reportableIdentifier: redactText(r.reportableIdentifier),
    steps: r.steps.map((s) => ({ ...s, description: redactText(s.description) })),
    modifiedProperties: Object.fromEntries(Object.entries(r.modifiedProperties ?? {}).map(([name, v]) => [name, redactNamed(name, v)])),
  };
}

const FAILED = /^(failure|failed|error)$/i;

/**
 * Why provisioning this subject failed, or undefined when it did not: the first failed step's
 * description (what the service says went wrong, e.g. the target's error), else the overall
 * result's error. A skipped subject has not failed: skipping is the service's decision.
 */
export function failureOf(r: OnDemandSubjectResult): string | undefined {
  const step = r.steps.find((s) => FAILED.test(s.status));
  if (!step && !FAILED.test(r.result)) return undefined;
  const who = `${r.objectTypeName} ${r.reportableIdentifier ?? r.objectId}`;
  const where = step ? ` at step ${step.name}${step.type ? ` (${step.type})` : ""}` : "";
  const message = step?.description || r.errorMessage || "no message";
  const code = r.errorCode ? ` [${r.errorCode}]` : "";
  return `provisioning ${who} on demand failed${where}: ${message}${code}`;
}
