/** Test fixtures for the schema suites: the seeded SCIM template and the sample customization. */
import { scimTemplateSchema } from "../../emulator/seed/scim-template";
import type { SynchronizationSchema } from "../../provider/graph/types";
import type { SchemaCustomizations } from "../../provider/schema/customization";

export const COST_CENTER = "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter";

export function scimBaseline(): SynchronizationSchema {
  return scimTemplateSchema({ sourceDirectoryId: "src", targetDirectoryId: "tgt", ruleId: "rule-1" });
}

/** The customization the e2e scenario uses: expression, constant, removal, scope, extension attribute. */
export function sampleCustomizations(): SchemaCustomizations {
  return {
    objectMappings: {
      User: {
        attributeMappings: {
          displayName: { expression: 'Join(" ", [givenName], [surname])' },
          title: { constant: "Employee" },
          preferredLanguage: { remove: true },
          [COST_CENTER]: { source: "extensionAttribute1" },
        },
        scope: { sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] },
      },
    },
    extensionAttributes: { customappsso: { User: { [COST_CENTER]: { type: "String" } } } },
  };
}
