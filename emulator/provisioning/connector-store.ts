/**
 * The provisioning service's memory of a job (its "connector data store", which restart with
 * ConnectorDataStore clears): for every source object it has evaluated, the target object it is
 * joined to and a fingerprint of the source as last seen, so incremental cycles only process
 * what changed; and the escrows, entries whose export failed and that later cycles retry.
 */
import { createHash } from "node:crypto";

export interface ConnectorEntry {
  sourceObjectName: string;
  sourceId: string;
  targetObjectName: string;
  /** The target's id (SCIM `id`) once created or matched; null while the object was only evaluated. */
  targetId: string | null;
  /** Whether the target object is provisioned and enabled (false after a disable or delete). */
  provisioned: boolean;
  /** Fingerprint of the source object and its entitlement when last processed. */
  sourceFingerprint: string;
  /** Groups: the member ids (target ids) the job has exported, to send only membership changes. */
  members?: string[];
}

export interface EscrowEntry {
  code: string;
  message: string;
  attempts: number;
  firstFailed: string;
}

export interface ConnectorStore {
  entries: Record<string, ConnectorEntry>;
  escrows: Record<string, EscrowEntry>;
}

export function emptyConnectorStore(): ConnectorStore {
  return { entries: {}, escrows: {} };
}

export function connectorKey(sourceObjectName: string, sourceId: string): string {
  return `${sourceObjectName}/${sourceId}`;
}

/** A stable fingerprint of anything JSON-serializable (object keys sorted). */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update(stableJson(value)).digest("hex").slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
