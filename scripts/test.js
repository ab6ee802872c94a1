#!/usr/bin/env node
"use strict";
/**
 * `npm test`: build, type-check the tests, make sure the emulator's CA and the Pulumi CLI exist,
 * then run mocha (unit, provider, contract and e2e suites) with the CA trusted.
 * Extra arguments go to mocha, e.g. `npm test -- test/unit/**\/*.test.ts`.
 */
const { execFileSync, spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

run(bin("tsc"), ["-p", "tsconfig.json"]);
run(bin("tsc"), ["-p", "tsconfig.test.json"]);
const { ensureCa } = require(path.join(root, "dist", "emulator"));
const { caCertPath } = ensureCa();
const cli = require("./pulumi-cli").ensurePulumiCli();

const result = spawnSync(bin("mocha"), process.argv.slice(2), {
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
