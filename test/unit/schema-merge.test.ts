import { strict as assert } from "node:assert";
import type { SynchronizationSchema } from "../../provider/graph/types";
import { catalogOf, checkReferences } from "../../provider/schema/catalog";
import type { SchemaCustomizations } from "../../provider/schema/customization";
import { effectiveMappings, objectMappingKeys } from "../../provider/schema/keyed";
import { mergeSchema, SchemaMergeError } from "../../provider/schema/merge";
import { normalizedSchema } from "../../provider/schema/normalize";
import { stableStringify } from "../../provider/schema/stable-json";
import { COST_CENTER, sampleCustomizations, scimBaseline } from "../support/schema-fixtures";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function mergeFailures(c: SchemaCustomizations): { property: string; reason: string }[] {
  try {
    mergeSchema(scimBaseline(), c);
  } catch (e) {
    if (e instanceof SchemaMergeError) return e.failures;
    throw e;
  }
  return [];
}

describe("schema: object mapping keys", () => {
  it("keys mappings by source object name when it is unique", () => {
    assert.deepEqual(
      objectMappingKeys(scimBaseline()).map((l) => l.key),
      ["User", "Group"],
    );
  });

  it("falls back to Source->Target when one source feeds several targets", () => {
    const schema = scimBaseline();
    const rule = schema.synchronizationRules[0];
    rule.objectMappings.push({ ...structuredClone(rule.objectMappings[0]), targetObjectName: "Group", name: "Users as groups" });
    assert.deepEqual(
      objectMappingKeys(schema).map((l) => l.key),
      ["User->User", "Group", "User->Group"],
    );
  });
});

