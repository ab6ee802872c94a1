/**
 * Our retry middleware inside a real @microsoft/microsoft-graph-client chain, with a fake transport
 * in place of fetch (as the library's own tests use a DummyHTTPMessageHandler) and a fake clock:
 * what reaches "Graph", how often, and the error users get.
 */

import * as assert from "assert";
import { AuthenticationHandler, Client, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { type GraphRequestError, isGraphRequestError } from "../../provider/graph/errors";
import { toGraphRequestError } from "../../provider/graph/failure";
import { setLogSink } from "../../provider/graph/log";
import { type GraphCallOptions, RetryCallOptions, StrategyRetryHandler } from "../../provider/graph/retry/middleware";
import { retryPolicy } from "../../provider/graph/retry/policy";
import { fakeClock, fetchFailed } from "./retry-fakes";

type Scripted = { status: number; headers?: Record<string, string>; body?: unknown } | Error;

/** Answers each request with the next scripted response (the last one repeats), recording what it saw. */
class FakeTransport implements Middleware {
  readonly seen: { method: string; url: string; authorization?: string }[] = [];
  constructor(private readonly script: Scripted[]) {}

  async execute(context: Context): Promise<void> {
    const headers = (context.options?.headers ?? {}) as Record<string, string>;
    this.seen.push({ method: context.options?.method ?? "GET", url: String(context.request), authorization: headers.Authorization });
    assert.strictEqual(headers.Authorization, "Bearer secret-access-token", "every try carries exactly one token");
    const next = this.script[Math.min(this.seen.length - 1, this.script.length - 1)];
    if (next instanceof Error) throw next;
    context.response = new Response(next.body === undefined ? null : JSON.stringify(next.body), {
      status: next.status,
      headers: { "content-type": "application/json", ...next.headers },
    });
  }
}

/** The library's AuthenticationHandler with a token source that answers, or fails as @azure/identity does. */
function authHandler(failWith?: Error): AuthenticationHandler {
  return new AuthenticationHandler({
    getAccessToken: async () => {
      if (failWith) throw failWith;
      return "secret-access-token";
    },
  });
}

function graphError(status: number, code: string, message: string) {
  return { error: { code, message, innerError: { "request-id": "req-1234", date: "2026-01-01T00:00:00" } } };
}

describe("retry: middleware in the Graph client chain", () => {
  let lines: string[];
  let restoreLog: () => void;
  beforeEach(() => {
    lines = [];
    restoreLog = setLogSink((line) => lines.push(line));
  });
  afterEach(() => restoreLog());

  function setup(script: Scripted[], opts: { maxRetries?: number; authFailure?: Error } = {}) {
    const clock = fakeClock();
    const transport = new FakeTransport(script);
    const policy = retryPolicy({ retryDeadlineMs: 120_000, maxRetries: opts.maxRetries ?? 3, consistencyTimeoutMs: 30_000 }, { clock, random: () => 0.5 });
    const client = Client.initWithMiddleware({
      middleware: [new StrategyRetryHandler(() => policy), authHandler(opts.authFailure), transport],
      baseUrl: "https://graph.microsoft.com/",
      defaultVersion: "v1.0",
    });
    /** As GraphClientApi.call does it. */
    const call = async <T>(method: "GET" | "POST", path: string, call: GraphCallOptions): Promise<T> => {
      const retry = new RetryCallOptions(call);
      const request = client.api(path).middlewareOptions([retry]);
      try {
        return method === "GET" ? await request.get() : await request.post({ templateId: "scim" });
      } catch (e) {
        throw toGraphRequestError(e, { method, path, operation: call.operation, report: retry.report });
      }
    };
    return { clock, transport, call };
  }

  const jobs = "/servicePrincipals/sp-1/synchronization/jobs";

  it("honours Retry-After on 429 and returns the eventual answer", async () => {
    const s = setup([
      { status: 429, headers: { "Retry-After": "2" }, body: graphError(429, "TooManyRequests", "Too many requests") },
      { status: 429, headers: { "retry-after-ms": "700" }, body: graphError(429, "TooManyRequests", "Too many requests") },
      { status: 200, body: { value: [] } },
    ]);
    const page = await s.call<{ value: unknown[] }>("GET", jobs, { operation: "list jobs" });
    assert.deepStrictEqual(page.value, []);
    assert.strictEqual(s.transport.seen.length, 3);
    assert.deepStrictEqual(s.clock.sleeps, [2000, 700]);
    assert.strictEqual(lines.length, 2, "each retry is logged");
    assert.match(lines[0], /^entra-sync: retrying list jobs \(GET \/servicePrincipals\/sp-1\/synchronization\/jobs\): 429 throttled, Retry-After 2s; retry 1 of 3/);
    assert.ok(
      lines.every((l) => !l.includes("secret-access-token")),
      "no token in the log",
    );
  });

  it("gives up after maxRetries with Graph's code, request-id and the settings to change", async () => {
    const s = setup([{ status: 503, body: graphError(503, "serviceNotAvailable", "Service unavailable") }], { maxRetries: 2 });
    await assert.rejects(s.call("GET", jobs, { operation: "list jobs" }), (e: unknown) => {
      assert.ok(isGraphRequestError(e));
      assert.strictEqual(e.attempts, 3);
      assert.strictEqual(e.status, 503);
      assert.match(e.message, /^list jobs failed: GET \/servicePrincipals\/sp-1\/synchronization\/jobs returned 503 serviceNotAvailable: Service unavailable/);
      assert.match(e.message, /request-id req-1234/);
      assert.match(e.message, /tried 3 times/);
      assert.match(e.message, /entra-sync:maxRetries/);
      return true;
    });
    assert.strictEqual(s.transport.seen.length, 3);
  });

  it("sends a job-creating POST once when the connection breaks, and says it may have taken effect", async () => {
    const s = setup([fetchFailed("ECONNRESET", "socket hang up"), { status: 201, body: { id: "scim.1" } }]);
    await assert.rejects(s.call("POST", jobs, { operation: "create job" }), (e: unknown) => {
      assert.ok(isGraphRequestError(e));
      assert.strictEqual(e.kind, "network");
      assert.strictEqual(e.code, "ECONNRESET");
      assert.strictEqual(e.mayHaveSucceeded, true);
      assert.match(e.message, /got no response from Graph: ECONNRESET: socket hang up/);
      assert.match(e.message, /may have reached Graph and taken effect; it was not sent again/);
      return true;
    });
    assert.strictEqual(s.transport.seen.length, 1);
  });

  it("sends a job-creating POST answered 5xx + Retry-After once, and hands the caller the wait Graph asked for", async () => {
    const at = (headers: Record<string, string>, status = 503) => setup([{ status, headers, body: graphError(status, "serviceNotAvailable", "x") }]);
    const cases: [ReturnType<typeof at>, number][] = [
      [at({ "Retry-After": "2" }), 2000],
      [at({ "Retry-After": "2", "retry-after-ms": "1500" }), 1500],
      [at({ "Retry-After": "3" }, 502), 3000],
    ];
    const dated = setup([]);
    const date = new Date(dated.clock.now() + 4000).toUTCString();
    cases.push([at({ "Retry-After": date }), 4000]);
    for (const [s, expected] of cases) {
      await assert.rejects(s.call("POST", jobs, { operation: "create job" }), (e: unknown) => {
        assert.ok(isGraphRequestError(e));
        assert.strictEqual(e.mayHaveSucceeded, true);
        assert.strictEqual(e.retryAfterMs, expected);
        return true;
      });
      assert.strictEqual(s.transport.seen.length, 1, "not sent again: only the caller can tell, by looking, whether it took effect");
      assert.deepStrictEqual(s.clock.sleeps, [], "the caller waits, not the middleware");
    }
    const without = setup([{ status: 503, body: graphError(503, "serviceNotAvailable", "x") }]);
    await assert.rejects(without.call("POST", jobs, { operation: "create job" }), (e: unknown) => {
      return isGraphRequestError(e) && e.mayHaveSucceeded && e.retryAfterMs === undefined;
    });
  });

  it("retries a POST the caller declares idempotent (start)", async () => {
    const s = setup([fetchFailed("ECONNRESET"), { status: 204 }]);
    await s.call("POST", `${jobs}/j/start`, { operation: "start job", idempotent: true });
    assert.strictEqual(s.transport.seen.length, 2);
  });

  it("retries a throttled job-creating POST: Graph refused it", async () => {
    const s = setup([
      { status: 429, headers: { "Retry-After": "1" }, body: graphError(429, "TooManyRequests", "x") },
      { status: 201, body: { id: "scim.1" } },
    ]);
    const job = await s.call<{ id: string }>("POST", jobs, { operation: "create job" });
    assert.strictEqual(job.id, "scim.1");
    assert.strictEqual(s.transport.seen.length, 2);
  });

  it("explains a 403 without retrying it", async () => {
    const s = setup([{ status: 403, body: graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.") }]);
    await assert.rejects(s.call("GET", jobs, { operation: "list jobs" }), (e: unknown) => {
      assert.ok(isGraphRequestError(e));
      assert.strictEqual(e.attempts, 1);
      assert.match(e.message, /403 Authorization_RequestDenied: Insufficient privileges to complete the operation \(request-id req-1234/);
      assert.match(e.message, /Synchronization\.ReadWrite\.All/);
      assert.strictEqual(e.stack, "", "no stack trace of our internals");
      return true;
    });
    assert.strictEqual(s.transport.seen.length, 1);
  });

  it("waits out a 404 only inside a consistency window", async () => {
    const script: Scripted[] = [
      { status: 404, body: graphError(404, "UnknownError", "not yet") },
      { status: 200, body: { id: "j" } },
    ];
    const outside = setup(script);
    await assert.rejects(outside.call("GET", `${jobs}/j`, { operation: "read job" }), (e: unknown) => (e as GraphRequestError).status === 404);
    const inside = setup(script);
    const job = await inside.call<{ id: string }>("GET", `${jobs}/j`, {
      operation: "read job",
      consistency: { description: "job j to become visible", statuses: [404] },
    });
    assert.strictEqual(job.id, "j");
    assert.strictEqual(inside.transport.seen.length, 2);
  });

  it("turns a token failure into one clear error, sending nothing to Graph", async () => {
    const failure = Object.assign(
      new Error(
        "invalid_client: Error(s): 7000215 - Timestamp: 2026-01-01 00:00:00Z - Description: AADSTS7000215: Invalid client secret provided. " +
          "Ensure the secret being sent in the request is the client secret value, not the client secret ID. " +
          "Trace ID: 11111111-1111-1111-1111-111111111111 Correlation ID: 22222222-2222-2222-2222-222222222222 Timestamp: 2026-01-01 00:00:00Z",
      ),
      { name: "AuthenticationRequiredError" },
    );
    const s = setup([{ status: 200 }], { authFailure: failure });
    await assert.rejects(s.call("GET", jobs, { operation: "list jobs" }), (e: unknown) => {
      assert.ok(isGraphRequestError(e));
      assert.strictEqual(e.kind, "token");
      assert.strictEqual(e.code, "AADSTS7000215");
      assert.strictEqual(e.attempts, 1);
      assert.match(e.message, /could not get an access token for GET \/servicePrincipals\/sp-1\/synchronization\/jobs: AADSTS7000215: Invalid client secret provided/);
      assert.match(e.message, /correlation id 22222222-2222-2222-2222-222222222222/);
      assert.match(e.message, /client secret is wrong/);
      return true;
    });
    assert.strictEqual(s.transport.seen.length, 0);
  });

  it("passes a bug through untouched, with its stack", async () => {
    const bug = new TypeError("cannot read properties of undefined");
    const s = setup([bug]);
    await assert.rejects(s.call("GET", jobs, { operation: "list jobs" }), (e: unknown) => e === bug);
    assert.strictEqual(s.transport.seen.length, 1);
  });
});
