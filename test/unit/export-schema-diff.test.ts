/**
 * export's schema difference: a live schema as customizations of its template, checked by merging
 * them back (the round trip a program made by export makes at its first `up`).
 */

import * as assert from "assert";
import { largeTemplateCustomizations, largeTemplateSchema } from "../../emulator/seed/large-template";
import salesforceSchemaJson from "../../emulator/seed/salesforce-schema.json";
import type { AttributeMapping, SynchronizationSchema } from "../../provider/graph/types";
import { schemaDifference } from "../../provider/export/schema-diff";
import { sameSchema } from "../../provider/schema/compare";
import type { SchemaCustomizations } from "../../provider/schema/customization";
import { mergeSchema } from "../../provider/schema/merge";
import { comparableCustomizations, normalizedSchema } from "../../provider/schema/normalize";
import { COST_CENTER, sampleCustomizations, scimBaseline } from "../support/schema-fixtures";

const salesforce = () => normalizedSchema(structuredClone(salesforceSchemaJson));

/** The customizations export finds, merged back onto the template, say what the live schema says. */
function roundTrip(template: SynchronizationSchema, live: SynchronizationSchema): SchemaCustomizations {
  const difference = schemaDifference(template, live);
  assert.strictEqual(difference.kind, "customizations", difference.kind === "raw" ? difference.reasons.join("\n") : "");
  if (difference.kind !== "customizations") throw new Error("unreachable");
  assert.ok(sameSchema(mergeSchema(template, difference.customizations), live));
  return difference.customizations;
}

describe("export: a live schema as customizations of its template", () => {
  it("an unchanged schema is no customization at all", () => {
    assert.deepStrictEqual(roundTrip(scimBaseline(), scimBaseline()), {});
    assert.deepStrictEqual(roundTrip(salesforce(), salesforce()), {});
  });

  it("finds exactly what a customization changed: expression, constant, removal, new mapping, scope, extension attribute", () => {
    const template = scimBaseline();
    const found = roundTrip(template, mergeSchema(template, sampleCustomizations()));
    const expected = sampleCustomizations();
    // Members left at Graph's defaults are not repeated.
    expected.extensionAttributes!.customappsso.User[COST_CENTER] = {};
    assert.deepStrictEqual(comparableCustomizations(found), comparableCustomizations(expected));
  });

  it("the ~1 MB template: the typical customization, found in the large schema", () => {
    const template = largeTemplateSchema();
    const found = roundTrip(template, mergeSchema(template, largeTemplateCustomizations()));
    assert.deepStrictEqual(comparableCustomizations(found), comparableCustomizations(largeTemplateCustomizations()));
  });

  it("the documented Salesforce schema: a disabled mapping, changed flows, a default value, a matching priority", () => {
    const template = salesforce();
    const customizations: SchemaCustomizations = {
      objectMappings: {
        User: {
          enabled: false,
          attributeMappings: {
            Alias: { expression: "Left([mailNickname], 8)", flowType: "ObjectAddOnly" },
            LanguageLocaleKey: { constant: "de_DE", defaultValue: "fr_FR", flowBehavior: "FlowAlways" },
            Email: { remove: true },
            FirstName: { source: "givenName", matchingPriority: 2 },
          },
          scope: { sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] },
        },
      },
    };
    const found = roundTrip(template, mergeSchema(template, customizations));
    // FirstName already maps givenName in the template: only its priority is the change.
    delete customizations.objectMappings!.User.attributeMappings!.FirstName.source;
    assert.deepStrictEqual(comparableCustomizations(found), comparableCustomizations(customizations));
  });

  it("a mapping written by another client as a differently shaped tree of the same expression is no change", () => {
    const template = scimBaseline();
    const live = mergeSchema(template, sampleCustomizations());
    const displayName = live.synchronizationRules[0].objectMappings[0].attributeMappings.find((m) => m.targetAttributeName === "displayName")!;
    // The portal's spelling: more spaces, its own expression text.
    displayName.source = { ...displayName.source!, expression: 'Join(" ",  [givenName],[surname])' };
    const found = roundTrip(template, live);
    assert.strictEqual(found.objectMappings!.User.attributeMappings!.displayName.expression, 'Join(" ", [givenName], [surname])');
  });

  describe("what the typed form cannot say is exported as the whole schema, with the reasons", () => {
    const raw = (live: SynchronizationSchema, template = scimBaseline()) => {
      const d = schemaDifference(template, live);
      assert.strictEqual(d.kind, "raw");
      if (d.kind !== "raw") throw new Error("unreachable");
      assert.strictEqual(d.rawSchema.synchronizationRules.length, live.synchronizationRules.length);
      return d.reasons.join("\n");
    };

    it("a changed rule", () => {
      const live = scimBaseline();
      live.synchronizationRules[0].priority = 99;
      assert.match(raw(live), /synchronization rules differ/);
    });

    it("a changed template attribute definition", () => {
      const live = scimBaseline();
      live.directories[0].objects[0].attributes[1].required = !live.directories[0].objects[0].attributes[1].required;
      assert.match(raw(live), /a template attribute was changed/);
    });

    it("a removed object mapping", () => {
      const live = scimBaseline();
      live.synchronizationRules[0].objectMappings.pop();
      assert.match(raw(live), /object mappings were added or removed/);
    });

    it("an attribute mapping without a source, or with exportMissingReferences", () => {
      const live = scimBaseline();
      const ms: AttributeMapping[] = live.synchronizationRules[0].objectMappings[0].attributeMappings;
      ms[0].exportMissingReferences = true;
      assert.match(raw(live), /attributeMappings\.userName: a member the typed form cannot state/);
    });

    it("an added attribute with metadata", () => {
      const live = mergeSchema(scimBaseline(), sampleCustomizations());
      const added = live.directories
        .flatMap((d) => d.objects)
        .flatMap((o) => o.attributes)
        .find((a) => a.name === COST_CENTER)!;
      added.metadata = [{ key: "IsCustomerDefined", value: "true" }];
      assert.match(raw(live), /an added attribute with members an extension attribute cannot state/);
    });
  });
});
