"use strict";
/**
 * Makes this package resolvable by its own name from any program directory in the repository
 * (node_modules/pulumi-entra-sync -> ..). The serialized provider shim loads its handlers with
 * `require("pulumi-entra-sync/provider/...")` in the Pulumi provider process, which resolves from
 * the program directory, exactly as it does for a user who installed the package from npm.
 */
const fs = require("fs");
const path = require("path");

const link = path.join(__dirname, "..", "node_modules", "pulumi-entra-sync");
let current;
try {
  current = fs.readlinkSync(link);
} catch {
  current = undefined;
}
if (current !== "..") {
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync("..", link, "dir");
}
