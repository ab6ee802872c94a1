/**
 * Secret hygiene through the real CLI: every secret value the test uses (the provisioning secrets,
 * the app registration's client secret, the config passphrase) appears nowhere it could leak — the
 * checkpoint files and their backups, the CLI's output of every command (also with verbose engine
 * logging, which carries the provider process's log lines), and the emulator's request log.
 */

import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { createTestStack, TestStack } from "../support/pulumi";

const program = path.join(__dirname, "programs", "all-resources");
/** The captured CLI output, kept for inspection when an assertion fails. */
const outputFile = path.join(os.tmpdir(), `entra-sync-hygiene-output-${process.pid}.log`);

function checkpointFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.pulumi\/(stacks|backups|history)\/.*\.json$/.test(f))
    .map((f) => path.join(dir, f));
}

/**
 * Lines that contain a secret value, leaving out the Pulumi engine's own verbose traces: at -v=7 and
 * above the engine prints plaintext property maps (stack config secrets included) when it plans and
 * marshals RPCs. That is the engine's behaviour, outside any provider's reach; every other line (the
 * provider's log lines, diagnostics, the rendered preview and summary) must be clean.
 */
function leakingLines(text: string, values: string[]): string[] {
  const engineTrace = /"msg":"(Planner decided (not )?to|Marshaling property for RPC|Unmarshaling property for RPC)/;
  return text
    .split("\n")
    .filter((line) => values.some((v) => line.includes(v)) && !engineTrace.test(line))
    .map((line) => line.slice(0, 300));
}

describe("e2e: secret hygiene", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  let testStack: TestStack;
  let stack: Stack;
  const secrets = {
    secretToken: `hygiene-token-${crypto.randomBytes(12).toString("hex")}`,
    password: `hygiene-password-${crypto.randomBytes(12).toString("hex")}`,
  };
  /** Everything the CLI printed, across all commands. */
  const output: string[] = [];
  const record = (r: { stdout: string; stderr: string }) => output.push(r.stdout, r.stderr);
  const verbose = { logVerbosity: 9, logToStdErr: true, onOutput: (s: string) => output.push(s) };

  before(async () => {
    const emulator = fixture().emulator;
    testStack = await createTestStack(program, `hygiene-${process.pid}`, emulator);
    stack = testStack.stack;
    await stack.setAllConfig({
      servicePrincipalId: { value: emulator.seeded.scimServicePrincipalId },
      baseAddress: { value: "https://scim.hygiene.test/scim" },
      secretToken: { value: secrets.secretToken, secret: true },
      password: { value: secrets.password, secret: true },
    });
  });

  after(async () => {
    await testStack?.dispose();
  });

  it("runs preview, up, update, refresh and destroy with verbose logging", async () => {
    record(await stack.preview(verbose));
    record(await stack.up(verbose));
    await stack.setConfig("title", { value: "Staff" });
    await stack.setConfig("secretToken", { value: `${secrets.secretToken}-rotated`, secret: true });
    record(await stack.up(verbose));
    record(await stack.refresh(verbose));
    record(await stack.preview({ ...verbose, diff: true }));
  });

  it("no secret value in the checkpoint files or their backups", () => {
    const files = checkpointFiles(testStack.backend);
    assert.ok(files.length >= 2, `found checkpoint files: ${files.length}`);
    for (const f of files) {
      const text = fs.readFileSync(f, "utf8");
      for (const [name, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `${name} in ${f}`);
    }
  });

  it("no secret value in the CLI output, verbose engine logs and provider log lines included", () => {
    const all = output.join("\n");
    fs.writeFileSync(outputFile, all);
    assert.ok(all.length > 100_000, `verbose output was captured (${all.length} chars)`);
    assert.ok(/pulumi-nodejs/.test(all), "the output includes the provider plugin's log lines");
    const ours = leakingLines(all, [...Object.values(secrets), fixture().emulator.clients.admin.clientSecret]);
    assert.deepStrictEqual(ours, [], `secret values outside the engine's own traces (output kept in ${outputFile})`);
  });

  it("no secret value in the CLI output at the default verbosity", async () => {
    const plain = [await stack.preview({ diff: true }), await stack.refresh()];
    const text = plain.map((r) => r.stdout + r.stderr).join("\n");
    assert.ok(text.includes("hygiene-credentials"), "the output names the resources");
    for (const [name, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `${name} in the CLI output`);
  });

  it("no secret value in the emulator's request log", async () => {
    const log = await fixture().graph.control("GET", "/requests");
    const text = JSON.stringify(log);
    assert.ok(text.includes("/synchronization/secrets"), "the log has the secrets PUTs");
    for (const [name, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `${name} in the request log`);
    assert.ok(!text.includes(fixture().emulator.clients.admin.clientSecret), "client secret in the request log");
  });

  it("destroy leaves no managed secret behind", async () => {
    record(await stack.destroy(verbose));
    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const r = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/secrets`);
    const keys = r.status === 404 ? [] : (r.body.value as { key: string }[]).map((p) => p.key);
    assert.deepStrictEqual(keys.filter((k) => ["SecretToken", "Password"].includes(k)), []);
    assert.deepStrictEqual(leakingLines(output.join("\n"), Object.values(secrets)), []);
  });
});
