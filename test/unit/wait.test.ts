import * as assert from "assert";
import { waitUntil, WaitTimeoutError } from "../../provider/graph/wait";

/** A fake clock: sleeping advances time instantly. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe("consistency waits", () => {
  it("needs N consecutive confirmations: a flapping replica restarts the count", async () => {
    const clock = fakeClock();
    const answers = [true, false, true, true, true];
    let calls = 0;
    await waitUntil(async () => answers[calls++], { description: "x", timeoutMs: 60_000, confirmations: 3, ...clock });
    assert.strictEqual(calls, 5);
  });

  it("fails at the deadline, naming what it waited for", async () => {
    const clock = fakeClock();
    await assert.rejects(
      waitUntil(async () => false, { description: "job J to appear", timeoutMs: 10_000, ...clock }),
      (e: unknown) => e instanceof WaitTimeoutError && /job J to appear/.test(e.message),
    );
    assert.ok(clock.now() <= 10_000, "never sleeps past the deadline");
    assert.ok(Math.max(...clock.sleeps) <= 5000, "interval is capped");
  });

  it("refuses a wait without a usable deadline instead of polling for ever", async () => {
    for (const timeoutMs of [NaN, Infinity]) {
      const clock = fakeClock();
      let probes = 0;
      await assert.rejects(
        waitUntil(async () => (probes++, false), { description: "x", timeoutMs, ...clock }),
        /deadline/,
      );
      assert.ok(probes <= 1, `timeoutMs ${timeoutMs}: ${probes} probes`);
    }
  });
});
