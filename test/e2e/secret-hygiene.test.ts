/**
 * Secret hygiene through the real CLI: every secret value the test uses (the provisioning secrets,
 * the app registration's client secret, the config passphrase) appears nowhere it could leak — the
 * checkpoint files and their backups, the CLI's output of every command (also with verbose engine
 * logging, which carries the provider process's log lines), and the emulator's request log. The
 * second suite does the same while everything fails against the provisioning target, whose error
 * messages quote BaseAddress with the credentials in it.
 */

import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { waitUntil } from "../../provider/graph/wait";
import { useEmulator } from "../support/emulator";
import { createTestStack, type TestStack } from "../support/pulumi";

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

/** A deployment with every secret value (as `--show-secrets` shows them) replaced by "[secret]". */
function withoutSecretValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretValues);
  if (!value || typeof value !== "object") return value;
  if (SECRET_SIG in value) return "[secret]";
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecretValues(v)]));
}
/** The key Pulumi marks secret values with in state (`sig.Secret`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

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
    // What the checks below look at: preview, up, an update, refresh and a diff, with verbose logging.
    record(await stack.preview(verbose));
    record(await stack.up(verbose));
    await stack.setConfig("title", { value: "Staff" });
    await stack.setConfig("secretToken", { value: `${secrets.secretToken}-rotated`, secret: true });
    record(await stack.up(verbose));
    record(await stack.refresh(verbose));
    record(await stack.preview({ ...verbose, diff: true }));
  });

  after(async () => {
    await testStack?.dispose();
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
    assert.deepStrictEqual(
      keys.filter((k) => ["SecretToken", "Password"].includes(k)),
      [],
    );
    assert.deepStrictEqual(leakingLines(output.join("\n"), Object.values(secrets)), []);
  });
});

/**
 * The same through failures: the provisioning target rejects the credentials, so a cycle
 * quarantines the job, an on-demand request fails, a restart's wait fails and a credential
 * validation fails. Graph's messages for these quote the target's URL, BaseAddress as given. Every
 * credential carries its own canary value (BaseAddress one in its user name, password and query
 * string each), and none may appear in the state (secrets there are ciphertext), the engine events,
 * the CLI output or the provider process's own stderr.
 */
