/**
 * Users and groups as the provisioning service's "Azure Active Directory" source directory sees
 * them, built from Graph's JSON: the table below maps each source attribute name a schema can read
 * (the source object definitions of the Entra directory, emulator/seed/entra-source.ts) to the
 * Graph property that holds it, so a sample read `$select`s exactly the properties the mappings read.
 *
 * Most attributes are the Graph property of the same name. The others:
 *   objectId                    = id
 *   IsSoftDeleted               = false (a listed user or group is not in the recycle bin)
 *   accountEnabled              = accountEnabled (absent = enabled)
 *   mailEnabled, securityEnabled (groups) = the property (absent = false)
 *   appRoleAssignments          = the display names of the app roles the object holds on the app
 *                                 (assigned directly or, for users, through an assigned group)
 *   telephoneNumber             = businessPhones[0]
 *   mobile                      = mobilePhone
 *   facsimileTelephoneNumber    = faxNumber
 *   physicalDeliveryOfficeName  = officeLocation
 *   dirSyncEnabled              = onPremisesSyncEnabled
 *   extensionAttribute1..15     = onPremisesExtensionAttributes.extensionAttribute1..15
 *   employeeOrgData.costCenter  = employeeOrgData.costCenter (and .division)
 *   manager                     = the manager's id ($expand=manager($select=id))
 *   members (groups)            = the ids of the group's direct members (/groups/{id}/members)
 *   extension_<appId>_<name>    = the directory extension property of that name
 * Attributes Graph does not return (passwordProfile.password, originalUserPrincipalName) read as
 * null, as an unset attribute does; they are listed as `unreadable` so a report can say so.
 * Pure: no I/O.
 */

import type { SourceObject, SourceValue } from "../schema/expression";

export type SourceKind = "User" | "Group";

/** Source attribute -> how its value is found in Graph's JSON. */
interface AttributeSource {
  /** The Graph property to $select. */
  select: string;
  read: (json: GraphObject) => SourceValue;
}

export type GraphObject = Readonly<Record<string, unknown>>;

const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
const flag = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
/** A property read as Graph returns it: text, boolean, number, or a list of text. */
const plain = (v: unknown): SourceValue => (Array.isArray(v) ? list(v) : typeof v === "string" || typeof v === "boolean" || typeof v === "number" ? v : null);

const same = (name: string): AttributeSource => ({ select: name, read: (json) => plain(json[name]) });
const renamed = (property: string, read: (v: unknown) => SourceValue = plain): AttributeSource => ({ select: property, read: (json) => read(json[property]) });
const nested = (property: string, member: string): AttributeSource => ({
  select: property,
  read: (json) => {
    const holder = json[property];
    return holder && typeof holder === "object" ? plain((holder as Record<string, unknown>)[member]) : null;
  },
});

/** Graph user properties read under their own name. */
const USER_SAME = [
  "city",
  "companyName",
  "country",
  "creationType",
  "department",
  "displayName",
  "employeeHireDate",
  "employeeId",
  "employeeLeaveDateTime",
  "employeeType",
  "givenName",
  "imAddresses",
  "jobTitle",
  "lastPasswordChangeDateTime",
  "mail",
  "mailNickname",
  "onPremisesDistinguishedName",
  "onPremisesDomainName",
  "onPremisesImmutableId",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "onPremisesUserPrincipalName",
  "otherMails",
  "postalCode",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "showInAddressList",
  "state",
  "streetAddress",
  "surname",
  "usageLocation",
  "userPrincipalName",
  "userType",
];

const USER_ATTRIBUTES: Record<string, AttributeSource> = {
  ...Object.fromEntries(USER_SAME.map((n) => [n, same(n)])),
  objectId: renamed("id", text),
  accountEnabled: renamed("accountEnabled", (v) => v !== false),
  telephoneNumber: renamed("businessPhones", (v) => list(v)[0] ?? null),
  mobile: renamed("mobilePhone", text),
  facsimileTelephoneNumber: renamed("faxNumber", text),
  physicalDeliveryOfficeName: renamed("officeLocation", text),
  dirSyncEnabled: renamed("onPremisesSyncEnabled", flag),
  "employeeOrgData.costCenter": nested("employeeOrgData", "costCenter"),
  "employeeOrgData.division": nested("employeeOrgData", "division"),
  ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, nested("onPremisesExtensionAttributes", `extensionAttribute${i + 1}`)])),
};

const GROUP_SAME = [
  "description",
  "displayName",
  "expirationDateTime",
  "groupTypes",
  "mail",
  "mailEnabled",
  "mailNickname",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "proxyAddresses",
  "securityEnabled",
  "securityIdentifier",
];

