/**
 * The SCIM target's resource store: Users and Groups kept in the tenant state, ids minted by the
 * application (deterministic stream), `meta.created`/`lastModified` maintained, and the
 * uniqueness rules the Entra SCIM client relies on: `userName` (case-insensitive, as RFC 7643
 * §4.1.1 defines it) and group `displayName` ("Groups must have uniqueness on the 'displayName'
 * value to match with Microsoft Entra ID" — Develop a SCIM endpoint, /Groups).
 */
import { isoNow, type Clock } from "../core/clock";
import { scimError } from "./errors";
import { Rng } from "../core/rng";
import type { ScimResourceRecord, ScimTargetState } from "../tenant/store";

export type ScimResourceType = "User" | "Group";

export class ScimStore {
  constructor(
    private readonly state: () => ScimTargetState,
    /** Persist after a change (the tenant store's persist). */
    private readonly commit: () => void,
    /** meta.created and meta.lastModified. */
    private readonly clock: Clock,
  ) {}

  list(type: ScimResourceType): ScimResourceRecord[] {
    return this.collection(type);
  }

  get(type: ScimResourceType, id: string): ScimResourceRecord | undefined {
    return this.collection(type).find((r) => r.id === id);
  }

  /** POST: a new resource with a fresh id; 409 uniqueness on a duplicate userName/displayName. */
  create(type: ScimResourceType, body: Record<string, unknown>): ScimResourceRecord {
    this.assertUnique(type, body, undefined);
    const state = this.state();
    const rng = new Rng(state.idRngState);
    const id = rng.guid();
    state.idRngState = rng.currentState;
    const now = isoNow(this.clock);
    const record: ScimResourceRecord = { ...withoutServerManaged(body), id, meta: { resourceType: type, created: now, lastModified: now } };
    this.collection(type).push(record);
    this.commit();
    return record;
  }

  /** PUT (and the end of a PATCH): replace the resource's attributes, keeping id and meta.created. */
  replace(type: ScimResourceType, id: string, body: Record<string, unknown>): ScimResourceRecord {
    const records = this.collection(type);
    const index = records.findIndex((r) => r.id === id);
    if (index < 0) throw scimError(404, undefined, `Resource ${id} not found`);
    this.assertUnique(type, body, id);
    const previous = records[index];
    const record: ScimResourceRecord = {
      ...withoutServerManaged(body),
      id,
      meta: { resourceType: type, created: previous.meta.created, lastModified: isoNow(this.clock) },
    };
    records[index] = record;
    this.commit();
    return record;
  }

  /** DELETE: false when there was nothing to delete. */
  delete(type: ScimResourceType, id: string): boolean {
    const records = this.collection(type);
    const index = records.findIndex((r) => r.id === id);
    if (index < 0) return false;
    records.splice(index, 1);
    this.commit();
    return true;
  }

  clear(): void {
    const state = this.state();
    state.users = [];
    state.groups = [];
    this.commit();
  }

  private collection(type: ScimResourceType): ScimResourceRecord[] {
    const state = this.state();
    return type === "User" ? state.users : state.groups;
  }

  private assertUnique(type: ScimResourceType, body: Record<string, unknown>, selfId: string | undefined): void {
    const attribute = type === "User" ? "userName" : "displayName";
    const value = body[attribute];
    if (typeof value !== "string") return;
    const clash = this.collection(type).find((r) => r.id !== selfId && typeof r[attribute] === "string" && r[attribute].toLowerCase() === value.toLowerCase());
    if (clash) throw scimError(409, "uniqueness", `A ${type} with ${attribute} '${value}' already exists.`);
  }
}

/** id and meta belong to the service provider (RFC 7643 §3.1); what a client sends there is ignored. */
function withoutServerManaged(body: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, meta: _meta, ...rest } = body;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}
