/**
 * The emulator's one clock. Every time the emulator writes down (job status and cycle times,
 * quarantine attempts, request-log entries, token and ID token lifetimes, Entra and OData error
 * dates, SCIM `meta` times, provisioning step times, `Now()` in mapping expressions) and every wait
 * it makes (cycle timers, injected latency and answer delays, re-throttling, consistency windows,
 * provisionOnDemand's rate limit) goes through one `Clock`: the system's by default, or one a test
 * hands to `startEmulator({ clock })` and moves itself (ManualClock).
 *
 * Two kinds of time stay on the system clock on purpose, because something outside the emulator
 * judges them by its own: the files in the emulator home (certificate validity, which TLS peers
 * check; lock ages, which other processes check: core/files.ts, identity/ca.ts,
 * identity/client-certificate.ts), and the socket deadline of a call to a target application (a
 * real network wait: provisioning/target-http.ts).
 */

/** A timer set on a clock. */
export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Call `callback` once `ms` have passed. Never keeps the process alive. A ManualClock waits for
   * what the callback returns (a promise: a provisioning cycle) before it moves on.
   */
  setTimer(callback: () => unknown, ms: number): ClockTimer;
  /** Resolves once `ms` have passed. */
  sleep(ms: number): Promise<void>;
}

/** The clock's time as Graph writes it: ISO 8601, UTC, milliseconds. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/** Node's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(() => void callback(), ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface PendingTimer {
  dueAt: number;
  /** Order of setting, for timers due at the same time. */
  seq: number;
  callback: () => unknown;
}

/**
 * A clock that moves only when told to (`advance`), for tests that must not depend on how fast the
 * machine is: a cycle runs exactly when the test moves time past its timer, a latency holds a
 * request until the test lets it go, a consistency window closes at the millisecond the test says.
 * It starts at the time it was made (or `start`), so the tokens it dates are valid for clients that
 * check them against the system clock.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers = new Set<PendingTimer>();
  private seq = 0;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(start: number | Date = Date.now()) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => unknown, ms: number): ClockTimer {
    const timer: PendingTimer = { dueAt: this.current + Math.max(0, ms), seq: this.seq++, callback };
    this.timers.add(timer);
    this.wakeWaiters();
    return { cancel: () => void this.timers.delete(timer) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }

  /** How many timers wait (cycle timers, requests held by injected latency, ...). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Resolves as soon as at least `count` timers wait: e.g. once a request is being held by injected latency. */
  whenPending(count = 1): Promise<void> {
    if (this.timers.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /**
   * Move time forward by `ms`, running every timer that falls due on the way, soonest first, each at
   * its own time, and waiting for what each returns (a cycle) before the next: a timer a callback
   * sets within the span (the job's next cycle) runs too.
   */
  async advance(ms: number): Promise<void> {
    const until = this.current + Math.max(0, ms);
    for (let next = this.nextDue(until); next; next = this.nextDue(until)) {
      this.timers.delete(next);
      this.current = Math.max(this.current, next.dueAt);
      await next.callback();
    }
    this.current = until;
  }

  private nextDue(until: number): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.dueAt <= until && (!next || t.dueAt < next.dueAt || (t.dueAt === next.dueAt && t.seq < next.seq))) next = t;
    }
    return next;
  }

  private wakeWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.timers.size >= this.waiters[i].count) this.waiters.splice(i, 1)[0].resolve();
    }
  }
}
