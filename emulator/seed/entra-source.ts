/**
 * The "Azure Active Directory" source directory as provisioning schemas describe it.
 *
 * User: the docs' objectDefinition sample (the objectDefinition resource page's Entra user example)
 * plus the attributes the default SCIM mappings read
 * (employeeId, appRoleAssignments), then the further user attributes Microsoft documents as Entra
 * attributes a mapping can read, each group below naming its source. Group: synthesized in the same
 * style, plus the group attributes Microsoft documents likewise.
 *
 * Not every attribute here has a value on the emulator's seeded users and groups
 * (provisioning/source-object.ts); one without a value reads as null, as an unset attribute does.
 * Graph's renames of attributes the sample already names under their provisioning names
 * (businessPhones = telephoneNumber, mobilePhone = mobile, faxNumber = facsimileTelephoneNumber,
 * officeLocation = physicalDeliveryOfficeName) are not added twice, and neither are write-only
 * settings (passwordProfile.forceChangePasswordNextSignIn...) nor computed ones (groups).
 */
import type { DirectoryDefinition, ObjectDefinition } from "../../provider/graph/types";
import { attr, objectDef } from "./schema-builders";

export const ENTRA_DIRECTORY_NAME = "Azure Active Directory";

function entraUserObject(): ObjectDefinition {
  return objectDef(
    "User",
    [
      attr("objectId", { anchor: true }),
      attr("IsSoftDeleted", { type: "Boolean", required: true }),
      attr("accountEnabled", { type: "Boolean", required: true }),
      attr("appRoleAssignments", { multivalued: true }),
      attr("streetAddress"),
      attr("city"),
      attr("state"),
      attr("postalCode"),
      attr("country"),
      attr("companyName"),
      attr("department"),
      attr("dirSyncEnabled", { type: "Boolean" }),
      attr("displayName", { required: true }),
      attr("employeeId"),
      attr("extensionAttribute1"),
      attr("facsimileTelephoneNumber"),
      attr("givenName"),
      attr("jobTitle"),
      attr("mail"),
      attr("mailNickname"),
      attr("manager", { type: "Reference", references: ["User"] }),
      attr("mobile"),
      attr("onPremisesSecurityIdentifier"),
      attr("originalUserPrincipalName"),
      attr("passwordProfile.password", { required: true }),
      attr("physicalDeliveryOfficeName"),
      attr("preferredLanguage", { required: true }),
      attr("proxyAddresses", { multivalued: true }),
      attr("surname", { required: true }),
      attr("telephoneNumber"),
      attr("userPrincipalName", { required: true }),
      // extensionAttribute1..15: all fifteen are source properties of the testInputObject in Graph's
      // parseExpression example (microsoft-graph-docs-contrib, synchronizationschema-parseexpression.md),
      // and the "User - Microsoft Entra
      // Extension" table of "Microsoft Entra ID SCIM API schema" (entra-docs,
      // app-provisioning/entra-id-scim-api-schema-documentation.md) lists them as Entra attributes.
      // extensionAttribute1 is the sample's, above.
      ...Array.from({ length: 14 }, (_, i) => attr(`extensionAttribute${i + 2}`)),
      // The Entra ID attributes of the same SCIM API schema tables ("User - Core", "User - Enterprise
      // Extension", "User - Microsoft Entra Extension") that the sample lacks, by their Graph names
      // (Graph user resource: onPremisesSamAccountName). employeeHireDate is also the Entra
      // attribute of "Extend API-driven provisioning to sync custom attributes" and of Lifecycle
      // Workflows' "How to synchronize attributes" (with employeeLeaveDateTime). userType: "Known
      // issues for provisioning" lists it with appRoleAssignments and manager as source attributes
      // that scoping filters do not support (an older paragraph there says it is not offered as a
      // source attribute; wrongly rejecting a valid name is the worse error, so it is here).
      attr("otherMails", { multivalued: true }),
      attr("imAddresses", { multivalued: true }),
      attr("userType"),
      attr("employeeType"),
      attr("employeeOrgData.costCenter"),
      attr("employeeOrgData.division"),
      attr("employeeHireDate", { type: "DateTime" }),
      attr("employeeLeaveDateTime", { type: "DateTime" }),
      attr("creationType"),
      attr("lastPasswordChangeDateTime", { type: "DateTime" }),
      attr("onPremisesDistinguishedName"),
      attr("onPremisesDomainName"),
      attr("onPremisesImmutableId"),
      attr("onPremisesSamAccountName"),
      attr("onPremisesSyncEnabled", { type: "Boolean" }),
      attr("onPremisesUserPrincipalName"),
      attr("preferredDataLocation"),
      attr("usageLocation"),
      // "Known issues for provisioning" (cross-tenant synchronization section) names showInAddressList
      // as an Entra user attribute in synchronization attribute mappings.
      attr("showInAddressList", { type: "Boolean" }),
    ],
    [
      { key: "IsSoftDeletionSupported", value: "true" },
      { key: "ConnectorDataStorageRequired", value: "true" },
      { key: "IsSynchronizeAllSupported", value: "true" },
      { key: "PropertyNameAccountEnabled", value: "accountEnabled" },
      { key: "PropertyNameSoftDeleted", value: "IsSoftDeleted" },
    ],
  );
}

function entraGroupObject(): ObjectDefinition {
  return objectDef(
    "Group",
    [
      attr("objectId", { anchor: true }),
      attr("IsSoftDeleted", { type: "Boolean", required: true }),
      attr("description"),
      attr("displayName", { required: true }),
      attr("mail"),
      attr("mailEnabled", { type: "Boolean" }),
      attr("mailNickname"),
      attr("members", { type: "Reference", multivalued: true, references: ["User", "Group"] }),
      attr("proxyAddresses", { multivalued: true }),
      attr("securityEnabled", { type: "Boolean" }),
      // The Entra ID attributes of the "Group - Microsoft Entra Extension" table of "Microsoft Entra
      // ID SCIM API schema" (entra-docs, app-provisioning/entra-id-scim-api-schema-documentation.md)
      // that the attributes above lack, by their Graph names.
      attr("expirationDateTime", { type: "DateTime" }),
      attr("groupTypes", { multivalued: true }),
      attr("onPremisesSamAccountName"),
      attr("onPremisesSecurityIdentifier"),
      attr("onPremisesSyncEnabled", { type: "Boolean" }),
      attr("securityIdentifier"),
    ],
    [
      { key: "IsSoftDeletionSupported", value: "true" },
      { key: "ConnectorDataStorageRequired", value: "true" },
      { key: "IsSynchronizeAllSupported", value: "true" },
      { key: "PropertyNameSoftDeleted", value: "IsSoftDeleted" },
    ],
  );
}

export function entraDirectory(id: string): DirectoryDefinition {
  return {
    id,
    discoverabilities: "AttributeNames, AttributeDataTypes",
    discoveryDateTime: null,
    name: ENTRA_DIRECTORY_NAME,
    objects: [entraUserObject(), entraGroupObject()],
    readOnly: true,
    version: null,
  };
}
