#!/usr/bin/env node
"use strict";
/**
 * `npm run bench [-- --sizes 10,100 ...]`: build, make sure the emulator's CA and the Pulumi CLI
 * exist, then run bench/run.ts (TypeScript, through ts-node) with the CA trusted from the start
 * (Node reads NODE_EXTRA_CA_CERTS only at process start) and the CLI's location. Options: see
 * bench/run.ts or `npm run bench -- --help`. Not part of `npm test`: the full run takes minutes.
 */
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");

require("./build").build();
const { ensureCa } = require(path.join(root, "dist", "emulator"));
const { caCertPath } = ensureCa();
const cli = require("./pulumi-cli").ensurePulumiCli();

const result = spawnSync(process.execPath, ["-r", "ts-node/register", path.join(root, "bench", "run.ts"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    TS_NODE_TRANSPILE_ONLY: "true",
    NODE_EXTRA_CA_CERTS: caCertPath,
    ENTRA_SYNC_PULUMI_ROOT: cli.root,
    ENTRA_SYNC_PULUMI_BIN: cli.binDir,
  },
});
process.exit(result.status === null ? 1 : result.status);
