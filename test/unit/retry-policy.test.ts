import * as assert from "assert";
import { retryPolicy, runWithPolicy } from "../../provider/graph/retry/policy";
import type { AttemptOutcome } from "../../provider/graph/retry/strategy";
import { fakeClock, GET, response } from "./retry-fakes";

describe("retry: policy (transport layer inside the consistency window)", () => {
  const window = { description: "job J to become visible", statuses: [404] };

  function setup(outcomes: AttemptOutcome[], bounds = { retryDeadlineMs: 60_000, maxRetries: 2, consistencyTimeoutMs: 20_000 }) {
    const clock = fakeClock();
    const policy = retryPolicy(bounds, { clock, random: () => 0.5 });
    let tries = 0;
    const tryOnce = async () => outcomes[Math.min(tries++, outcomes.length - 1)];
    return { clock, policy, tryOnce, tries: () => tries };
  }

  it("does not retry a 404 outside a consistency window", async () => {
    const s = setup([response(404), response(200)]);
    const report = await runWithPolicy(s.tryOnce, GET, s.policy, undefined);
    assert.strictEqual(s.tries(), 1);
    assert.strictEqual(report.outcome.kind === "response" && report.outcome.status, 404);
  });

  it("waits out 404s inside a window, with transport retries in between, counting every try", async () => {
    const s = setup([response(404), response(503), response(404), response(200)]);
    const report = await runWithPolicy(s.tryOnce, GET, s.policy, window);
    assert.strictEqual(report.outcome.kind === "response" && report.outcome.status, 200);
    assert.strictEqual(report.attempts, 4);
    assert.strictEqual(s.tries(), 4);
  });

  it("ends the window at consistencyTimeout, not at maxRetries", async () => {
    const s = setup([response(404)]);
    const report = await runWithPolicy(s.tryOnce, GET, s.policy, window);
    assert.ok(s.tries() > 3, `polled ${s.tries()} times, more than maxRetries + 1`);
    assert.strictEqual(report.stop?.kind, "deadline");
    assert.strictEqual(report.layer, "consistency");
    assert.ok(s.clock.sleeps.reduce((a, b) => a + b, 0) <= 20_000, "never waited past the window");
  });

  it("counts retryDeadlineMs over the whole call: transport waits add up across the rounds of a window", async () => {
    const throttled = response(429, { "Retry-After": "20" });
    const bounds = { retryDeadlineMs: 45_000, maxRetries: 100, consistencyTimeoutMs: 600_000 };
    const s = setup([throttled, response(404), throttled, response(404), throttled, response(404), response(200)], bounds);
    const events: string[] = [];
    const report = await runWithPolicy(s.tryOnce, GET, s.policy, window, { onRetry: (_e, layer) => events.push(layer) });
    assert.strictEqual(report.stop?.kind, "deadline");
    assert.strictEqual(report.layer, "transport");
    const throttledWaits = s.clock.sleeps.filter((ms) => ms === 20_000);
    assert.deepStrictEqual(throttledWaits, [20_000, 20_000], "a third 20 s wait would pass the 45 s retry deadline");
    assert.strictEqual(events.filter((layer) => layer === "transport").length, 2, "two transport retries in all");
  });

  it("ends retrying at the caller's own deadline (retryUntil) when that comes before the call's", async () => {
    const s = setup([response(429, { "Retry-After": "5" })], { retryDeadlineMs: 120_000, maxRetries: 10, consistencyTimeoutMs: 20_000 });
    const report = await runWithPolicy(s.tryOnce, GET, s.policy, undefined, { retryUntil: s.clock.now() + 12_000 });
    assert.deepStrictEqual(s.clock.sleeps, [5000, 5000], "a third 5 s wait would end past the caller's deadline");
    assert.strictEqual(report.stop?.kind, "deadline");
  });

  it("reports the transport layer's verdict when the window has no say", async () => {
    const s = setup([response(404), response(503)]);
    const report = await runWithPolicy(s.tryOnce, GET, s.policy, window);
    assert.strictEqual(report.stop?.kind, "max-retries");
    assert.strictEqual(report.layer, "transport");
    assert.strictEqual(report.attempts, 4, "one 404, then one 503 and its two retries");
  });
});
