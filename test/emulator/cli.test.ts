/**
 * The CLI: first stdout line is the JSON connection object, --env-file writes the same env as
 * dotenv, SIGTERM stops it cleanly (state saved); and the same through the package's built command
 * (`npx pulumi-entra-sync emulator`).
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "../../emulator/cli";
import { request, tokenForPrinted } from "../support/emulator-http";
import { firstLineOf } from "../support/first-line";

const ROOT = path.resolve(__dirname, "..", "..");

function startCli(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<number | null> } {
  // "--" ends node's own options: Node 20 otherwise takes a script argument named --env-file as its
  // own --env-file flag (and exits 9 when the file does not exist yet).
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "--", path.join(ROOT, "emulator", "cli.ts"), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
  });
  const firstLine = firstLineOf(child, "cli");
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, firstLine, exit };
}

describe("emulator CLI", function () {
  this.timeout(30_000);

  it("prints the connection JSON first, writes --env-file, serves, and stops on SIGTERM", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-cli-"));
    const envFile = path.join(dir, "emulator.env");
    const stateFile = path.join(dir, "state.json");
    const cli = startCli(["--port", "0", "--env-file", envFile, "--state-file", stateFile, "--seed", "5"]);
    try {
      const line = await cli.firstLine;
      const info = JSON.parse(line);
      assert.deepEqual(Object.keys(info), ["graphEndpoint", "env", "scimBaseAddress", "scimToken", "scimServicePrincipalId", "galleryServicePrincipalId", "identities"]);
      assert.ok(fs.existsSync(info.identities.certificate.pemPath) && fs.existsSync(info.identities.certificate.pfxPath));
      assert.match(info.identities.githubActions.requestUrl, /^https:\/\/127\.0\.0\.1:\d+\/github-actions\/idtoken\?api-version=2\.0$/);
      assert.equal(info.identities.githubActions.subject, "repo:contoso/entra-provisioning:ref:refs/heads/main");
      assert.match(info.scimBaseAddress, /^https:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      assert.match(info.scimToken, /^scim-[A-Za-z0-9]{40}$/);
      assert.match(info.graphEndpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(Object.keys(info.env).sort(), [
        "AZURE_AUTHORITY_HOST",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_TENANT_ID",
        "ENTRA_SYNC_GRAPH_ENDPOINT",
        "NODE_EXTRA_CA_CERTS",
      ]);
      assert.equal(info.env.ENTRA_SYNC_GRAPH_ENDPOINT, info.graphEndpoint);
      assert.equal(info.env.AZURE_AUTHORITY_HOST, info.graphEndpoint);
      assert.ok(fs.existsSync(info.env.NODE_EXTRA_CA_CERTS));

      const dotenv = fs.readFileSync(envFile, "utf8");
      const parsed = Object.fromEntries(
        dotenv
          .trim()
          .split("\n")
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
      assert.deepEqual(parsed, info.env);

      const target = { graphEndpoint: info.graphEndpoint, caCertPath: info.env.NODE_EXTRA_CA_CERTS };
      const accessToken = await tokenForPrinted(info);
      const sps = await request(target, "GET", "/v1.0/servicePrincipals", { token: accessToken });
      assert.equal(sps.status, 200);
      // The ids a stack needs: the SCIM app's (template scim) and the gallery app's service principals.
      for (const [id, template] of [
        [info.scimServicePrincipalId, "scim"],
        [info.galleryServicePrincipalId, "salesforce"],
      ]) {
        const templates = await request(target, "GET", `/v1.0/servicePrincipals/${id}/synchronization/templates`, { token: accessToken });
        assert.equal(templates.status, 200);
        assert.ok(
          templates.body.value.some((t: { id: string }) => t.id === template),
          `${id} has template ${template}`,
        );
      }

      cli.child.kill("SIGTERM");
      assert.equal(await cli.exit, 0);
      const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
      assert.equal(state.tenantId, info.env.AZURE_TENANT_ID);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
    }
  });

  it("prints its options for --help, on stdout, and exits 0", async () => {
    const cli = startCli(["--help"]);
    assert.match(await cli.firstLine, /^usage: pulumi-entra-sync emulator \[--port N\]/);
    assert.equal(await cli.exit, 0);
  });

  it("rejects unknown arguments with exit code 2", async () => {
    const cli = startCli(["--bogus"]);
    cli.firstLine.catch(() => undefined);
    assert.equal(await cli.exit, 2);
  });
});

describe("emulator CLI --cycles", () => {
  it("takes scheduled (the default) or manual, and nothing else", () => {
    assert.equal(parseArgs([]).options.cycles, undefined);
    assert.equal(parseArgs(["--cycles", "manual"]).options.cycles, "manual");
    assert.equal(parseArgs(["--cycles=scheduled"]).options.cycles, "scheduled");
    assert.throws(() => parseArgs(["--cycles", "never"]), /--cycles must be one of scheduled, manual, got 'never'/);
  });
});

describe("pulumi-entra-sync emulator (the built command)", function () {
  this.timeout(30_000);
  const BIN = path.join(ROOT, "dist", "bin", "pulumi-entra-sync.js");

  it("starts the emulator: first line JSON with the apps' service principal ids; `-- --env-file` works on Node 20", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-bin-"));
    const envFile = path.join(dir, "emulator.env");
    // The form the README gives for Node 20, which reads a script's --env-file argument as its own
    // option unless a `--` comes before it.
    const child = spawn(process.execPath, [BIN, "emulator", "--port", "0", "--", "--env-file", envFile], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const line = await firstLineOf(child, "the bin");
      const info = JSON.parse(line);
      assert.match(info.graphEndpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.match(info.scimServicePrincipalId, /^[0-9a-f-]{36}$/);
      assert.match(info.galleryServicePrincipalId, /^[0-9a-f-]{36}$/);
      assert.notEqual(info.scimServicePrincipalId, info.galleryServicePrincipalId);
      assert.match(fs.readFileSync(envFile, "utf8"), new RegExp(`^ENTRA_SYNC_GRAPH_ENDPOINT=${info.graphEndpoint}$`, "m"));
      const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      assert.equal(await exit, 0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
