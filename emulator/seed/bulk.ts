/**
 * Extra non-gallery SCIM apps for scale tests and the benchmark (`startEmulator({ extraScimApps: N })`,
 * `--extra-scim-apps N`): N more enterprise applications like "Contoso SCIM App", each with its own
 * service principal and a `scim` template, so that a stack can hold N jobs, each with its own
 * secrets (secrets belong to a service principal, shared by all its jobs).
 *
 * Deterministic: the apps' ids come from their own stream derived from the tenant seed, so adding
 * them never shifts any other seeded or minted id, and the same seed and N give the same apps.
 * They have no users or groups assigned (with SyncAll=false a cycle provisions nobody).
 */
import { deriveSeed, Rng } from "../core/rng";
import type { ServicePrincipalResource, TemplateRecord, TenantState } from "../tenant/store";

export const BULK_SCIM_APP_PREFIX = "Bench SCIM App";
/** A bound that keeps a typo from allocating a tenant of millions of apps. */
export const MAX_EXTRA_SCIM_APPS = 10_000;

/** The display name of the i-th extra app (0-based): "Bench SCIM App 0001", ... */
export function bulkScimAppName(index: number): string {
  return `${BULK_SCIM_APP_PREFIX} ${String(index + 1).padStart(4, "0")}`;
}

/**
 * Add `count` SCIM apps to a freshly seeded tenant (in place; returns it). The template is a copy
 * of the seeded SCIM app's `scim` template (same schema, this app's applicationId).
 */
export function addBulkScimApps(state: TenantState, count: number): TenantState {
  if (!Number.isInteger(count) || count < 0 || count > MAX_EXTRA_SCIM_APPS) {
    throw new RangeError(`extraScimApps must be an integer from 0 to ${MAX_EXTRA_SCIM_APPS}, got ${count}`);
  }
  if (count === 0) return state;
  const model = state.servicePrincipals.find((sp) => state.synchronization[sp.id]?.templates.some((t) => t.template.id === "scim"));
  if (!model) throw new Error("the seeded tenant has no SCIM app to model the extra apps on");
  const modelTemplate = state.synchronization[model.id].templates.find((t) => t.template.id === "scim") as TemplateRecord;
  const rng = new Rng(deriveSeed(state.seed, "bulk-scim-apps"));
  for (let i = 0; i < count; i++) {
    const id = rng.guid();
    const appId = rng.guid();
    const displayName = bulkScimAppName(i);
    const sp: ServicePrincipalResource = {
      ...structuredClone(model),
      id,
      appId,
      displayName,
      appDisplayName: displayName,
      servicePrincipalNames: [appId],
      appRoles: (model.appRoles as Record<string, unknown>[]).map((role) => ({ ...role, id: rng.guid() })),
    };
    const template: TemplateRecord = structuredClone(modelTemplate);
    template.template.applicationId = appId;
    state.servicePrincipals.push(sp);
    state.synchronization[id] = { secrets: null, templates: [template], jobs: [] };
  }
  return state;
}

/** The object ids of the extra apps of a tenant, in creation order. */
export function bulkScimAppIds(state: TenantState): string[] {
  return state.servicePrincipals.filter((sp) => sp.displayName.startsWith(`${BULK_SCIM_APP_PREFIX} `)).map((sp) => sp.id);
}
