/**
 * End to end, through the real Pulumi CLI: `pulumi up` killed with SIGKILL (a CI timeout, a lost
 * runner) at each point of a job's creation, then the documented recovery (`pulumi cancel`, which
 * the CLI asks for because the file backend's lock outlives the process, and `pulumi up` again)
 * converges on exactly one job, the one the killed run created:
 *
 *  1. after Graph created the job and before the engine saved it: the next create adopts the
 *     never-started job (job-creation.ts);
 *  2. while the job was being started: the engine had saved the job; the next run only starts it;
 *  3. after the start succeeded, while waiting for the first cycle: the next run neither creates
 *     nor starts anything, and waits for that cycle (job-activation.ts).
 *
 * The emulator runs the first cycle 8 s after a start, so a run that waits for it is still
 * waiting when it is killed.
 */

import * as assert from "assert";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import type { RequestLogEntry as LogEntry } from "../../emulator/control/request-log";
import { useEmulator } from "../support/emulator";
import { killUpWhen as killUp } from "../support/kill";
import { RequestLogCursor } from "../support/request-log";
import { createTestStack, scimAppConfig, TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");
const JOBS_ROUTE = "servicePrincipals/:sp/synchronization/jobs";
const JOB_ROUTE = "servicePrincipals/:sp/synchronization/jobs/:job";
const START_ROUTE = "servicePrincipals/:sp/synchronization/jobs/:job/start";
/** Graph's "no time" in job status. */
const NEVER = "0001-01-01T00:00:00Z";

interface LiveJob {
  id: string;
  schedule: { state: string };
  status: { code: string; lastExecution: { timeEnded: string } | null };
}

describe("e2e: pulumi up killed mid-run", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator({ cycleDelayMs: 8_000 });
  let testStack: TestStack;
  let stack: Stack;
  let sp: string;
  const requestLog = new RequestLogCursor(() => fixture().graph);

  const control = (method: string, p: string, body?: unknown) => fixture().graph.control(method, p, body);
  const jobs = async (): Promise<LiveJob[]> => (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`)).body.value;
  const stateTypes = async () =>
    (await stack.exportStack()).deployment.resources
      .map((r: { type: string }) => r.type)
      .filter((t: string) => t.startsWith("pulumi-nodejs:dynamic/entra-sync:"))
      .map((t: string) => t.split(":").pop())
      .sort();

  /** `pulumi up` killed at `moment`, then the documented recovery's first step (`pulumi cancel`). */
  async function killUpWhen(moment: () => Promise<boolean>): Promise<void> {
    try {
      await killUp(stack, repoRoot, moment);
    } finally {
      await control("DELETE", "/faults");
    }
    await stack.cancel();
  }

  /** `pulumi up` again; the requests it made and what it printed. */
  async function upAgain(): Promise<{ requests: LogEntry[]; printed: string }> {
    await requestLog.mark();
    const began = Date.now();
    let printed = "";
    const up = await stack.up({ onOutput: (s) => (printed += s) });
    assert.strictEqual(up.summary.result, "succeeded");
    // A request of the killed run is logged when the emulator gives up on it, possibly during this run.
    const requests = (await requestLog.since()).filter((r) => Date.parse(r.startedAt) >= began);
    return { requests, printed };
  }

  const posts = (requests: LogEntry[], route: string) => requests.filter((r) => r.method === "POST" && r.route === route);

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    testStack = await createTestStack(repoRoot, `interrupted-${process.pid}`, emulator);
    stack = testStack.stack;
    await stack.setAllConfig(scimAppConfig(emulator));
  });

  after(async () => {
    await testStack?.dispose();
  });

  afterEach(async () => {
    await control("DELETE", "/faults");
    await stack.destroy();
    assert.deepStrictEqual(await jobs(), [], "destroy leaves no job");
  });

  it("killed after Graph created the job, before the engine saved it: the next up adopts that job", async () => {
    // Graph creates the job, then holds the answer: the engine never learns the id.
    await control("PUT", "/faults", { rules: [{ method: "POST", path: JOBS_ROUTE, answerDelay: { ms: 20_000 } }] });
    await killUpWhen(async () => (await jobs()).length === 1);
    const [orphan] = await jobs();
    assert.strictEqual(orphan.schedule.state, "Disabled", "nothing started it");
    assert.deepStrictEqual(
      await stateTypes(),
      ["SynchronizationJobClaim", "SynchronizationSecrets", "SynchronizationSecretsRevision"],
      "the engine has no id for it, and saved the claim before the create",
    );

    const { requests, printed } = await upAgain();
    const live = await jobs();
    assert.deepStrictEqual(live.map((j) => j.id), [orphan.id], "the same job, and only it");
    assert.strictEqual(live[0].schedule.state, "Active");
    assert.deepStrictEqual(posts(requests, JOBS_ROUTE), [], "no second job was created");
    assert.match(printed, new RegExp(`adopting synchronization job ${orphan.id.replace(/\./g, "\\.")}`));
    assert.strictEqual((await stack.outputs()).jobId.value, orphan.id);
  });

  it("killed while the job was being started: the next up starts the job the stack already has", async () => {
    // Hold the start before Graph handles it.
    await control("PUT", "/faults", { rules: [{ method: "POST", path: START_ROUTE, latency: { ms: 20_000 } }] });
    await requestLog.mark();
    await killUpWhen(async () => {
      // The activation reads the job just before starting it; give the start a moment to be sent.
      const read = (await requestLog.since()).some((r) => r.method === "GET" && r.route === JOB_ROUTE && r.status === 200);
      if (read) await new Promise((resolve) => setTimeout(resolve, 500));
      return read;
    });
    const [job] = await jobs();
    assert.strictEqual(job.schedule.state, "Disabled", "the start never reached Graph");
    assert.deepStrictEqual(
      await stateTypes(),
      ["SynchronizationJob", "SynchronizationJobClaim", "SynchronizationSecrets", "SynchronizationSecretsRevision"],
      "the job was saved before the start",
    );

    const { requests } = await upAgain();
    const live = await jobs();
    assert.deepStrictEqual(live.map((j) => j.id), [job.id]);
    assert.strictEqual(live[0].schedule.state, "Active");
    assert.deepStrictEqual(posts(requests, JOBS_ROUTE), []);
    assert.strictEqual(posts(requests, START_ROUTE).length, 1);
    assert.deepStrictEqual(await stateTypes(), [
      "SynchronizationJob",
      "SynchronizationJobActivation",
      "SynchronizationJobClaim",
      "SynchronizationSecrets",
      "SynchronizationSecretsRevision",
    ]);
  });

  it("killed after the start, while waiting for the first cycle: the next up creates and starts nothing, and finishes the wait", async () => {
    await stack.setConfig("waitFor", { value: "initialCycle" });
    try {
      await requestLog.mark();
      await killUpWhen(async () => posts(await requestLog.since(), START_ROUTE).some((r) => r.status === 204));
      const [job] = await jobs();
      assert.strictEqual(job.schedule.state, "Active", "the killed run had started the job");
      const ended = job.status.lastExecution?.timeEnded;
      assert.ok(!ended || ended === NEVER, `and its first cycle had not ended (timeEnded ${ended})`);

      const { requests, printed } = await upAgain();
      const live = await jobs();
      assert.deepStrictEqual(live.map((j) => j.id), [job.id], "exactly one job: the one the killed run created");
      assert.deepStrictEqual(posts(requests, JOBS_ROUTE), [], "no job was created");
      assert.deepStrictEqual(posts(requests, START_ROUTE), [], "the running job was not started again");
      assert.match(printed, /reached the end of its initial cycle/);
      assert.strictEqual((await stack.outputs()).jobStatus.value, "Active");
    } finally {
      await stack.removeConfig("waitFor");
    }
  });
});
