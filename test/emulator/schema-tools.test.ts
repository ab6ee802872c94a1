/**
 * The schema helper operations (functions, filterOperators, parseExpression) on job and template
 * schemas, and PUT validation of source attributes and filter operators.
 */
import { strict as assert } from "node:assert";
import { findSchemaProblems } from "../../emulator/tenant/schema-validate";
import { graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator schema tools", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let sync: string;
  let jobSchema: string;

  before(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    sync = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization`;
    const jobId = (await g("POST", `${sync}/jobs`, { templateId: "scim" })).body.id;
    jobSchema = `${sync}/jobs/${jobId}/schema`;
  });
  after(async () => {
    await emu.stop();
  });

  it("lists the mapping functions with their parameter schemas, on job and template schemas", async () => {
    for (const base of [jobSchema, `${sync}/templates/scim/schema`]) {
      const res = await g("GET", `${base}/functions`);
      assert.equal(res.status, 200, res.text);
      const append = res.body.value.find((f: any) => f.name === "Append");
      // The docs' sample (v1-schema-functions.json).
      assert.deepEqual(append.parameters, [
        { allowMultipleOccurrences: false, name: "source", required: true, type: "String" },
        { allowMultipleOccurrences: false, name: "suffix", required: true, type: "String" },
      ]);
      assert.ok(res.body.value.some((f: any) => f.name === "SelectUniqueValue"));
    }
  });

  it("lists the filter operators, with the docs' EQUALS entry", async () => {
    const res = await g("GET", `${jobSchema}/microsoft.graph.filterOperators()`);
    assert.equal(res.status, 200, res.text);
    const equals = res.body.value.find((o: any) => o.name === "EQUALS");
    assert.equal(equals.arity, "Binary");
    assert.equal(equals.multivaluedComparisonType, "All");
    assert.ok(res.body.value.some((o: any) => o.name === "IS TRUE" && o.arity === "Unary"));
  });

  it("parses and evaluates the docs' parseExpression example", async () => {
    const res = await g("POST", `${jobSchema}/parseExpression`, {
      expression: 'Replace([preferredLanguage], "-", , , "_", , )',
      targetAttributeDefinition: null,
      testInputObject: { definition: null, properties: [{ key: "preferredLanguage", value: "EN-US" }] },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.parsingSucceeded, true);
    assert.equal(res.body.evaluationSucceeded, true);
    assert.deepEqual(res.body.evaluationResult, ["EN_US"]);
    assert.equal(res.body.parsedExpression.name, "Replace");
    assert.deepEqual(
      res.body.parsedExpression.parameters.map((p: any) => p.key),
      ["source", "Find", "Replacement"],
    );
  });

  it("reports a parse failure in the body, not as an HTTP error", async () => {
    const res = await g("POST", `${jobSchema}/parseExpression`, { expression: 'Join(",", [a]' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.parsingSucceeded, false);
    assert.equal(res.body.evaluationSucceeded, false);
    assert.match(res.body.error.message, /position/);
  });

  it("rejects a schema PUT whose mappings read a source attribute the source object does not have", async () => {
    const schema = (await g("GET", jobSchema)).body;
    const userMapping = schema.synchronizationRules[0].objectMappings[0];
    userMapping.attributeMappings.find((m: any) => m.targetAttributeName === "title").source = {
      expression: "[jobTitel]",
      name: "jobTitel",
      parameters: [],
      type: "Attribute",
    };
    const res = await g("PUT", jobSchema, schema);
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /source attribute 'jobTitel' does not exist/);
  });

  it("rejects a schema PUT with an unsupported scoping operator", async () => {
    const schema = (await g("GET", jobSchema)).body;
    schema.synchronizationRules[0].objectMappings[0].scope = {
      groups: [{ name: "g", clauses: [{ sourceOperandName: "department", operatorName: "SOUNDS LIKE", targetOperand: { values: ["x"] } }] }],
      inputFilterGroups: [],
      categoryFilterGroups: [],
    };
    const res = await g("PUT", jobSchema, schema);
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /operator 'SOUNDS LIKE' is not supported/);
  });

  it("accepts every seeded template's own schema", async () => {
    for (const spId of [emu.seeded.scimServicePrincipalId, emu.seeded.galleryServicePrincipalId]) {
      const templates = (await g("GET", `/v1.0/servicePrincipals/${spId}/synchronization/templates`)).body.value;
      for (const t of templates) {
        const schema = (await g("GET", `/v1.0/servicePrincipals/${spId}/synchronization/templates/${t.id}/schema`)).body;
        assert.deepEqual(findSchemaProblems(schema), [], t.id);
      }
    }
  });
});
