import * as assert from "assert";
import * as path from "path";
import { legacyProviderText } from "../../provider/state/shim";

// The provider process loads the stored text exactly like this (cmd/dynamic-provider).
const requireFromString = require("require-from-string");

describe("serialized provider shim, as stacks written before the state contract store it", () => {
  for (const mod of ["job", "secrets"]) {
    it(`is under 2 KB and captures nothing for ${mod}`, () => {
      const text = legacyProviderText(`pulumi-entra-sync/provider/resources/${mod}`);
      assert.ok(Buffer.byteLength(JSON.stringify(text)) <= 2048, `${Buffer.byteLength(text)} bytes`);
      assert.ok(!/secret|token|password|process\.env/i.test(text.replace(/resources\/secrets/, "")), "no credentials or env in the text");
    });
  }

  it("dispatches every method to the handler module, loaded by package name", async () => {
    const text = legacyProviderText("pulumi-entra-sync/provider/resources/job");
    // Resolve from the repository root, as the provider process does from a program directory.
    const provider = requireFromString(text, path.join(__dirname, "..", "..", "shim.js")).handler();
    const handler = require("pulumi-entra-sync/provider/resources/job").handler;
    for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
      assert.strictEqual(typeof provider[method], "function", method);
    }
    const checked = await provider.check({}, { servicePrincipalId: "x", templateId: "scim" });
    assert.deepStrictEqual(checked, await handler.check({}, { servicePrincipalId: "x", templateId: "scim" }));
  });

  it("refuses module paths outside the package", () => {
    assert.throws(() => legacyProviderText("../evil"), /pulumi-entra-sync/);
  });
});
