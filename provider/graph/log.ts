/**
 * Progress lines from the provider process (retries, adoptions). The Pulumi engine relays a
 * provider plugin's stderr lines to the CLI as diagnostics of the stack (they show while a
 * `pulumi up` runs and again under "Diagnostics"), so a plain line on stderr reaches the user
 * without any RPC. Stdout is avoided: the dynamic-provider host announces its port there.
 * Callers pass paths, statuses and Graph codes, never bodies or headers; every line is redacted
 * (../redaction.ts) all the same, since some quote Graph's messages, which quote target URLs.
 */

import { redactText } from "../redaction";

type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // A closed stderr must not fail the Graph call being logged.
  }
};

let sink: LogSink = stderrSink;

export function logLine(line: string): void {
  sink(`entra-sync: ${redactText(line)}`);
}

/** For tests: capture (or silence) the lines. Returns a function that restores the previous sink. */
export function setLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}
