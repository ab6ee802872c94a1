#!/usr/bin/env node
"use strict";
/**
 * `npm test`: build, type-check the tests, make sure the emulator's CA and the Pulumi CLI exist,
 * then run mocha (unit, emulator, provider, contract and e2e suites) with the CA trusted.
 * Extra arguments go to mocha. Test files given as arguments replace the configured list (mocha
 * would otherwise run them on top of every suite in .mocharc.json), e.g.
 * `npm test -- test/unit/validation.test.ts`.
 */
const { execFileSync, spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

require("./build").build();
run(bin("tsc"), ["-p", "tsconfig.test.json"]);
const { ensureCa } = require(path.join(root, "dist", "emulator"));
const { caCertPath } = ensureCa();
const cli = require("./pulumi-cli").ensurePulumiCli();

const args = process.argv.slice(2);
const namesFiles = args.some((a) => !a.startsWith("-") && /\.ts$|\*/.test(a));
const config = JSON.parse(require("fs").readFileSync(path.join(root, ".mocharc.json"), "utf8"));
const mochaArgs = namesFiles ? ["--no-config", "--require", ...config.require, "--timeout", String(config.timeout), "--slow", String(config.slow), ...args] : args;

const result = spawnSync(bin("mocha"), mochaArgs, {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    // Node reads extra CAs only at start: the test process must trust the emulator's CA from the outset.
    NODE_EXTRA_CA_CERTS: caCertPath,
    ENTRA_SYNC_PULUMI_ROOT: cli.root,
    ENTRA_SYNC_PULUMI_BIN: cli.binDir,
  },
});
process.exit(result.status === null ? 1 : result.status);