describe("schema: merge", () => {
  it("applies an expression, a constant, a removal, a scope and an extension attribute, and nothing else", () => {
    const baseline = scimBaseline();
    const merged = mergeSchema(baseline, sampleCustomizations());
    const before = effectiveMappings(baseline);
    const after = effectiveMappings(merged);
    const user = after.User.attributeMappings;
    assert.equal(user.displayName.expression, 'Join(" ", [givenName], [surname])');
    assert.equal(user.displayName.source, undefined);
    assert.equal(user.title.constant, "Employee");
    assert.equal(user.preferredLanguage, undefined);
    assert.equal(user[COST_CENTER].source, "extensionAttribute1");
    assert.deepEqual(after.User.scope, { sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] });
    // Everything not mentioned is exactly the baseline.
    for (const [target, m] of Object.entries(before.User.attributeMappings)) {
      if (["displayName", "title", "preferredLanguage"].includes(target)) continue;
      assert.deepEqual(user[target], m, target);
    }
    assert.deepEqual(after.Group, before.Group);
    const target = merged.directories.find((d) => d.name === "customappsso")!;
    const added = target.objects.find((o) => o.name === "User")!.attributes.find((a) => a.name === COST_CENTER);
    assert.ok(added, "extension attribute added to the target's User object");
    assert.equal(added.type, "String");
    // The baseline itself is untouched.
    assert.equal(stableStringify(baseline), stableStringify(scimBaseline()));
  });

  it("keeps a baseline mapping's other fields when only its source changes", () => {
    const merged = mergeSchema(scimBaseline(), { objectMappings: { User: { attributeMappings: { userName: { expression: "ToLower([userPrincipalName])" } } } } });
    const userName = effectiveMappings(merged).User.attributeMappings.userName;
    assert.equal(userName.matchingPriority, 1);
    assert.match(userName.expression ?? "", /^ToLower\(\[userPrincipalName\]/);
  });

  it("writes the parseExpression tree for expressions (function, named parameters)", () => {
    const merged = mergeSchema(scimBaseline(), sampleCustomizations());
    const om = merged.synchronizationRules[0].objectMappings[0];
    const displayName = om.attributeMappings.find((m) => m.targetAttributeName === "displayName")!;
    assert.equal(displayName.source?.type, "Function");
    assert.equal(displayName.source?.name, "Join");
    assert.deepEqual(
      displayName.source?.parameters.map((p) => [p.key, p.value.type, p.value.name]),
      [
        ["separator", "Constant", " "],
        ["source", "Attribute", "givenName"],
        ["source", "Attribute", "surname"],
      ],
    );
  });

  it("names unknown target attributes with a did-you-mean", () => {
    const failures = mergeFailures({ objectMappings: { User: { attributeMappings: { titel: { source: "jobTitle" } } } } });
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "objectMappings.User.attributeMappings.titel");
    assert.match(failures[0].reason, /target attribute 'titel' is not defined on customappsso\.User; did you mean 'title'\?/);
  });

  it("names unknown source attributes in expressions, sources and scoping clauses", () => {
    const failures = mergeFailures({
      objectMappings: {
        User: {
          attributeMappings: {
            displayName: { expression: 'Join(" ", [givenName], [surnam])' },
            title: { source: "jobTitel" },
          },
          scope: { g: [{ attribute: "departmnt", operator: "IS NOT NULL" }] },
        },
      },
    });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["objectMappings.User.attributeMappings.displayName.expression", "objectMappings.User.attributeMappings.title.source", "objectMappings.User.scope.g[0].attribute"],
    );
    assert.match(failures[0].reason, /'surnam'.*did you mean 'surname'/);
    assert.match(failures[1].reason, /did you mean 'jobTitle'/);
    assert.match(failures[2].reason, /did you mean 'department'/);
  });

  it("rejects an unknown object mapping key, a removal of an unmapped target and a duplicate matching priority", () => {
    assert.match(mergeFailures({ objectMappings: { Users: { enabled: false } } })[0].reason, /did you mean 'User'/);
    const removal = mergeFailures({ objectMappings: { User: { attributeMappings: { [`${ENTERPRISE}:manager`]: { remove: true } } } } });
    assert.deepEqual(removal, []);
    const unmapped = mergeFailures({ objectMappings: { Group: { attributeMappings: { id: { remove: true } } } } });
    assert.deepEqual(
      unmapped.map((f) => f.property),
      ["objectMappings.Group.attributeMappings.id.remove"],
    );
    const dup = mergeFailures({ objectMappings: { User: { attributeMappings: { externalId: { source: "mailNickname", matchingPriority: 1 } } } } });
    assert.equal(dup[0].property, "objectMappings.User.attributeMappings.externalId.matchingPriority");
    assert.match(dup[0].reason, /also used by 'userName'/);
  });

  it("rejects an extension attribute that the template already defines or whose object does not exist", () => {
    const failures = mergeFailures({ extensionAttributes: { customappsso: { User: { title: {} }, Usr: { x: {} } }, nowhere: { User: { y: {} } } } });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["extensionAttributes.customappsso.User.title", "extensionAttributes.customappsso.Usr", "extensionAttributes.nowhere"],
    );
  });

  it("checks references against a catalog kept in state exactly as against the full baseline", () => {
    const catalog = JSON.parse(JSON.stringify(catalogOf(scimBaseline())));
    const c: SchemaCustomizations = { objectMappings: { User: { attributeMappings: { titel: { source: "jobTitle" } } } } };
    assert.deepEqual(checkReferences(catalog, c), mergeFailures(c));
    // Small next to the baseline it stands for (which state does not keep): names only, no definitions or mappings.
    const [catalogBytes, baselineBytes] = [JSON.stringify(catalog).length, JSON.stringify(scimBaseline()).length];
    assert.ok(catalogBytes * 5 < baselineBytes, `the catalog stays small: ${catalogBytes} bytes for a ${baselineBytes}-byte baseline`);
  });

  it("normalizes away the members Graph owns (id, version)", () => {
    const withIds = { ...scimBaseline(), id: "job-1", version: "v1.7", "@odata.context": "x" } as SynchronizationSchema;
    assert.equal(stableStringify(normalizedSchema(withIds)), stableStringify(normalizedSchema(scimBaseline())));
  });
});
