/**
 * Progress lines from the provider process to the `pulumi up` output.
 *
 * The dynamic-provider host (@pulumi/pulumi cmd/dynamic-provider) does not connect the Node runtime
 * to the engine, so `pulumi.log.info` there only falls back to printing "info: [runtime] ..." on
 * stdout. The engine relays a plugin's output lines as diagnostics of the update either way, so the
 * lines go through the provider's one log sink (../graph/log.ts: stderr, "entra-sync:" prefix,
 * capturable in tests) like the retry messages, and show while `pulumi up` runs and under
 * "Diagnostics". Logging never fails the operation; the sink redacts credentials from every line.
 */

import { logLine } from "../graph/log";

export type ProgressReporter = (message: string) => void;

export const reportProgress: ProgressReporter = (message) => {
  try {
    logLine(message);
  } catch {
    // A closed stderr must not fail a provisioning operation.
  }
};
