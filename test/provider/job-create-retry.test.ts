/**
 * Job creation after a failed POST (not idempotent), against the in-process emulator, with every
 * wait on a fake clock (retry/clock.ts setClock): what the provider waits, how often it lists the
 * jobs, whether it sends the POST again, and that the retry bounds hold over the whole create.
 */

import * as assert from "assert";
import type { RequestLogEntry as LogEntry } from "../../emulator/control/request-log";
import { resetConnectionSettings } from "../../provider/graph/connection";
import { isGraphRequestError } from "../../provider/graph/errors";
import { setLogSink } from "../../provider/graph/log";
import { setClock } from "../../provider/graph/retry/clock";
import { afterHandlingProxy } from "../support/after-handling-proxy";
import { useEmulator } from "../support/emulator";
import { type FakeClock, fakeClock } from "../unit/retry-fakes";
import { handlerOf } from "../../provider/state/contract";

const jobs = handlerOf("SynchronizationJob");

const JOBS_ROUTE = "servicePrincipals/:sp/synchronization/jobs";
const SETTINGS = ["ENTRA_SYNC_RETRY_DEADLINE_SECONDS", "ENTRA_SYNC_MAX_RETRIES", "ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS"];

describe("job creation after a POST whose outcome is unknown", function () {
  const fixture = useEmulator();
  let sp: string;
  let since: number;
  let clock: FakeClock;
  let restoreClock: () => void;
  let restoreLog: () => void;
  let logLines: string[];

  const control = (method: string, path: string, body?: unknown) => fixture().graph.control(method, path, body);
  const jobList = async (): Promise<{ id: string }[]> => (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`)).body.value;
  /** The provider's calls on the jobs collection since the test began: "GET 200", "POST 503", ... */
  const jobsCalls = async (): Promise<string[]> => {
    const log: LogEntry[] = (await control("GET", `/requests?since=${since}`)).body.value;
    return log.filter((r) => r.kind === "graph" && r.route === JOBS_ROUTE).map((r) => `${r.method} ${r.status}`);
  };
  const waited = () => clock.sleeps.reduce((a, b) => a + b, 0);

  /** Bounds as a user would set them; the fixture's consistency timeout (20 s) unless given. */
  function settings(values: { retryDeadlineSeconds?: number; maxRetries?: number; consistencyTimeoutSeconds?: number }) {
    if (values.retryDeadlineSeconds !== undefined) process.env.ENTRA_SYNC_RETRY_DEADLINE_SECONDS = String(values.retryDeadlineSeconds);
    if (values.maxRetries !== undefined) process.env.ENTRA_SYNC_MAX_RETRIES = String(values.maxRetries);
    if (values.consistencyTimeoutSeconds !== undefined) {
      process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS = String(values.consistencyTimeoutSeconds);
    }
    resetConnectionSettings();
  }

  async function expectCreateFails(status: number) {
    let caught: unknown;
    await jobs.create({ servicePrincipalId: sp, templateId: "scim" }).then(
      () => assert.fail("expected the create to fail"),
      (e) => (caught = e),
    );
    assert.ok(isGraphRequestError(caught), `a GraphRequestError, got ${caught}`);
    assert.strictEqual(caught.status, status);
    assert.strictEqual(caught.mayHaveSucceeded, true);
    return caught;
  }

  beforeEach(async () => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
    // Delete, not reset: a reset emulator mints the same job ids again, and the provider process
    // remembers the ids it created (it never adopts those twice).
    for (const job of await jobList()) {
      assert.strictEqual((await fixture().graph.request("DELETE", `/servicePrincipals/${sp}/synchronization/jobs/${job.id}`)).status, 204);
    }
    await control("DELETE", "/faults");
    since = (await control("GET", "/requests")).body.latestSeq;
    clock = fakeClock();
    restoreClock = setClock(clock);
    logLines = [];
    restoreLog = setLogSink((line) => logLines.push(line));
  });

  afterEach(async () => {
    restoreClock();
    restoreLog();
    await control("DELETE", "/faults");
    for (const name of SETTINGS) delete process.env[name];
    fixture().useClient(fixture().emulator.clients.admin);
  });

  const postFault = (fault: Record<string, unknown>, maxFaults?: number) =>
    control("PUT", "/faults", { rules: [{ method: "POST", path: JOBS_ROUTE, ...fault, ...(maxFaults ? { maxFaults } : {}) }] });

  it("503 with Retry-After: 1 waits 1 s, lists once, sends once more: one job", async () => {
    settings({ consistencyTimeoutSeconds: 300 });
    await postFault({ serviceUnavailable: { probability: 1, retryAfterSeconds: 1 } }, 1);
    const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim" });
    assert.deepStrictEqual(await jobsCalls(), ["GET 200", "POST 503", "GET 200", "POST 201"], "list, POST, one look, one resend");
    assert.deepStrictEqual(clock.sleeps, [1000], "waited what Graph asked, and nothing else");
    assert.deepStrictEqual(
      (await jobList()).map((j) => j.id),
      [outs.jobId],
    );
  });

  it("503 with Retry-After: each resend waits as asked; maxRetries bounds the resends", async () => {
    settings({ maxRetries: 2 });
    await postFault({ serviceUnavailable: { probability: 1, retryAfterMs: 1500 } });
    await expectCreateFails(503);
    assert.deepStrictEqual(await jobsCalls(), ["GET 200", "POST 503", "GET 200", "POST 503", "GET 200", "POST 503", "GET 200"]);
    assert.deepStrictEqual(clock.sleeps, [1500, 1500], "no wait after the last POST: there is no resend to wait for");
    assert.deepStrictEqual(await jobList(), []);
  });

  it("a Retry-After longer than the time left ends the create at once, after one look", async () => {
    settings({ retryDeadlineSeconds: 5 });
    await postFault({ serviceUnavailable: { probability: 1, retryAfterSeconds: 10 } }, 1);
    await expectCreateFails(503);
    assert.deepStrictEqual(await jobsCalls(), ["GET 200", "POST 503", "GET 200"]);
    assert.deepStrictEqual(clock.sleeps, [], "does not sleep into the deadline");
  });

  it("503 without Retry-After after Graph created the job: polls until the job is listed, never resends", async () => {
    const proxy = await afterHandlingProxy(fixture().emulator.graphEndpoint, (method, path) => method === "POST" && /\/synchronization\/jobs$/.test(path), "answer 503");
    try {
      process.env.ENTRA_SYNC_GRAPH_ENDPOINT = proxy.origin;
      settings({ consistencyTimeoutSeconds: 300 });
      // The new job is missing from the first two lists after the POST, as a lagging replica would.
      await control("PUT", "/faults", { rules: [], consistency: { jobCreate: { reads: 2 } } });
      const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim" });
      assert.strictEqual(proxy.replaced(), 1);
      assert.deepStrictEqual(await jobsCalls(), ["GET 200", "POST 201", "GET 200", "GET 200", "GET 200"], "Graph saw one POST; three looks");
      assert.ok(clock.sleeps.length === 2 && waited() < 5000, `polled briefly between the looks: ${clock.sleeps}`);
      assert.deepStrictEqual(
        (await jobList()).map((j) => j.id),
        [outs.jobId],
      );
      assert.ok(logLines.some((l) => l.includes(`found job ${outs.jobId}`)));
    } finally {
      await proxy.close();
    }
  });

  it("without Retry-After, the polling ends at retryDeadlineSeconds when that comes before consistencyTimeoutSeconds", async () => {
    settings({ retryDeadlineSeconds: 10, consistencyTimeoutSeconds: 300 });
    await postFault({ serviceUnavailable: { probability: 1 } }, 1);
    await expectCreateFails(503);
    const calls = await jobsCalls();
    assert.deepStrictEqual(calls.slice(0, 2), ["GET 200", "POST 503"]);
    assert.ok(calls.slice(2).length > 2 && calls.slice(2).every((c) => c === "GET 200"), `polled the list, never resent: ${calls}`);
    assert.ok(waited() <= 10_000 && waited() > 9_000, `polled up to the 10 s retry deadline, waited ${waited()} ms`);
    assert.deepStrictEqual(await jobList(), []);
  });

  it("a look that is throttled is retried only within the create's retry deadline", async () => {
    settings({ retryDeadlineSeconds: 10, consistencyTimeoutSeconds: 300 });
    await postFault({ serviceUnavailable: { probability: 1 } }, 1);
    // Five seconds into the polling, Graph starts throttling the list with Retry-After: 6: one
    // more wait would end past the create's 10 s, although it fits one call's own 10 s.
    const sleep = clock.sleep.bind(clock);
    const t0 = clock.now();
    let throttling = false;
    clock.sleep = async (ms, signal) => {
      await sleep(ms, signal);
      if (!throttling && clock.now() - t0 >= 5000) {
        throttling = true;
        await control("PUT", "/faults", { rules: [{ method: "GET", path: JOBS_ROUTE, throttle: { probability: 1, retryAfterSeconds: 6 } }] });
      }
    };
    let caught: unknown;
    await jobs.create({ servicePrincipalId: sp, templateId: "scim" }).catch((e) => (caught = e));
    assert.ok(isGraphRequestError(caught) && caught.status === 429, `the throttled look's error, got ${caught}`);
    assert.ok(waited() <= 10_000, `waited ${waited()} ms, past the 10 s retry deadline`);
    assert.deepStrictEqual((await jobsCalls()).slice(-1), ["GET 429"], "the throttled look was not retried");
  });

  it("without Retry-After, the polling ends at consistencyTimeoutSeconds when that comes first, then the POST is sent again", async () => {
    settings({ retryDeadlineSeconds: 120, consistencyTimeoutSeconds: 3 });
    await postFault({ serviceUnavailable: { probability: 1 } }, 1);
    const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim" });
    const calls = await jobsCalls();
    assert.deepStrictEqual([calls[0], calls[1], calls[calls.length - 1]], ["GET 200", "POST 503", "POST 201"]);
    assert.ok(waited() <= 3_000, `polled no longer than the 3 s consistency timeout, waited ${waited()} ms`);
    assert.deepStrictEqual(
      (await jobList()).map((j) => j.id),
      [outs.jobId],
    );
  });
});
