/**
 * The fault injector without HTTP: seeded determinism, how rules combine, maxFaults, re-throttling
 * with a fake clock, latency distributions, path patterns, and configuration validation.
 */
import { strict as assert } from "node:assert";
import { FaultInjector, type FaultDecision } from "../../emulator/faults/injector";
import { FaultConfigError, resolveFaultConfig, type FaultConfig, type LatencySetting } from "../../emulator/faults/config";
import type { FaultTarget } from "../../emulator/faults/match";

function target(path: string, method = "GET", kind: FaultTarget["kind"] = "graph"): FaultTarget {
  return { kind, method, segments: path.split("/") };
}

const JOBS = "servicePrincipals/0b3f/synchronization/jobs";

function injector(config: FaultConfig, emulatorSeed = 1, clock?: () => number): FaultInjector {
  return new FaultInjector(emulatorSeed, resolveFaultConfig(config), clock);
}

/** Outcome and latency of n requests, each from a different client (so nobody is early). */
function sequence(faults: FaultInjector, n: number, path = JOBS): string[] {
  return Array.from({ length: n }, (_, i) => {
    const d = faults.decide(target(path), `client-${i}`);
    return `${d.outcome ?? "ok"}@${d.latencyMs}`;
  });
}

const MIXED: FaultConfig = {
  seed: 3,
  rules: [
    {
      throttle: { probability: 0.2 },
      serviceUnavailable: { probability: 0.2 },
      gatewayTimeout: { probability: 0.2 },
      dropConnection: { probability: 0.1 },
      latency: { minMs: 0, maxMs: 100 },
    },
  ],
};

