"use strict";
/**
 * Makes the real Pulumi CLI and the Node.js language host available offline, at the version of the
 * @pulumi/pulumi this project depends on, and gives the environment to run them with.
 *
 *   1. A `pulumi` on PATH that reports exactly that version, with `pulumi-language-nodejs` beside it
 *      or on PATH, is used as it is (no build).
 *   2. Otherwise the binaries are built once from their Go modules through the Go module proxy, with
 *      the wrapper modules in scripts/go/ (pinned go.mod + go.sum), into a cache outside the
 *      repository: $ENTRA_SYNC_PULUMI_CACHE, else $XDG_CACHE_HOME/pulumi-entra-sync, else
 *      ~/.cache/pulumi-entra-sync; layout <cache>/pulumi-v<version>/bin/.
 *   3. `pulumi-resource-pulumi-nodejs` (the launcher of dynamic providers) is copied from the
 *      @pulumi/pulumi package next to the CLI, so the engine never tries to download it.
 *
 * Why two Go modules: the CLI comes from github.com/pulumi/pulumi/pkg/v3 at the same tag as the npm
 * package. The Node.js language host's own module (github.com/pulumi/pulumi/sdk/nodejs/cmd/
 * pulumi-language-nodejs/v3) is refused by the module proxy for every version, so the host is built
 * from the last release that shipped it inside github.com/pulumi/pulumi/sdk/v3 (v3.68.0). It only
 * launches `node @pulumi/pulumi/cmd/run` and relays the engine's gRPC, which the current engine
 * still speaks (see README, "The Pulumi engine offline").
 */

const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const repoRoot = path.resolve(__dirname, "..");
const goModules = path.join(__dirname, "go");

function sdkVersion() {
  const pkg = require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] });
  return JSON.parse(fs.readFileSync(pkg, "utf8")).version;
}

function cacheRoot() {
  if (process.env.ENTRA_SYNC_PULUMI_CACHE) return process.env.ENTRA_SYNC_PULUMI_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-entra-sync");
}

function log(message) {
  process.stderr.write(`[pulumi-entra-sync] ${message}\n`);
}

function which(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** A CLI of the right version already installed (PATH), with its language host. */
function installedCli(version) {
  const cli = which("pulumi");
  if (!cli) return undefined;
  const reported = spawnSync(cli, ["version"], { encoding: "utf8" });
  if (reported.status !== 0 || reported.stdout.trim() !== `v${version}`) return undefined;
  const binDir = path.dirname(fs.realpathSync(cli));
  const host = fs.existsSync(path.join(binDir, "pulumi-language-nodejs")) ? binDir : which("pulumi-language-nodejs");
  if (!host) return undefined;
  return binDir;
}

/** The version the wrapper module pins, so that a dependency bump cannot silently mismatch. */
function pinnedCliVersion() {
  const gomod = fs.readFileSync(path.join(goModules, "pulumi-cli", "go.mod"), "utf8");
  const m = gomod.match(/github\.com\/pulumi\/pulumi\/pkg\/v3 v(\S+)/);
  return m && m[1];
}

function goBuild(moduleDir, mainPackage, output, ldflags) {
  const args = ["build", "-trimpath", "-tags", "osusergo,grpcnotrace"];
  if (ldflags) args.push("-ldflags", ldflags);
  args.push("-o", output, mainPackage);
  execFileSync("go", args, {
    cwd: moduleDir,
    stdio: ["ignore", "inherit", "inherit"],
    // The checksums are pinned in go.sum; the module proxy's checksum database is not needed.
    env: { ...process.env, GOFLAGS: "-mod=readonly", GONOSUMDB: "github.com/pulumi" },
  });
}

function buildInto(binDir, version) {
  if (!which("go")) {
    throw new Error(
      `Pulumi CLI v${version} is not installed and Go is not on PATH to build it. Install Go >= 1.25 ` +
        `or a Pulumi CLI v${version} (with pulumi-language-nodejs) on PATH.`,
    );
  }
  const pinned = pinnedCliVersion();
  if (pinned !== version) {
    throw new Error(
      `scripts/go/pulumi-cli/go.mod pins pulumi/pkg v${pinned} but @pulumi/pulumi is v${version}; ` + `keep them equal (update go.mod/go.sum or package.json).`,
    );
  }
  const staging = `${binDir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(`building Pulumi CLI v${version} from its Go module (first run only; a few minutes)...`);
  goBuild(
    path.join(goModules, "pulumi-cli"),
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    path.join(staging, "pulumi"),
    `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
  );
  log("building the Node.js language host...");
  goBuild(
    path.join(goModules, "pulumi-language-nodejs"),
    "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    path.join(staging, "pulumi-language-nodejs"),
  );
  fs.mkdirSync(path.dirname(binDir), { recursive: true });
  fs.rmSync(binDir, { recursive: true, force: true });
  fs.renameSync(staging, binDir);
  log(`built in ${Math.round((Date.now() - started) / 1000)}s into ${binDir}`);
}

/** Copy the dynamic-provider launcher shipped in @pulumi/pulumi next to the CLI. */
function installLauncher(binDir) {
  const source = require.resolve("@pulumi/pulumi/pulumi-resource-pulumi-nodejs", { paths: [repoRoot] });
  const target = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== fs.readFileSync(source, "utf8")) {
    fs.copyFileSync(source, target);
    fs.chmodSync(target, 0o755);
  }
}

/**
 * Ensure the CLI exists; returns { version, root, binDir, env }. `root` suits the Automation API's
 * PulumiCommand.get({ root }) (it expects root/bin/pulumi) when the CLI comes from the cache.
 */
function ensurePulumiCli() {
  const version = sdkVersion();
  let binDir = installedCli(version);
  if (!binDir) {
    const root = path.join(cacheRoot(), `pulumi-v${version}`);
    binDir = path.join(root, "bin");
    const complete = ["pulumi", "pulumi-language-nodejs"].every((f) => fs.existsSync(path.join(binDir, f)));
    if (!complete) buildInto(binDir, version);
    installLauncher(binDir);
  }
  return { version, root: path.dirname(binDir), binDir, env: pulumiEnv(binDir) };
}

/** The offline environment: local file backend, passphrase secrets, no update check, no downloads. */
function pulumiEnv(binDir, base = process.env) {
  const env = { ...base };
  env.PATH = `${binDir}${path.delimiter}${base.PATH || ""}`;
  env.PULUMI_SKIP_UPDATE_CHECK = "true";
  env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
  env.PULUMI_HOME = base.PULUMI_HOME || path.join(cacheRoot(), "pulumi-home");
  if (!base.PULUMI_BACKEND_URL && !base.PULUMI_ACCESS_TOKEN) {
    const stateDir = path.join(repoRoot, ".pulumi-state");
    fs.mkdirSync(stateDir, { recursive: true });
    env.PULUMI_BACKEND_URL = `file://${stateDir}`;
  }
  // Local stacks on the emulator use an empty passphrase unless one is given; set your own for
  // stacks that hold real credentials.
  if (base.PULUMI_CONFIG_PASSPHRASE === undefined && !base.PULUMI_CONFIG_PASSPHRASE_FILE) {
    env.PULUMI_CONFIG_PASSPHRASE = "";
  }
  return env;
}

module.exports = { ensurePulumiCli, pulumiEnv, sdkVersion, cacheRoot };
