/**
 * A schema written after one change keeps the live schema's spelling of everything else: source
 * trees, array order, scoping filters. Graph's PUT replaces the whole document.
 */

import * as assert from "assert";
import { keepLiveSpelling } from "../../provider/schema/keep-live";
import { mergeSchema } from "../../provider/schema/merge";
import { COST_CENTER, sampleCustomizations, scimBaseline } from "../support/schema-fixtures";

describe("keepLiveSpelling", () => {
  it("keeps the live tree of an unchanged mapping, the live order, and takes the changed mapping", () => {
    const live = mergeSchema(scimBaseline(), sampleCustomizations());
    const liveMappings = live.synchronizationRules[0].objectMappings[0].attributeMappings;
    // Another client's spelling of the same expression, and another order.
    const displayName = liveMappings.find((m) => m.targetAttributeName === "displayName")!;
    displayName.source = { ...displayName.source!, expression: 'Join(" ",  [givenName],[surname])' };
    liveMappings.reverse();
    const changed = sampleCustomizations();
    changed.objectMappings!.User.attributeMappings!.title = { constant: "Staff" };
    const desired = mergeSchema(scimBaseline(), changed);

    const written = keepLiveSpelling(desired, live);
    const writtenMappings = written.synchronizationRules[0].objectMappings[0].attributeMappings;
    assert.deepStrictEqual(
      writtenMappings.map((m) => m.targetAttributeName),
      liveMappings.map((m) => m.targetAttributeName),
      "the live order",
    );
    assert.strictEqual(
      writtenMappings.find((m) => m.targetAttributeName === "displayName"),
      displayName,
      "the live object itself",
    );
    assert.strictEqual(writtenMappings.find((m) => m.targetAttributeName === "title")!.source!.name, "Staff", "the change");
    assert.ok(written.directories.some((d) => d.objects.some((o) => o.attributes.some((a) => a.name === COST_CENTER))));
  });

  it("an item the live schema lacks keeps its place in what is written", () => {
    const live = mergeSchema(scimBaseline(), sampleCustomizations()); // preferredLanguage removed
    const desired = scimBaseline(); // ... and put back where the template has it
    const written = keepLiveSpelling(desired, live);
    const targets = (s: typeof desired) => s.synchronizationRules[0].objectMappings[0].attributeMappings.map((m) => m.targetAttributeName);
    assert.deepStrictEqual(targets(written), targets(desired));
  });
});
