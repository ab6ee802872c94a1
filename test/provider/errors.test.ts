/**
 * Failures users meet, through the handlers against an in-process emulator: a wrong client secret
 * (401 at the token endpoint), an application without the Graph permission (403), a wrong service
 * principal (404). Each must give one clear error (Graph's code, request-id, what to do) after no
 * more requests than the retry strategies allow, counted from the emulator's request log. Then the
 * retries that are allowed: throttling, and a job-creating POST whose outcome is unknown.
 */

import * as assert from "assert";
import * as crypto from "crypto";
import type { RequestLogEntry as LogEntry } from "../../emulator/control/request-log";
import { resetConnectionSettings } from "../../provider/graph/connection";
import { type GraphRequestError, isGraphRequestError } from "../../provider/graph/errors";
import { setLogSink } from "../../provider/graph/log";
import type { JobOutputs } from "../../provider/handlers/job";
import type { JobClaimOutputs } from "../../provider/handlers/job-claim";
import { INTERRUPTED_CREATE_WINDOW_MS } from "../../provider/handlers/job-creation";
import { afterHandlingProxy } from "../support/after-handling-proxy";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const jobs = handlerOf("SynchronizationJob");
const claims = handlerOf("SynchronizationJobClaim");
const secrets = handlerOf("SynchronizationSecrets");