const GROUP_ATTRIBUTES: Record<string, AttributeSource> = {
  ...Object.fromEntries(GROUP_SAME.map((n) => [n, same(n)])),
  objectId: renamed("id", text),
  // Absent or null reads as false, as the provisioning service's group object has it.
  mailEnabled: renamed("mailEnabled", (v) => v === true),
  securityEnabled: renamed("securityEnabled", (v) => v === true),
};

/** Attributes not read from the object's own properties. */
const DERIVED: Record<SourceKind, readonly string[]> = {
  User: ["IsSoftDeleted", "appRoleAssignments", "manager"],
  Group: ["IsSoftDeleted", "appRoleAssignments", "members"],
};

/** A directory extension property (`extension_<appId without dashes>_<name>`), read as itself. */
const DIRECTORY_EXTENSION = /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i;

const tableOf = (kind: SourceKind) => (kind === "User" ? USER_ATTRIBUTES : GROUP_ATTRIBUTES);

/** The table's spelling of a name (source attribute names are matched without regard to case, as scoping does). */
function canonical(kind: SourceKind, name: string): string | undefined {
  const table = tableOf(kind);
  if (name in table || DERIVED[kind].includes(name)) return name;
  const lower = name.toLowerCase();
  return [...Object.keys(table), ...DERIVED[kind]].find((k) => k.toLowerCase() === lower);
}

/** What to ask Graph for, for the source attributes a schema's mappings and filters read. */
export interface GraphRead {
  /** Properties to $select (always id, accountEnabled and the name that labels the object). */
  select: string[];
  /** Whether `manager` is read ($expand=manager($select=id)). */
  manager: boolean;
  /** Whether `members` is read (one /members listing per sampled group). */
  members: boolean;
  /** Whether `appRoleAssignments` is read (the app's roles and its assignments). */
  appRoles: boolean;
  /** Names Graph does not return: read as null. */
  unreadable: string[];
}

export function graphReadFor(kind: SourceKind, attributes: Iterable<string>): GraphRead {
  const select = new Set(kind === "User" ? ["id", "accountEnabled", "userPrincipalName"] : ["id", "displayName"]);
  const read: GraphRead = { select: [], manager: false, members: false, appRoles: false, unreadable: [] };
  for (const name of attributes) {
    if (DIRECTORY_EXTENSION.test(name)) {
      select.add(name);
      continue;
    }
    const known = canonical(kind, name);
    if (known === undefined) {
      if (!read.unreadable.includes(name)) read.unreadable.push(name);
      continue;
    }
    if (known === "manager" && kind === "User") read.manager = true;
    else if (known === "members" && kind === "Group") read.members = true;
    else if (known === "appRoleAssignments") read.appRoles = true;
    else if (known !== "IsSoftDeleted") select.add(tableOf(kind)[known].select);
  }
  read.select = [...select];
  return read;
}

/** What a source object is made of besides its own properties. */
interface Relations {
  /** Display names of the app roles held on the application. */
  appRoleNames: readonly string[];
  /** Groups: ids of the direct members (when read). */
  memberIds?: readonly string[];
}

/**
 * A user or group from Graph's JSON, with every attribute of the table that the JSON holds (an
 * attribute whose property was not selected is absent, which reads as null).
 */
export function sourceObjectOf(kind: SourceKind, json: GraphObject, relations: Relations): SourceObject {
  const out: Record<string, SourceValue> = { IsSoftDeleted: false, appRoleAssignments: [...relations.appRoleNames] };
  for (const [name, source] of Object.entries(tableOf(kind))) {
    if (source.select in json || name === "accountEnabled") out[name] = source.read(json);
  }
  for (const [key, value] of Object.entries(json)) if (DIRECTORY_EXTENSION.test(key)) out[key] = plain(value);
  if (kind === "User" && "manager" in json) {
    const manager = json.manager as { id?: unknown } | null | undefined;
    out.manager = typeof manager?.id === "string" ? manager.id : null;
  }
  if (kind === "Group" && relations.memberIds) out.members = [...relations.memberIds];
  return out;
}

/** How a report names an object: userPrincipalName for users, displayName for groups (as the provisioning logs do). */
export function labelOf(kind: SourceKind, json: GraphObject): string {
  const name = kind === "User" ? json.userPrincipalName : json.displayName;
  return typeof name === "string" && name !== "" ? name : String(json.id);
}

/** Users are active unless disabled; groups always are (entry.ts of the provisioning service's model). */
export function isActive(kind: SourceKind, json: GraphObject): boolean {
  return kind === "Group" || json.accountEnabled !== false;
}
