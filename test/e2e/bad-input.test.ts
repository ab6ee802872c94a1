/**
 * Bad input through the real CLI: `pulumi preview` fails naming the property, and the provider
 * made no Graph call (the 25+ classes themselves are pinned in test/provider/bad-input.test.ts).
 */

import * as assert from "assert";
import * as path from "path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { createTestStack, type TestStack } from "../support/pulumi";

describe("e2e: bad input is stopped at preview", function () {
  this.timeout(5 * 60_000);
  const fixture = useEmulator();
  let testStack: TestStack;

  before(async () => {
    testStack = await createTestStack(path.join(__dirname, "programs", "all-resources"), `bad-${process.pid}`, fixture().emulator);
  });

  after(async () => {
    await testStack?.dispose();
  });

  /** Preview with this config: it must fail without a stack trace and without a Graph call. */
  async function failedPreview(config: ConfigMap): Promise<string> {
    await testStack.stack.setAllConfig(config);
    await fixture().graph.control("DELETE", "/requests");
    const error = await testStack.stack.preview().then(
      () => assert.fail("preview must fail"),
      (e: Error) => e,
    );
    assert.doesNotMatch(error.message, /\n\s+at .*\.(js|ts):\d+/, "no stack trace");
    const log = (await fixture().graph.control("GET", "/requests")).body.value as { kind: string }[];
    assert.deepStrictEqual(
      log.filter((e) => e.kind === "graph"),
      [],
      "no Graph call",
    );
    return error.message;
  }

  it("an id that is not a GUID fails the preview by property path, before any Graph call", async () => {
    const message = await failedPreview({
      servicePrincipalId: { value: "hr-portal" },
      baseAddress: { value: fixture().emulator.scimTarget.baseAddress },
      secretToken: { value: "bad-input-token", secret: true },
      password: { value: "bad-input-password", secret: true },
    });
    assert.match(message, /servicePrincipalId must be the service principal object id, a GUID/);
  });

  it("a BaseAddress that is not an absolute URL fails the preview by property path, without showing the value", async () => {
    const message = await failedPreview({
      servicePrincipalId: { value: fixture().emulator.seeded.scimServicePrincipalId },
      baseAddress: { value: "scim.bad-input-host.example/scim" },
      secretToken: { value: "bad-input-token", secret: true },
      password: { value: "bad-input-password", secret: true },
    });
    assert.match(message, /credentials\.BaseAddress must be an absolute http or https URL with a host.*does not start with http:\/\/ or https:\/\//);
    assert.doesNotMatch(message, /bad-input-host/, "the secret input's value is not shown");
  });
});
