import * as assert from "assert";
import { consistencyStrategy } from "../../provider/graph/retry/consistency";
import { attempt, GET, POST_JOB, response } from "./retry-fakes";

describe("retry: consistency strategy", () => {
  const window = { description: "job J to become visible", statuses: [404, 409] };
  const strategy = consistencyStrategy(window, { firstDelayMs: 250, maxDelayMs: 2000 });

  it("retries only the statuses the caller's window names", () => {
    assert.strictEqual(strategy.decide(attempt(response(404)))?.retry, true);
    assert.strictEqual(strategy.decide(attempt(response(409)))?.retry, true);
    assert.strictEqual(strategy.decide(attempt(response(403))), undefined, "403 is not in this window");
    assert.strictEqual(strategy.decide(attempt(response(500))), undefined);
  });

  it("treats these answers as refusals, safe to retry for any method", () => {
    assert.strictEqual(strategy.decide(attempt(response(404), POST_JOB))?.retry, true);
  });

  it("polls with a doubling interval, capped", () => {
    const delays = [1, 2, 3, 4, 5].map((n) => strategy.decide(attempt(response(404), GET, n))!.delayMs);
    assert.deepStrictEqual(delays, [250, 500, 1000, 2000, 2000]);
  });

  it("says what it waits for", () => {
    assert.match(strategy.decide(attempt(response(404)))!.reason, /404 while waiting for job J to become visible/);
  });
});
