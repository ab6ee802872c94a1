/**
 * The package as a user gets it: `npm pack` of the package and of the emulator, then, in a fresh
 * project outside the repository, for the newest @pulumi/pulumi that declares Node 20 and for the
 * oldest this package accepts:
 *   - npm install: no install script of ours, no engine warning, one copy of @pulumi/pulumi, and
 *     none of the emulator's or the tests' dependencies in a production install;
 *   - tsc --strict (without skipLibCheck) on a program that uses every export of the package, and
 *     on a helper that starts the emulator from code;
 *   - `npx pulumi-entra-sync emulator`, then pulumi preview, up, refresh, destroy against it with
 *     the project's Pulumi CLI.
 * npm runs with --prefer-offline: its cache holds what the repository's own install fetched.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request, tokenForPrinted } from "../support/emulator-http";
import { firstLineOf } from "../support/first-line";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(__dirname, "programs", "consumer");

/**
 * 3.248.0: the newest @pulumi/pulumi whose engines field accepts Node 20 (3.249 asks for 22), as a
 * user on Node 20 gets. 3.216.0: the lowest version package.json allows (read returning inputs).
 */
const PULUMI_VERSIONS = ["3.248.0", "3.216.0"];

/**
 * Dependencies of the emulator (jose, scimmy) and of the tests (ajv). (node-forge is the provider's
 * too: it reads PKCS#12 client certificates.)
 */
const NOT_FOR_USERS = ["jose", "scimmy", "ajv"];

interface Run {
  status: number | null;
  output: string;
}

function run(command: string, args: string[], options: SpawnSyncOptions & { timeoutMs?: number } = {}): Run {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: options.timeoutMs ?? 300_000, ...options });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function ok(command: string, args: string[], options: SpawnSyncOptions & { timeoutMs?: number } = {}): string {
  const result = run(command, args, options);
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed:\n${result.output}`);
  return result.output;
}

/**
 * Asynchronous on purpose: a blocked event loop would not see the emulator close an idle HTTPS
 * connection, and the next request on it would fail with "socket hang up".
 */
function okAsync(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", reject);
    child.once("close", (status) => {
      clearTimeout(timer);
      if (status === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(" ")} failed (${status}):\n${stdout}${stderr}`));
    });
  });
}

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

