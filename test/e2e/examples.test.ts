/**
 * The programs in examples/ run as their README says: up against the emulator, a clean second
 * preview, and destroy.
 */

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("e2e: examples/scim-apps", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  let stack: Stack;
  let backend: string;
  const stackName = `examples-${process.pid}`;

  before(async () => {
    const emulator = fixture().emulator;
    backend = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-examples-"));
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName, workDir: path.join(repoRoot, "examples", "scim-apps") },
      {
        pulumiCommand: await PulumiCommand.get({ root: process.env.ENTRA_SYNC_PULUMI_ROOT! }),
        envVars: {
          ...emulator.env,
          PULUMI_BACKEND_URL: `file://${backend}`,
          PULUMI_CONFIG_PASSPHRASE: "examples",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
          PATH: `${process.env.ENTRA_SYNC_PULUMI_BIN}${path.delimiter}${process.env.PATH}`,
        },
      },
    );
    const sp = emulator.seeded.scimServicePrincipalId;
    await stack.setConfig("apps.hr-portal.servicePrincipalId", { value: sp }, true);
    await stack.setConfig("apps.hr-portal.baseAddress", { value: "https://hr.example.test/scim/v2" }, true);
    await stack.setConfig("apps.hr-portal.enabled", { value: "false" }, true);
    await stack.setConfig("tokens.hr-portal", { value: "examples-token", secret: true }, true);
  });

  after(async () => {
    await stack?.workspace.removeStack(stackName).catch(() => undefined);
    fs.rmSync(backend, { recursive: true, force: true });
  });

  it("provisions a paused job per app from stack config, settles, and destroys cleanly", async () => {
    const up = await stack.up();
    assert.strictEqual(up.summary.resourceChanges?.create, 3);
    const jobs = (await stack.outputs()).jobs.value as Record<string, string>;
    assert.match(jobs["hr-portal"], /^scim\.\S+: \w+$/);
    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const live = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`);
    assert.strictEqual(live.body.value.length, 1);
    assert.strictEqual(live.body.value[0].schedule.state, "Disabled", "enabled=false leaves the job unstarted");

    const preview = await stack.preview();
    assert.deepStrictEqual(Object.keys(preview.changeSummary).filter((k) => k !== "same"), []);

    await stack.destroy();
    const after = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`);
    assert.deepStrictEqual(after.body.value, []);
  });
});
