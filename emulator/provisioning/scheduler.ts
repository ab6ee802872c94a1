/**
 * One timer per running job: when it fires, the engine runs a provisioning cycle for that job.
 * Timers are unref'd (they never keep a process alive) and all cleared on stop.
 */
export class CycleScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onDue: (servicePrincipalId: string, jobId: string) => void) {}

  arm(servicePrincipalId: string, jobId: string, delayMs: number): void {
    this.disarm(servicePrincipalId, jobId);
    const key = keyOf(servicePrincipalId, jobId);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.onDue(servicePrincipalId, jobId);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  isArmed(servicePrincipalId: string, jobId: string): boolean {
    return this.timers.has(keyOf(servicePrincipalId, jobId));
  }

  disarm(servicePrincipalId: string, jobId: string): void {
    const key = keyOf(servicePrincipalId, jobId);
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  disarmAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

function keyOf(servicePrincipalId: string, jobId: string): string {
  return `${servicePrincipalId}\u0000${jobId}`;
}
