/**
 * The program-side template lookups (getSynchronizationTemplates, getTemplateSchema,
 * findTemplateByFactoryTag) against an in-process emulator, with the connection from the environment.
 */

import * as assert from "assert";
import {
  findTemplateByFactoryTag,
  getSynchronizationTemplate,
  getSynchronizationTemplates,
  getTemplateSchema,
} from "../../provider/resources/templates";
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
});
