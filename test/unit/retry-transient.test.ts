import * as assert from "assert";
import { backoffDelayMs } from "../../provider/graph/retry/backoff";
import { classifyThrown } from "../../provider/graph/retry/middleware";
import { networkFailure } from "../../provider/graph/retry/network";
import { transientStrategy } from "../../provider/graph/retry/transient";
import { attempt, fetchFailed, GET, network, POST_JOB, response, START } from "./retry-fakes";

describe("retry: transient strategy", () => {
  const strategy = transientStrategy({ baseDelayMs: 1000, maxDelayMs: 8000, random: () => 0.999 });

  it("retries 408, 500, 502, 503 and 504 of idempotent requests", () => {
    for (const status of [408, 500, 502, 503, 504]) {
      assert.strictEqual(strategy.decide(attempt(response(status), GET))?.retry, true, String(status));
      assert.strictEqual(strategy.decide(attempt(response(status), START))?.retry, true, `start ${status}`);
    }
  });

  it("leaves client errors and throttling alone", () => {
    for (const status of [400, 401, 403, 404, 409, 429, 501]) {
      assert.strictEqual(strategy.decide(attempt(response(status))), undefined, String(status));
    }
  });

  it("backs off exponentially, with full jitter, up to the cap", () => {
    assert.strictEqual(strategy.decide(attempt(response(503), GET, 1))!.delayMs, 999);
    assert.strictEqual(strategy.decide(attempt(response(503), GET, 2))!.delayMs, 1998);
    assert.strictEqual(strategy.decide(attempt(response(503), GET, 9))!.delayMs, 7992);
    const low = backoffDelayMs(4, { baseDelayMs: 1000, maxDelayMs: 8000, random: () => 0 });
    assert.strictEqual(low, 0, "full jitter reaches down to zero");
  });

  it("does not send a non-idempotent POST again after a failure that may have reached Graph", () => {
    for (const outcome of [response(502), response(500), response(504), network("ECONNRESET", true), network("ETIMEDOUT", true)]) {
      const d = strategy.decide(attempt(outcome, POST_JOB));
      assert.strictEqual(d?.retry, false);
      assert.strictEqual(d?.ambiguous, true, "the caller is told to look before trying again");
    }
  });

  it("retries any method when the connection was never established", () => {
    const d = strategy.decide(attempt(network("ECONNREFUSED", false), POST_JOB));
    assert.strictEqual(d?.retry, true);
  });

  it("retries broken connections of idempotent requests, but not errors that waiting cannot fix", () => {
    assert.strictEqual(strategy.decide(attempt(network("ECONNRESET", true), GET))?.retry, true);
    assert.strictEqual(strategy.decide(attempt(network("UND_ERR_SOCKET", true), GET))?.retry, true);
    assert.strictEqual(strategy.decide(attempt(network("ENOTFOUND", false), GET)), undefined);
    assert.strictEqual(strategy.decide(attempt(network("SELF_SIGNED_CERT_IN_CHAIN", false), GET)), undefined);
  });
});

describe("retry: classifying what the transport threw", () => {
  it("finds the system error behind undici's 'fetch failed'", () => {
    assert.deepStrictEqual(networkFailure(fetchFailed("ECONNRESET")), { code: "ECONNRESET", sent: true });
    assert.deepStrictEqual(networkFailure(fetchFailed("ECONNREFUSED")), { code: "ECONNREFUSED", sent: false });
    assert.deepStrictEqual(networkFailure(fetchFailed("ENOTFOUND")), { code: "ENOTFOUND", sent: false });
    assert.deepStrictEqual(networkFailure(fetchFailed("UNABLE_TO_VERIFY_LEAF_SIGNATURE")), {
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      sent: false,
    });
  });

  it("recognises 'socket hang up' and a bare 'fetch failed' as possibly sent", () => {
    assert.deepStrictEqual(networkFailure(new Error("socket hang up")), { code: "ECONNRESET", sent: true });
    assert.deepStrictEqual(networkFailure(new TypeError("fetch failed")), { code: "FETCH_FAILED", sent: true });
  });

  it("keeps token failures and bugs apart from network failures", () => {
    const tokenError = Object.assign(new Error("invalid_client: AADSTS7000215"), { name: "AuthenticationRequiredError" });
    assert.strictEqual(classifyThrown(tokenError).kind, "token");
    assert.strictEqual(classifyThrown(new TypeError("x is not a function")).kind, "other");
    assert.strictEqual(classifyThrown(fetchFailed("ECONNRESET")).kind, "network");
  });
});
