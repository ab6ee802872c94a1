import * as assert from "assert";
import { retryAfterMs } from "../../provider/graph/retry/retry-after";
import { headers } from "./retry-fakes";

describe("retry: Retry-After parsing", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads whole seconds, as Graph sends them", () => {
    assert.strictEqual(retryAfterMs(headers({ "Retry-After": "5" }), now), 5000);
    assert.strictEqual(retryAfterMs(headers({ "Retry-After": "0" }), now), 0);
  });

  it("reads an HTTP-date as the time left until then, never negative", () => {
    assert.strictEqual(retryAfterMs(headers({ "Retry-After": "Thu, 01 Jan 2026 00:00:07 GMT" }), now), 7000);
    assert.strictEqual(retryAfterMs(headers({ "Retry-After": "Wed, 31 Dec 2025 23:59:00 GMT" }), now), 0);
  });

  it("prefers retry-after-ms (exact) over Retry-After (rounded up to seconds)", () => {
    assert.strictEqual(retryAfterMs(headers({ "retry-after-ms": "1250", "Retry-After": "2" }), now), 1250);
    assert.strictEqual(retryAfterMs(headers({ "x-ms-retry-after-ms": "300" }), now), 300);
  });

  it("ignores absent and unusable values", () => {
    assert.strictEqual(retryAfterMs(headers(), now), undefined);
    assert.strictEqual(retryAfterMs(headers({ "Retry-After": "soon" }), now), undefined);
    assert.strictEqual(retryAfterMs(headers({ "Retry-After": "-3" }), now), undefined);
    assert.strictEqual(retryAfterMs(headers({ "retry-after-ms": "x", "Retry-After": "1" }), now), 1000);
  });
});
