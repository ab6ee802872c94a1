/**
 * End to end: the root program (index.ts) through the real Pulumi CLI and engine (Automation API),
 * its dynamic provider process, and the emulator, in the order a GitOps user meets them.
 */

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { changes, createTestStack, scimAppConfig, type TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");

/** Every stack checkpoint file of a file:// backend. */
function stateFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.pulumi\/(stacks|backups)\/.*\.json$/.test(f))
    .map((f) => path.join(dir, f));
}

describe("e2e: job and secrets through the Pulumi CLI", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  const stackName = `e2e-${process.pid}`;
  let stack: Stack;
  let backend: string;
  let sp: string;

  const job = async (jobId: string) => fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`);
  const secretKeys = async (): Promise<string[]> => {
    const r = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/secrets`);
    return r.status === 404 ? [] : (r.body.value as { key: string }[]).map((p) => p.key).sort();
  };
  const outputs = async () => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]));

  let testStack: TestStack;

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    testStack = await createTestStack(repoRoot, stackName, emulator);
    ({ stack, backend } = testStack);
    await stack.setAllConfig(scimAppConfig(emulator));
  });

  after(async () => {
    await testStack?.dispose();
  });

  let jobId: string;

  it("up creates the credentials and a running job", async () => {
    const up = await stack.up();
    assert.strictEqual(up.summary.result, "succeeded");
    // stack + secrets and their revision record; the job, its claim and its activation
    assert.deepStrictEqual(changes(up.summary), { create: 6 });
    const out = await outputs();
    jobId = out.jobId;
    assert.match(jobId, /^scim\./);
    const live = await job(jobId);
    assert.strictEqual(live.status, 200);
    assert.strictEqual(live.body.schedule.state, "Active");
    assert.deepStrictEqual(await secretKeys(), ["BaseAddress", "SecretToken"]);
    assert.deepStrictEqual(out.managedSecretKeys, ["BaseAddress", "SecretToken"]);
  });

  it("a second preview shows no change", async () => {
    const preview = await stack.preview();
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), {});
  });

  it("refresh shows no change", async () => {
    const refresh = await stack.refresh();
    assert.deepStrictEqual(changes(refresh.summary), {});
  });

  it("refresh reports a job paused out of band, and up starts it again", async () => {
    const paused = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/pause`);
    assert.strictEqual(paused.status, 204);
    const refresh = await stack.refresh();
    assert.deepStrictEqual(changes(refresh.summary), { update: 1 });
    const state = await stack.exportStack();
    const jobState = state.deployment.resources.find((r: any) => r.type.endsWith(":SynchronizationJobActivation"));
    assert.strictEqual(jobState.outputs.enabled, false);
    assert.strictEqual(jobState.outputs.status.code, "Paused");

    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { update: 1 });
    const live = await job(jobId);
    assert.strictEqual(live.body.schedule.state, "Active");
    assert.notStrictEqual(live.body.status.code, "Paused");
  });

  it("refresh reports a managed secret key deleted out of band, and up restores it", async () => {
    const removed = await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
      value: [{ key: "SecretToken", value: "" }],
    });
    assert.strictEqual(removed.status, 204);
    assert.deepStrictEqual(await secretKeys(), ["BaseAddress"]);
    const refresh = await stack.refresh();
    assert.deepStrictEqual(changes(refresh.summary), { update: 1 });
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { update: 1 });
    assert.deepStrictEqual(await secretKeys(), ["BaseAddress", "SecretToken"]);
  });

  it("keeps secrets out of the state in plaintext and each serialized provider under 2 KB", async () => {
    // The checkpoint file as it sits in the backend (the Automation API's exportStack decrypts).
    const checkpoint = stateFiles(backend).map((f) => fs.readFileSync(f, "utf8"));
    assert.ok(checkpoint.length > 0, "found the stack's checkpoint file");
    const secretToken = fixture().emulator.scimTarget.token;
    assert.ok(
      checkpoint.every((text) => !text.includes(secretToken)),
      "the SecretToken value never appears in plaintext",
    );
    assert.ok(
      checkpoint.some((text) => text.includes("4dabf18193072939515e22adb298388d")),
      "secrets are stored as Pulumi secrets",
    );
    const state = await stack.exportStack();
    for (const r of state.deployment.resources.filter((x: any) => x.type.startsWith("pulumi-nodejs:dynamic/"))) {
      for (const where of ["inputs", "outputs"]) {
        const provider = r[where].__provider;
        assert.strictEqual(typeof provider, "string", `${r.urn} ${where}.__provider`);
        assert.ok(Buffer.byteLength(JSON.stringify(provider)) <= 2048, `${r.urn} ${where}.__provider is ${provider.length} bytes`);
      }
    }
  });

  it("a templateId change replaces the job", async () => {
    await stack.setConfig("templateId", { value: "customappsso" });
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { replace: 3 }); // the job, with its claim and its activation
    const newJobId = (await outputs()).jobId;
    assert.match(newJobId, /^customappsso\./);
    assert.strictEqual((await job(jobId)).status, 404, "the old job is deleted");
    assert.strictEqual((await job(newJobId)).status, 200);
    jobId = newJobId;
  });

  it("destroy leaves no job and no managed secret keys", async () => {
    const destroy = await stack.destroy();
    assert.strictEqual(destroy.summary.result, "succeeded");
    const jobs = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`);
    assert.deepStrictEqual(jobs.body.value, []);
    assert.deepStrictEqual(await secretKeys(), []);
  });
});
