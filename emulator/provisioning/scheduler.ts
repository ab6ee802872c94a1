/**
 * One timer per running job: when it fires, the engine runs a provisioning cycle for that job.
 * Timers are on the emulator's clock (never keeping a process alive) and all cleared on stop.
 */
import type { Clock, ClockTimer } from "../core/clock";

export class CycleScheduler {
  private readonly timers = new Map<string, ClockTimer>();

  constructor(
    private readonly clock: Clock,
    /** Runs the job's cycle; what it returns (the cycle) is what a ManualClock waits for. */
    private readonly onDue: (servicePrincipalId: string, jobId: string) => Promise<unknown>,
  ) {}

  arm(servicePrincipalId: string, jobId: string, delayMs: number): void {
    this.disarm(servicePrincipalId, jobId);
    const key = keyOf(servicePrincipalId, jobId);
    const timer = this.clock.setTimer(() => {
      this.timers.delete(key);
      return this.onDue(servicePrincipalId, jobId);
    }, delayMs);
    this.timers.set(key, timer);
  }

  isArmed(servicePrincipalId: string, jobId: string): boolean {
    return this.timers.has(keyOf(servicePrincipalId, jobId));
  }

  disarm(servicePrincipalId: string, jobId: string): void {
    const key = keyOf(servicePrincipalId, jobId);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  disarmAll(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}

function keyOf(servicePrincipalId: string, jobId: string): string {
  return `${servicePrincipalId}\u0000${jobId}`;
}
