import * as assert from "assert";
import { type RetryEvent, runWithRetries } from "../../provider/graph/retry/compose";
import type { AttemptOutcome, RetryStrategy } from "../../provider/graph/retry/strategy";
import { throttlingStrategy } from "../../provider/graph/retry/throttling";
import { transientStrategy } from "../../provider/graph/retry/transient";
import { fakeClock, GET, network, POST_JOB, response } from "./retry-fakes";

/** A transport that answers from a script, one outcome per try. */
function scripted(...outcomes: AttemptOutcome[]) {
  let tries = 0;
  const tryOnce = async () => outcomes[Math.min(tries++, outcomes.length - 1)];
  return { tryOnce, tries: () => tries };
}

describe("retry: composer", () => {
  const backoff = { baseDelayMs: 1000, maxDelayMs: 30_000, random: () => 0.5 };

  function run(outcomes: AttemptOutcome[], limits = { deadlineMs: 120_000, maxRetries: 5 }, request = GET) {
    const clock = fakeClock();
    const transport = scripted(...outcomes);
    const events: RetryEvent[] = [];
    const strategies = [throttlingStrategy({ ...backoff, now: () => clock.now() }), transientStrategy(backoff)];
    const result = runWithRetries(transport.tryOnce, { request, strategies, limits, clock, onRetry: (e) => events.push(e) });
    return { result, clock, tries: transport.tries, events };
  }

  it("returns the first success, after waiting as each failure's strategy said", async () => {
    const r = run([response(429, { "Retry-After": "3" }), response(503), response(200)]);
    const result = await r.result;
    assert.strictEqual(result.outcome.kind === "response" && result.outcome.status, 200);
    assert.strictEqual(result.attempts, 3);
    assert.strictEqual(result.stop, undefined);
    assert.deepStrictEqual(r.clock.sleeps, [3000, 1000]);
    assert.deepStrictEqual(
      r.events.map((e) => e.strategy),
      ["throttling", "transient"],
    );
  });

  it("asks the strategies in order: the first with an opinion decides", async () => {
    const calls: string[] = [];
    const spy = (name: string, opinion: boolean): RetryStrategy => ({
      name,
      decide: () => {
        calls.push(name);
        return opinion ? { retry: false, delayMs: 0, reason: name } : undefined;
      },
    });
    const clock = fakeClock();
    const result = await runWithRetries(async () => response(500), {
      request: GET,
      strategies: [spy("a", false), spy("b", true), spy("c", true)],
      limits: { deadlineMs: 1000, maxRetries: 3 },
      clock,
    });
    assert.deepStrictEqual(calls, ["a", "b"]);
    assert.deepStrictEqual(result.stop, { kind: "declined", strategy: "b", reason: "b" });
  });

  it("stops after maxRetries retries", async () => {
    const r = run([response(503)], { deadlineMs: 600_000, maxRetries: 2 });
    const result = await r.result;
    assert.strictEqual(r.tries(), 3);
    assert.strictEqual(result.attempts, 3);
    assert.strictEqual(result.stop?.kind, "max-retries");
  });

  it("does no retries at all with maxRetries 0", async () => {
    const r = run([response(429, { "Retry-After": "1" })], { deadlineMs: 600_000, maxRetries: 0 });
    assert.strictEqual((await r.result).attempts, 1);
    assert.deepStrictEqual(r.clock.sleeps, []);
  });

  it("gives up at once when the wait asked for would pass the deadline, instead of sleeping into it", async () => {
    const r = run([response(429, { "Retry-After": "10" }), response(429, { "Retry-After": "60" })], { deadlineMs: 30_000, maxRetries: 5 });
    const result = await r.result;
    assert.strictEqual(r.tries(), 2);
    assert.deepStrictEqual(r.clock.sleeps, [10_000], "slept for the first Retry-After only");
    assert.strictEqual(result.stop?.kind, "deadline");
    assert.strictEqual(result.stop?.kind === "deadline" && result.stop.delayMs, 60_000);
  });

  it("reports a failure no strategy claims as not retryable, after one try", async () => {
    const r = run([response(403)]);
    const result = await r.result;
    assert.strictEqual(r.tries(), 1);
    assert.deepStrictEqual(result.stop, { kind: "not-retryable" });
    assert.strictEqual(result.ambiguous, false);
  });

  it("does not resend a POST whose failure may have taken effect, and says it is ambiguous", async () => {
    const r = run([network("ECONNRESET", true), response(201)], undefined, POST_JOB);
    const result = await r.result;
    assert.strictEqual(r.tries(), 1);
    assert.strictEqual(result.ambiguous, true);
    assert.strictEqual(result.stop?.kind, "declined");
  });

  it("stops when the abort signal fires", async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    let tries = 0;
    const result = runWithRetries(
      async () => {
        if (++tries === 2) controller.abort(new Error("cancelled"));
        return response(503);
      },
      { request: GET, strategies: [transientStrategy(backoff)], limits: { deadlineMs: 600_000, maxRetries: 10 }, clock, signal: controller.signal },
    );
    await assert.rejects(result, /cancelled/);
    assert.strictEqual(tries, 2);
  });
});
