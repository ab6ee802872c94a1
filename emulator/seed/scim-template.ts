/**
 * The non-gallery SCIM ("customappsso") template: Entra users and groups provisioned to a SCIM
 * 2.0 endpoint. Target attribute names and default mappings follow the attribute-mapping table
 * Microsoft documents for SCIM apps ("Understand the Microsoft Entra SCIM implementation"):
 * userName <- userPrincipalName (matching), active <- Not([IsSoftDeleted]), emails[type eq
 * "work"].value <- mail, name.givenName/familyName, externalId <- mailNickname, ... and for groups
 * displayName (matching), externalId <- objectId, members <- members.
 */
import type { SynchronizationSchema } from "../../provider/graph/types";
import { ENTRA_DIRECTORY_NAME, entraDirectory } from "./entra-source";
import { attr, call, constant, fromAttribute, mapping, objectDef, objectMapping } from "./schema-builders";

export const SCIM_TARGET_DIRECTORY_NAME = "customappsso";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export interface ScimTemplateIds {
  sourceDirectoryId: string;
  targetDirectoryId: string;
  ruleId: string;
}

export function scimTemplateSchema(ids: ScimTemplateIds): SynchronizationSchema {
  const work = (path: string) => `addresses[type eq "work"].${path}`;
  return {
    directories: [
      entraDirectory(ids.sourceDirectoryId),
      {
        id: ids.targetDirectoryId,
        discoverabilities: "None",
        discoveryDateTime: null,
        name: SCIM_TARGET_DIRECTORY_NAME,
        objects: [
          objectDef("User", [
            attr("id", { anchor: true, mutability: "ReadOnly", caseExact: true }),
            attr("userName", { required: true }),
            attr("active", { type: "Boolean" }),
            attr("displayName"),
            attr("title"),
            attr('emails[type eq "work"].value'),
            attr("preferredLanguage"),
            attr("name.givenName"),
            attr("name.familyName"),
            attr("name.formatted"),
            attr(work("formatted")),
            attr(work("streetAddress")),
            attr(work("locality")),
            attr(work("region")),
            attr(work("postalCode")),
            attr(work("country")),
            attr('phoneNumbers[type eq "work"].value'),
            attr('phoneNumbers[type eq "mobile"].value'),
            attr('phoneNumbers[type eq "fax"].value'),
            attr("externalId"),
            attr(`${ENTERPRISE}:employeeNumber`),
            attr(`${ENTERPRISE}:department`),
            attr(`${ENTERPRISE}:manager`, { type: "Reference", references: ["User"] }),
          ]),
          objectDef("Group", [
            attr("id", { anchor: true, mutability: "ReadOnly", caseExact: true }),
            attr("displayName", { required: true }),
            attr("externalId"),
            attr("members", { type: "Reference", multivalued: true, references: ["User", "Group"] }),
          ]),
        ],
        readOnly: false,
        version: null,
      },
    ],
    synchronizationRules: [
      {
        containerFilter: null,
        editable: true,
        groupFilter: null,
        id: ids.ruleId,
        metadata: [{ key: "supportsProvisionOnDemand", value: "true" }],
        name: "USER_OUTBOUND_USER",
        objectMappings: [
          objectMapping("Provision Microsoft Entra ID Users", "User", "User", [
            mapping("userName", fromAttribute("userPrincipalName"), { matchingPriority: 1 }),
            mapping("active", call("Not", "Not([IsSoftDeleted])", [["source", fromAttribute("IsSoftDeleted")]])),
            mapping("displayName", fromAttribute("displayName")),
            mapping("title", fromAttribute("jobTitle")),
            mapping('emails[type eq "work"].value', fromAttribute("mail")),
            mapping("preferredLanguage", fromAttribute("preferredLanguage")),
            mapping("name.givenName", fromAttribute("givenName")),
            mapping("name.familyName", fromAttribute("surname")),
            mapping(
              "name.formatted",
              call("Join", 'Join(" ", [givenName], [surname])', [
                ["separator", constant(" ")],
                ["source", fromAttribute("givenName")],
                ["source", fromAttribute("surname")],
              ]),
            ),
            mapping(work("formatted"), fromAttribute("physicalDeliveryOfficeName")),
            mapping(work("streetAddress"), fromAttribute("streetAddress")),
            mapping(work("locality"), fromAttribute("city")),
            mapping(work("region"), fromAttribute("state")),
            mapping(work("postalCode"), fromAttribute("postalCode")),
            mapping(work("country"), fromAttribute("country")),
            mapping('phoneNumbers[type eq "work"].value', fromAttribute("telephoneNumber")),
            mapping('phoneNumbers[type eq "mobile"].value', fromAttribute("mobile")),
            mapping('phoneNumbers[type eq "fax"].value', fromAttribute("facsimileTelephoneNumber")),
            mapping("externalId", fromAttribute("mailNickname")),
            mapping(`${ENTERPRISE}:employeeNumber`, fromAttribute("employeeId")),
            mapping(`${ENTERPRISE}:department`, fromAttribute("department")),
            mapping(`${ENTERPRISE}:manager`, fromAttribute("manager")),
          ]),
          objectMapping("Provision Microsoft Entra ID Groups", "Group", "Group", [
            mapping("displayName", fromAttribute("displayName"), { matchingPriority: 1 }),
            mapping("externalId", fromAttribute("objectId")),
            mapping("members", fromAttribute("members")),
          ]),
        ],
        priority: 1,
        sourceDirectoryName: ENTRA_DIRECTORY_NAME,
        targetDirectoryName: SCIM_TARGET_DIRECTORY_NAME,
      },
    ],
  };
}
