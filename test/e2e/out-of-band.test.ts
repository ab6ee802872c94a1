/**
 * Out-of-band changes through the real CLI (issue 5): a job deleted behind the program's back is
 * reported by refresh and recreated by up; a deleted service principal is reported by refresh, and
 * up then fails clearly (Graph's code, request-id, what to check) without writing anything to state.
 * (Schema edits and removed secret keys are covered by schema.test.ts and lifecycle.test.ts.)
 */

import * as assert from "assert";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { changes, createTestStack, RECORD_TYPES, type TestStack } from "../support/pulumi";

const program = path.join(__dirname, "programs", "all-resources");

describe("e2e: out-of-band changes", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  let testStack: TestStack;
  let stack: Stack;
  let sp: string;

  const jobs = async (): Promise<{ id: string }[]> => {
    const r = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`);
    return r.status === 200 ? r.body.value : [];
  };
  const resourceTypes = async () =>
    (await stack.exportStack()).deployment.resources
      .map((r: any) => r.type as string)
      .filter((t: string) => t.startsWith("pulumi-nodejs:dynamic/"))
      .map((t: string) => t.split(":").pop())
      .sort();

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    testStack = await createTestStack(program, `oob-${process.pid}`, emulator);
    stack = testStack.stack;
    await stack.setAllConfig({
      servicePrincipalId: { value: sp },
      baseAddress: { value: emulator.scimTarget.baseAddress },
      secretToken: { value: emulator.scimTarget.token, secret: true },
      password: { value: "out-of-band-password", secret: true },
    });
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { create: 7 });
  });

  after(async () => {
    await testStack?.dispose();
  });

  it("a job deleted out of band: refresh drops it and its schema, up recreates both", async () => {
    const [job] = await jobs();
    assert.strictEqual((await fixture().graph.request("DELETE", `/servicePrincipals/${sp}/synchronization/jobs/${job.id}`)).status, 204);
    const refresh = await stack.refresh();
    assert.deepStrictEqual(changes(refresh.summary), { delete: 3 });
    assert.deepStrictEqual(await resourceTypes(), ["SynchronizationJobClaim", "SynchronizationSecrets", "SynchronizationSecretsRevision"]);
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { create: 3 });
    const now = await jobs();
    assert.strictEqual(now.length, 1, "exactly one job, no duplicate");
    assert.notStrictEqual(now[0].id, job.id);
    assert.deepStrictEqual(await resourceTypes(), [
      "SynchronizationJob",
      "SynchronizationJobActivation",
      "SynchronizationJobClaim",
      "SynchronizationSchema",
      "SynchronizationSecrets",
      "SynchronizationSecretsRevision",
    ]);
  });

  it("a service principal deleted out of band: refresh drops everything, up fails clearly and writes nothing", async () => {
    assert.strictEqual((await fixture().graph.control("DELETE", `/servicePrincipals/${sp}`)).status, 204);
    const refresh = await stack.refresh();
    assert.deepStrictEqual(changes(refresh.summary), { delete: 4 });
    // The records saved before writes (read without Graph) stay; every Graph object is gone.
    assert.deepStrictEqual(await resourceTypes(), RECORD_TYPES);

    const error = await stack.up().then(
      () => assert.fail("up must fail when the service principal is gone"),
      (e: Error) => e,
    );
    const message = String(error.message);
    assert.match(message, new RegExp(sp), "names the service principal");
    assert.match(message, /Request_ResourceNotFound|ResourceNotFound|does not exist/, "Graph's code or message");
    assert.match(message, /request-id/i, "Graph's request-id");
    assert.match(message, /servicePrincipalId/, "what to check");
    assert.doesNotMatch(message, /\n\s+at .*\.(js|ts):\d+/, "no stack trace of internals");
    assert.deepStrictEqual(await resourceTypes(), RECORD_TYPES, "no resource written to state");
  });
});
