/**
 * Files in the emulator home and the state file: written atomically (a reader never sees half a
 * file), created under a lock directory (several processes may start emulators on one home at
 * once). Lock ages and deadlines are on the system clock, which other processes share: they are
 * about the file system, not about emulated time.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";

const LOCK_STALE_MS = 60_000;

export function writeAtomic(file: string, content: string, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}

/** Cross-process mutual exclusion with a lock directory (mkdir is atomic). */
export function withLock(lockDir: string, body: () => void): void {
  const deadline = Date.now() + LOCK_STALE_MS * 2;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      try {
        const age = Date.now() - fs.statSync(lockDir).mtimeMs;
        if (age > LOCK_STALE_MS) fs.rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // The holder removed it between our mkdir and stat: try again.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
      sleepSync(50);
    }
  }
  try {
    body();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
