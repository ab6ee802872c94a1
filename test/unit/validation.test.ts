import * as assert from "assert";
import { CheckFailure, checkIdentifier, checkObjectId, didYouMean, UNKNOWN } from "../../provider/validation";

describe("validation helpers", () => {
  it("suggests the closest key, case-insensitively, and nothing for far-off input", () => {
    const keys = ["BaseAddress", "SecretToken", "SyncAll"];
    assert.strictEqual(didYouMean("baseaddress", keys), "BaseAddress");
    assert.strictEqual(didYouMean("SecretTokn", keys), "SecretToken");
    assert.strictEqual(didYouMean("Zzzzzzzzzzzz", keys), undefined);
  });

  it("checks object ids as GUIDs and skips unknowns", () => {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", "00000000-0000-0000-0000-000000000001", "service principal", failures);
    checkObjectId("servicePrincipalId", UNKNOWN, "service principal", failures);
    assert.deepStrictEqual(failures, []);
    checkObjectId("servicePrincipalId", "app-name", "service principal", failures);
    checkObjectId("servicePrincipalId", 7, "service principal", failures);
    assert.strictEqual(failures.length, 2);
  });

  it("checks identifiers: non-empty, no spaces or slashes", () => {
    const failures: CheckFailure[] = [];
    checkIdentifier("templateId", "scim", "template id", failures);
    checkIdentifier("templateId", "customappsso#V2", "template id", failures);
    assert.strictEqual(failures.length, 0);
    checkIdentifier("templateId", " ", "template id", failures);
    checkIdentifier("templateId", "a/b", "template id", failures);
    assert.deepStrictEqual(failures.map((f) => f.property), ["templateId", "templateId"]);
  });
});
