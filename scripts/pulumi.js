#!/usr/bin/env node
"use strict";
/**
 * `npm run -s pulumi -- <args>`: the project's Pulumi CLI (built on first use, see pulumi-cli.js)
 * with the offline environment. Works with `--cwd DIR` on any program directory.
 */
const { spawnSync } = require("child_process");
const path = require("path");
const { ensurePulumiCli } = require("./pulumi-cli");

const { binDir, env } = ensurePulumiCli();
const result = spawnSync(path.join(binDir, "pulumi"), process.argv.slice(2), { stdio: "inherit", env });
if (result.error) throw result.error;
process.exit(result.status === null ? 1 : result.status);
