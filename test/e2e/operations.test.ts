/**
 * End to end: examples/scim-rollout through the real Pulumi CLI, engine and dynamic-provider
 * process, against the emulator and its SCIM target application: validated credentials, pilot
 * users on demand, the job's wait for its initial cycle (with progress in the `up` output), and a
 * declarative restart that lifts a quarantine.
 */

import * as assert from "assert";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { changes, createTestStack, scimAppConfig, type TestStack } from "../support/pulumi";

const example = path.resolve(__dirname, "..", "..", "examples", "scim-rollout");

describe("e2e: examples/scim-rollout (on demand, wait, restart)", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  const stackName = `rollout-${process.pid}`;
  let testStack: TestStack;
  let stack: Stack;
  let sp: string;
  let pilotUser: { id: string; userPrincipalName: string };

  const outputs = async () => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]));
  const targetUserNames = () =>
    fixture()
      .emulator.scimTarget.listUsers()
      .map((u) => u.userName as string);

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    const userId = emulator.seeded.scimAppAssignments.userIds[0];
    pilotUser = (await fixture().graph.request("GET", `/users/${userId}`)).body;
    testStack = await createTestStack(example, stackName, emulator);
    stack = testStack.stack;
    await stack.setAllConfig({
      ...scimAppConfig(emulator),
      pilotUserIds: { value: JSON.stringify([pilotUser.id]) },
      notificationEmail: { value: "ops@contoso.com" },
      waitTimeoutSeconds: { value: "120" },
    });
  });

  after(async () => {
    await testStack?.dispose();
  });

  it("up validates the credentials, keeps the job paused, and provisions the pilot user on demand", async () => {
    fixture().exchanges.length = 0;
    const up = await stack.up();
    // stack + secrets and their revision record, the job with its claim and activation, the pilot
    assert.deepStrictEqual(changes(up.summary), { create: 7 });
    const out = await outputs();
    assert.strictEqual(out.templateId, "scim", "the template found by factory tag CustomSCIM");
    assert.deepStrictEqual(out.pilotResults, [`${pilotUser.userPrincipalName}: Success (Create)`]);
    assert.deepStrictEqual(targetUserNames(), [pilotUser.userPrincipalName], "only the pilot user is in the target");
    assert.deepStrictEqual(out.settingsKeys, ["BaseAddress", "SecretToken", "SyncAll", "SyncNotificationSettings"]);
    const order = fixture().exchanges.map((x) => `${x.method} ${x.path.replace(/^.*\/synchronization/, "")}`);
    assert.ok(order.indexOf("POST /jobs/validateCredentials") >= 0, "credentials validated");
    assert.ok(order.indexOf("POST /jobs/validateCredentials") < order.indexOf("PUT /secrets"), "before they are saved");
  });

  it("a second preview shows no change", async () => {
    const preview = await stack.preview();
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), {});
  });

  it("a token the target rejects fails up with the target's answer and saves nothing", async () => {
    await stack.setConfig("scimToken", { value: "revoked-token", secret: true });
    fixture().exchanges.length = 0;
    await assert.rejects(stack.up(), (e: Error) => {
      assert.match(e.message, /credentials were not saved/);
      assert.match(e.message, /CredentialValidation/);
      return true;
    });
    assert.ok(!fixture().exchanges.some((x) => x.method === "PUT" && /\/secrets$/.test(x.path)), "no secrets PUT");
    await stack.setConfig("scimToken", { value: fixture().emulator.scimTarget.token, secret: true });
    const [secrets] = (await stack.exportStack()).deployment.resources.filter((r: { type: string }) => r.type.endsWith(":SynchronizationSecrets"));
    // exportStack decrypts secrets into {<secret sig>, plaintext: "<JSON>"}.
    const stored = JSON.parse(secrets.outputs.credentials.plaintext);
    assert.strictEqual(stored.SecretToken, fixture().emulator.scimTarget.token, "the state still holds the working token");
    // The failed run had recorded a new revision before it validated, and nothing says how far it
    // got: the next up writes the declared credentials again, and then nothing is left to do.
    const again = await stack.up();
    assert.deepStrictEqual(changes(again.summary), { update: 2 }, "the revision record and the secrets");
    const preview = await stack.preview();
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), {});
  });

  it("enabled=true starts the job and up waits for the initial cycle, printing progress", async () => {
    await stack.setConfig("enabled", { value: "true" });
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { update: 1 });
    assert.match(up.stdout, /waiting for its initial cycle to end \(up to 120s\)/);
    assert.match(up.stdout, /reached the end of its initial cycle: status Active/);
    const out = await outputs();
    assert.strictEqual(out.jobStatus, "Active");
    assert.strictEqual(out.lastCycle.state, "Succeeded");
    assert.ok(out.lastCycle.countExported > 0, "the cycle exported the other assigned users");
    // up returned after the cycle had ended, as Graph reports it.
    const live = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${out.jobId}`);
    assert.strictEqual(live.body.status.lastExecution.state, "Succeeded");
    assert.ok(targetUserNames().length > 1, "assigned users were provisioned by the cycle");
  });

  it("a quarantine shows on refresh, and a new restartTrigger lifts it once the target works again", async () => {
    const target = fixture().emulator.scimTarget;
    const { jobId } = await outputs();
    target.setFailureMode("rejectToken");
    try {
      const cycles = await fixture().graph.control("POST", "/cycles");
      assert.ok(cycles.status < 300, `cycles: ${cycles.status}`);
    } finally {
      target.setFailureMode("none");
    }
    const refresh = await stack.refresh();
    assert.deepStrictEqual(changes(refresh.summary), { update: 1 });
    // Refresh does not run the program, so the job's state (not the stack outputs) shows it.
    const state = await stack.exportStack();
    const jobState = state.deployment.resources.find((r: { type: string }) => r.type.endsWith(":SynchronizationJobActivation"));
    assert.strictEqual(jobState.outputs.status.code, "Quarantine");
    assert.ok(jobState.outputs.status.quarantine.reason, "the quarantine reason is an output");
    assert.strictEqual(jobState.outputs.enabled, false, "a quarantined job does not count as running");

    await stack.setConfig("restartTrigger", { value: "after-token-fix" });
    fixture().exchanges.length = 0;
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { update: 1 });
    const restarts = fixture().exchanges.filter((x) => x.method === "POST" && /\/restart$/.test(x.path));
    assert.deepStrictEqual(
      restarts.map((x) => [x.status, x.requestBody]),
      [[204, { criteria: { resetScope: "Watermark, Escrows, QuarantineState" } }]],
    );
    assert.match(up.stdout, /restarting \(trigger "after-token-fix"/);
    assert.match(up.stdout, /reached the end of its initial cycle/);
    const live = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`);
    assert.strictEqual(live.body.status.code, "Active");
    assert.strictEqual(live.body.status.quarantine, null);
    assert.strictEqual((await outputs()).quarantine, null);
  });

  it("destroy removes the job and the managed keys, and leaves the provisioned users in the target", async () => {
    const before = targetUserNames().length;
    const destroy = await stack.destroy();
    assert.strictEqual(destroy.summary.result, "succeeded");
    const jobs = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`);
    assert.deepStrictEqual(jobs.body.value, []);
    assert.strictEqual(targetUserNames().length, before);
  });
});
