/**
 * The SCIM resource types the target implements, declared with SCIMMY: Users (core schema plus the
 * enterprise extension, as Entra's SCIM client sends it) and Groups. SCIMMY validates and
 * normalizes every resource against the RFC 7643 schemas, applies PATCH operations (RFC 7644
 * §3.5.2, `op` case-insensitive as Entra emits "Add"/"Replace"/"Remove"), filters, attribute
 * selection and list paging. The handlers only move data in and out of the per-target ScimStore.
 *
 * SCIMMY's declarations are process-wide (static), while several emulators may run in one process
 * (tests): the handlers therefore take the store from the per-request context (`ctx`).
 */
import { Resources, Schemas, type Types } from "scimmy";
import { scimError } from "./errors";
import type { ScimResourceRecord } from "../tenant/store";
import type { ScimResourceType, ScimStore } from "./store";

export interface ScimRequestContext {
  store: ScimStore;
  /** "https://127.0.0.1:PORT/scim/v2", for meta.location. */
  baseAddress: string;
}

let declared = false;

/** Declare Users and Groups with SCIMMY once per process (idempotent). */
export function declareScimResources(): void {
  if (declared) return;
  declared = true;
  // The handlers deal in plain JSON records; SCIMMY's typings want its schema classes, which it
  // builds from whatever the handler returns, hence the `as never`.
  Resources.declare(Resources.User.extend(Schemas.EnterpriseUser, false))
    .ingress((resource, instance, ctx) => ingress("User", resource, instance, ctx) as never)
    .egress((resource, ctx) => egress("User", resource, ctx) as never)
    .degress((resource, ctx) => degress("User", resource, ctx));
  Resources.declare(Resources.Group)
    .ingress((resource, instance, ctx) => ingress("Group", resource, instance, ctx) as never)
    .egress((resource, ctx) => egress("Group", resource, ctx) as never)
    .degress((resource, ctx) => degress("Group", resource, ctx));
}

function ingress(type: ScimResourceType, resource: Types.Resource, instance: unknown, ctx: unknown): Record<string, unknown> {
  const { store, baseAddress } = context(ctx);
  const body = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
  const record = resource.id ? store.replace(type, resource.id, body) : store.create(type, body);
  return withLocation(record, baseAddress);
}

function egress(type: ScimResourceType, resource: Types.Resource, ctx: unknown): Record<string, unknown> | Record<string, unknown>[] {
  const { store, baseAddress } = context(ctx);
  if (resource.id) {
    const record = store.get(type, resource.id);
    if (!record) throw scimError(404, undefined, `Resource ${resource.id} not found`);
    return withLocation(record, baseAddress);
  }
  const all = store.list(type).map((r) => withLocation(r, baseAddress));
  return resource.filter ? (resource.filter.match(all) as Record<string, unknown>[]) : all;
}

function degress(type: ScimResourceType, resource: Types.Resource, ctx: unknown): void {
  const { store } = context(ctx);
  if (!resource.id || !store.delete(type, resource.id)) throw scimError(404, undefined, `Resource ${resource.id ?? ""} not found`);
}

function context(ctx: unknown): ScimRequestContext {
  const c = ctx as Partial<ScimRequestContext> | undefined;
  if (!c?.store || typeof c.baseAddress !== "string") throw scimError(500, undefined, "SCIM handler called without a target context.");
  return c as ScimRequestContext;
}

function withLocation(record: ScimResourceRecord, baseAddress: string): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(record)) as ScimResourceRecord;
  const collection = record.meta.resourceType === "User" ? "Users" : "Groups";
  return { ...copy, meta: { ...copy.meta, location: `${baseAddress}/${collection}/${record.id}` } };
}