describe("emulator fault injector", () => {
  it("replays the same outcomes and latencies for the same emulator seed and fault seed", () => {
    const first = sequence(injector(MIXED), 60);
    assert.deepEqual(sequence(injector(MIXED), 60), first);
    // Random, not constant: every outcome shows up in 60 draws with these probabilities.
    assert.deepEqual(new Set(first.map((s) => s.split("@")[0])), new Set(["ok", "throttle", "serviceUnavailable", "gatewayTimeout", "dropConnection"]));
    assert.notDeepEqual(sequence(injector(MIXED, 2), 60), first, "another emulator seed gives another sequence");
    assert.notDeepEqual(sequence(injector({ ...MIXED, seed: 4 }), 60), first, "another fault seed gives another sequence");
  });

  it("restarts the stream when a configuration is applied", () => {
    const faults = injector(MIXED);
    const first = sequence(faults, 30);
    faults.configure(resolveFaultConfig(MIXED));
    assert.deepEqual(sequence(faults, 30), first);
  });

  it("takes no draws for requests no rule matches, so they do not shift the sequence", () => {
    const scoped: FaultConfig = { rules: [{ path: "servicePrincipals/:sp/synchronization/jobs", ...MIXED.rules![0] }] };
    const plain = sequence(injector(scoped), 20);
    const faults = injector(scoped);
    const interleaved: string[] = [];
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(faults.decide(target("users"), `other-${i}`), { latencyMs: 0, early: false });
      const d = faults.decide(target(JOBS), `client-${i}`);
      interleaved.push(`${d.outcome ?? "ok"}@${d.latencyMs}`);
    }
    assert.deepEqual(interleaved, plain);
  });

  it("lets later rules override earlier ones per setting, and falls back when maxFaults is used up", () => {
    const faults = injector({
      rules: [
        { gatewayTimeout: { probability: 1 }, latency: { ms: 7 } },
        {
          method: "POST",
          path: "servicePrincipals/*/synchronization/jobs/:job/start",
          gatewayTimeout: { probability: 0 },
          serviceUnavailable: { probability: 1 },
          maxFaults: 2,
        },
      ],
    });
    const start = target("servicePrincipals/0b3f/synchronization/jobs/j1/start", "POST");
    const outcomes = [1, 2, 3].map((i) => faults.decide(start, `c${i}`));
    assert.deepEqual(
      outcomes.map((d) => [d.outcome, d.latencyMs]),
      [
        ["serviceUnavailable", 7],
        ["serviceUnavailable", 7],
        ["gatewayTimeout", 7],
      ],
    );
    assert.equal(faults.decide(target(JOBS, "POST"), "c4").outcome, "gatewayTimeout", "the global rule still applies elsewhere");
  });

  it("re-throttles a request sent again before its Retry-After (Dev Proxy: same URL), not the client's other calls", () => {
    let now = 1_000_000;
    const faults = injector({ rules: [{ throttle: { probability: 1, retryAfterSeconds: 2 }, maxFaults: 1 }] }, 1, () => now);
    assert.equal(faults.decide(target(JOBS), "app:a").outcome, "throttle");
    now += 1500;
    assert.deepEqual(faults.decide(target(JOBS), "app:a"), { latencyMs: 0, outcome: "throttle", wait: { ms: 500, exactMs: false }, early: true });
    assert.deepEqual(faults.decide(target("users"), "app:a"), { latencyMs: 0, early: false }, "another request of the same client");
    assert.deepEqual(faults.decide(target(JOBS, "POST"), "app:a"), { latencyMs: 0, early: false }, "another method on the same path");
    now += 500;
    assert.deepEqual(faults.decide(target(JOBS), "app:a"), { latencyMs: 0, early: false });
  });

  it("with throttleScope client, re-throttles every call of that client, and only that client", () => {
    let now = 1_000_000;
    const faults = injector({ throttleScope: "client", rules: [{ throttle: { probability: 1, retryAfterSeconds: 2 }, maxFaults: 1 }] }, 1, () => now);
    const first = faults.decide(target(JOBS), "app:a");
    assert.deepEqual(first, { latencyMs: 0, outcome: "throttle", wait: { ms: 2000, exactMs: false }, early: false });
    now += 1500;
    const early: FaultDecision = faults.decide(target("users"), "app:a");
    assert.deepEqual(early, { latencyMs: 0, outcome: "throttle", wait: { ms: 500, exactMs: false }, early: true });
    assert.equal(faults.decide(target("users"), "app:b").outcome, undefined, "another client is not affected");
    assert.equal(faults.decide(target("users"), "app:a").early, true);
    now += 500;
    assert.deepEqual(faults.decide(target(JOBS), "app:a"), { latencyMs: 0, early: false });
  });

  it("keeps Graph and OAuth throttling apart", () => {
    const faults = injector({ rules: [{ throttle: { probability: 1, retryAfterMs: 5000 }, maxFaults: 1 }] });
    assert.equal(faults.decide(target(JOBS), "ip:127.0.0.1").outcome, "throttle");
    const token = target("tenant/oauth2/v2.0/token", "POST", "oauth");
    assert.deepEqual(faults.decide(token, "ip:127.0.0.1"), { latencyMs: 0, early: false });
  });

  it("forgets throttled clients when faults are cleared", () => {
    const faults = injector({ rules: [{ throttle: { probability: 1, retryAfterSeconds: 60 }, maxFaults: 1 }] });
    faults.decide(target(JOBS), "app:a");
    assert.equal(faults.decide(target(JOBS), "app:a").early, true);
    faults.reset();
    assert.equal(faults.decide(target(JOBS), "app:a").early, false, "reset forgets the wait (and restores maxFaults)");
    faults.configure(resolveFaultConfig({}));
    assert.deepEqual(faults.decide(target(JOBS), "app:a"), { latencyMs: 0, early: false });
  });

  it("draws latency from fixed, uniform and clipped normal distributions", () => {
    const draw = (latency: LatencySetting, n: number) => {
      const faults = injector({ rules: [{ latency }] });
      return Array.from({ length: n }, (_, i) => faults.decide(target(JOBS), `c${i}`).latencyMs);
    };
    assert.deepEqual(draw({ ms: 50 }, 3), [50, 50, 50]);
    const uniform = draw({ minMs: 10, maxMs: 20 }, 200);
    assert.ok(uniform.every((ms) => ms >= 10 && ms <= 20));
    assert.ok(Math.min(...uniform) <= 11 && Math.max(...uniform) >= 19, "spread over the range");
    const normal = draw({ meanMs: 50, stddevMs: 10 }, 500);
    const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
    assert.ok(Math.abs(mean - 50) < 3, `mean ${mean}`);
    assert.ok(normal.some((ms) => ms < 40) && normal.some((ms) => ms > 60), "has a spread");
    const clipped = draw({ meanMs: 0, stddevMs: 20 }, 200);
    assert.ok(clipped.every((ms) => ms >= 0));
    assert.ok(clipped.filter((ms) => ms === 0).length > 50, "about half the draws are clipped to 0");
  });

  it("matches paths with :param, *, ** and case-insensitive literals, and OAuth only when targeted", () => {
    const hits = (rule: object, t: FaultTarget) => injector({ rules: [{ ...rule, gatewayTimeout: { probability: 1 } }] }).decide(t, "c").outcome === "gatewayTimeout";
    assert.ok(hits({ path: "servicePrincipals/:sp/synchronization/jobs" }, target(JOBS)));
    assert.ok(hits({ path: "/SERVICEPRINCIPALS/*/Synchronization/jobs/" }, target(JOBS)));
    assert.ok(!hits({ path: "servicePrincipals/:sp/synchronization/jobs" }, target(`${JOBS}/j1`)));
    assert.ok(hits({ path: "servicePrincipals/**" }, target(`${JOBS}/j1/start`)));
    assert.ok(hits({ path: "**/start" }, target(`${JOBS}/j1/start`)));
    assert.ok(!hits({ path: "**/start" }, target(`${JOBS}/j1/pause`)));
    assert.ok(!hits({ method: "POST" }, target(JOBS, "GET")));
    assert.ok(hits({ method: "post" }, target(JOBS, "POST")), "method is case-insensitive");
    const token = target("contoso.com/oauth2/v2.0/token", "POST", "oauth");
    assert.ok(!hits({}, token), "a rule without kind never touches the token endpoint");
    assert.ok(hits({ kind: "oauth", path: ":tenant/oauth2/v2.0/token" }, token));
  });
});

