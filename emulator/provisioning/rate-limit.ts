import { systemClock } from "../core/clock";

/**
 * A sliding-window request limit, for the operation-specific throttling Graph documents:
 * provisionOnDemand allows 5 requests per 10 seconds (provisionOnDemand page, "Throttling
 * limits"). Over the limit the caller gets the seconds until a slot frees up, for Retry-After.
 */
export class SlidingWindowLimit {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = systemClock.now,
  ) {}

  /** Record a call under `key`; returns 0 when allowed, else the whole seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const recent = (this.calls.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.calls.set(key, recent);
      return Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.calls.set(key, recent);
    return 0;
  }
}

export const PROVISION_ON_DEMAND_LIMIT = { requests: 5, windowMs: 10_000 } as const;
