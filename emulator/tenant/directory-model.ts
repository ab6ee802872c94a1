/**
 * The directory's users and groups as Graph v1.0 declares them: which properties a `$select` may
 * name, which ones Graph returns without one, and a user's or group's stored record filled to the
 * full property set. One truth: the Graph routes serve these records and provisioning builds its
 * source objects from the same records (provisioning/source-object.ts), so what a client reads
 * from Graph is what a cycle reads.
 *
 * Sources: the user and group resource pages of Graph v1.0 (Properties tables), and the
 * directory extensions page ("extension_{appId-without-dashes}_{name}", returned only on $select).
 */
import type { GroupResource, TenantState, UserResource } from "./store";

/** Every property of microsoft.graph.user (v1.0) the emulator serves on $select, in the docs' order. */
const USER_PROPERTIES = [
  "id",
  "deletedDateTime",
  "accountEnabled",
  "ageGroup",
  "businessPhones",
  "city",
  "companyName",
  "consentProvidedForMinor",
  "country",
  "createdDateTime",
  "creationType",
  "department",
  "displayName",
  "employeeHireDate",
  "employeeId",
  "employeeLeaveDateTime",
  "employeeOrgData",
  "employeeType",
  "externalUserState",
  "externalUserStateChangeDateTime",
  "faxNumber",
  "givenName",
  "identities",
  "imAddresses",
  "isResourceAccount",
  "jobTitle",
  "lastPasswordChangeDateTime",
  "legalAgeGroupClassification",
  "mail",
  "mailNickname",
  "mobilePhone",
  "officeLocation",
  "onPremisesDistinguishedName",
  "onPremisesDomainName",
  "onPremisesExtensionAttributes",
  "onPremisesImmutableId",
  "onPremisesLastSyncDateTime",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "onPremisesUserPrincipalName",
  "otherMails",
  "passwordPolicies",
  "postalCode",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "securityIdentifier",
  "showInAddressList",
  "signInSessionsValidFromDateTime",
  "state",
  "streetAddress",
  "surname",
  "usageLocation",
  "userPrincipalName",
  "userType",
] as const;

/** What GET /users and /users/{id} return without $select (the user resource page's default set). */
export const USER_DEFAULT_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
] as const;

/** Multi-valued user properties: an empty collection, never null. */
const USER_COLLECTIONS = ["businessPhones", "identities", "imAddresses", "otherMails", "proxyAddresses"];

/** Every property of microsoft.graph.group (v1.0) the emulator serves. */
export const GROUP_PROPERTIES = [
  "id",
  "deletedDateTime",
  "classification",
  "createdDateTime",
  "creationOptions",
  "description",
  "displayName",
  "expirationDateTime",
  "groupTypes",
  "isAssignableToRole",
  "mail",
  "mailEnabled",
  "mailNickname",
  "membershipRule",
  "membershipRuleProcessingState",
  "onPremisesDomainName",
  "onPremisesLastSyncDateTime",
  "onPremisesNetBiosName",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "renewedDateTime",
  "resourceBehaviorOptions",
  "resourceProvisioningOptions",
  "securityEnabled",
  "securityIdentifier",
  "theme",
  "visibility",
] as const;

const GROUP_COLLECTIONS = ["creationOptions", "groupTypes", "proxyAddresses", "resourceBehaviorOptions", "resourceProvisioningOptions"];

/** onPremisesExtensionAttributes' members, extensionAttribute1..15. */
export const EXTENSION_ATTRIBUTE_NAMES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);

export function directoryExtensionName(appId: string, name: string): string {
  return `extension_${appId.replace(/-/g, "")}_${name}`;
}

/** The extension property names registered for a kind of object in this tenant. */
export function extensionNames(state: Pick<TenantState, "directoryExtensions">, target: "User" | "Group"): string[] {
  return (state.directoryExtensions ?? []).filter((e) => e.targetObjects.includes(target)).map((e) => e.name);
}

/** The names a `$select` on users may use: the declared properties and the tenant's extensions. */
export function selectableUserProperties(state: Pick<TenantState, "directoryExtensions">): string[] {
  return [...USER_PROPERTIES, ...extensionNames(state, "User")];
}

export function selectableGroupProperties(state: Pick<TenantState, "directoryExtensions">): string[] {
  return [...GROUP_PROPERTIES, ...extensionNames(state, "Group")];
}

/**
 * A user's value of a Graph property as Graph serves it: the stored value, else null (an empty
 * collection for collections; onPremisesExtensionAttributes always an object of fifteen members).
 */
export function userProperty(user: UserResource, name: string): unknown {
  if (name === "onPremisesExtensionAttributes") {
    const stored = (user.onPremisesExtensionAttributes ?? {}) as Record<string, unknown>;
    return Object.fromEntries(EXTENSION_ATTRIBUTE_NAMES.map((n) => [n, typeof stored[n] === "string" ? stored[n] : null]));
  }
  const value = user[name];
  if (USER_COLLECTIONS.includes(name)) return Array.isArray(value) ? value : [];
  return value ?? null;
}

export function groupProperty(group: GroupResource, name: string): unknown {
  const value = group[name];
  if (GROUP_COLLECTIONS.includes(name)) return Array.isArray(value) ? value : [];
  return value ?? null;
}

/** The id of a user's manager (stored as `managerId`, Graph's `manager` navigation), or null. */
export function managerIdOf(state: Pick<TenantState, "users">, user: UserResource): string | null {
  const id = typeof user.managerId === "string" ? user.managerId : null;
  return id && state.users.some((u) => u.id === id) ? id : null;
}
