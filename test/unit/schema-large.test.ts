/**
 * Merge and drift on a ~1 MB schema (the size of large gallery apps). Correctness only: the time
 * is measured and reported by `npm run bench`, never asserted here.
 */
import { strict as assert } from "node:assert";
import { largeTargetAttribute, largeTemplateCustomizations, largeTemplateSchema } from "../../emulator/seed/large-template";
import { detectDrift, objectDigests } from "../../provider/schema/drift";
import { effectiveMappings } from "../../provider/schema/keyed";
import { mergeSchema } from "../../provider/schema/merge";

describe("schema: a ~1 MB schema", () => {
  const baseline = largeTemplateSchema();
  const attr = largeTargetAttribute;
  const customizations = largeTemplateCustomizations();

  it("is about a megabyte of JSON", () => {
    const bytes = Buffer.byteLength(JSON.stringify(baseline));
    assert.ok(bytes > 900_000 && bytes < 1_600_000, `${bytes} bytes`);
  });

  it("merges, keys every mapping by Source->Target, and finds exactly the one drifted field", () => {
    const merged = mergeSchema(baseline, customizations);
    const effective = effectiveMappings(merged);
    assert.equal(Object.keys(effective).length, 12);
    assert.ok(effective["User->Object3"].attributeMappings[attr(3, 5)].expression?.startsWith("Append("));
    assert.equal(effective["User->Object3"].attributeMappings[attr(3, 6)], undefined);

    const expected = { effective, objectDigests: objectDigests(merged, customizations) };
    assert.deepEqual(detectDrift(structuredClone(merged), expected, customizations, true).driftedPaths, []);
    const live = structuredClone(merged);
    live.synchronizationRules[0].objectMappings[7].attributeMappings[9].flowType = "ObjectAddOnly";
    assert.deepEqual(detectDrift(live, expected, customizations, false).driftedPaths, []);
    assert.deepEqual(detectDrift(live, expected, customizations, true).driftedPaths, [
      `objectMappings["User->Object7"].attributeMappings[${JSON.stringify(attr(7, 9))}].flowType`,
    ]);
  });
});