describe("Graph errors users can act on, and the retries allowed", function () {
  const fixture = useEmulator();
  let sp: string;
  let logLines: string[];
  let restoreLog: () => void;
  let since: number;

  const control = (method: string, path: string, body?: unknown) => fixture().graph.control(method, path, body);
  const requests = async (): Promise<LogEntry[]> => (await control("GET", `/requests?since=${since}`)).body.value;
  const graphRequests = async () => (await requests()).filter((e) => e.kind === "graph");
  const jobList = async (): Promise<{ id: string; templateId: string; schedule: { state: string } }[]> =>
    (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`)).body.value;

  /** Expect `action` to fail with a GraphRequestError whose message is what a user needs. */
  async function expectClearError(action: Promise<unknown>, check: (e: GraphRequestError) => void): Promise<GraphRequestError> {
    let caught: unknown;
    await action.then(
      () => assert.fail("expected a failure"),
      (e) => (caught = e),
    );
    assert.ok(isGraphRequestError(caught), `a GraphRequestError, got ${caught}`);
    assert.strictEqual(caught.stack, "", "no stack trace of the provider's internals");
    check(caught);
    return caught;
  }

  beforeEach(async () => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
    // Delete, not reset: a reset emulator mints the same job ids again, and the provider process
    // remembers the ids it created (it never adopts those twice).
    for (const job of await jobList()) {
      assert.strictEqual((await fixture().graph.request("DELETE", `/servicePrincipals/${sp}/synchronization/jobs/${job.id}`)).status, 204);
    }
    assert.strictEqual((await control("DELETE", "/faults")).status < 300, true);
    fixture().useClient(fixture().emulator.clients.admin);
    since = (await control("GET", "/requests")).body.latestSeq;
    logLines = [];
    restoreLog = setLogSink((line) => logLines.push(line));
  });

  afterEach(async () => {
    restoreLog();
    await control("DELETE", "/faults");
    fixture().useClient(fixture().emulator.clients.admin);
  });

  describe("401: a wrong client secret", () => {
    it("fails once at the token endpoint, names the AADSTS code and the trace id, and says which setting to fix", async () => {
      fixture().useClient({ ...fixture().emulator.clients.admin, clientSecret: "not-the-secret" });
      const e = await expectClearError(jobs.create({ servicePrincipalId: sp, templateId: "scim" }), (e) => {
        assert.strictEqual(e.kind, "token");
        assert.strictEqual(e.code, "AADSTS7000215");
        assert.match(e.message, /^create synchronization job from template "scim" failed: could not get an access token/);
        assert.match(e.message, /Invalid client secret provided/);
        assert.match(e.message, /The client secret is wrong/);
        assert.ok(!e.message.includes("not-the-secret"), "the secret itself is never echoed");
      });
      const log = await requests();
      const tokenCalls = log.filter((r) => r.kind === "oauth" && r.method === "POST");
      assert.strictEqual(tokenCalls.length, 1, "a rejected secret is not retried");
      assert.strictEqual(tokenCalls[0].status, 401);
      assert.ok(e.message.includes(tokenCalls[0].requestId), `the token endpoint's trace id ${tokenCalls[0].requestId} is in the message`);
      assert.strictEqual(log.filter((r) => r.kind === "graph").length, 0, "nothing reached Graph");
    });
  });

  describe("403: an application without the Synchronization permission", () => {
    beforeEach(() => fixture().useClient(fixture().emulator.clients.noRole));

    it("create: one request, Graph's code and request-id, and the permission to grant", async () => {
      const e = await expectClearError(jobs.create({ servicePrincipalId: sp, templateId: "scim" }), (e) => {
        assert.strictEqual(e.status, 403);
        assert.strictEqual(e.code, "Authorization_RequestDenied");
        assert.strictEqual(e.attempts, 1);
        assert.match(e.message, /Synchronization\.ReadWrite\.All/);
        assert.match(e.message, /admin consent/);
      });
      const log = await graphRequests();
      assert.deepStrictEqual(
        log.map((r) => `${r.method} ${r.status}`),
        ["GET 403"],
        "403 outside a consistency window is not retried",
      );
      assert.ok(e.message.includes(`request-id ${log[0].requestId}`));
    });

    it("secrets and read fail the same way, once each", async () => {
      await expectClearError(secrets.create({ servicePrincipalId: sp, credentials: { BaseAddress: "https://x.test/scim" } }), (e) => {
        assert.strictEqual(e.status, 403);
        // Create reads the secrets first (what exists is adopted), so the read is what fails.
        assert.match(e.message, /read synchronization secrets|write synchronization secrets|read service principal/);
      });
      await expectClearError(jobs.read(`/servicePrincipals/${sp}/synchronization/jobs/scim.x`, {} as JobOutputs), (e) => {
        assert.strictEqual(e.status, 403);
        assert.match(e.message, /^read synchronization job scim\.x failed: GET /);
      });
      const log = await graphRequests();
      assert.ok(log.every((r) => r.status === 403));
      assert.strictEqual(new Set(log.map((r) => `${r.method} ${r.path}`)).size, log.length, "no request was sent twice");
    });
  });

  describe("404: a service principal that does not exist", () => {
    it("names servicePrincipalId and what it must be, after one request", async () => {
      const wrong = crypto.randomUUID();
      await expectClearError(jobs.create({ servicePrincipalId: wrong, templateId: "scim" }), (e) => {
        assert.strictEqual(e.status, 404);
        assert.match(e.message, new RegExp(`/servicePrincipals/${wrong}/synchronization/jobs returned 404`));
        assert.match(e.message, new RegExp(`Check servicePrincipalId "${wrong}"`));
        assert.match(e.message, /not the application \(client\) id/);
        assert.match(e.message, /request-id [0-9a-f-]{36}/);
      });
      assert.strictEqual((await graphRequests()).length, 1);
    });
  });

  describe("retries that are allowed", () => {
    it("waits out throttling as Retry-After asks, and logs each retry", async () => {
      await control("PUT", "/faults", {
        rules: [{ method: "GET", path: "servicePrincipals/:sp/synchronization/jobs", throttle: { probability: 1, retryAfterMs: 30 }, maxFaults: 2 }],
      });
      const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim" });
      const listCalls = (await graphRequests()).filter((r) => r.route === "servicePrincipals/:sp/synchronization/jobs" && r.method === "GET");
      assert.deepStrictEqual(
        listCalls.map((r) => r.status),
        [429, 429, 200],
      );
      assert.ok(!listCalls.some((r) => r.early), "never came back before Retry-After ended");
      assert.strictEqual(logLines.filter((l) => /retrying create synchronization job .*429 throttled, Retry-After/.test(l)).length, 2);
      assert.deepStrictEqual(
        (await jobList()).map((j) => j.id),
        [outs.jobId],
      );
    });

    it("stops at entra-sync:maxRetries and says so", async () => {
      process.env.ENTRA_SYNC_MAX_RETRIES = "1";
      resetConnectionSettings();
      try {
        await control("PUT", "/faults", {
          rules: [{ method: "GET", path: "servicePrincipals/:sp/synchronization/jobs", throttle: { probability: 1, retryAfterMs: 10 } }],
        });
        await expectClearError(jobs.create({ servicePrincipalId: sp, templateId: "scim" }), (e) => {
          assert.strictEqual(e.status, 429);
          assert.strictEqual(e.attempts, 2);
          assert.match(e.message, /tried 2 times: 429 throttled.*entra-sync:maxRetries/);
        });
        assert.strictEqual((await graphRequests()).length, 2);
      } finally {
        delete process.env.ENTRA_SYNC_MAX_RETRIES;
        resetConnectionSettings();
      }
    });

    it("a job-creating POST whose connection dropped is sent again only after looking for the job", async () => {
      process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS = "1";
      resetConnectionSettings();
      try {
        await control("PUT", "/faults", {
          rules: [{ method: "POST", path: "servicePrincipals/:sp/synchronization/jobs", dropConnection: { probability: 1 }, maxFaults: 1 }],
        });
        const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim" });
        const log = await graphRequests();
        const creates = log.filter((r) => r.route === "servicePrincipals/:sp/synchronization/jobs" && r.method === "POST");
        assert.deepStrictEqual(
          creates.map((r) => r.status),
          [0, 201],
          "dropped, then sent once more",
        );
        const firstPost = log.indexOf(creates[0]);
        const secondPost = log.indexOf(creates[1]);
        assert.ok(
          log.slice(firstPost, secondPost).some((r) => r.method === "GET" && r.route === "servicePrincipals/:sp/synchronization/jobs"),
          "listed the jobs between the two POSTs",
        );
        assert.deepStrictEqual(
          (await jobList()).map((j) => j.id),
          [outs.jobId],
        );
      } finally {
        delete process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS;
        fixture().useClient(fixture().emulator.clients.admin);
      }
    });

    it("a job-creating POST that took effect although its answer was lost is not sent again", async () => {
      const proxy = await afterHandlingProxy(
        fixture().emulator.graphEndpoint,
        (method, path) => method === "POST" && /\/synchronization\/jobs$/.test(path),
        "drop connection",
      );
      try {
        process.env.ENTRA_SYNC_GRAPH_ENDPOINT = proxy.origin;
        resetConnectionSettings();
        const { id, outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim" });
        const creates = (await graphRequests()).filter((r) => r.route === "servicePrincipals/:sp/synchronization/jobs" && r.method === "POST");
        assert.deepStrictEqual(
          creates.map((r) => r.status),
          [201],
          "Graph created the job once; the provider never resent it",
        );
        assert.strictEqual(proxy.replaced(), 1);
        const live = await jobList();
        assert.deepStrictEqual(
          live.map((j) => j.id),
          [outs.jobId],
          "exactly one job, the one created by the lost request",
        );
        assert.strictEqual(id, `/servicePrincipals/${sp}/synchronization/jobs/${outs.jobId}`);
        assert.strictEqual(live[0].schedule.state, "Disabled", "starting it is the activation's work, after the engine saved the job");
      } finally {
        await proxy.close();
        fixture().useClient(fixture().emulator.clients.admin);
      }
    });

    it("create adopts a never-started job that appeared after its claim, as an interrupted create leaves behind", async () => {
      const { outs: claim } = await claims.create({ servicePrincipalId: sp, templateId: "scim" });
      const leftover = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" });
      assert.strictEqual(leftover.status, 201);
      since = (await control("GET", "/requests")).body.latestSeq;
      const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim", claim });
      assert.strictEqual(outs.jobId, leftover.body.id);
      assert.ok(!(await graphRequests()).some((r) => r.method === "POST" && r.route === "servicePrincipals/:sp/synchronization/jobs"));
      assert.deepStrictEqual(
        (await jobList()).map((j) => j.id),
        [leftover.body.id],
      );
      assert.ok(logLines.some((l) => l.includes(`adopting synchronization job ${leftover.body.id}`)));
      // A job this process has adopted is not adopted a second time: the next create makes its own.
      const second = await jobs.create({ servicePrincipalId: sp, templateId: "scim", claim });
      assert.notStrictEqual(second.outs.jobId, leftover.body.id);
      assert.strictEqual((await jobList()).length, 2);
    });

    describe("a job somebody else may own is never taken", () => {
      let claim: JobClaimOutputs;
      const newJob = async () => (await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" })).body.id as string;
      const jobPosts = async () => (await graphRequests()).filter((r) => r.method === "POST" && r.route === "servicePrincipals/:sp/synchronization/jobs");

      it("a never-started job that was there before the claim (the portal's, another stack's, a renamed resource's)", async () => {
        const existing = await newJob();
        claim = (await claims.create({ servicePrincipalId: sp, templateId: "scim" })).outs;
        assert.ok(claim.knownJobIds.includes(existing));
        since = (await control("GET", "/requests")).body.latestSeq;
        const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim", claim });
        assert.notStrictEqual(outs.jobId, existing);
        assert.strictEqual((await jobPosts()).length, 1, "a job of its own was created");
        assert.ok(
          logLines.some((l) => l.includes(existing) && l.includes("left alone")),
          "and the existing job was named",
        );
      });

      it("without a claim (a create that records none), no job is ever taken", async () => {
        const existing = await newJob();
        since = (await control("GET", "/requests")).body.latestSeq;
        const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim" });
        assert.notStrictEqual(outs.jobId, existing);
        assert.strictEqual((await jobPosts()).length, 1);
      });

      it("a job that appeared after the claim but has been started (somebody runs it)", async () => {
        claim = (await claims.create({ servicePrincipalId: sp, templateId: "scim" })).outs;
        const running = await newJob();
        assert.strictEqual((await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs/${running}/start`)).status, 204);
        const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim", claim });
        assert.notStrictEqual(outs.jobId, running);
      });

      it("a never-started job found more than a day after the claim", async () => {
        claim = (await claims.create({ servicePrincipalId: sp, templateId: "scim" })).outs;
        const late = await newJob();
        const dayAndSecondAgo = new Date(Date.parse(claim.claimedAt) - INTERRUPTED_CREATE_WINDOW_MS - 1000).toISOString();
        const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim", claim: { ...claim, claimedAt: dayAndSecondAgo } });
        assert.notStrictEqual(outs.jobId, late);
      });

      it("two never-started jobs after the claim: an error that names both, and nothing created", async () => {
        claim = (await claims.create({ servicePrincipalId: sp, templateId: "scim" })).outs;
        const [a, b] = [await newJob(), await newJob()];
        since = (await control("GET", "/requests")).body.latestSeq;
        await assert.rejects(jobs.create({ servicePrincipalId: sp, templateId: "scim", claim }), (e: Error) => {
          assert.strictEqual(e.name, "AmbiguousLeftoverError");
          assert.ok(e.message.includes(a) && e.message.includes(b), e.message);
          assert.strictEqual(e.stack, "", "a user-facing error: no stack trace");
          return true;
        });
        assert.deepStrictEqual(await jobPosts(), []);
      });
    });
  });
});
