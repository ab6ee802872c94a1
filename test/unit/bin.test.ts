/**
 * The package's command (bin/pulumi-entra-sync.ts): help, unknown commands, `export` handing its
 * arguments to runExportCommand and returning its exit code. That `emulator` starts the emulator
 * through the built bin is an emulator test (test/emulator/cli.test.ts).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../bin/pulumi-entra-sync";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "dist", "bin", "pulumi-entra-sync.js");

describe("pulumi-entra-sync command", function () {
  this.timeout(30_000);

  it("lists its commands for --help (exit 0), and answers no or an unknown command with exit 2", () => {
    const help = spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: pulumi-entra-sync <command>/);
    assert.match(help.stdout, /\n {2}emulator {3}/);
    assert.match(help.stdout, /\n {2}export {5}/);
    assert.match(help.stdout, /\n {2}impact {5}predict what schema customizations would do/);
    assert.equal(spawnSync(process.execPath, [BIN], { encoding: "utf8" }).status, 2);
    const unknown = spawnSync(process.execPath, [BIN, "emulate"], { encoding: "utf8" });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'emulate'/);
    const version = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });

  it("hands `export`'s arguments to runExportCommand and exits with what it returns", async () => {
    // A stand-in for provider/export/command's exports: its implementation is not this test's subject.
    const modulePath = require.resolve("../../provider/export/command");
    require(modulePath);
    const cached = require.cache[modulePath]!;
    const realExports = cached.exports;
    const calls: string[][] = [];
    cached.exports = { runExportCommand: async (args: string[]) => (calls.push(args), 7) };
    try {
      assert.equal(await runCli(["export", "--tenant", "t", "--out", "dir"]), 7);
      assert.deepEqual(calls, [["--tenant", "t", "--out", "dir"]]);
    } finally {
      cached.exports = realExports;
    }
  });

  it("`impact --help` describes its options; missing ones are a usage error (exit 2) naming them", () => {
    const help = spawnSync(process.execPath, [BIN, "impact", "--help"], { encoding: "utf8" });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: pulumi-entra-sync impact --service-principal <id> --job <id> --customizations <file.json>/);
    const bare = spawnSync(process.execPath, [BIN, "impact", "--job", "scim.x"], { encoding: "utf8" });
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /pulumi-entra-sync impact: --service-principal <id> is required/);
    const size = spawnSync(process.execPath, [BIN, "impact", "--sample-size", "lots"], { encoding: "utf8" });
    assert.equal(size.status, 2);
    assert.match(size.stderr, /--sample-size must be a whole number/);
  });

  it("an option without its value is a usage error (exit 2) naming the option, for export and impact alike", () => {
    for (const [command, option] of [
      ["export", "--out"],
      ["impact", "--job"],
    ]) {
      const missing = spawnSync(process.execPath, [BIN, command, option, "--all"], { encoding: "utf8" });
      assert.equal(missing.status, 2, missing.stderr);
      assert.match(missing.stderr, new RegExp(`pulumi-entra-sync ${command}: ${option} needs a value`));
      const last = spawnSync(process.execPath, [BIN, command, option], { encoding: "utf8" });
      assert.equal(last.status, 2, last.stderr);
      assert.match(last.stderr, new RegExp(`${option} needs a value`));
    }
  });

  it("describes the emulator's options for `emulator --help`", () => {
    const help = spawnSync(process.execPath, [BIN, "emulator", "--help"], { encoding: "utf8" });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: pulumi-entra-sync emulator /);
    assert.match(help.stdout, /--env-file FILE/);
  });
});
