/**
 * Test support: `pulumi up` killed as a CI runner's timeout kills it (SIGKILL, the CLI and every
 * plugin it started), at a moment the test picks by watching the emulator.
 */

import { execFileSync, spawn } from "child_process";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";

/** Start `pulumi up` for `stack` on the program in `programDir`, wait for `moment`, then SIGKILL it all. */
export async function killUpWhen(stack: Stack, programDir: string, moment: () => Promise<boolean>): Promise<void> {
  const env = { ...process.env, ...stack.workspace.envVars };
  const cli = spawn(
    path.join(process.env.ENTRA_SYNC_PULUMI_ROOT!, "bin", "pulumi"),
    ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.name, "--cwd", programDir],
    { env, stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => cli.on("exit", () => resolve()));
  try {
    await waitFor(moment);
  } finally {
    // The CLI and every process it started (its plugins run in process groups of their own), all at once.
    for (const pid of [cli.pid!, ...descendants(cli.pid!)]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    await exited;
  }
}

/** Every process below `pid`, from `ps` (Linux and macOS). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" }).split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child && parent) children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      visit(c);
    }
  };
  visit(pid);
  return found;
}

/**
 * Poll `condition` (it reads the emulator) with a growing interval until it holds: for what a
 * process outside the test (the Pulumi CLI) has done; the deadline is only a backstop.
 */
export async function waitFor(condition: () => Promise<boolean>, what = "the moment to kill `pulumi up`", timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let interval = 100; ; interval = Math.min(interval * 2, 1000)) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
