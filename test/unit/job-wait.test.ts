/**
 * SynchronizationJob.waitFor: when a started or restarted job counts as having ended its cycle or
 * reached steady state, with a fake clock and scripted job reads.
 */

import * as assert from "assert";
import type { SynchronizationJob } from "../../provider/graph/types";
import { jobStatusOf } from "../../provider/handlers/job-status";
import { baselineOf, judge, waitForJob } from "../../provider/handlers/job-wait";
import { checkWaitTimeout, MAX_WAIT_TIMEOUT_SECONDS } from "../../provider/settings/wait-for";
import { type CheckFailure, UNKNOWN } from "../../provider/validation";

const NEVER = "0001-01-01T00:00:00Z";

function job(code: string, last?: { id: string | null; ended: string; state?: string }, steady = NEVER, quarantined = false): SynchronizationJob {
  return {
    id: "scim.1",
    templateId: "scim",
    schedule: { state: "Active", interval: "PT40M", expiration: null },
    synchronizationJobSettings: [],
    status: {
      code: code as SynchronizationJob["status"]["code"],
      countSuccessiveCompleteFailures: 0,
      escrowsPruned: false,
      lastExecution: last
        ? ({
            activityIdentifier: last.id,
            timeEnded: last.ended,
            timeBegan: last.ended,
            state: last.state ?? "Succeeded",
            countImported: 3,
            countExported: 2,
            countEscrowed: 0,
            error: null,
          } as never)
        : null,
      lastSuccessfulExecution: null,
      lastSuccessfulExecutionWithExports: null,
      progress: [],
      quarantine: quarantined
        ? {
            reason: "EncounteredQuarantineException",
            seriesCount: 0,
            currentBegan: null,
            nextAttempt: null,
            seriesBegan: null,
            error: { code: "BadCredentials", message: "401 from target", tenantActionable: true },
          }
        : null,
      steadyStateFirstAchievedTime: steady,
      steadyStateLastAchievedTime: steady,
      synchronizedEntryCountByType: [],
      troubleshootingUrl: null,
    },
  };
}