describe("e2e: secret hygiene when the provisioning target rejects the credentials", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  const stderrDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-provider-stderr-"));
  const canary = (what: string) => `canary-${what}-${crypto.randomBytes(8).toString("hex")}`;
  const canaries = {
    baseAddressUser: canary("baseaddress-user"),
    baseAddressPassword: canary("baseaddress-password"),
    baseAddressQuery: canary("baseaddress-query"),
    secretToken: canary("secrettoken"),
    rotatedSecretToken: canary("rotated-secrettoken"),
    password: canary("password"),
    userName: canary("username"),
    clientSecret: canary("clientsecret"),
  };
  let testStack: TestStack;
  let stack: Stack;
  const cli: string[] = [];
  const events: string[] = [];
  const capture = { onOutput: (s: string) => cli.push(s), onEvent: (e: unknown) => events.push(JSON.stringify(e)) };

  /** The emulator's SCIM target, with credentials in the URL that it does not need. */
  const baseAddress = () => {
    const url = new URL(fixture().emulator.scimTarget.baseAddress);
    url.username = canaries.baseAddressUser;
    url.password = canaries.baseAddressPassword;
    url.search = `token=${canaries.baseAddressQuery}`;
    return url.toString();
  };
  const credentials = (secretToken: string) => ({
    value: JSON.stringify({
      BaseAddress: baseAddress(),
      SecretToken: secretToken,
      Password: canaries.password,
      UserName: canaries.userName,
      ClientSecret: canaries.clientSecret,
    }),
    secret: true,
  });
  /** An `up` that must fail; its error (the CLI's output) is kept with the rest. */
  const failingUp = async (): Promise<string> => {
    let message = "";
    await assert.rejects(stack.up({ ...capture, continueOnError: true }), (e: Error) => {
      message = e.message;
      return true;
    });
    cli.push(message);
    return message;
  };
  const activationOutputs = async () => {
    const state = await stack.exportStack();
    return state.deployment.resources.find((r: { type: string }) => r.type.endsWith(":SynchronizationJobActivation"))?.outputs;
  };
  const leaks = (text: string) =>
    Object.entries(canaries)
      .filter(([, value]) => text.includes(value))
      .map(([name]) => name);

  before(async () => {
    const emulator = fixture().emulator;
    testStack = await createTestStack(path.join(__dirname, "programs", "failing-target"), `hygiene-failing-${process.pid}`, emulator, {
      NODE_OPTIONS: `--require ${path.resolve(__dirname, "..", "support", "stderr-tee.js")}`,
      ENTRA_SYNC_STDERR_DIR: stderrDir,
    });
    stack = testStack.stack;
    await stack.setAllConfig({
      servicePrincipalId: { value: emulator.seeded.scimServicePrincipalId },
      userId: { value: emulator.seeded.scimAppAssignments.userIds[0] },
      credentials: credentials(canaries.secretToken),
    });
  });

  after(async () => {
    await testStack?.dispose();
    fs.rmSync(stderrDir, { recursive: true, force: true });
  });

  it("a cycle fails against the target, and refresh records the quarantine with the target's answer", async () => {
    cli.push((await stack.preview(capture)).stdout);
    const up = await failingUp();
    assert.match(up, /on demand failed at step TestConnection/, "the on-demand request failed");
    const sp = fixture().emulator.seeded.scimServicePrincipalId;
    const jobId = (await activationOutputs()).jobId;
    await waitUntil(async () => (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`)).body.status.code === "Quarantine", {
      description: "the job's first cycle to quarantine it",
      timeoutMs: 60_000,
    });
    cli.push((await stack.refresh(capture)).stdout);
    const { status } = await activationOutputs();
    assert.strictEqual(status.quarantine.errorCode, "SystemForCrossDomainIdentityManagementCredentialValidationFailure");
    // The message stays useful: scheme, host and path of what the service called.
    assert.match(status.quarantine.errorMessage, /Resource: https:\/\/\S*127\.0\.0\.1:\d+\/scim\/v2\/Users\?/);
    assert.match(status.lastExecution.errorMessage, /Response Status Code: Unauthorized/);
  });

  it("a restart that waits for its cycle fails with the target's answer", async () => {
    await stack.setAllConfig({ waitFor: { value: "initialCycle" }, restartTrigger: { value: "second" } });
    const up = await failingUp();
    assert.match(up, /did not reach initialCycle: the job was quarantined after its cycle/);
    assert.match(up, /127\.0\.0\.1:\d+\/scim\/v2\/Users/);
  });

  it("a credential validation fails with the target's answer", async () => {
    await stack.setAllConfig({ validateCredentials: { value: "true" }, credentials: credentials(canaries.rotatedSecretToken) });
    const up = await failingUp();
    assert.match(up, /credential validation failed, so the credentials were not saved/);
    assert.match(up, /127\.0\.0\.1:\d+\/scim\/v2\/Users/);
    cli.push((await stack.preview({ ...capture, diff: true })).stdout);
    cli.push((await stack.refresh(capture)).stdout);
  });

  it("no canary in the exported state", async () => {
    // The Automation API exports with --show-secrets: leave out the values the state keeps encrypted.
    const text = JSON.stringify(withoutSecretValues(await stack.exportStack()));
    assert.ok(text.includes("[secret]"), "the credentials are in the state, as secrets");
    assert.ok(text.includes("Response Status Code: Unauthorized"), "the job's error is in the state");
    assert.deepStrictEqual(leaks(text), []);
    const files = checkpointFiles(testStack.backend);
    assert.ok(files.length >= 2, `found checkpoint files: ${files.length}`);
    for (const f of files) assert.deepStrictEqual(leaks(fs.readFileSync(f, "utf8")), [], f);
  });

  it("no canary in the engine events", () => {
    // Pulumi's Node.js SDK (3.248) logs every RegisterResource response, secret outputs in plaintext,
    // as a debug diagnostic of the program; later SDKs log it only with excessive debug output
    // (pulumi/pulumi#24478). The CLI shows those lines only with --debug.
    const text = events.filter((e) => !/"prefix":"debug: ","message":"RegisterResource RPC finished/.test(e)).join("\n");
    assert.ok(text.includes("credential validation failed"), "the events carry the failures");
    assert.deepStrictEqual(leaks(text), []);
  });

  it("no canary in the CLI output of preview, up and refresh", () => {
    const text = cli.join("\n");
    assert.match(text, /did not reach initialCycle/);
    assert.deepStrictEqual(leaks(text), []);
  });

  it("no canary in the provider's stderr", () => {
    const text = fs
      .readdirSync(stderrDir)
      .map((f) => fs.readFileSync(path.join(stderrDir, f), "utf8"))
      .join("\n");
    assert.match(text, /entra-sync: job .*: restarting/, "the provider's log lines were captured");
    assert.deepStrictEqual(leaks(text), []);
  });
});
