import { strict as assert } from "node:assert";
import type { SynchronizationSchema } from "../../provider/graph/types";
import type { SchemaCustomizations } from "../../provider/schema/customization";
import { detectDrift, objectDigests, type ExpectedSchema } from "../../provider/schema/drift";
import { effectiveMappings } from "../../provider/schema/keyed";
import { mergeSchema } from "../../provider/schema/merge";
import { COST_CENTER, sampleCustomizations, scimBaseline } from "../support/schema-fixtures";

function written(c: SchemaCustomizations): { schema: SynchronizationSchema; expected: ExpectedSchema } {
  const schema = mergeSchema(scimBaseline(), c);
  return { schema, expected: { effective: effectiveMappings(schema), objectDigests: objectDigests(schema, c) } };
}

function mapping(schema: SynchronizationSchema, objectIndex: number, target: string) {
  return schema.synchronizationRules[0].objectMappings[objectIndex].attributeMappings.find((m) => m.targetAttributeName === target)!;
}

describe("schema: drift", () => {
  it("finds nothing when the live schema is what was written", () => {
    const c = sampleCustomizations();
    const { schema, expected } = written(c);
    for (const strict of [false, true]) {
      const report = detectDrift(structuredClone(schema), expected, c, strict);
      assert.deepEqual(report.driftedPaths, []);
      assert.deepEqual(report.inputs, c);
    }
  });

  it("reports an out-of-band edit of a managed mapping at the field, and rebuilds the input from the live value", () => {
    const c = sampleCustomizations();
    const { schema, expected } = written(c);
    const live = structuredClone(schema);
    mapping(live, 0, "title").source = { expression: '"Contractor"', name: "Contractor", parameters: [], type: "Constant" };
    const report = detectDrift(live, expected, c, false);
    assert.deepEqual(report.driftedPaths, ["objectMappings.User.attributeMappings.title.constant"]);
    assert.deepEqual(report.inputs.objectMappings!.User.attributeMappings!.title, { constant: "Contractor" });
    // The declared customizations are not modified.
    assert.deepEqual(c, sampleCustomizations());
  });

  it("reports a re-added mapping that the program removes, and a managed scope change", () => {
    const c = sampleCustomizations();
    const { schema, expected } = written(c);
    const live = structuredClone(schema);
    live.synchronizationRules[0].objectMappings[0].attributeMappings.push(mapping(scimBaseline(), 0, "preferredLanguage"));
    live.synchronizationRules[0].objectMappings[0].scope!.groups[0].clauses[0].targetOperand = { values: ["Marketing"] };
    const report = detectDrift(live, expected, c, false);
    assert.deepEqual(report.driftedPaths, ["objectMappings.User.scope", "objectMappings.User.attributeMappings.preferredLanguage"]);
    assert.equal(report.inputs.objectMappings!.User.attributeMappings!.preferredLanguage.source, "preferredLanguage");
    assert.deepEqual(report.inputs.objectMappings!.User.scope, { sales: [{ attribute: "department", operator: "EQUALS", values: ["Marketing"] }] });
  });

  it("ignores an edit of an unmanaged mapping unless strict", () => {
    const c = sampleCustomizations();
    const { schema, expected } = written(c);
    const live = structuredClone(schema);
    mapping(live, 1, "externalId").flowType = "ObjectAddOnly";
    assert.deepEqual(detectDrift(live, expected, c, false).driftedPaths, []);
    const strict = detectDrift(live, expected, c, true);
    assert.deepEqual(strict.driftedPaths, ["objectMappings.Group.attributeMappings.externalId.flowType"]);
    assert.deepEqual(strict.inputs.objectMappings!.Group.attributeMappings!.externalId, { flowType: "ObjectAddOnly" });
  });

  it("reports a removed extension attribute, and in strict mode a changed directory object", () => {
    const c = sampleCustomizations();
    const { schema, expected } = written(c);
    const live = structuredClone(schema);
    const user = live.directories.find((d) => d.name === "customappsso")!.objects.find((o) => o.name === "User")!;
    user.attributes = user.attributes.filter((a) => a.name !== COST_CENTER);
    const report = detectDrift(live, expected, c, false);
    assert.deepEqual(report.driftedPaths, [`extensionAttributes.customappsso.User[${JSON.stringify(COST_CENTER)}]`]);
    assert.deepEqual(report.inputs.extensionAttributes!.customappsso.User, {});

    const live2 = structuredClone(schema);
    live2.directories.find((d) => d.name === "customappsso")!.objects.find((o) => o.name === "Group")!.attributes[1].required = false;
    assert.deepEqual(detectDrift(live2, expected, c, false).driftedPaths, []);
    assert.deepEqual(detectDrift(live2, expected, c, true).driftedPaths, ["directories.customappsso.Group"]);
  });

  it("treats a reordered, re-serialized schema as the same", () => {
    const c = sampleCustomizations();
    const { schema, expected } = written(c);
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const live = reverseKeys(schema) as SynchronizationSchema;
    assert.notEqual(JSON.stringify(live), JSON.stringify(schema));
    assert.deepEqual(detectDrift(live, expected, c, true).driftedPaths, []);
  });
});
