/**
 * SynchronizationSchema check on a create (the stack's first preview, no baseline in state yet):
 * names are checked against the template's bundled catalog, by property path with did-you-mean,
 * and only when the template is known, bundled, and the check is not turned off.
 */

import { strict as assert } from "node:assert";
import { resetConnectionSettings } from "../../provider/graph/connection";
import { configureBundledCatalogs } from "../../provider/schema/catalogs/setting";
import { UNKNOWN } from "../../provider/validation";
import { COST_CENTER } from "../support/schema-fixtures";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationSchema");

const SP = "2d3a3a4e-51a5-4a8e-9a2b-5d1c2d1b0c11";
const SCIM_JOB = "scim.0123456789abcdef0123456789abcdef.3c1a9a5e-0d4f-4e9b-8a77-6f1c2b3d4e5f";
const OTHER_JOB = "AWSSingleSignOn.0123456789abcdef0123456789abcdef.3c1a9a5e-0d4f-4e9b-8a77-6f1c2b3d4e5f";

type Failure = { property: string; reason: string };

async function createFailures(inputs: Record<string, unknown>): Promise<Failure[]> {
  return (await handler.check({}, { servicePrincipalId: SP, jobId: SCIM_JOB, ...inputs })).failures ?? [];
}

const userMappings = (attributeMappings: Record<string, unknown>) => ({ objectMappings: { User: { attributeMappings } } });
const costCenterFrom = (source: string) => userMappings({ [COST_CENTER]: { source } });
const declaredCostCenter = { extensionAttributes: { customappsso: { User: { [COST_CENTER]: { type: "String" } } } } };

/** One misspelling per row: the property path the failure names, and the suggestion it makes. */
const MISSPELLINGS: [string, Record<string, unknown>, string, string][] = [
  ["source attribute", userMappings({ userName: { source: "userPrincipleName" } }), "objectMappings.User.attributeMappings.userName.source", "userPrincipalName"],
  [
    "source attribute in an expression",
    userMappings({ displayName: { expression: 'Join(" ", [givenName], [surnme])' } }),
    "objectMappings.User.attributeMappings.displayName.expression",
    "surname",
  ],
  [
    "source attribute of a scoping clause",
    { objectMappings: { User: { scope: { sales: [{ attribute: "departmnt", operator: "EQUALS", values: ["Sales"] }] } } } },
    "objectMappings.User.scope.sales[0].attribute",
    "department",
  ],
  ["target attribute", userMappings({ titel: { source: "jobTitle" } }), "objectMappings.User.attributeMappings.titel", "title"],
  [
    "target attribute of the Group mapping",
    { objectMappings: { Group: { attributeMappings: { displayNme: { source: "displayName" } } } } },
    "objectMappings.Group.attributeMappings.displayNme",
    "displayName",
  ],
  ["object mapping key", { objectMappings: { Users: { enabled: false } } }, "objectMappings.Users", "User"],
  [
    "extension attribute directory",
    { extensionAttributes: { customapsso: { User: { costCenter: { type: "String" } } } } },
    "extensionAttributes.customapsso",
    "customappsso",
  ],
];

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/**
 * Names Microsoft documents beyond the objectDefinition sample and the default mappings (sources in
 * emulator/seed/entra-source.ts and scim-template.ts): each is a valid name at the first preview, and
 * a misspelling of it still fails, suggesting it. [what, valid inputs, misspelled inputs, failing path, suggestion]
 */