function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe("job wait", () => {
  const fresh = baselineOf(job("NotConfigured"));

  it("does not take the placeholder execution shown right after start for a finished cycle", () => {
    const placeholder = job("NotRun", { id: null, ended: NEVER, state: "Failed" });
    assert.deepStrictEqual(judge(placeholder, fresh, "initialCycle", true), { done: false });
  });

  it("ends the initial-cycle wait when a new execution has ended", () => {
    assert.deepStrictEqual(judge(job("Active", { id: "a1", ended: "2026-01-01T00:00:00Z" }), fresh, "initialCycle", true), { done: true });
  });

  it("after a restart, only an execution other than the one before counts", () => {
    const before = job("Active", { id: "a1", ended: "2026-01-01T00:00:00Z" }, "2026-01-01T00:00:00Z");
    const baseline = baselineOf(before);
    assert.deepStrictEqual(judge(before, baseline, "initialCycle", true), { done: false });
    const after = job("Active", { id: "a2", ended: "2026-01-01T00:05:00Z" }, "2026-01-01T00:05:00Z");
    assert.deepStrictEqual(judge(after, baseline, "initialCycle", true), { done: true });
    assert.deepStrictEqual(judge(after, baseline, "steadyState", true), { done: true });
    const notSteady = job("Active", { id: "a2", ended: "2026-01-01T00:05:00Z" }, "2026-01-01T00:00:00Z");
    assert.deepStrictEqual(judge(notSteady, baseline, "steadyState", true), { done: false });
  });

  it("fails with Graph's quarantine reason and error when the new cycle quarantines the job", () => {
    const v = judge(job("Quarantine", { id: "a1", ended: "2026-01-01T00:00:00Z", state: "Failed" }, NEVER, true), fresh, "initialCycle", true);
    assert.strictEqual(v.done, false);
    assert.match((v as { failure?: string }).failure ?? "", /EncounteredQuarantineException.*BadCredentials: 401 from target/);
  });

  it("quotes Graph's error without the credentials of the target URL in it, in the failure and the status", () => {
    const quarantined = job("Quarantine", { id: "a1", ended: "2026-01-01T00:00:00Z", state: "Failed" }, NEVER, true);
    const message = "401 from Resource: https://user:pw-canary@scim.example.com/scim?token=q-canary&filter=x";
    quarantined.status.quarantine!.error!.message = message;
    (quarantined.status.lastExecution as { error: unknown }).error = { code: "BadCredentials", message, tenantActionable: true };
    const failure = (judge(quarantined, fresh, "initialCycle", true) as { failure?: string }).failure ?? "";
    const status = jobStatusOf(quarantined);
    for (const text of [failure, status.quarantine!.errorMessage!, status.lastExecution!.errorMessage!]) {
      assert.match(text, /BadCredentials|401 from/);
      assert.ok(text.includes("Resource: https://***@scim.example.com/scim?token=***&filter=***"), text);
      assert.ok(!/canary/.test(text), text);
    }
    const failedCycle = job("Active", { id: "a1", ended: "2026-01-01T00:00:00Z", state: "Failed" });
    (failedCycle.status.lastExecution as { error: unknown }).error = { code: "X", message, tenantActionable: true };
    assert.ok(!/canary/.test((judge(failedCycle, fresh, "initialCycle", true) as { failure?: string }).failure ?? "canary"));
  });

  it("fails when a job seen running is paused, but not on a first stale read", () => {
    const paused = { ...job("Paused"), schedule: { state: "Disabled" as const, interval: "x", expiration: null } };
    assert.deepStrictEqual(judge(paused, fresh, "initialCycle", false), { done: false });
    assert.match((judge(paused, fresh, "initialCycle", true) as { failure?: string }).failure ?? "", /not running/);
  });

  it("polls until done, reporting each new status once", async () => {
    const reads = [job("NotRun"), job("NotRun"), job("Active", { id: "a1", ended: "2026-01-01T00:00:00Z" })];
    const lines: string[] = [];
    const done = await waitForJob({
      jobId: "scim.1",
      target: "initialCycle",
      timeoutSeconds: 60,
      baseline: fresh,
      getJob: async () => reads.shift() ?? reads[reads.length - 1],
      report: (m) => lines.push(m),
      ...fakeClock(),
    });
    assert.strictEqual(done.status.code, "Active");
    assert.strictEqual(lines.length, 3, lines.join("\n"));
    assert.match(lines[0], /waiting for its initial cycle to end \(up to 60s\)/);
    assert.match(lines[1], /status NotRun/);
    assert.match(lines[2], /reached the end of its initial cycle: status Active, last cycle Succeeded: 3 imported, 2 exported/);
  });

  it("fails at the deadline with the last status", async () => {
    await assert.rejects(
      waitForJob({
        jobId: "scim.1",
        target: "steadyState",
        timeoutSeconds: 5,
        baseline: fresh,
        getJob: async () => job("NotRun"),
        report: () => undefined,
        ...fakeClock(),
      }),
      /did not reach steadyState within waitTimeoutSeconds=5 \(status NotRun\)/,
    );
  });

  it("check takes a wait timeout from just above 0 to 24 hours, and nothing else", () => {
    const timeoutFailures = (value: unknown) => {
      const failures: CheckFailure[] = [];
      checkWaitTimeout("waitTimeoutSeconds", value, failures);
      return failures;
    };
    assert.strictEqual(MAX_WAIT_TIMEOUT_SECONDS, 86_400);
    for (const ok of [undefined, null, UNKNOWN, 0.5, 600, MAX_WAIT_TIMEOUT_SECONDS]) assert.deepStrictEqual(timeoutFailures(ok), [], String(ok));
    for (const bad of [0, -5, MAX_WAIT_TIMEOUT_SECONDS + 1, 1e308, Infinity, NaN, "600"]) {
      const failures = timeoutFailures(bad);
      assert.deepStrictEqual(
        failures.map((f) => f.property),
        ["waitTimeoutSeconds"],
        String(bad),
      );
      assert.match(failures[0].reason, /positive number of seconds, at most 86400 \(24 hours\)/);
    }
    assert.match(timeoutFailures(NaN)[0].reason, /got number NaN$/);
  });
});
