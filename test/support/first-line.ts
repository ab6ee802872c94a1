/**
 * The first line a child process prints on stdout (the emulator's connection JSON), or a rejection
 * with its stderr if it exits first.
 */

import type { ChildProcess } from "child_process";

export function firstLineOf(child: ChildProcess, what: string): Promise<string> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (d: Buffer) => {
      buffer += d.toString();
      const nl = buffer.indexOf("\n");
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.once("exit", (code) => reject(new Error(`${what} exited (${code}) before its first line: ${stderr}`)));
  });
}
