#!/usr/bin/env node
"use strict";
/**
 * `npm run build`: compile the provider, the bin and the emulator into dist/ from scratch. dist/ is
 * removed first because tsc never deletes the output of a source that moved or went away, and a
 * stale dist/emulator/seed.js would shadow the new dist/emulator/seed/index.js for `require("./seed")`
 * (and be packed). Used by every script that builds (test, bench, demo, api-report, prepack).
 */
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");

function build() {
  fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
  execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
}

module.exports = { build };

if (require.main === module) build();
