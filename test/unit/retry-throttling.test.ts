import * as assert from "assert";
import { throttlingStrategy } from "../../provider/graph/retry/throttling";
import { attempt, GET, network, POST_JOB, response } from "./retry-fakes";

describe("retry: throttling strategy", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  const strategy = throttlingStrategy({ baseDelayMs: 1000, maxDelayMs: 30_000, random: () => 0.5, now: () => now });

  it("waits what 429's Retry-After asks, in seconds, as a date, or in retry-after-ms", () => {
    assert.deepStrictEqual(pick(strategy.decide(attempt(response(429, { "Retry-After": "5" })))), { retry: true, delayMs: 5000 });
    const dated = strategy.decide(attempt(response(429, { "Retry-After": "Thu, 01 Jan 2026 00:00:03 GMT" })));
    assert.deepStrictEqual(pick(dated), { retry: true, delayMs: 3000 });
    assert.deepStrictEqual(pick(strategy.decide(attempt(response(429, { "retry-after-ms": "40", "Retry-After": "1" })))), {
      retry: true,
      delayMs: 40,
    });
  });

  it("backs off exponentially with jitter when 429 has no Retry-After", () => {
    // random() = 0.5: half of min(cap, base * 2^(n-1))
    assert.strictEqual(strategy.decide(attempt(response(429), GET, 1))!.delayMs, 500);
    assert.strictEqual(strategy.decide(attempt(response(429), GET, 3))!.delayMs, 2000);
    assert.strictEqual(strategy.decide(attempt(response(429), GET, 10))!.delayMs, 15_000, "capped at maxDelayMs");
  });

  it("retries a throttled POST: Graph refused it, so it did not take effect", () => {
    const d = strategy.decide(attempt(response(429, { "Retry-After": "1" }), POST_JOB));
    assert.strictEqual(d?.retry, true);
    assert.notStrictEqual(d?.ambiguous, true);
  });

  it("retries 503 with Retry-After for idempotent requests only; a POST is ambiguous", () => {
    assert.deepStrictEqual(pick(strategy.decide(attempt(response(503, { "Retry-After": "2" }), GET))), { retry: true, delayMs: 2000 });
    const post = strategy.decide(attempt(response(503, { "Retry-After": "2" }), POST_JOB));
    assert.strictEqual(post?.retry, false);
    assert.strictEqual(post?.ambiguous, true);
  });

  it("has no opinion on anything else (503 without Retry-After is transient's business)", () => {
    for (const outcome of [response(503), response(500), response(404), response(403), network("ECONNRESET", true)]) {
      assert.strictEqual(strategy.decide(attempt(outcome)), undefined);
    }
  });
});

function pick(d: { retry: boolean; delayMs: number } | undefined) {
  return d && { retry: d.retry, delayMs: d.delayMs };
}
