/**
 * Fault injection over HTTP, configured through the control plane: 429 + Retry-After and
 * re-throttling of early callers, 503/504 bodies, dropped connections, latency, route scoping,
 * seeded replay, OAuth targeting, control-plane immunity and validation, startEmulator({faults}).
 */
import { strict as assert } from "node:assert";
import { startEmulator, FaultConfigError, ManualClock, type FaultConfig, type RequestLogEntry } from "../../emulator/index";
import { control, graphClient, request, startTestEmulator, tokenFor, type HttpResult, type TestEmulator } from "../support/emulator-http";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JOBS_ROUTE = "servicePrincipals/:sp/synchronization/jobs";

describe("emulator faults", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let jobsPath: string;
  // Retry-After waits, latencies and answer delays pass when the test moves this clock, not in real time.
  let clock: ManualClock;

  before(async () => {
    clock = new ManualClock();
    emu = await startTestEmulator({ clock });
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    jobsPath = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/jobs`;
  });
  afterEach(async () => {
    assert.equal((await control(emu, "DELETE", "faults")).status, 204);
  });
  after(async () => {
    await emu.stop();
  });

  async function setFaults(config: FaultConfig): Promise<void> {
    const res = await control(emu, "PUT", "faults", config);
    assert.equal(res.status, 200, res.text);
  }

  async function logSince(seq: number): Promise<RequestLogEntry[]> {
    return (await control(emu, "GET", `requests?since=${seq}`)).body.value;
  }

  async function latestSeq(): Promise<number> {
    return (await control(emu, "GET", "requests")).body.latestSeq;
  }

  /**
   * Send a request and come back once the emulator holds it (an injected latency or answer delay
   * waits on the clock), with its answer still to come. The answer is wrapped: an async function
   * returning the bare promise would wait for it, and so for a clock nobody moves.
   */
  async function held<T>(send: () => Promise<T>): Promise<{ answer: Promise<T> }> {
    const waiting = clock.pendingTimers;
    const answer = send();
    await clock.whenPending(waiting + 1);
    return { answer };
  }

  function assertGraphError(res: HttpResult, status: number, code: string, clientRequestId?: string): void {
    assert.equal(res.status, status, res.text);
    assert.deepEqual(Object.keys(res.body), ["error"]);
    assert.equal(res.body.error.code, code);
    assert.equal(typeof res.body.error.message, "string");
    const inner = res.body.error.innerError;
    assert.match(inner.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.match(inner["request-id"], GUID);
    assert.equal(inner["request-id"], res.headers["request-id"]);
    assert.equal(inner["client-request-id"], clientRequestId ?? res.headers["request-id"]);
    assert.equal(res.headers["client-request-id"], inner["client-request-id"]);
    assert.match(res.headers["content-type"], /^application\/json/);
  }

  it("answers 429 TooManyRequests with Retry-After in whole seconds, like Graph", async () => {
    await setFaults({ rules: [{ method: "GET", path: JOBS_ROUTE, throttle: { probability: 1, retryAfterSeconds: 2 }, maxFaults: 1 }] });
    const mine = "5d0c7a39-4b0e-4c8e-9a35-6a3b1c2d3e4f";
    const res = await g("GET", jobsPath, undefined, { "client-request-id": mine });
    assertGraphError(res, 429, "TooManyRequests", mine);
    assert.equal(res.headers["retry-after"], "2");
    assert.equal(res.headers["retry-after-ms"], undefined, "Graph sends no millisecond header");
  });

  it("throttles the same request again when it comes back before Retry-After, and not another one", async () => {
    await setFaults({ rules: [{ method: "GET", path: JOBS_ROUTE, throttle: { probability: 1, retryAfterMs: 1200 }, maxFaults: 1 }] });
    const first = await g("GET", jobsPath);
    assert.equal(first.status, 429);
    const again = await g("GET", jobsPath);
    assert.equal(again.status, 429, "the same request before its Retry-After is throttled again");
    assert.equal((await g("GET", "/v1.0/servicePrincipals")).status, 200, "another request of the same client is not");
  });

  it("with throttleScope client, throttles a client again when it calls before Retry-After, and not after", async () => {
    await setFaults({ throttleScope: "client", rules: [{ method: "GET", path: JOBS_ROUTE, throttle: { probability: 1, retryAfterMs: 1200 }, maxFaults: 1 }] });
    const from = await latestSeq();
    const first = await g("GET", jobsPath);
    assert.equal(first.status, 429);
    assert.equal(first.headers["retry-after"], "2", "whole seconds, rounded up: honouring Retry-After is never early");
    assert.equal(first.headers["retry-after-ms"], "1200");

    const early = await g("GET", "/v1.0/servicePrincipals");
    assert.equal(early.status, 429, "any call of the same client before Retry-After is throttled again");
    assert.ok(Number(early.headers["retry-after-ms"]) <= 1200);
    const otherClient = graphClient(emu, await tokenFor(emu, emu.clients.noRole));
    assert.equal((await otherClient("GET", "/v1.0/servicePrincipals")).status, 200, "other clients are not affected");

    await clock.advance(1200);
    assert.equal((await g("GET", jobsPath)).status, 200);

    const graphCalls = (await logSince(from)).filter((e) => e.kind === "graph");
    assert.deepEqual(
      graphCalls.map((e) => [e.path, e.status, e.fault, e.early]),
      [
        [jobsPath, 429, "throttle", undefined],
        ["/v1.0/servicePrincipals", 429, "throttle", true],
        ["/v1.0/servicePrincipals", 200, undefined, undefined],
        [jobsPath, 200, undefined, undefined],
      ],
    );
  });

  it("answers 503 serviceNotAvailable (Retry-After when configured) and 504 UnknownError", async () => {
    await setFaults({
      rules: [
        { method: "GET", path: JOBS_ROUTE, serviceUnavailable: { probability: 1, retryAfterSeconds: 3 } },
        { method: "GET", path: "servicePrincipals", gatewayTimeout: { probability: 1 } },
        { method: "GET", path: "users", serviceUnavailable: { probability: 1 } },
      ],
    });
    const unavailable = await g("GET", jobsPath);
    assertGraphError(unavailable, 503, "serviceNotAvailable");
    assert.equal(unavailable.headers["retry-after"], "3");
    const noRetryAfter = await g("GET", "/v1.0/users");
    assertGraphError(noRetryAfter, 503, "serviceNotAvailable");
    assert.equal(noRetryAfter.headers["retry-after"], undefined);
    const timeout = await g("GET", "/v1.0/servicePrincipals");
    assertGraphError(timeout, 504, "UnknownError");
    assert.equal(timeout.body.error.message, "");
    // Unaffected: the same client's next call, since neither 503 nor 504 makes it wait.
    assert.equal((await g("GET", `/v1.0/users/${emu.seeded.userIds[0]}`)).status, 200);
  });

  it("drops the connection without a response (ECONNRESET) and logs status 0", async () => {
    await setFaults({ rules: [{ method: "GET", path: JOBS_ROUTE, dropConnection: { probability: 1 } }] });
    const from = await latestSeq();
    await assert.rejects(g("GET", jobsPath), (err: NodeJS.ErrnoException) => err.code === "ECONNRESET");
    const [entry] = await logSince(from);
    assert.equal(entry.status, 0);
    assert.equal(entry.fault, "dropConnection");
    assert.equal(entry.route, JOBS_ROUTE);
  });

  it("delays responses by the configured latency and records it", async () => {
    await setFaults({ rules: [{ latency: { ms: 200 } }, { path: "users/**", latency: { ms: 0 } }] });
    const from = await latestSeq();
    const started = clock.now();
    const jobs = await held(() => g("GET", jobsPath));
    await clock.advance(199);
    assert.equal(clock.pendingTimers, 1, "still held 1 ms before its latency has passed");
    await clock.advance(1);
    assert.equal((await jobs.answer).status, 200);
    const elapsed = clock.now() - started;
    assert.ok(elapsed >= 195, `took ${elapsed} ms`);
    await g("GET", `/v1.0/users/${emu.seeded.userIds[0]}`);
    const [slow, fast] = await logSince(from);
    assert.equal(slow.latencyMs, 200);
    assert.ok(slow.durationMs >= 195);
    assert.equal(fast.latencyMs, undefined, "a later rule set this route's latency to 0");
  });

  it("with answerDelay, handles the request first and answers later: the job exists while its POST waits", async () => {
    await setFaults({ rules: [{ method: "POST", path: JOBS_ROUTE, answerDelay: { ms: 400 } }] });
    const before = (await g("GET", jobsPath)).body.value.length;
    const started = clock.now();
    const post = await held(() => g("POST", jobsPath, { templateId: "scim" }));
    let listedAt: number | undefined;
    if ((await g("GET", jobsPath)).body.value.length > before) listedAt = clock.now();
    await clock.advance(400);
    const created = await post.answer;
    const answeredAt = clock.now();
    assert.equal(created.status, 201);
    assert.ok(listedAt !== undefined, "the job was listed before the POST was answered");
    assert.ok(answeredAt - started >= 395, `answered after ${answeredAt - started} ms`);
    assert.ok(listedAt < answeredAt - 100, `listed at ${listedAt - started} ms, answered at ${answeredAt - started} ms`);
    assert.equal((await g("DELETE", `${jobsPath}/${created.body.id}`)).status, 204);
  });

  it("scopes rules to routes, accepts Graph's alternative spellings, and lets later rules refine global ones", async () => {
    await setFaults({
      rules: [
        { gatewayTimeout: { probability: 1 } },
        { method: "GET", path: JOBS_ROUTE, gatewayTimeout: { probability: 0 } },
        { method: "POST", path: `${JOBS_ROUTE}/:job/start`, throttle: { probability: 1, retryAfterSeconds: 0 } },
      ],
    });
    assert.equal((await g("GET", jobsPath)).status, 200, "refined: GET jobs is exempt");
    assert.equal((await g("GET", "/v1.0/servicePrincipals")).status, 504, "the global rule");
    assert.equal((await g("POST", jobsPath, { templateId: "scim" })).status, 504, "the exemption is for GET only");
    const qualified = await g("POST", `${jobsPath}/some-job/microsoft.graph.start`);
    assert.equal(qualified.status, 429, "microsoft.graph.start is the start route");
    assert.equal(qualified.headers["retry-after"], "0");
  });

  it("replays the same faults for the same seed and request order", async () => {
    const config: FaultConfig = { seed: 11, rules: [{ serviceUnavailable: { probability: 0.3 }, gatewayTimeout: { probability: 0.3 } }] };
    const run = async (c: FaultConfig) => {
      await setFaults(c);
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await g("GET", jobsPath)).status);
      return statuses;
    };
    const first = await run(config);
    assert.deepEqual(new Set(first), new Set([200, 503, 504]));
    assert.deepEqual(await run(config), first, "PUT restarts the fault stream");
    assert.notDeepEqual(await run({ ...config, seed: 12 }), first);
  });

  it("never faults or logs the control plane, and faults OAuth only when a rule targets it", async () => {
    await setFaults({ rules: [{ dropConnection: { probability: 1 } }] });
    const from = await latestSeq();
    assert.equal((await control(emu, "GET", "health")).status, 200);
    assert.equal((await control(emu, "GET", "faults")).status, 200);
    assert.match(await tokenFor(emu, emu.clients.admin), /^ey/, "the token endpoint is not a Graph route");

    await setFaults({ rules: [{ kind: "oauth", path: ":tenant/oauth2/v2.0/token", serviceUnavailable: { probability: 1, retryAfterSeconds: 1 } }] });
    await assert.rejects(tokenFor(emu, emu.clients.admin), /token request failed: 503/);
    const token = await request(emu, "POST", `/${emu.tenantId}/oauth2/v2.0/token`, { rawBody: "grant_type=client_credentials" });
    assert.equal(token.body.error, "temporarily_unavailable");
    assert.equal(token.headers["retry-after"], "1");
    assert.equal((await g("GET", jobsPath)).status, 200, "Graph calls are not affected by an OAuth rule");

    const log = await logSince(from);
    assert.ok(
      log.every((e) => !e.path.startsWith("/_emulator")),
      "no control-plane entries",
    );
    assert.deepEqual(
      log.map((e) => [e.kind, e.status]),
      [
        ["oauth", 200],
        ["oauth", 503],
        ["oauth", 503],
        ["graph", 200],
      ],
    );
  });

  it("validates PUT /_emulator/faults and keeps the configuration in effect on error", async () => {
    await setFaults({ rules: [{ latency: { ms: 1 } }] });
    const before = (await control(emu, "GET", "faults")).body;
    const badJson = await request(emu, "PUT", "/_emulator/faults", { rawBody: "{rules:", headers: { "content-type": "application/json" } });
    assert.equal(badJson.status, 400);
    assert.deepEqual(badJson.body, { error: { code: "BadRequest", message: "The body must be JSON." } });
    const unknown = await control(emu, "PUT", "faults", { rules: [{ throttle: { probability: 1 }, retryAfterSeconds: 1 }] });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /Unknown setting 'rules\[0\]\.retryAfterSeconds'/);
    const range = await control(emu, "PUT", "faults", { rules: [{ dropConnection: { probability: 2 } }] });
    assert.equal(range.status, 400);
    assert.match(range.body.error.message, /rules\[0\]\.dropConnection\.probability must be a number between 0 and 1/);
    assert.equal((await control(emu, "PUT", "faults", [])).status, 400);
    assert.deepEqual((await control(emu, "GET", "faults")).body, before);
    assert.deepEqual(before, { seed: 0, rules: [{ latency: { ms: 1 } }], consistency: {}, throttleScope: "request" });
    assert.equal((await control(emu, "DELETE", "faults")).status, 204);
    assert.deepEqual((await control(emu, "GET", "faults")).body, { seed: 0, rules: [], consistency: {}, throttleScope: "request" });
  });
});

describe("emulator faults from startEmulator options", () => {
  it("applies them from the start; POST /_emulator/reset comes back to them", async () => {
    const faults: FaultConfig = { rules: [{ latency: { ms: 30 } }], consistency: { jobCreate: { reads: 1 } } };
    const clock = new ManualClock();
    const emu = await startTestEmulator({ faults, clock });
    try {
      const resolved = { seed: 0, throttleScope: "request", ...faults };
      assert.deepEqual((await control(emu, "GET", "faults")).body, resolved);
      const g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
      const listed = g("GET", "/v1.0/servicePrincipals");
      await clock.whenPending();
      await clock.advance(30);
      await listed;
      const log: RequestLogEntry[] = (await control(emu, "GET", "requests")).body.value;
      assert.equal(log.find((e) => e.kind === "graph")?.latencyMs, 30);
      assert.equal((await control(emu, "DELETE", "faults")).status, 204);
      assert.equal((await control(emu, "POST", "reset")).status, 200);
      assert.deepEqual((await control(emu, "GET", "faults")).body, resolved);
    } finally {
      await emu.stop();
    }
  });

  it("rejects an invalid configuration before starting", async () => {
    await assert.rejects(startEmulator({ faults: { rules: [{ latency: { ms: -5 } }] } }), FaultConfigError);
  });
});
