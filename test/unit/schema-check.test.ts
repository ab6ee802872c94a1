import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../provider/validation";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationSchema");

const SP = "2d3a3a4e-51a5-4a8e-9a2b-5d1c2d1b0c11";
const JOB = "scim.0123456789abcdef0123456789abcdef.3c1a9a5e-0d4f-4e9b-8a77-6f1c2b3d4e5f";

async function failuresFor(extra: Record<string, unknown>): Promise<{ property: string; reason: string }[]> {
  const result = await handler.check({}, { servicePrincipalId: SP, jobId: JOB, ...extra });
  return result.failures ?? [];
}

const user = (attributeMappings: Record<string, unknown>) => ({ objectMappings: { User: { attributeMappings } } });

/** One bad input per row: the property path check must name (and nothing else). */
const BAD_INPUTS: [string, Record<string, unknown>, string, RegExp][] = [
  ["service principal id not a GUID", { servicePrincipalId: "my-app" }, "servicePrincipalId", /GUID/],
  ["job id with a slash", { jobId: "scim/1" }, "jobId", /not a valid synchronization job id/],
  ["strict not a boolean", { strict: "yes" }, "strict", /boolean/],
  ["unknown top-level input", { objectMapping: {} }, "objectMapping", /not an input/],
  ["objectMappings not an object", { objectMappings: [] }, "objectMappings", /object keyed by name/],
  ["unknown object mapping field", { objectMappings: { User: { enable: false } } }, "objectMappings.User.enable", /did you mean 'enabled'/],
  ["enabled not a boolean", { objectMappings: { User: { enabled: "false" } } }, "objectMappings.User.enabled", /true or false/],
  [
    "two value sources",
    user({ title: { source: "jobTitle", constant: "x" } }),
    "objectMappings.User.attributeMappings.title",
    /exactly one of source, constant or expression/,
  ],
  ["expression in source", user({ title: { source: "[jobTitle]" } }), "objectMappings.User.attributeMappings.title.source", /for an expression use expression/],
  ["unterminated string", user({ title: { expression: 'Append([jobTitle], "x)' } }), "objectMappings.User.attributeMappings.title.expression", /position/],
  ["unknown function", user({ title: { expression: 'Joinn(",", [a])' } }), "objectMappings.User.attributeMappings.title.expression", /Join/],
  ["wrong arity", user({ title: { expression: "Left([jobTitle])" } }), "objectMappings.User.attributeMappings.title.expression", /position/],
  ["unknown flow type", user({ title: { source: "jobTitle", flowType: "Allways" } }), "objectMappings.User.attributeMappings.title.flowType", /did you mean 'Always'/],
  [
    "unknown flow behavior",
    user({ title: { source: "jobTitle", flowBehavior: "Always" } }),
    "objectMappings.User.attributeMappings.title.flowBehavior",
    /FlowWhenChanged/,
  ],
  [
    "negative matching priority",
    user({ title: { source: "jobTitle", matchingPriority: -1 } }),
    "objectMappings.User.attributeMappings.title.matchingPriority",
    /whole number/,
  ],
  [
    "duplicate matching priorities",
    user({ title: { source: "jobTitle", matchingPriority: 2 }, displayName: { source: "displayName", matchingPriority: 2 } }),
    "objectMappings.User.attributeMappings.displayName.matchingPriority",
    /also used by 'title'/,
  ],
  ["remove combined with a source", user({ title: { remove: true, source: "jobTitle" } }), "objectMappings.User.attributeMappings.title", /cannot be combined/],
  ["remove: false", user({ title: { remove: false } }), "objectMappings.User.attributeMappings.title.remove", /must be true/],
  ["mapping not an object", user({ title: "jobTitle" }), "objectMappings.User.attributeMappings.title", /must be an object/],
  [
    "unknown filter operator",
    { objectMappings: { User: { scope: { g: [{ attribute: "department", operator: "EQUAL", values: ["x"] }] } } } },
    "objectMappings.User.scope.g[0].operator",
    /EQUALS/,
  ],
  [
    "binary operator without operand",
    { objectMappings: { User: { scope: { g: [{ attribute: "department", operator: "EQUALS" }] } } } },
    "objectMappings.User.scope.g[0].operator",
    /value/,
  ],
  [
    "unary operator with operand",
    { objectMappings: { User: { scope: { g: [{ attribute: "accountEnabled", operator: "IS TRUE", values: ["x"] }] } } } },
    "objectMappings.User.scope.g[0].operator",
    /value/,
  ],
  ["empty scoping group", { objectMappings: { User: { scope: { g: [] } } } }, "objectMappings.User.scope.g", /non-empty list/],
  ["clause without attribute", { objectMappings: { User: { scope: { g: [{ operator: "IS NULL" }] } } } }, "objectMappings.User.scope.g[0].attribute", /required/],
  [
    "extension attribute type",
    { extensionAttributes: { customappsso: { User: { cost: { type: "Text" } } } } },
    "extensionAttributes.customappsso.User.cost.type",
    /String/,
  ],
  [
    "reference without referenced objects",
    { extensionAttributes: { customappsso: { User: { boss: { type: "Reference" } } } } },
    "extensionAttributes.customappsso.User.boss.referencedObjects",
    /must name the objects/,
  ],
  [
    "rawSchema with customizations",
    { rawSchema: { directories: [], synchronizationRules: [] }, objectMappings: {} },
    "objectMappings",
    /cannot be combined with rawSchema/,
  ],
  ["rawSchema rules not a list", { rawSchema: { directories: [], synchronizationRules: {} } }, "rawSchema.synchronizationRules", /must be a list/],
];

describe("SynchronizationSchema check: bad input named by property path", () => {
  for (const [what, input, property, reason] of BAD_INPUTS) {
    it(what, async () => {
      const failures = await failuresFor(input);
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.equal(failures[0].property, property);
      assert.match(failures[0].reason, reason);
    });
  }

  it("accepts the documented customization shapes and fills in strict", async () => {
    const result = await handler.check(
      {},
      {
        servicePrincipalId: SP,
        jobId: JOB,
        objectMappings: {
          User: {
            enabled: true,
            attributeMappings: {
              displayName: { expression: 'Join(" ", [givenName], [surname])' },
              title: { constant: "Employee", flowType: "ObjectAddOnly" },
              preferredLanguage: { remove: true },
            },
            scope: { sales: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] },
          },
        },
        extensionAttributes: { customappsso: { User: { costCenter: { type: "String", multivalued: false } } } },
      },
    );
    assert.deepEqual(result.failures ?? [], []);
    assert.equal(result.inputs?.strict, false);
  });

  it("lets unknown (preview) values through", async () => {
    const result = await handler.check({}, { servicePrincipalId: UNKNOWN, jobId: UNKNOWN, objectMappings: { User: UNKNOWN } });
    assert.deepEqual(result.failures ?? [], []);
  });
});
