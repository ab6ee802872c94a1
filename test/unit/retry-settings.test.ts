import * as assert from "assert";
import { type ConfigSource, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_DEADLINE_MS, resolveConnectionSettings } from "../../provider/graph/connection";
import { isUserFacingError } from "../../provider/graph/user-facing";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

describe("retry: settings users can change", () => {
  it("defaults to a bounded policy", () => {
    const s = resolveConnectionSettings(undefined, {});
    assert.strictEqual(s.retryDeadlineMs, DEFAULT_RETRY_DEADLINE_MS);
    assert.strictEqual(s.maxRetries, DEFAULT_MAX_RETRIES);
    assert.ok(Number.isFinite(s.retryDeadlineMs) && Number.isFinite(s.maxRetries));
  });

  it("reads entra-sync:retryDeadlineSeconds and entra-sync:maxRetries before the environment", () => {
    const env = { ENTRA_SYNC_RETRY_DEADLINE_SECONDS: "30", ENTRA_SYNC_MAX_RETRIES: "7" };
    const fromEnv = resolveConnectionSettings(undefined, env);
    assert.strictEqual(fromEnv.retryDeadlineMs, 30_000);
    assert.strictEqual(fromEnv.maxRetries, 7);
    const fromConfig = resolveConnectionSettings(config({ "entra-sync:retryDeadlineSeconds": "2.5", "entra-sync:maxRetries": "0" }), env);
    assert.strictEqual(fromConfig.retryDeadlineMs, 2500);
    assert.strictEqual(fromConfig.maxRetries, 0, "0 turns retries off");
  });

  it("rejects values that cannot bound anything, naming the setting, without a stack trace", () => {
    for (const [key, value] of [
      ["entra-sync:maxRetries", "-1"],
      ["entra-sync:maxRetries", "two"],
      ["entra-sync:maxRetries", "1.5"],
      ["entra-sync:retryDeadlineSeconds", "soon"],
      ["entra-sync:retryDeadlineSeconds", "-5"],
      // Number() reads these as Infinity: a bound that never ends.
      ["entra-sync:retryDeadlineSeconds", "Infinity"],
      ["entra-sync:consistencyTimeoutSeconds", "Infinity"],
      ["entra-sync:consistencyTimeoutSeconds", "1e400"],
      ["entra-sync:maxRetries", "1".repeat(400)],
    ]) {
      assert.throws(
        () => resolveConnectionSettings(config({ [key]: value }), {}),
        (e: unknown) => isUserFacingError(e) && e.message.includes(key) && e.message.includes(`"${value}"`) && e.stack === "",
        `${key}=${value}`,
      );
    }
  });
});
