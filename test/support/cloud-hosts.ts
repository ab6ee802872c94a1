/**
 * Test support: Microsoft's cloud host names, resolved to an emulator in this process only, like
 * /etc/hosts entries with a port. Every TLS connection to a sign-in or Graph host of a known cloud
 * goes to the emulator (which answers as that cloud: emulator/identity/clouds.ts), keeping the host name for
 * SNI and the Host header; a connection to any other host that is not loopback fails, so a test
 * using this can never reach the network. Both @azure/identity (node:https) and the Graph client
 * (fetch) open their connections through tls.connect.
 */
import type * as TLS from "tls";
import { CLOUD_HOST_NAMES } from "../../emulator/identity/clouds";

// The module object itself (an `import *` namespace is a read-only copy): patching it is what
// every caller of tls.connect sees.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tls: typeof TLS = require("tls");

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** Start redirecting; returns the function that stops it. */
export function redirectCloudHosts(emulatorOrigin: string): () => void {
  const port = Number(new URL(emulatorOrigin).port);
  const original = tls.connect;
  const patched = function (this: unknown, ...args: unknown[]) {
    const options = args[0];
    if (options && typeof options === "object" && typeof (options as TLS.ConnectionOptions).host === "string") {
      const o = options as TLS.ConnectionOptions;
      const host = o.host!.toLowerCase();
      if (CLOUD_HOST_NAMES.includes(host)) {
        args[0] = { ...o, host: "127.0.0.1", port, servername: o.servername || host };
      } else if (!LOOPBACK.has(host)) {
        throw new Error(`test network guard: a connection to ${host} was attempted`);
      }
    }
    return (original as (...a: unknown[]) => TLS.TLSSocket).apply(this, args);
  };
  (tls as { connect: unknown }).connect = patched;
  return () => {
    (tls as { connect: unknown }).connect = original;
  };
}
