/**
 * The program-side template lookups (getSynchronizationTemplates, getTemplateSchema,
 * findTemplateByFactoryTag) against an in-process emulator, with the connection from the environment.
 */

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  findTemplateByFactoryTag,
  getSynchronizationTemplate,
  getSynchronizationTemplates,
  getSynchronizationTemplatesOutput,
  getTemplateSchema,
  getTemplateSchemaOutput,
} from "../../provider/functions/templates";
import { useEmulator } from "../support/emulator";

describe("synchronization template lookups", function () {
  const fixture = useEmulator();

  it("lists a service principal's templates and picks one by factory tag", async () => {
    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const templates = await getSynchronizationTemplates({ servicePrincipalId: sp });
    assert.ok(templates.length > 0);
    const scim = findTemplateByFactoryTag(templates, "CustomSCIM");
    assert.strictEqual(scim.id, "scim");
    assert.strictEqual(scim.factoryTag, "CustomSCIM");
    assert.strictEqual(typeof scim.metadata, "object");
    assert.deepStrictEqual(await getSynchronizationTemplate({ servicePrincipalId: sp, templateId: scim.id }), scim);
    assert.throws(() => findTemplateByFactoryTag(templates, "salesforce"), /no synchronization template with factory tag "salesforce"; it has: scim \(CustomSCIM\)/);
  });

  it("reads a template's schema with its rules, as a program would to find a rule id", async () => {
    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const schema = await getTemplateSchema({ servicePrincipalId: sp, templateId: "scim" });
    assert.ok(schema.directories.length >= 2, "source and target directories");
    const rule = schema.synchronizationRules[0];
    assert.ok(rule.id);
    assert.ok(rule.objectMappings.some((m) => m.sourceObjectName === "User"));
  });

  it("reports Graph's error for a service principal that does not exist", async () => {
    await assert.rejects(
      getSynchronizationTemplates({ servicePrincipalId: "00000000-0000-0000-0000-000000000000" }),
      /list synchronization templates failed: GET .* returned 404/,
    );
  });

  it("reports a failed lookup through its Output once, without rejections Node calls unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.prependListener("unhandledRejection", onUnhandled);
    try {
      const missing = "00000000-0000-0000-0000-000000000000";
      const outputs: pulumi.Output<unknown>[] = [
        getSynchronizationTemplatesOutput({ servicePrincipalId: missing }),
        getTemplateSchemaOutput({ servicePrincipalId: missing, templateId: "scim" }),
      ];
      // Wait for the lookups to fail, through the Output's value (a promise of its own, made on request).
      for (const output of outputs) {
        await assert.rejects((output as unknown as { promise(): Promise<unknown> }).promise(), /returned 404/);
      }
      // Node reports rejections nobody handled once the microtasks have run: one turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepStrictEqual(unhandled.map(String), []);
      // Whoever uses the Output later still gets the failure.
      for (const output of outputs) await assert.rejects(pulumi.isSecret(output), /returned 404/);
    } finally {
      process.removeListener("unhandledRejection", onUnhandled);
    }
  });
});