describe("emulator fault configuration", () => {
  const invalid = (config: unknown, message: RegExp) =>
    assert.throws(
      () => resolveFaultConfig(config),
      (err: unknown) => err instanceof FaultConfigError && message.test(err.message),
    );

  it("fills in defaults", () => {
    assert.deepEqual(resolveFaultConfig({}), { seed: 0, rules: [], consistency: {}, throttleScope: "request" });
    assert.deepEqual(resolveFaultConfig({ rules: [{ method: "get", path: "/users/" }] }).rules, [{ method: "GET", path: "users" }]);
  });

  it("refuses unknown settings, wrong types and out-of-range values, naming the path", () => {
    invalid([], /faults must be a JSON object/);
    invalid({ rulez: [] }, /Unknown setting 'faults\.rulez'/);
    invalid({ rules: {} }, /'rules' must be an array/);
    invalid({ rules: [{ throttle: { probability: 0.5, retryAfter: 1 } }] }, /Unknown setting 'rules\[0\]\.throttle\.retryAfter'/);
    invalid({ rules: [{ gatewayTimeout: { probability: 1.5 } }] }, /rules\[0\]\.gatewayTimeout\.probability must be a number between 0 and 1/);
    invalid({ rules: [{ gatewayTimeout: { probability: "1" } }] }, /probability must be a number/);
    invalid({ rules: [{ throttle: { probability: 0.6 }, dropConnection: { probability: 0.6 } }] }, /add up to 1\.2; at most 1/);
    invalid({ rules: [{ throttle: { probability: 1, retryAfterSeconds: 1, retryAfterMs: 10 } }] }, /not both/);
    invalid({ rules: [{ throttle: { probability: 1, retryAfterSeconds: 1.5 } }] }, /retryAfterSeconds must be an integer/);
    invalid({ rules: [{ latency: { ms: 5, maxMs: 9 } }] }, /must be \{ms\}, \{minMs, maxMs\} or \{meanMs, stddevMs\}/);
    invalid({ rules: [{ latency: { minMs: 9, maxMs: 5 } }] }, /maxMs must be >= minMs/);
    invalid({ rules: [{ latency: { ms: -1 } }] }, /latency\.ms must be a number >= 0/);
    invalid({ rules: [{ method: "FETCH" }] }, /method must be one of/);
    invalid({ rules: [{ kind: "control" }] }, /kind must be one of graph, oauth/);
    invalid({ rules: [{ path: "a//b" }] }, /empty segment/);
    invalid({ consistency: { jobCreate: { ms: 10, reads: 1 } } }, /must be \{ms\} or \{reads\}/);
    invalid({ consistency: { jobUpdate: { ms: 10 } } }, /Unknown setting 'consistency\.jobUpdate'/);
    invalid({ seed: -1 }, /seed must be an integer >= 0/);
  });
});
