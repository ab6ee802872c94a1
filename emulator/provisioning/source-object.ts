/**
 * Users and groups of the emulated tenant as the provisioning service reads them from the
 * "Azure Active Directory" source directory: attribute names of the schema's source object
 * definitions (seed/entra-source.ts), values read from the same directory records Graph serves
 * (tenant/directory-model.ts), so a client that builds source objects from Graph's JSON by the
 * table in emulator/README.md ("Source attributes and Graph properties") gets what a cycle gets.
 */
import { EXTENSION_ATTRIBUTE_NAMES, extensionNames, groupProperty, managerIdOf, userProperty } from "../tenant/directory-model";
import type { GroupResource, TenantState, UserResource } from "../tenant/store";
import type { SourceObject, SourceValue } from "./evaluate";

type Directory = Pick<TenantState, "users" | "directoryExtensions">;

/** A string property as a value: the string, else null. */
function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** A boolean property: true/false, else null. */
function flag(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

/** A string collection: its strings (possibly none). */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Entra source attribute -> how its value comes from the Graph user. Attributes of the same name
 * as a Graph property read that property; the others are listed here.
 */
function userAttributes(user: UserResource): Record<string, SourceValue> {
  const g = (name: string) => userProperty(user, name);
  const orgData = (g("employeeOrgData") ?? {}) as Record<string, unknown>;
  const onPremExtensions = g("onPremisesExtensionAttributes") as Record<string, unknown>;
  return {
    objectId: user.id,
    // The emulator's directory has no recycle bin: no user is soft-deleted (deletedDateTime is always null).
    IsSoftDeleted: g("deletedDateTime") !== null,
    // Graph's accountEnabled; a user without the property reads as enabled.
    accountEnabled: g("accountEnabled") !== false,
    streetAddress: text(g("streetAddress")),
    city: text(g("city")),
    state: text(g("state")),
    postalCode: text(g("postalCode")),
    country: text(g("country")),
    companyName: text(g("companyName")),
    department: text(g("department")),
    dirSyncEnabled: flag(g("onPremisesSyncEnabled")),
    displayName: text(g("displayName")),
    employeeId: text(g("employeeId")),
    facsimileTelephoneNumber: text(g("faxNumber")),
    givenName: text(g("givenName")),
    jobTitle: text(g("jobTitle")),
    mail: text(g("mail")),
    mailNickname: text(g("mailNickname")),
    mobile: text(g("mobilePhone")),
    onPremisesSecurityIdentifier: text(g("onPremisesSecurityIdentifier")),
    // Not a Graph v1.0 property; never set in the emulator.
    originalUserPrincipalName: null,
    // Write-only in Graph; never readable.
    "passwordProfile.password": null,
    physicalDeliveryOfficeName: text(g("officeLocation")),
    preferredLanguage: text(g("preferredLanguage")),
    proxyAddresses: strings(g("proxyAddresses")),
    surname: text(g("surname")),
    telephoneNumber: strings(g("businessPhones"))[0] ?? null,
    userPrincipalName: text(g("userPrincipalName")),
    ...Object.fromEntries(EXTENSION_ATTRIBUTE_NAMES.map((n) => [n, text(onPremExtensions[n])])),
    otherMails: strings(g("otherMails")),
    imAddresses: strings(g("imAddresses")),
    userType: text(g("userType")),
    employeeType: text(g("employeeType")),
    "employeeOrgData.costCenter": text(orgData.costCenter),
    "employeeOrgData.division": text(orgData.division),
    employeeHireDate: text(g("employeeHireDate")),
    employeeLeaveDateTime: text(g("employeeLeaveDateTime")),
    creationType: text(g("creationType")),
    lastPasswordChangeDateTime: text(g("lastPasswordChangeDateTime")),
    onPremisesDistinguishedName: text(g("onPremisesDistinguishedName")),
    onPremisesDomainName: text(g("onPremisesDomainName")),
    onPremisesImmutableId: text(g("onPremisesImmutableId")),
    onPremisesSamAccountName: text(g("onPremisesSamAccountName")),
    onPremisesSyncEnabled: flag(g("onPremisesSyncEnabled")),
    onPremisesUserPrincipalName: text(g("onPremisesUserPrincipalName")),
    preferredDataLocation: text(g("preferredDataLocation")),
    usageLocation: text(g("usageLocation")),
    showInAddressList: flag(g("showInAddressList")),
  };
}

/**
 * A user. `appRoleAssignments` lists the display names of the app roles the user holds on the
 * application (directly or through a group); `manager` is the manager's object id (a reference the
 * cycle resolves to the manager's target id); directory extensions appear under their
 * `extension_{appId}_{name}` names.
 */
export function userSourceObject(user: UserResource, appRoleNames: readonly string[], directory: Directory): SourceObject {
  const extensions = Object.fromEntries(extensionNames(directory, "User").map((n) => [n, scalar(user[n])]));
  return {
    ...userAttributes(user),
    appRoleAssignments: [...appRoleNames],
    manager: managerIdOf(directory, user),
    ...extensions,
  };
}

/** A directory extension value: strings, numbers and booleans as they are, collections of them, else null. */
function scalar(value: unknown): SourceValue {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean");
  return null;
}

/** A group; `members` holds the member objects' ids, users and groups (references resolved at export). */
export function groupSourceObject(group: GroupResource, memberIds: readonly string[]): SourceObject {
  const g = (name: string) => groupProperty(group, name);
  return {
    objectId: group.id,
    IsSoftDeleted: g("deletedDateTime") !== null,
    description: text(g("description")),
    displayName: text(g("displayName")),
    mail: text(g("mail")),
    mailEnabled: g("mailEnabled") === true,
    mailNickname: text(g("mailNickname")),
    members: [...memberIds],
    proxyAddresses: strings(g("proxyAddresses")),
    securityEnabled: g("securityEnabled") === true,
    expirationDateTime: text(g("expirationDateTime")),
    groupTypes: strings(g("groupTypes")),
    onPremisesSamAccountName: text(g("onPremisesSamAccountName")),
    onPremisesSecurityIdentifier: text(g("onPremisesSecurityIdentifier")),
    onPremisesSyncEnabled: flag(g("onPremisesSyncEnabled")),
    securityIdentifier: text(g("securityIdentifier")),
  };
}