/** npm pack with its lifecycle (prepack builds), as a release would run it. */
function pack(destination: string, workspace?: string): Packed {
  const args = ["pack", "--json", "--pack-destination", destination, ...(workspace ? ["--workspace", workspace] : [])];
  const result = spawnSync("npm", args, { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
  assert.equal(result.status, 0, `npm ${args.join(" ")} failed:\n${result.stderr}`);
  const packed = (JSON.parse(result.stdout) as Packed[])[0];
  return { ...packed, filename: path.join(destination, packed.filename) };
}

/** `npx pulumi-entra-sync emulator` in the project; resolves with its first line, parsed. */
async function startEmulator(project: string): Promise<{ child: ChildProcess; info: any }> {
  // Its own process group, so that npx and the emulator it runs stop together.
  const child = spawn("npx", ["pulumi-entra-sync", "emulator", "--port", "0"], { cwd: project, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const line = await firstLineOf(child, "the emulator");
  return { child, info: JSON.parse(line) };
}

async function stopEmulator(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

describe("a user's project: the packed package installed, compiled and deployed", function () {
  this.timeout(10 * 60_000);
  this.slow(120_000);

  let work: string;
  let provider: Packed;
  let emulatorPackage: Packed;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-consumer-"));
    provider = pack(work);
    emulatorPackage = pack(work, "emulator");
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("packs the built provider, its bin, README and LICENSE, and nothing else", () => {
    const files = provider.files.map((f) => f.path);
    for (const required of ["package.json", "README.md", "LICENSE", "dist/bin/pulumi-entra-sync.js", "dist/provider/index.js", "dist/provider/index.d.ts"]) {
      assert.ok(files.includes(required), `${required} is in the tarball`);
    }
    const unexpected = files.filter((f) => !["package.json", "README.md", "LICENSE"].includes(f) && !/^dist\/(provider\/.*\.(js|d\.ts)|bin\/[^/]+\.js)$/.test(f));
    assert.deepEqual(unexpected, []);
    assert.ok(!files.some((f) => f.startsWith("dist/emulator/")), "the emulator is its own package");
    // Was 938 kB packed, 4.0 MB unpacked, 797 files before it had a files list.
    assert.ok(provider.unpackedSize < 1_000_000, `unpacked size ${provider.unpackedSize}`);
    console.log(`      ${path.basename(provider.filename)}: ${provider.size} bytes packed, ${provider.unpackedSize} unpacked, ${provider.entryCount} files`);
    console.log(
      `      ${path.basename(emulatorPackage.filename)}: ${emulatorPackage.size} bytes packed, ${emulatorPackage.unpackedSize} unpacked, ${emulatorPackage.entryCount} files`,
    );
  });

  for (const pulumiVersion of PULUMI_VERSIONS) {
    describe(`with @pulumi/pulumi ${pulumiVersion}`, () => {
      let project: string;
      let emulator: { child: ChildProcess; info: any } | undefined;
      let installOutput: string;

      before(() => {
        project = path.join(work, `project-${pulumiVersion}`);
        fs.mkdirSync(project);
        for (const file of ["Pulumi.yaml", "tsconfig.json", "index.ts", "emulator.ts"]) fs.copyFileSync(path.join(PROGRAM, file), path.join(project, file));
        // What `pulumi new typescript` sets up, plus the two packages from their tarballs.
        const manifest = {
          name: "entra-sync-consumer",
          version: "1.0.0",
          private: true,
          dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-entra-sync": `file:${provider.filename}` },
          devDependencies: {
            "pulumi-entra-sync-emulator": `file:${emulatorPackage.filename}`,
            "@types/node": "^20.19.0",
            "ts-node": "10.9.2",
            typescript: "5.9.3",
          },
        };
        fs.writeFileSync(path.join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        installOutput = ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: project });
      });
      after(async () => {
        if (emulator) await stopEmulator(emulator.child);
      });

      it("installs without an install script of ours or an engine warning, with one @pulumi/pulumi and no emulator or test dependencies", () => {
        assert.doesNotMatch(installOutput, /EBADENGINE/);
        assert.doesNotMatch(installOutput, /install-scripts.*pulumi-entra-sync/);
        const copies = ok("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], { cwd: project })
          .trim()
          .split("\n")
          .filter((p) => p.endsWith(path.join("node_modules", "@pulumi", "pulumi")));
        assert.deepEqual(copies, [path.join(project, "node_modules", "@pulumi", "pulumi")]);
        const installed = JSON.parse(fs.readFileSync(path.join(copies[0], "package.json"), "utf8"));
        assert.equal(installed.version, pulumiVersion);
        // What a production install (npm install --omit=dev) of the project holds.
        const production = ok("npm", ["ls", "--all", "--parseable", "--omit=dev"], { cwd: project }).trim().split("\n");
        const names = new Set(production.map((p) => path.relative(path.join(project, "node_modules"), p).split(`node_modules${path.sep}`).pop()));
        assert.ok(names.has("pulumi-entra-sync"));
        assert.deepEqual(
          NOT_FOR_USERS.filter((n) => names.has(n)),
          [],
        );
      });

      it("type-checks a program using every export, and a helper using the emulator's API, with tsc --strict, without skipLibCheck (moduleResolution node and node16)", () => {
        const exported: string[] = JSON.parse(ok("node", ["-e", 'console.log(JSON.stringify(Object.keys(require("pulumi-entra-sync"))))'], { cwd: project }));
        const program = fs.readFileSync(path.join(project, "index.ts"), "utf8");
        assert.deepEqual(
          exported.filter((name) => !new RegExp(`\\b${name}\\b`).test(program)),
          [],
          "every export is used by the program",
        );
        const tsconfig = JSON.parse(fs.readFileSync(path.join(project, "tsconfig.json"), "utf8"));
        assert.equal(tsconfig.compilerOptions.strict, true);
        assert.equal(tsconfig.compilerOptions.skipLibCheck, undefined);
        const tsc = path.join(project, "node_modules", ".bin", "tsc");
        ok(tsc, ["-p", ".", "--noEmit"], { cwd: project });
        ok(tsc, ["-p", ".", "--noEmit", "--module", "node16", "--moduleResolution", "node16"], { cwd: project });
      });

      it("previews, deploys, refreshes and destroys against the emulator started with npx pulumi-entra-sync emulator", async () => {
        emulator = await startEmulator(project);
        const info = emulator.info;
        const target = { graphEndpoint: info.graphEndpoint, caCertPath: info.env.NODE_EXTRA_CA_CERTS };
        const accessToken = await tokenForPrinted(info);
        const users = await request(target, "GET", "/v1.0/users?$top=1", { token: accessToken });
        const pilotUserId: string = users.body.value[0].id;

        const pulumiRoot = process.env.ENTRA_SYNC_PULUMI_ROOT;
        assert.ok(pulumiRoot, "ENTRA_SYNC_PULUMI_ROOT is set (run the tests with `npm test`)");
        const backend = path.join(project, ".pulumi-state");
        fs.mkdirSync(backend);
        const env = {
          ...process.env,
          ...info.env,
          PATH: `${path.join(pulumiRoot, "bin")}${path.delimiter}${process.env.PATH}`,
          PULUMI_HOME: path.join(project, ".pulumi-home"),
          PULUMI_BACKEND_URL: `file://${backend}`,
          PULUMI_CONFIG_PASSPHRASE: "consumer-test",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
        const pulumi = (...args: string[]) => okAsync(path.join(pulumiRoot, "bin", "pulumi"), [...args, "--non-interactive"], { cwd: project, env, timeoutMs: 240_000 });

        await pulumi("stack", "init", "dev");
        await pulumi("config", "set", "servicePrincipalId", info.scimServicePrincipalId);
        await pulumi("config", "set", "galleryServicePrincipalId", info.galleryServicePrincipalId);
        await pulumi("config", "set", "scimBaseAddress", info.scimBaseAddress);
        await pulumi("config", "set", "--secret", "scimToken", info.scimToken);
        await pulumi("config", "set", "pilotUserId", pilotUserId);

        const preview = JSON.parse(await pulumi("preview", "--json"));
        // The stack and seven dynamic resources: secrets and their revision, the job's claim, the
        // job and its activation, the schema, the on-demand provisioning.
        assert.deepEqual(preview.changeSummary, { create: 8 });
        await pulumi("up", "--yes", "--skip-preview");
        const outputs = JSON.parse(await pulumi("stack", "output", "--json"));
        assert.match(outputs.jobId, /^scim\./);
        assert.equal(outputs.activationJobId, outputs.jobId);
        assert.deepEqual(outputs.galleryTemplateIds, ["salesforce"]);
        assert.equal(outputs.jobStatus, "Active");
        assert.deepEqual(outputs.secretKeys, ["BaseAddress", "SecretToken", "SyncAll", "SyncNotificationSettings"]);
        assert.deepEqual(outputs.pilotResults, ["Success"]);
        assert.equal(outputs.libraryFacts.resetScope, "Watermark, Escrows, QuarantineState");

        // The contract with existing stacks: each resource's serialized provider asks the package's
        // state contract for its type's handler, resolved in the provider process from the
        // installed package; the module paths older stacks stored resolve from it too.
        const deployment = JSON.parse(await pulumi("stack", "export")).deployment;
        const handlers = new Set<string>();
        for (const r of deployment.resources.filter((x: { type: string }) => x.type.startsWith("pulumi-nodejs:dynamic/entra-sync:"))) {
          const type = r.type.split(":").pop();
          assert.ok(r.outputs.__provider.includes(`require("pulumi-entra-sync/provider/state/contract").handlerOf("${type}")`), r.outputs.__provider);
          handlers.add(type);
        }
        assert.deepEqual([...handlers].sort(), [
          "ProvisionOnDemand",
          "SynchronizationJob",
          "SynchronizationJobActivation",
          "SynchronizationJobClaim",
          "SynchronizationSchema",
          "SynchronizationSecrets",
          "SynchronizationSecretsRevision",
        ]);
        const legacy = ["job", "job-activation", "job-claim", "provision-on-demand", "schema", "secrets", "secrets-revision"];
        const resolved = ok(
          "node",
          [
            "-e",
            `for (const m of ${JSON.stringify(legacy)}) if (typeof require("pulumi-entra-sync/provider/resources/" + m).handler.read !== "function") process.exit(1); console.log("ok")`,
          ],
          { cwd: project },
        );
        assert.equal(resolved.trim(), "ok", "the module paths stored by stacks written before the state contract");

        await pulumi("refresh", "--yes", "--skip-preview");
        await pulumi("preview", "--expect-no-changes");
        await pulumi("destroy", "--yes", "--skip-preview");
        const after = JSON.parse(await pulumi("stack", "export")).deployment;
        assert.deepEqual(after.resources ?? [], []);
        const jobs = await request(target, "GET", `/v1.0/servicePrincipals/${info.scimServicePrincipalId}/synchronization/jobs`, { token: accessToken });
        assert.deepEqual(jobs.body.value, []);
      });
    });
  }
});
