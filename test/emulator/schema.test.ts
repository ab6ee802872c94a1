/**
 * Job schema: a copy of the template's schema; PUT replaces it (with validation); PATCH is the
 * syncfabric 404; DELETE resets it to the template.
 */
import { strict as assert } from "node:assert";
import { graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator job schema", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let base: string;
  let jobId: string;
  let templateSchema: any;

  beforeEach(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    const sync = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization`;
    jobId = (await g("POST", `${sync}/jobs`, { templateId: "scim" })).body.id;
    base = `${sync}/jobs/${jobId}/schema`;
    templateSchema = (await g("GET", `${sync}/templates/scim/schema`)).body;
  });
  afterEach(async () => {
    await emu.stop();
  });

  const strip = (schema: any) => {
    const { "@odata.context": _c, id: _i, version: _v, ...rest } = schema;
    return rest;
  };

  it("starts as a copy of the template schema with id = job id", async () => {
    const res = await g("GET", base);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, jobId);
    assert.equal(typeof res.body.version, "string");
    assert.deepEqual(strip(res.body), strip(templateSchema));
    const dirs = res.body.directories.map((d: any) => d.name);
    assert.deepEqual(dirs, ["Azure Active Directory", "customappsso"]);
    const targetUser = res.body.directories[1].objects.find((o: any) => o.name === "User");
    for (const name of ["userName", "active", "displayName", 'emails[type eq "work"].value', "name.givenName", "name.familyName", "externalId"]) {
      assert.ok(
        targetUser.attributes.some((a: any) => a.name === name),
        name,
      );
    }
    const groupMapping = res.body.synchronizationRules[0].objectMappings.find((m: any) => m.targetObjectName === "Group");
    assert.ok(groupMapping.attributeMappings.some((m: any) => m.targetAttributeName === "members"));
  });

  it("PUT replaces the whole schema (204), changes version, and GET returns the new one", async () => {
    const before = (await g("GET", base)).body;
    const edited = structuredClone(before);
    const userMapping = edited.synchronizationRules[0].objectMappings[0];
    userMapping.attributeMappings = userMapping.attributeMappings.filter((m: any) => m.targetAttributeName !== "title");
    userMapping.scope = {
      groups: [{ name: "Engineering only", clauses: [{ sourceOperandName: "department", operatorName: "EQUALS", targetOperand: { values: ["Engineering"] } }] }],
      inputFilterGroups: [],
      categoryFilterGroups: [],
    };
    edited.synchronizationRules[0].objectMappings.pop(); // drop the group mapping entirely
    const put = await g("PUT", base, edited);
    assert.equal(put.status, 204, put.text);
    const after = (await g("GET", base)).body;
    assert.notEqual(after.version, before.version);
    assert.equal(after.id, jobId);
    assert.equal(after.synchronizationRules[0].objectMappings.length, 1);
    assert.ok(!after.synchronizationRules[0].objectMappings[0].attributeMappings.some((m: any) => m.targetAttributeName === "title"));
    assert.equal(after.synchronizationRules[0].objectMappings[0].scope.groups[0].clauses[0].targetOperand.values[0], "Engineering");
    // The template is untouched.
    const template = (await g("GET", `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/templates/scim/schema`)).body;
    assert.deepEqual(strip(template), strip(templateSchema));
  });

  it("fills server defaults for omitted members", async () => {
    const edited = structuredClone((await g("GET", base)).body);
    edited.synchronizationRules[0].objectMappings[0].attributeMappings.push({
      targetAttributeName: "title",
      source: { type: "Constant", name: "Employee", expression: '"Employee"' },
    });
    assert.equal((await g("PUT", base, edited)).status, 204);
    const added = (await g("GET", base)).body.synchronizationRules[0].objectMappings[0].attributeMappings.at(-1);
    assert.deepEqual(added, {
      defaultValue: null,
      exportMissingReferences: false,
      flowBehavior: "FlowWhenChanged",
      flowType: "Always",
      matchingPriority: 0,
      source: { expression: '"Employee"', name: "Employee", parameters: [], type: "Constant" },
      targetAttributeName: "title",
    });
  });

  it("rejects inconsistent schemas with 400 and keeps the old one", async () => {
    const before = (await g("GET", base)).body;
    const cases: [string, (s: any) => void, number, string][] = [
      ["unknown target directory", (s) => (s.synchronizationRules[0].targetDirectoryName = "nowhere"), 400, "UnknownError"],
      ["unknown target object", (s) => (s.synchronizationRules[0].objectMappings[0].targetObjectName = "Robot"), 400, "UnknownError"],
      ["unknown source object", (s) => (s.synchronizationRules[0].objectMappings[0].sourceObjectName = "Robot"), 400, "UnknownError"],
      ["unknown target attribute", (s) => (s.synchronizationRules[0].objectMappings[0].attributeMappings[0].targetAttributeName = "nope"), 400, "UnknownError"],
      ["unknown property", (s) => (s.synchronizationRules[0].colour = "blue"), 400, "BadRequest"],
      ["bad enum", (s) => (s.synchronizationRules[0].objectMappings[0].attributeMappings[0].flowType = "Sometimes"), 400, "BadRequest"],
      ["null non-nullable", (s) => (s.synchronizationRules[0].objectMappings[0].enabled = null), 400, "BadRequest"],
    ];
    for (const [name, mutate, status, code] of cases) {
      const edited = structuredClone(before);
      mutate(edited);
      const res = await g("PUT", base, edited);
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.equal(res.body.error.code, code, name);
    }
    assert.deepEqual((await g("GET", base)).body, before);
  });

  it("answers PATCH with 404 UnknownError carrying the syncfabric message, like Graph", async () => {
    const res = await g("PATCH", base, { synchronizationRules: [] });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "UnknownError");
    const inner = JSON.parse(res.body.error.message);
    assert.equal(
      inner.Message,
      `No HTTP resource was found that matches the request URI 'https://syncfabric.windowsazure.com/api/servicePrincipals('${emu.seeded.scimServicePrincipalId}')/synchronization/jobs('${jobId}')/schema?api-version=2.0'.`,
    );
  });

  it("DELETE resets the schema to the template baseline (204)", async () => {
    const edited = structuredClone((await g("GET", base)).body);
    edited.synchronizationRules[0].objectMappings.pop();
    await g("PUT", base, edited);
    const del = await g("DELETE", base);
    assert.equal(del.status, 204);
    const reset = (await g("GET", base)).body;
    assert.deepEqual(strip(reset), strip(templateSchema));
    assert.equal(reset.id, jobId);
  });

  it("gives a gallery job the template schema of its app (Salesforce)", async () => {
    const sync = `/v1.0/servicePrincipals/${emu.seeded.galleryServicePrincipalId}/synchronization`;
    const id = (await g("POST", `${sync}/jobs`, { templateId: emu.seeded.galleryTemplateId })).body.id;
    const schema = (await g("GET", `${sync}/jobs/${id}/schema`)).body;
    assert.deepEqual(
      schema.directories.map((d: any) => d.name),
      ["Azure Active Directory", "salesforce.com"],
    );
    assert.equal(schema.synchronizationRules[0].name, "USER_OUTBOUND_USER");
    assert.equal(schema.directories[0].objects[0].attributes[0].flowNullValues, false, "CSDL members the docs omit are filled in");
    // Round-trip PUT of an unmodified GET body is accepted.
    assert.equal((await g("PUT", `${sync}/jobs/${id}/schema`, schema)).status, 204);
  });
});
