/**
 * The "Azure Active Directory" source directory as provisioning schemas describe it. The User
 * object is the docs' objectDefinition sample (shared/graph/examples/resources/
 * objectDefinition-sample-entra-user.json) plus the attributes the default SCIM mappings read
 * (employeeId, appRoleAssignments); the Group object is synthesized in the same style.
 */
import type { DirectoryDefinition, ObjectDefinition } from "../../provider/graph/types";
import { attr, objectDef } from "./schema-builders";

export const ENTRA_DIRECTORY_NAME = "Azure Active Directory";

export function entraUserObject(): ObjectDefinition {
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

export function entraGroupObject(): ObjectDefinition {
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
