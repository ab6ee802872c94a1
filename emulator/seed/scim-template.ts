/**
 * The non-gallery SCIM ("customappsso") template: Entra users and groups provisioned to a SCIM
 * 2.0 endpoint. The default mappings follow the attribute-mapping table Microsoft documents for
 * SCIM apps ("Understand the Microsoft Entra SCIM implementation"): userName <- userPrincipalName
 * (matching), active <- Not([IsSoftDeleted]), emails[type eq "work"].value <- mail,
 * name.givenName/familyName, externalId <- mailNickname, ... and for groups displayName
 * (matching), externalId <- objectId, members <- members.
 *
 * The target User object defines those mapped attributes and then the further SCIM attributes
 * Microsoft documents for this connector without mapping them by default, each group below naming
 * its source; the mappings are the documented defaults either way.
 */
import type { SynchronizationSchema } from "../../provider/graph/types";
import { ENTRA_DIRECTORY_NAME, entraDirectory } from "./entra-source";
import { attr, call, constant, fromAttribute, mapping, objectDef, objectMapping } from "./schema-builders";

const SCIM_TARGET_DIRECTORY_NAME = "customappsso";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

interface ScimTemplateIds {
  sourceDirectoryId: string;
  targetDirectoryId: string;
  ruleId: string;
}

/** The six address sub-attributes, in the order the gallery tutorials list them. */
const addressOf = (type: string) =>
  ["formatted", "streetAddress", "locality", "region", "postalCode", "country"].map((sub) => attr(`addresses[type eq "${type}"].${sub}`));

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
            // Not mapped by default. "Understand the Microsoft Entra SCIM implementation" (entra-docs,
            // app-provisioning/use-scim-to-provision-users-and-groups.md), its table of user
            // attributes: proxyAddresses -> emails[type eq "other"].value,
            // physicalDeliveryOfficeName -> addresses[type eq "other"].formatted; the other
            // sub-attributes of the "other" address are in the gallery tutorials' lists (below).
            attr('emails[type eq "other"].value'),
            ...addressOf("other"),
            // "Known issues and resolutions with SCIM 2.0 protocol compliance" (app-provisioning/
            // application-provisioning-config-problem-scim-compatibility.md): the scim job's PATCH
            // samples set "nickName".
            attr("nickName"),
            // The SCIM 2.0 user attribute lists of Microsoft's gallery SCIM tutorials (entra-docs,
            // identity/saas-apps/: blinq-provisioning-tutorial.md,
            // global-relay-identity-sync-provisioning-tutorial.md,
            // vmware-identity-service-provisioning-tutorial.md).
            attr("name.middleName"),
            attr("name.honorificPrefix"),
            attr("name.honorificSuffix"),
            attr("userType"),
            attr("locale"),
            attr("timezone"),
            attr("profileUrl"),
            attr('emails[type eq "home"].value'),
            attr('phoneNumbers[type eq "home"].value'),
            attr('phoneNumbers[type eq "other"].value'),
            attr('phoneNumbers[type eq "pager"].value'),
            ...addressOf("home"),
            attr(`${ENTERPRISE}:costCenter`),
            attr(`${ENTERPRISE}:organization`),
            attr(`${ENTERPRISE}:division`),
            // "Customize Microsoft Entra attribute mappings" (customize-application-attributes.md),
            // "Provisioning a role to a SCIM app": the three role attributes to choose from (also in the
            // Global Relay tutorial's list).
            attr('roles[primary eq "True"].display'),
            attr('roles[primary eq "True"].type'),
            attr('roles[primary eq "True"].value'),
            // The Slack gallery tutorial's list (saas-apps/slack-provisioning-tutorial.md). Weaker
            // evidence for this template (customize-application-attributes.md says provisioning a
            // photo isn't supported today), kept because wrongly rejecting a name is the worse error.
            attr('photos[type eq "photo"].value'),
            // "Microsoft Entra ID SCIM API schema" (entra-id-scim-api-schema-documentation.md), User -
            // Core: ims[type eq "work"].value, a SCIM name Microsoft maps (for its own SCIM API; weaker
            // evidence for this template, kept for the same reason). Not `entitlements`: "Understand
            // the Microsoft Entra SCIM implementation" says the entitlements attribute isn't supported.
            attr('ims[type eq "work"].value'),
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
