"use strict";
/**
 * Preloaded (NODE_OPTIONS=--require) by test/e2e/secret-hygiene.test.ts into the processes the
 * Pulumi CLI starts: in the dynamic-provider process it copies everything written to stderr into
 * $ENTRA_SYNC_STDERR_DIR/provider-<pid>.log, so the test reads the provider's own stderr rather
 * than only what the engine chose to relay. JavaScript because it loads before any TypeScript hook.
 */
const fs = require("fs");
const path = require("path");

const dir = process.env.ENTRA_SYNC_STDERR_DIR;
if (dir && process.argv.some((a) => a.includes("dynamic-provider"))) {
  const file = path.join(dir, `provider-${process.pid}.log`);
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk, ...rest) => {
    fs.appendFileSync(file, typeof chunk === "string" ? chunk : Buffer.from(chunk));
    return write(chunk, ...rest);
  };
}