const DOCUMENTED: [string, Record<string, unknown>, Record<string, unknown>, string, string][] = [
  [
    "source extensionAttribute2",
    userMappings({ title: { source: "extensionAttribute2" } }),
    userMappings({ title: { source: "extensionAttribte2" } }),
    "objectMappings.User.attributeMappings.title.source",
    "extensionAttribute2",
  ],
  [
    "source extensionAttribute15 in an expression",
    userMappings({ title: { expression: 'Join("-", [extensionAttribute15], [jobTitle])' } }),
    userMappings({ title: { expression: 'Join("-", [extensionAtribute15], [jobTitle])' } }),
    "objectMappings.User.attributeMappings.title.expression",
    "extensionAttribute15",
  ],
  [
    "source userType",
    userMappings({ title: { source: "userType" } }),
    userMappings({ title: { source: "userTyp" } }),
    "objectMappings.User.attributeMappings.title.source",
    "userType",
  ],
  [
    "source onPremisesSamAccountName",
    userMappings({ externalId: { source: "onPremisesSamAccountName" } }),
    userMappings({ externalId: { source: "onPremisesSamAcountName" } }),
    "objectMappings.User.attributeMappings.externalId.source",
    "onPremisesSamAccountName",
  ],
  [
    "source employeeType in a scoping clause",
    { objectMappings: { User: { scope: { staff: [{ attribute: "employeeType", operator: "EQUALS", values: ["Employee"] }] } } } },
    { objectMappings: { User: { scope: { staff: [{ attribute: "employeType", operator: "EQUALS", values: ["Employee"] }] } } } },
    "objectMappings.User.scope.staff[0].attribute",
    "employeeType",
  ],
  [
    "Group source onPremisesSamAccountName",
    { objectMappings: { Group: { attributeMappings: { externalId: { source: "onPremisesSamAccountName" } } } } },
    { objectMappings: { Group: { attributeMappings: { externalId: { source: "onPremisesSamAcountName" } } } } },
    "objectMappings.Group.attributeMappings.externalId.source",
    "onPremisesSamAccountName",
  ],
  [
    "target nickName",
    userMappings({ nickName: { source: "givenName" } }),
    userMappings({ nickNmae: { source: "givenName" } }),
    "objectMappings.User.attributeMappings.nickNmae",
    "nickName",
  ],
  [
    "target timezone",
    userMappings({ timezone: { constant: "Europe/Paris" } }),
    userMappings({ timeZone1: { constant: "Europe/Paris" } }),
    "objectMappings.User.attributeMappings.timeZone1",
    "timezone",
  ],
  [
    "target pager number",
    userMappings({ 'phoneNumbers[type eq "pager"].value': { source: "extensionAttribute3" } }),
    userMappings({ 'phoneNumbers[type eq "pagr"].value': { source: "extensionAttribute3" } }),
    'objectMappings.User.attributeMappings["phoneNumbers[type eq \\"pagr\\"].value"]',
    'phoneNumbers[type eq "pager"].value',
  ],
  [
    "target home address",
    userMappings({ 'addresses[type eq "home"].locality': { source: "city" } }),
    userMappings({ 'addresses[type eq "hom"].locality': { source: "city" } }),
    'objectMappings.User.attributeMappings["addresses[type eq \\"hom\\"].locality"]',
    'addresses[type eq "home"].locality',
  ],
  [
    "target enterprise costCenter",
    userMappings({ [`${ENTERPRISE}:costCenter`]: { source: "employeeOrgData.costCenter" } }),
    userMappings({ [`${ENTERPRISE}:costCentre`]: { source: "employeeOrgData.costCenter" } }),
    `objectMappings.User.attributeMappings["${ENTERPRISE}:costCentre"]`,
    `${ENTERPRISE}:costCenter`,
  ],
  [
    "target role value",
    userMappings({ 'roles[primary eq "True"].value': { expression: "SingleAppRoleAssignment([appRoleAssignments])" } }),
    userMappings({ 'role[primary eq "True"].value': { expression: "SingleAppRoleAssignment([appRoleAssignments])" } }),
    'objectMappings.User.attributeMappings["role[primary eq \\"True\\"].value"]',
    'roles[primary eq "True"].value',
  ],
];

