/**
 * End to end, through the real Pulumi CLI and engine: what users see when Graph refuses, and that a
 * failure never leaves a job the stack does not know about.
 *
 *  - 401 / 403 / 404 on `pulumi up`: one clear error with Graph's code, request-id and what to do;
 *    no stack trace of the provider's internals; nothing written to state.
 *  - read and delete errors (refresh, destroy): same, although the dynamic-provider host prints
 *    those to stderr itself.
 *  - a create that fails after the job was created (start refused): the engine records the job
 *    (PartialCreateError -> ErrorResourceInitFailed), the next `pulumi up` finishes it, and Graph has
 *    exactly one job.
 *  - `pulumi up` killed with SIGKILL between creating and starting the job: the next `pulumi up`
 *    converges on that job instead of creating a second one.
 */

import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import type { RequestLogEntry as LogEntry } from "../../emulator/request-log";
import { useEmulator } from "../support/emulator";
import { createTestStack, TestStack } from "../support/pulumi";

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
  let since = 0;

  const control = (method: string, p: string, body?: unknown) => fixture().graph.control(method, p, body);
  const requestsSince = async (): Promise<LogEntry[]> => (await control("GET", `/requests?since=${since}`)).body.value;
  const markRequests = async () => {
    since = (await control("GET", "/requests")).body.latestSeq;
  };
  const jobs = async (): Promise<{ id: string; schedule: { state: string } }[]> =>
    (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`)).body.value;
  const ourResources = async () =>
    (await stack.exportStack()).deployment.resources.filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic/entra-sync:"));

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

  describe("refusals on pulumi up write nothing to state", () => {
    afterEach(async () => {
      await stack.removeAllConfig(["entra-sync:clientId", "entra-sync:clientSecret"]);
      await stack.setConfig("servicePrincipalId", { value: sp });
    });

    it("403: names the permission to grant, with Graph's code and request-id, each request sent once", async () => {
      const noRole = fixture().emulator.clients.noRole;
      await stack.setAllConfig({
        "entra-sync:clientId": { value: noRole.clientId },
        "entra-sync:clientSecret": { value: noRole.clientSecret, secret: true },
      });
      await markRequests();
      const printed = await failingUp();
      const graph = (await requestsSince()).filter((r) => r.kind === "graph");
      assert.ok(graph.length > 0 && graph.every((r) => r.status === 403), "Graph refused every call");
      assert.strictEqual(new Set(graph.map((r) => `${r.method} ${r.route}`)).size, graph.length, "403 is never retried");
      assert.match(printed, /403 Authorization_RequestDenied: Insufficient privileges to complete the operation/);
      assert.match(printed, /grant it the Microsoft Graph application permission Synchronization\.ReadWrite\.All/);
      assert.ok(printed.includes(`request-id ${graph[0].requestId}`), "the request-id of the refused call is printed");
      assertNoInternalStack(printed);
      assert.deepStrictEqual(await ourResources(), []);
    });

    it("401: a wrong client secret is named as such, and Graph is never called", async () => {
      await stack.setConfig("entra-sync:clientSecret", { value: "not-the-secret", secret: true });
      await markRequests();
      const printed = await failingUp();
      const log = await requestsSince();
      assert.strictEqual(log.filter((r) => r.kind === "graph").length, 0);
      assert.ok(log.filter((r) => r.kind === "oauth" && r.method === "POST").every((r) => r.status === 401));
      assert.match(printed, /could not get an access token .*AADSTS7000215: Invalid client secret provided/);
      assert.match(printed, /The client secret is wrong/);
      assert.ok(!printed.includes("not-the-secret"));
      assertNoInternalStack(printed);
      assert.deepStrictEqual(await ourResources(), []);
    });

    it("404: a wrong servicePrincipalId is named, after one request", async () => {
      const wrong = crypto.randomUUID();
      await stack.setConfig("servicePrincipalId", { value: wrong });
      await markRequests();
      const printed = await failingUp();
      const graph = (await requestsSince()).filter((r) => r.kind === "graph");
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

    it("records the created job in state when its start fails, and says so", async () => {
      await control("PUT", "/faults", {
        rules: [{ method: "POST", path: START_ROUTE, serviceUnavailable: { probability: 1, retryAfterMs: 20 } }],
      });
      await markRequests();
      const printed = await failingUp();
      const starts = (await requestsSince()).filter((r) => r.route === START_ROUTE);
      assert.strictEqual(starts.length, 3, "start was tried 1 + entra-sync:maxRetries (2) times");
      assert.match(printed, /start synchronization job \S+ failed: POST \S+\/start returned 503 serviceNotAvailable/);
      assert.match(printed, /tried 3 times/);
      assert.match(printed, /the object was created with id \/servicePrincipals\/\S+\/synchronization\/jobs\/\S+; the next `pulumi up` will finish it/);
      assertNoInternalStack(printed);

      const live = await jobs();
      assert.strictEqual(live.length, 1, "one job exists");
      partialJobId = live[0].id;
      const job = (await ourResources()).find((r: { type: string }) => r.type.endsWith(":SynchronizationJob"));
      assert.ok(job, "the job is in state although its create failed");
      assert.strictEqual(job.id, `/servicePrincipals/${sp}/synchronization/jobs/${partialJobId}`);
      assert.strictEqual(job.outputs.jobId, partialJobId);
      assert.strictEqual(typeof job.outputs.__provider, "string", "read and delete can load the handler");
      assert.ok((job.initErrors ?? []).length > 0, "the engine marked it as not fully initialized");
    });

    it("the next pulumi up finishes that job instead of creating another", async () => {
      await markRequests();
      const up = await stack.up();
      assert.strictEqual(up.summary.result, "succeeded");
      const live = await jobs();
      assert.deepStrictEqual(live.map((j) => j.id), [partialJobId]);
      assert.strictEqual(live[0].schedule.state, "Active");
      assert.strictEqual((await stack.outputs()).jobId.value, partialJobId);
      assert.ok(!(await requestsSince()).some((r) => r.method === "POST" && r.route === JOBS_ROUTE), "no job was created");
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

  describe("pulumi up killed mid-create", () => {
    it("converges on the job the killed run created, without a duplicate", async () => {
      // Hold the start request long enough to kill the CLI while create is between POST and start.
      await control("PUT", "/faults", { rules: [{ method: "POST", path: START_ROUTE, latency: { ms: 60_000 } }] });
      await markRequests();
      const env = { ...process.env, ...stack.workspace.envVars } as NodeJS.ProcessEnv;
      const cli = spawn(
        path.join(process.env.ENTRA_SYNC_PULUMI_ROOT!, "bin", "pulumi"),
        ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.name, "--cwd", repoRoot],
        { env, stdio: "ignore" },
      );
      const exited = new Promise<void>((resolve) => cli.on("exit", () => resolve()));
      try {
        await waitFor(async () => (await requestsSince()).some((r) => r.method === "POST" && r.route === JOBS_ROUTE && r.status === 201));
        await new Promise((resolve) => setTimeout(resolve, 500)); // let the start request reach the emulator's delay
      } finally {
        // The CLI and every process it started (its plugins run in process groups of their own), all at once.
        for (const pid of [cli.pid!, ...descendants(cli.pid!)]) process.kill(pid, "SIGKILL");
        await exited;
      }
      await control("DELETE", "/faults");
      const orphan = await jobs();
      assert.strictEqual(orphan.length, 1, "the killed run created a job");
      assert.strictEqual(orphan[0].schedule.state, "Disabled", "and was killed before starting it");
      // What the CLI asks for after a killed run: the file backend's lock outlives the process.
      await stack.cancel();

      await markRequests();
      let printed = "";
      const up = await stack.up({ onOutput: (s) => (printed += s) });
      assert.strictEqual(up.summary.result, "succeeded");
      const live = await jobs();
      assert.deepStrictEqual(live.map((j) => j.id), [orphan[0].id], "the same job, and only it");
      assert.strictEqual(live[0].schedule.state, "Active");
      assert.ok(!(await requestsSince()).some((r) => r.method === "POST" && r.route === JOBS_ROUTE), "no second job was created");
      assert.match(printed, /adopting synchronization job/);
    });
  });
});

/** Every process below `pid`, from `ps` (Linux and macOS). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" }).split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child && parent) children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      visit(c);
    }
  };
  visit(pid);
  return found;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let interval = 100; ; interval = Math.min(interval * 2, 1000)) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error("timed out waiting for the killed run to create its job");
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
