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
 * The emulator's time is a ManualClock that only the test moves: a request held by an injected
 * latency or answer delay stays held, and a started job's first cycle (8 s after the start) does not
 * run, until the test says. So each kill lands at its point however slow the machine is, and the
 * killed run's held request is let go (and logged) before the next run's requests are looked at.
 */

import * as assert from "assert";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { ManualClock } from "../../emulator/index";
import type { RequestLogEntry as LogEntry } from "../../emulator/control/request-log";
import { useEmulator } from "../support/emulator";
import { killUpWhen as killUp, waitFor } from "../support/kill";
import { RequestLogCursor } from "../support/request-log";
import { createTestStack, scimAppConfig, type TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");
const JOBS_ROUTE = "servicePrincipals/:sp/synchronization/jobs";
const JOB_ROUTE = "servicePrincipals/:sp/synchronization/jobs/:job";
const START_ROUTE = "servicePrincipals/:sp/synchronization/jobs/:job/start";
/** Graph's "no time" in job status. */
const NEVER = "0001-01-01T00:00:00Z";
/** The first cycle's delay after a start, on the emulator's clock. */
const CYCLE_DELAY_MS = 8_000;
/** How long the faults below hold a request, on the emulator's clock. */
const HOLD_MS = 20_000;

interface LiveJob {
  id: string;
  schedule: { state: string };
  status: { code: string; lastExecution: { timeEnded: string } | null };
}

describe("e2e: pulumi up killed mid-run", function () {
  this.timeout(10 * 60_000);
  const clock = new ManualClock();
  const fixture = useEmulator({ clock, cycleDelayMs: CYCLE_DELAY_MS });
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

  /** The emulator gives up on the killed run's held request: its hold ends, with no one to answer. */
  async function releaseHeld(): Promise<void> {
    await clock.advance(HOLD_MS);
  }

  /**
   * `pulumi up` again (and `meanwhile`, while it runs); the requests it made and what it printed.
   * The killed run's requests were all logged before: its held one was released.
   */
  async function upAgain(meanwhile?: () => Promise<void>): Promise<{ requests: LogEntry[]; printed: string }> {
    await requestLog.mark();
    let printed = "";
    const [up] = await Promise.all([stack.up({ onOutput: (s) => (printed += s) }), meanwhile?.()]);
    assert.strictEqual(up.summary.result, "succeeded");
    return { requests: await requestLog.since(), printed };
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
    await control("PUT", "/faults", { rules: [{ method: "POST", path: JOBS_ROUTE, answerDelay: { ms: HOLD_MS } }] });
    await killUpWhen(async () => (await jobs()).length === 1);
    const [orphan] = await jobs();
    assert.strictEqual(orphan.schedule.state, "Disabled", "nothing started it");
    assert.deepStrictEqual(
      await stateTypes(),
      ["SynchronizationJobClaim", "SynchronizationSecrets", "SynchronizationSecretsRevision"],
      "the engine has no id for it, and saved the claim before the create",
    );

    await releaseHeld();
    const { requests, printed } = await upAgain();
    const live = await jobs();
    assert.deepStrictEqual(
      live.map((j) => j.id),
      [orphan.id],
      "the same job, and only it",
    );
    assert.strictEqual(live[0].schedule.state, "Active");
    assert.deepStrictEqual(posts(requests, JOBS_ROUTE), [], "no second job was created");
    assert.match(printed, new RegExp(`adopting synchronization job ${orphan.id.replace(/\./g, "\\.")}`));
    assert.strictEqual((await stack.outputs()).jobId.value, orphan.id);
  });

  it("killed while the job was being started: the next up starts the job the stack already has", async () => {
    // Hold the start before Graph handles it.
    await control("PUT", "/faults", { rules: [{ method: "POST", path: START_ROUTE, latency: { ms: HOLD_MS } }] });
    await requestLog.mark();
    const timers = clock.pendingTimers;
    await killUpWhen(async () => {
      // The activation reads the job just before starting it; the start has reached the emulator
      // once its latency waits on the clock (the only timer this run sets before the start is answered).
      const read = (await requestLog.since()).some((r) => r.method === "GET" && r.route === JOB_ROUTE && r.status === 200);
      return read && clock.pendingTimers > timers;
    });
    const [job] = await jobs();
    assert.strictEqual(job.schedule.state, "Disabled", "the start never reached Graph");
    assert.deepStrictEqual(
      await stateTypes(),
      ["SynchronizationJob", "SynchronizationJobClaim", "SynchronizationSecrets", "SynchronizationSecretsRevision"],
      "the job was saved before the start",
    );

    await releaseHeld();
    const { requests } = await upAgain();
    const live = await jobs();
    assert.deepStrictEqual(
      live.map((j) => j.id),
      [job.id],
    );
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

      // The first cycle runs once the new run has read the job, so it ends while that run waits.
      const { requests, printed } = await upAgain(async () => {
        await waitFor(async () => (await requestLog.since()).some((r) => r.method === "GET" && r.route === JOB_ROUTE), "the next run to read the job");
        await clock.advance(CYCLE_DELAY_MS);
      });
      const live = await jobs();
      assert.deepStrictEqual(
        live.map((j) => j.id),
        [job.id],
        "exactly one job: the one the killed run created",
      );
      assert.deepStrictEqual(posts(requests, JOBS_ROUTE), [], "no job was created");
      assert.deepStrictEqual(posts(requests, START_ROUTE), [], "the running job was not started again");
      assert.match(printed, /reached the end of its initial cycle/);
      assert.strictEqual((await stack.outputs()).jobStatus.value, "Active");
    } finally {
      await stack.removeConfig("waitFor");
    }
  });
});
