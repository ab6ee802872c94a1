/**
 * The catalogs bundled with the provider: the SCIM one equals what the emulator seeds (so the two
 * cannot drift apart), lookup is by exact template id, and the stack setting that turns them off.
 */

import { strict as assert } from "node:assert";
import { buildSeedTenant, SCIM_TEMPLATE_ID } from "../../emulator/seed";
import type { SynchronizationSchema } from "../../provider/graph/types";
import { catalogOf } from "../../provider/schema/catalog";
import { bundledCatalog } from "../../provider/schema/catalogs/bundled";
import { bundledCatalogsEnabled, configureBundledCatalogs } from "../../provider/schema/catalogs/setting";
import { normalizedSchema } from "../../provider/schema/normalize";

function seededTemplateSchema(templateId: string): SynchronizationSchema {
  const tenant = buildSeedTenant(1);
  const records = Object.values(tenant.synchronization).flatMap((s) => s.templates);
  const found = records.find((r) => r.template.id === templateId);
  assert.ok(found?.template.schema, `the emulator seeds template ${templateId}`);
  return found.template.schema;
}

describe("bundled schema catalogs", () => {
  it("the scim catalog is the emulator's seeded scim template, name for name", () => {
    assert.deepStrictEqual(bundledCatalog("scim")?.catalog, catalogOf(normalizedSchema(seededTemplateSchema(SCIM_TEMPLATE_ID))));
  });

  it("the scim catalog names Entra as source and customappsso as target, as Graph does", () => {
    const catalog = bundledCatalog("scim")!.catalog;
    assert.deepStrictEqual(Object.keys(catalog.directories).sort(), ["Azure Active Directory", "customappsso"]);
    assert.deepStrictEqual(catalog.objectMappings.User.mapped.userName, 1, "userName is the matching attribute");
    assert.ok(catalog.directories["Azure Active Directory"].User.includes("userPrincipalName"));
  });

  it("finds a catalog by exact template id only", () => {
    assert.equal(bundledCatalog("scim")?.templateId, "scim");
    for (const other of ["SCIM", "customappsso", "salesforce", "constructor", "toString", "__proto__"]) {
      assert.equal(bundledCatalog(other), undefined, other);
    }
  });

  describe("entra-sync:bundledCatalogs", () => {
    const config = (value: string | undefined) => ({ get: (k: string) => (k === "entra-sync:bundledCatalogs" ? value : undefined) });
    afterEach(() => configureBundledCatalogs(undefined));

    it("is on by default and when set to true", () => {
      configureBundledCatalogs(undefined);
      assert.equal(bundledCatalogsEnabled(), true);
      configureBundledCatalogs(config("true"));
      assert.equal(bundledCatalogsEnabled(), true);
    });

    it("is off when set to false (any case), and back on when unset", () => {
      configureBundledCatalogs(config("False"));
      assert.equal(bundledCatalogsEnabled(), false);
      configureBundledCatalogs(config(undefined));
      assert.equal(bundledCatalogsEnabled(), true);
    });

    it("rejects anything but true or false, naming the key", () => {
      assert.throws(() => configureBundledCatalogs(config("off")), /entra-sync:bundledCatalogs must be true or false, got "off"/);
    });
  });
});
