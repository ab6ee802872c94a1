/**
 * The provisioning service's memory of a job (its "connector data store", which restart with
 * ConnectorDataStore clears): for every source object it has evaluated, the target object it is
 * joined to and a fingerprint of the source as last seen, so incremental cycles only process
 * what changed; and the escrows, entries whose export failed and that later cycles retry. Its
 * shape (ConnectorStore) is part of the tenant state (tenant/store.ts), which the state file holds.
 */
import { createHash } from "node:crypto";
import type { ConnectorStore } from "../tenant/store";

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
