/**
 * End to end, through the real Pulumi CLI and engine: what users see when Graph refuses, and that a
 * failure never leaves a job the stack does not know about.
 *
 *  - 401 / 403 / 404 on `pulumi up`: one clear error with Graph's code, request-id and what to do;
 *    no stack trace of the provider's internals; nothing written to state.
 *  - read and delete errors (refresh, destroy): same, although the dynamic-provider host prints
 *    those to stderr itself.
 *  - a start that fails after the job was created: the job is in state (its activation is not),
 *    the next `pulumi up` starts it, and Graph has exactly one job.
 * A `pulumi up` killed mid-run is interrupted.test.ts.
 */

import * as assert from "assert";
import * as crypto from "crypto";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { RequestLogCursor } from "../support/request-log";
import { createTestStack, graphObjectResources, type TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");
const JOBS_ROUTE = "servicePrincipals/:sp/synchronization/jobs";
const START_ROUTE = "servicePrincipals/:sp/synchronization/jobs/:job/start";

/** A line of a Node stack trace ("    at fn (/path/file.js:10:5)"): users must not see ours. */
const STACK_FRAME = /^\s+at .*(provider[\\/](graph|resources)|dist[\\/]provider|<anonymous>)/m;

describe("e2e: failures through the Pulumi CLI", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  let testStack: TestStack;
  let stack: Stack;
  let sp: string;
  const requestLog = new RequestLogCursor(() => fixture().graph);

  const control = (method: string, p: string, body?: unknown) => fixture().graph.control(method, p, body);
  const jobs = async (): Promise<{ id: string; schedule: { state: string } }[]> =>
    (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`)).body.value;
  const ourResources = () => graphObjectResources(stack);

  type Operation = (opts: { onOutput: (s: string) => void }) => Promise<unknown>;

  /** Run a Pulumi operation, expect it to fail, and return everything the CLI printed. */
  async function failing(operation: Operation): Promise<string> {
    let printed = "";
    try {
      await operation({ onOutput: (s) => (printed += s) });
    } catch (e) {
      return `${printed}\n${(e as Error).message}`;
    }
    assert.fail(`the operation succeeded:\n${printed}`);
  }

  const failingUp = () => failing((opts) => stack.up(opts));

  /** Make every `method` on a job answer 503 (with a short Retry-After, so retries are quick). */
  const jobCallsUnavailable = (method: string) =>
    control("PUT", "/faults", {
      rules: [{ method, path: `${JOBS_ROUTE}/:job`, serviceUnavailable: { probability: 1, retryAfterMs: 20 } }],
    });

  function assertNoInternalStack(printed: string): void {
    assert.ok(!STACK_FRAME.test(printed), `the CLI printed a stack trace of the provider:\n${printed}`);
  }

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    testStack = await createTestStack(repoRoot, `failures-${process.pid}`, emulator);
    stack = testStack.stack;
    // Short bounds keep the failing runs quick; they are what a user would set, too.
    Object.assign(stack.workspace.envVars, { ENTRA_SYNC_MAX_RETRIES: "2", ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS: "10" });
    await stack.setAllConfig({
      servicePrincipalId: { value: sp },
      scimBaseAddress: { value: "https://scim.failures.test/scim" },
      scimToken: { value: "failures-token", secret: true },
    });
  });

  after(async () => {
    await testStack?.dispose();
  });

  afterEach(async () => {
    await control("DELETE", "/faults");
  });

  describe("refusals on pulumi up save no resource to state (the records saved before a write excepted)", () => {
    afterEach(async () => {
      await stack.removeAllConfig(["entra-sync:tenantId", "entra-sync:clientId", "entra-sync:clientSecret"]);
      await stack.setConfig("servicePrincipalId", { value: sp });
    });

    it("403: names the permission to grant, with Graph's code and request-id, each request sent once", async () => {
      const noRole = fixture().emulator.clients.noRole;
      // A sign-in in stack config is read whole: the tenant too, never the environment's.
      await stack.setAllConfig({
        "entra-sync:tenantId": { value: fixture().emulator.tenantId },
        "entra-sync:clientId": { value: noRole.clientId },
        "entra-sync:clientSecret": { value: noRole.clientSecret, secret: true },
      });
      await requestLog.mark();
      const printed = await failingUp();
      const graph = (await requestLog.since()).filter((r) => r.kind === "graph");
      assert.ok(graph.length > 0 && graph.every((r) => r.status === 403), "Graph refused every call");
      assert.strictEqual(new Set(graph.map((r) => `${r.method} ${r.route}`)).size, graph.length, "403 is never retried");
      assert.match(printed, /403 Authorization_RequestDenied: Insufficient privileges to complete the operation/);
      assert.match(printed, /grant it the Microsoft Graph application permission Synchronization\.ReadWrite\.All/);
      assert.ok(printed.includes(`request-id ${graph[0].requestId}`), "the request-id of the refused call is printed");
      assertNoInternalStack(printed);
      assert.deepStrictEqual(await ourResources(), []);
    });

    it("401: a wrong client secret is named as such, and Graph is never called", async () => {
      await stack.setAllConfig({
        "entra-sync:tenantId": { value: fixture().emulator.tenantId },
        "entra-sync:clientId": { value: fixture().emulator.clients.admin.clientId },
        "entra-sync:clientSecret": { value: "not-the-secret", secret: true },
      });
      await requestLog.mark();
      const printed = await failingUp();
      const log = await requestLog.since();
      assert.strictEqual(log.filter((r) => r.kind === "graph").length, 0);
      assert.ok(log.filter((r) => r.kind === "oauth" && r.method === "POST").every((r) => r.status === 401));
      assert.match(printed, /could not get an access token .*AADSTS7000215: Invalid client secret provided/);
      assert.match(printed, /The client secret is wrong/);
      assert.ok(!printed.includes("not-the-secret"));
      assertNoInternalStack(printed);
      assert.deepStrictEqual(await ourResources(), []);
    });

    it("a client secret in stack config is never combined with the environment's client id: refused, naming both", async () => {
      await stack.setConfig("entra-sync:clientSecret", { value: "config-only-secret", secret: true });
      await requestLog.mark();
      const printed = await failingUp();
      assert.match(printed, /entra-sync:clientSecret is set, but the client id comes from AZURE_CLIENT_ID/);
      assert.deepStrictEqual(await requestLog.since(), [], "no sign-in was tried");
      assert.ok(!printed.includes("config-only-secret"));
      assertNoInternalStack(printed);
      assert.deepStrictEqual(await ourResources(), []);
    });

    it("404: a wrong servicePrincipalId is named, after one request", async () => {
      const wrong = crypto.randomUUID();
      await stack.setConfig("servicePrincipalId", { value: wrong });
      await requestLog.mark();
      const printed = await failingUp();
      const graph = (await requestLog.since()).filter((r) => r.kind === "graph");
      assert.ok(graph.every((r) => r.status === 404));
      assert.strictEqual(new Set(graph.map((r) => `${r.method} ${r.route}`)).size, graph.length, "404 is never retried");
      assert.ok(printed.includes(`Check servicePrincipalId "${wrong}"`), printed);
      assert.match(printed, /request-id [0-9a-f-]{36}/);
      assertNoInternalStack(printed);
      assert.deepStrictEqual(await ourResources(), []);
    });
  });

  describe("a create that fails half way", () => {
    let partialJobId: string;

    it("keeps the created job in state when its start fails, and says so", async () => {
      await control("PUT", "/faults", {
        rules: [{ method: "POST", path: START_ROUTE, serviceUnavailable: { probability: 1, retryAfterMs: 20 } }],
      });
      await requestLog.mark();
      const printed = await failingUp();
      const starts = (await requestLog.since()).filter((r) => r.route === START_ROUTE);
      assert.strictEqual(starts.length, 3, "start was tried 1 + entra-sync:maxRetries (2) times");
      assert.match(printed, /start synchronization job \S+ failed: POST \S+\/start returned 503 serviceNotAvailable/);
      assert.match(printed, /tried 3 times/);
      assertNoInternalStack(printed);

      const live = await jobs();
      assert.strictEqual(live.length, 1, "one job exists");
      partialJobId = live[0].id;
      // The engine saved the job before its activation (the start) ran: the job is in state, whole.
      const resources = await ourResources();
      const job = resources.find((r: { type: string }) => r.type.endsWith(":SynchronizationJob"));
      assert.ok(job, "the job is in state although starting it failed");
      assert.strictEqual(job.id, `/servicePrincipals/${sp}/synchronization/jobs/${partialJobId}`);
      assert.strictEqual(job.outputs.jobId, partialJobId);
      assert.deepStrictEqual(job.initErrors ?? [], []);
      assert.ok(!resources.some((r: { type: string }) => r.type.endsWith(":SynchronizationJobActivation")), "the failed activation is not");
    });

    it("the next pulumi up starts that job instead of creating another", async () => {
      await requestLog.mark();
      const up = await stack.up();
      assert.strictEqual(up.summary.result, "succeeded");
      const live = await jobs();
      assert.deepStrictEqual(
        live.map((j) => j.id),
        [partialJobId],
      );
      assert.strictEqual(live[0].schedule.state, "Active");
      assert.strictEqual((await stack.outputs()).jobId.value, partialJobId);
      assert.ok(!(await requestLog.since()).some((r) => r.method === "POST" && r.route === JOBS_ROUTE), "no job was created");
    });

    it("a refresh whose reads fail prints the error, not a stack trace", async () => {
      await jobCallsUnavailable("GET");
      const printed = await failing((opts) => stack.refresh(opts));
      assert.match(printed, /read synchronization job \S+ failed: GET \S+ returned 503 serviceNotAvailable/);
      assert.match(printed, /GraphRequestError: read synchronization job/, "the host's stderr line is the message");
      assertNoInternalStack(printed);
    });

    it("a destroy whose delete fails keeps the job in state, and prints no stack trace", async () => {
      await jobCallsUnavailable("DELETE");
      const printed = await failing((opts) => stack.destroy(opts));
      assert.match(printed, /delete synchronization job \S+ failed: DELETE \S+ returned 503/);
      assertNoInternalStack(printed);
      assert.ok((await ourResources()).some((r: { type: string }) => r.type.endsWith(":SynchronizationJob")));
      await control("DELETE", "/faults");
      await stack.destroy();
      assert.deepStrictEqual(await jobs(), []);
    });
  });
});