describe("SynchronizationSchema check of a create: names against the bundled catalog", () => {
  afterEach(() => {
    configureBundledCatalogs(undefined);
    resetConnectionSettings();
  });

  for (const [what, inputs, property, suggestion] of MISSPELLINGS) {
    it(`a misspelled ${what} fails by property path, with did-you-mean`, async () => {
      const failures = await createFailures(inputs);
      assert.deepEqual(
        failures.map((f) => f.property),
        [property],
        JSON.stringify(failures),
      );
      assert.match(failures[0].reason, new RegExp(`did you mean '${suggestion.replace(/[.[\]]/g, "\\$&")}'\\?`));
    });
  }

  for (const [what, valid, misspelled, property, suggestion] of DOCUMENTED) {
    it(`a documented ${what} is accepted at the first preview; misspelled, it fails with did-you-mean`, async () => {
      assert.deepEqual(await createFailures(valid), []);
      const failures = await createFailures(misspelled);
      assert.deepEqual(
        failures.map((f) => f.property),
        [property],
        JSON.stringify(failures),
      );
      assert.ok(failures[0].reason.includes(`did you mean '${suggestion}'?`), failures[0].reason);
    });
  }

  it("says which catalog a failure came from and how to turn the check off", async () => {
    const [failure] = await createFailures(userMappings({ userName: { source: "userPrincipleName" } }));
    assert.match(failure.reason, /bundled catalog of template "scim"/);
    assert.match(failure.reason, /set entra-sync:bundledCatalogs to false/);
  });

  it("a matching priority that collides with the template's is caught too", async () => {
    const failures = await createFailures(userMappings({ externalId: { source: "mailNickname", matchingPriority: 1 } }));
    assert.deepEqual(
      failures.map((f) => f.property),
      ["objectMappings.User.attributeMappings.externalId.matchingPriority"],
    );
    assert.match(failures[0].reason, /also used by 'userName'/);
  });

  it("an undeclared target extension attribute fails; declared, it is a valid name", async () => {
    const undeclared = await createFailures(costCenterFrom("department"));
    assert.deepEqual(
      undeclared.map((f) => f.property),
      [`objectMappings.User.attributeMappings["${COST_CENTER}"]`],
    );
    assert.deepEqual(await createFailures({ ...costCenterFrom("department"), ...declaredCostCenter }), []);
  });

  it("a declared source extension attribute is a valid source", async () => {
    const source = "extension_0123456789abcdef_costCenter";
    const inputs = { ...costCenterFrom(source), ...declaredCostCenter };
    assert.deepEqual(
      (await createFailures(inputs)).map((f) => f.property),
      [`objectMappings.User.attributeMappings["${COST_CENTER}"].source`],
    );
    const declared = { customappsso: declaredCostCenter.extensionAttributes.customappsso, "Azure Active Directory": { User: { [source]: { type: "String" } } } };
    assert.deepEqual(await createFailures({ ...costCenterFrom(source), extensionAttributes: declared }), []);
  });

  it("an extension attribute the template already defines is rejected: it must be new", async () => {
    const failures = await createFailures({ extensionAttributes: { customappsso: { User: { title: { type: "String" } } } } });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["extensionAttributes.customappsso.User.title"],
    );
  });

  it("templateId names the template before the job id does", async () => {
    const typo = userMappings({ titel: { source: "jobTitle" } });
    assert.equal((await createFailures({ ...typo, jobId: OTHER_JOB, templateId: "scim" })).length, 1);
    assert.deepEqual(await createFailures({ ...typo, templateId: "AWSSingleSignOn" }), []);
  });

  it("a job id unknown at preview is no obstacle when templateId is given", async () => {
    const failures = await createFailures({ ...userMappings({ titel: { source: "jobTitle" } }), jobId: UNKNOWN, templateId: "scim" });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["objectMappings.User.attributeMappings.titel"],
    );
  });

  // Each row misspells a name, yet check lets it through: no bundled catalog applies.
  const typo = userMappings({ titel: { source: "userPrincipleName" } });
  const UNCHECKED: [string, Record<string, unknown>][] = [
    ["the template is not bundled", { ...typo, jobId: OTHER_JOB }],
    ["the job id is unknown and there is no templateId", { ...typo, jobId: UNKNOWN }],
    ["templateId is unknown", { ...typo, templateId: UNKNOWN }],
    ["the customizations hold an unknown value", userMappings({ titel: { source: "userPrincipleName" }, displayName: { constant: UNKNOWN } })],
  ];
  for (const [why, inputs] of UNCHECKED) {
    it(`no reference check when ${why}`, async () => {
      assert.deepEqual(await createFailures(inputs), []);
    });
  }

  it("no reference check on an update: diff checks against the baseline recorded in state", async () => {
    const olds = { servicePrincipalId: SP, jobId: SCIM_JOB, strict: false };
    const result = await handler.check(olds, { servicePrincipalId: SP, jobId: SCIM_JOB, ...typo });
    assert.deepEqual(result.failures ?? [], []);
  });

  it("no reference check when entra-sync:bundledCatalogs is false", async () => {
    handler.configure({ get: (k) => (k === "entra-sync:bundledCatalogs" ? "false" : undefined) });
    assert.deepEqual(await createFailures(typo), []);
  });
});
