/**
 * Users and groups of the emulated tenant as the provisioning service reads them from the
 * "Azure Active Directory" source directory: attribute names of the schema's source object
 * definitions (seed/entra-source.ts), values from the directory objects.
 */
import type { GroupResource, UserResource } from "../tenant/store";
import type { SourceObject } from "./evaluate";

/**
 * A user. IsSoftDeleted is false: the emulator has no deleted users (the provisioning service sets
 * it for users in the recycle bin); disabled users show up through accountEnabled.
 * `appRoleAssignments` lists the names of the app roles the user holds on the application.
 */
export function userSourceObject(user: UserResource, appRoleNames: readonly string[]): SourceObject {
  const text = (key: string): string | null => (typeof user[key] === "string" ? (user[key] as string) : null);
  const phones = Array.isArray(user.businessPhones) ? (user.businessPhones as string[]) : [];
  const mail = text("mail");
  return {
    objectId: user.id,
    IsSoftDeleted: false,
    accountEnabled: user.accountEnabled !== false,
    appRoleAssignments: [...appRoleNames],
    city: text("city"),
    companyName: text("companyName"),
    country: text("country"),
    department: text("department"),
    displayName: user.displayName,
    employeeId: text("employeeId"),
    facsimileTelephoneNumber: text("faxNumber"),
    givenName: text("givenName"),
    jobTitle: text("jobTitle"),
    mail,
    mailNickname: text("mailNickname"),
    manager: text("managerId"),
    mobile: text("mobilePhone"),
    physicalDeliveryOfficeName: text("officeLocation"),
    postalCode: text("postalCode"),
    preferredLanguage: text("preferredLanguage"),
    proxyAddresses: mail ? [`SMTP:${mail}`] : [],
    state: text("state"),
    streetAddress: text("streetAddress"),
    surname: text("surname"),
    telephoneNumber: phones[0] ?? null,
    usageLocation: text("usageLocation"),
    userPrincipalName: user.userPrincipalName,
  };
}

/** A group; `members` holds the member users' object ids (references resolved at export). */
export function groupSourceObject(group: GroupResource, memberIds: readonly string[]): SourceObject {
  const text = (key: string): string | null => (typeof group[key] === "string" ? (group[key] as string) : null);
  const mail = text("mail");
  return {
    objectId: group.id,
    IsSoftDeleted: false,
    description: text("description"),
    displayName: group.displayName,
    mail,
    mailEnabled: group.mailEnabled === true,
    mailNickname: text("mailNickname"),
    members: [...memberIds],
    proxyAddresses: mail ? [`SMTP:${mail}`] : [],
    securityEnabled: group.securityEnabled === true,
  };
}
