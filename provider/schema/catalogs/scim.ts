/**
 * The names of the non-gallery SCIM template (`scim`: Entra users and groups provisioned to any
 * SCIM 2.0 endpoint), as Microsoft documents them:
 *  - source "Azure Active Directory": the User object of the objectDefinition sample on Graph's
 *    synchronization resource pages, plus employeeId and appRoleAssignments, which the default SCIM
 *    mappings read, plus the Entra user attributes Microsoft documents elsewhere (extensionAttribute1..15
 *    in Graph's parseExpression example; userType, employeeType, employeeHireDate, onPremises*, ...
 *    in "Microsoft Entra ID SCIM API schema"); its Group object in the same style;
 *  - target "customappsso": the attributes of the default mappings ("Understand the Microsoft Entra
 *    SCIM implementation": userName <- userPrincipalName, matching; displayName for groups,
 *    matching), then the SCIM attributes Microsoft documents for the connector without mapping them
 *    (nickName, locale, timezone, home/other emails, phones and addresses, roles, the rest of the
 *    enterprise extension, ...).
 * Each name's source is given where the emulator seeds the same template (emulator/seed/
 * entra-source.ts, emulator/seed/scim-template.ts); the provider ships without the emulator, so the
 * names are kept here, and test/unit/schema-bundled-catalogs.test.ts fails if the two drift apart.
 * A tenant's template may still define names these lists lack: setting.ts is the way out.
 */

import type { CatalogObjectMapping, SchemaCatalog } from "../catalog";
import type { BundledCatalog } from "./bundled";

const ENTRA = "Azure Active Directory";
const SCIM = "customappsso";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** `addresses[type eq "<type>"].<sub-attribute>`, the six sub-attributes in the template's order. */
function addresses(type: string): string[] {
  return ["formatted", "streetAddress", "locality", "region", "postalCode", "country"].map((sub) => `addresses[type eq "${type}"].${sub}`);
}

/** The SCIM User attributes the template maps: attribute -> matching priority (0 = not matching). */
const USER_MAPPED: CatalogObjectMapping["mapped"] = {
  userName: 1,
  active: 0,
  displayName: 0,
  title: 0,
  'emails[type eq "work"].value': 0,
  preferredLanguage: 0,
  "name.givenName": 0,
  "name.familyName": 0,
  "name.formatted": 0,
  'addresses[type eq "work"].formatted': 0,
  'addresses[type eq "work"].streetAddress': 0,
  'addresses[type eq "work"].locality': 0,
  'addresses[type eq "work"].region': 0,
  'addresses[type eq "work"].postalCode': 0,
  'addresses[type eq "work"].country': 0,
  'phoneNumbers[type eq "work"].value': 0,
  'phoneNumbers[type eq "mobile"].value': 0,
  'phoneNumbers[type eq "fax"].value': 0,
  externalId: 0,
  [`${ENTERPRISE}:employeeNumber`]: 0,
  [`${ENTERPRISE}:department`]: 0,
  [`${ENTERPRISE}:manager`]: 0,
};

/** The SCIM User attributes the template defines but does not map. */
const USER_UNMAPPED: string[] = [
  'emails[type eq "other"].value',
  ...addresses("other"),
  "nickName",
  "name.middleName",
  "name.honorificPrefix",
  "name.honorificSuffix",
  "userType",
  "locale",
  "timezone",
  "profileUrl",
  'emails[type eq "home"].value',
  'phoneNumbers[type eq "home"].value',
  'phoneNumbers[type eq "other"].value',
  'phoneNumbers[type eq "pager"].value',
  ...addresses("home"),
  `${ENTERPRISE}:costCenter`,
  `${ENTERPRISE}:organization`,
  `${ENTERPRISE}:division`,
  'roles[primary eq "True"].display',
  'roles[primary eq "True"].type',
  'roles[primary eq "True"].value',
  'photos[type eq "photo"].value',
  'ims[type eq "work"].value',
];

/** Likewise for the SCIM Group. */
const GROUP_MAPPED: CatalogObjectMapping["mapped"] = { displayName: 1, externalId: 0, members: 0 };

const catalog: SchemaCatalog = {
  directories: {
    [ENTRA]: {
      User: [
        "objectId",
        "IsSoftDeleted",
        "accountEnabled",
        "appRoleAssignments",
        "streetAddress",
        "city",
        "state",
        "postalCode",
        "country",
        "companyName",
        "department",
        "dirSyncEnabled",
        "displayName",
        "employeeId",
        "extensionAttribute1",
        "facsimileTelephoneNumber",
        "givenName",
        "jobTitle",
        "mail",
        "mailNickname",
        "manager",
        "mobile",
        "onPremisesSecurityIdentifier",
        "originalUserPrincipalName",
        "passwordProfile.password",
        "physicalDeliveryOfficeName",
        "preferredLanguage",
        "proxyAddresses",
        "surname",
        "telephoneNumber",
        "userPrincipalName",
        // extensionAttribute2..15 (extensionAttribute1 is above)
        ...Array.from({ length: 14 }, (_, i) => `extensionAttribute${i + 2}`),
        "otherMails",
        "imAddresses",
        "userType",
        "employeeType",
        "employeeOrgData.costCenter",
        "employeeOrgData.division",
        "employeeHireDate",
        "employeeLeaveDateTime",
        "creationType",
        "lastPasswordChangeDateTime",
        "onPremisesDistinguishedName",
        "onPremisesDomainName",
        "onPremisesImmutableId",
        "onPremisesSamAccountName",
        "onPremisesSyncEnabled",
        "onPremisesUserPrincipalName",
        "preferredDataLocation",
        "usageLocation",
        "showInAddressList",
      ],
      Group: [
        "objectId",
        "IsSoftDeleted",
        "description",
        "displayName",
        "mail",
        "mailEnabled",
        "mailNickname",
        "members",
        "proxyAddresses",
        "securityEnabled",
        "expirationDateTime",
        "groupTypes",
        "onPremisesSamAccountName",
        "onPremisesSecurityIdentifier",
        "onPremisesSyncEnabled",
        "securityIdentifier",
      ],
    },
    [SCIM]: {
      User: ["id", ...Object.keys(USER_MAPPED), ...USER_UNMAPPED],
      Group: ["id", ...Object.keys(GROUP_MAPPED)],
    },
  },
  objectMappings: {
    User: { sourceDirectory: ENTRA, sourceObject: "User", targetDirectory: SCIM, targetObject: "User", mapped: USER_MAPPED },
    Group: { sourceDirectory: ENTRA, sourceObject: "Group", targetDirectory: SCIM, targetObject: "Group", mapped: GROUP_MAPPED },
  },
};

export const SCIM_CATALOG: BundledCatalog = {
  templateId: "scim",
  describedAs: "the non-gallery SCIM template as Microsoft documents it",
  catalog,
};
