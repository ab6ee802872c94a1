/**
 * The programs in examples/ run as their README says: up against the emulator, a clean second
 * preview, and destroy.
 */

import * as assert from "assert";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { createTestStack, type TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("e2e: examples/scim-apps", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  let testStack: TestStack;
  let stack: Stack;
  const stackName = `examples-${process.pid}`;

  before(async () => {
    const emulator = fixture().emulator;
    testStack = await createTestStack(path.join(repoRoot, "examples", "scim-apps"), stackName, emulator);
    stack = testStack.stack;
    const sp = emulator.seeded.scimServicePrincipalId;
    await stack.setConfig("apps.hr-portal.servicePrincipalId", { value: sp }, true);
    await stack.setConfig("apps.hr-portal.baseAddress", { value: "https://hr.example.test/scim/v2" }, true);
    await stack.setConfig("apps.hr-portal.enabled", { value: "false" }, true);
    await stack.setConfig("tokens.hr-portal", { value: "examples-token", secret: true }, true);
  });

  after(async () => {
    await testStack?.dispose();
  });

  it("provisions a paused job per app from stack config, settles, and destroys cleanly", async () => {
    const up = await stack.up();
    assert.strictEqual(up.summary.resourceChanges?.create, 6); // stack + secrets and their revision, the job with its claim and activation
    const jobs = (await stack.outputs()).jobs.value as Record<string, string>;
    assert.match(jobs["hr-portal"], /^scim\.\S+: \w+$/);
    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const live = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`);
    assert.strictEqual(live.body.value.length, 1);
    assert.strictEqual(live.body.value[0].schedule.state, "Disabled", "enabled=false leaves the job unstarted");

    const preview = await stack.preview();
    assert.deepStrictEqual(
      Object.keys(preview.changeSummary).filter((k) => k !== "same"),
      [],
    );

    await stack.destroy();
    const after = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`);
    assert.deepStrictEqual(after.body.value, []);
  });
});
