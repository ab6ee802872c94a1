/**
 * Bad input through the real CLI: `pulumi preview` fails naming the property, and the provider
 * made no Graph call (the 25+ classes themselves are pinned in test/provider/bad-input.test.ts).
 */

import * as assert from "assert";
import * as path from "path";
import { useEmulator } from "../support/emulator";
import { createTestStack, TestStack } from "../support/pulumi";

describe("e2e: bad input is stopped at preview", function () {
  this.timeout(5 * 60_000);
  const fixture = useEmulator();
  let testStack: TestStack;

  after(async () => {
    await testStack?.dispose();
  });

  it("an id that is not a GUID fails the preview by property path, before any Graph call", async () => {
    const emulator = fixture().emulator;
    testStack = await createTestStack(path.join(__dirname, "programs", "all-resources"), `bad-${process.pid}`, emulator);
    await testStack.stack.setAllConfig({
      servicePrincipalId: { value: "hr-portal" },
      baseAddress: { value: emulator.scimTarget.baseAddress },
      secretToken: { value: "bad-input-token", secret: true },
      password: { value: "bad-input-password", secret: true },
    });
    await fixture().graph.control("DELETE", "/requests");
    const error = await testStack.stack.preview().then(
      () => assert.fail("preview must fail"),
      (e: Error) => e,
    );
    assert.match(error.message, /servicePrincipalId must be the service principal object id, a GUID/);
    assert.doesNotMatch(error.message, /\n\s+at .*\.(js|ts):\d+/, "no stack trace");
    const log = (await fixture().graph.control("GET", "/requests")).body.value as { kind: string }[];
    assert.deepStrictEqual(log.filter((e) => e.kind === "graph"), [], "no Graph call");
  });
});
