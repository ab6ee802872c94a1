/**
 * SynchronizationJob's operations — restart with a reset scope, waiting for the initial cycle —
 * with its SynchronizationJobActivation handler called directly against an in-process emulator and
 * its SCIM target.
 */

import * as assert from "assert";
import { setLogSink } from "../../provider/graph/log";
import type { ActivationInputs, ActivationOutputs } from "../../provider/handlers/job-activation";
import { UNKNOWN } from "../../provider/validation";
import { activationInputs, createDeclaredJob, type DeclaredJob } from "../support/declared-job";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationJobActivation");
const secretsHandler = handlerOf("SynchronizationSecrets");

/** Run `work` and collect the progress lines the provider logs. */
async function captureProgress<T>(work: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const restore = setLogSink((line) => lines.push(line));
  try {
    return { result: await work(), lines };
  } finally {
    restore();
  }
}

describe("SynchronizationJob operations", function () {
  const fixture = useEmulator();
  let sp: string;
  // Jobs are left to the emulator, which each suite starts afresh and stops.

  const useCredentials = async (token: string) => {
    const scim = fixture().emulator.scimTarget;
    await secretsHandler.create({ servicePrincipalId: sp, credentials: { BaseAddress: scim.baseAddress, SecretToken: token } });
  };
  /** The job's create, then its activation's: what `pulumi up` does; the activation's result. */
  const createJob = async (declared: Partial<DeclaredJob> = {}) => (await createDeclaredJob({ servicePrincipalId: sp, templateId: "scim", ...declared })).activation;
  const liveJob = async (jobId: string) => (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`)).body;
  const jobList = async () => (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`)).body.value;
  const restartCalls = () => fixture().exchanges.filter((x) => x.method === "POST" && /\/restart$/.test(x.path));

  before(() => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
  });

  describe("check and diff", () => {
    it("names bad restart, waitFor and waitTimeoutSeconds values", async () => {
      const result = await handler.check(
        {},
        {
          servicePrincipalId: sp,
          jobId: "scim.abc.def",
          restart: { trigger: "", scope: ["Full", "QuarantinState"] },
          waitFor: "forever",
          waitTimeoutSeconds: 0,
        },
      );
      assert.deepStrictEqual((result.failures ?? []).map((f) => f.property).sort(), ["restart.scope[1]", "restart.trigger", "waitFor", "waitTimeoutSeconds"]);
      assert.match(result.failures!.find((f) => f.property === "restart.scope[1]")!.reason, /did you mean "QuarantineState"/);
    });

    it("keeps declared operations in the checked inputs and accepts unknowns", async () => {
      const result = await handler.check({}, { servicePrincipalId: sp, jobId: "scim.abc.def", restart: { trigger: "1" }, waitFor: "initialCycle" });
      assert.deepStrictEqual(result.inputs, activationInputs(sp, "scim.abc.def", { restart: { trigger: "1" }, waitFor: "initialCycle" }));
      assert.strictEqual((await handler.check({}, { servicePrincipalId: sp, jobId: "scim.abc.def", restart: UNKNOWN, waitFor: UNKNOWN })).failures, undefined);
    });

    it("updates in place when the trigger, scope or wait change", async () => {
      const olds = { ...activationInputs(sp, "scim.abc.def"), restart: { trigger: "1" } } as ActivationOutputs;
      const news = activationInputs(sp, "scim.abc.def", { restart: { trigger: "1" } });
      assert.strictEqual((await handler.diff("id", olds, news)).changes, false);
      for (const change of [{ restart: { trigger: "2" } }, { restart: { trigger: "1", scope: ["Full" as const] } }, { waitFor: "steadyState" as const }]) {
        const d = await handler.diff("id", olds, { ...news, ...change });
        assert.strictEqual(d.changes, true, JSON.stringify(change));
        assert.deepStrictEqual(d.replaces, []);
      }
    });
  });

  describe("against the emulator", () => {
    it("waits for the initial cycle on create, logging progress, and returns the cycle's counts", async () => {
      await useCredentials(fixture().emulator.scimTarget.token);
      const { result, lines } = await captureProgress(() => createJob({ waitFor: "initialCycle", waitTimeoutSeconds: 120 }));
      const { outs } = result;
      assert.strictEqual(outs.status.code, "Active");
      assert.ok(outs.status.lastExecution, "the cycle's execution is in the outputs");
      assert.strictEqual(outs.status.lastExecution.state, "Succeeded");
      assert.ok(outs.status.lastExecution.countImported > 0, "imported count");
      assert.ok(outs.status.lastExecution.countExported > 0, "exported count: assigned users reached the SCIM target");
      assert.strictEqual(outs.waitFor, "initialCycle");
      assert.ok(
        lines.some((l) => /waiting for its initial cycle to end/.test(l)),
        lines.join("\n"),
      );
      assert.ok(
        lines.some((l) => /reached the end of its initial cycle/.test(l)),
        lines.join("\n"),
      );
      // The wait really observed the end of a cycle, as Graph reports it.
      const live = await liveJob(outs.jobId);
      assert.strictEqual(live.status.lastExecution.activityIdentifier !== null, true);
    });

    it("fails a wait whose cycle quarantines the job with Graph's reason; the job itself stays created", async () => {
      await useCredentials("not-the-target-token");
      const before = new Set((await jobList()).map((j: { id: string }) => j.id));
      await assert.rejects(createJob({ waitFor: "initialCycle", waitTimeoutSeconds: 120 }), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /quarantined/);
        assert.match(e.message, /EncounteredQuarantineException/);
        assert.match(e.message, /401|Unauthorized|credentials/i);
        return true;
      });
      // The engine saved the job before its activation ran: the next up retries only the activation.
      const added = (await jobList()).filter((j: { id: string }) => !before.has(j.id));
      assert.strictEqual(added.length, 1);
      assert.strictEqual(added[0].status.code, "Quarantine");
    });

    it("restarts a quarantined job with the declared reset scope, which clears the quarantine", async () => {
      await useCredentials("not-the-target-token");
      const { id, outs } = await createJob({ restart: { trigger: "initial", scope: ["QuarantineState"] } });
      assert.deepStrictEqual(outs.restart, { trigger: "initial", scope: ["QuarantineState"] });
      const cycles = await fixture().graph.control("POST", "/cycles");
      assert.ok(cycles.status < 300, `cycles: ${cycles.status}`);
      const quarantined = await handler.read(id, outs);
      assert.strictEqual(quarantined.props!.status.code, "Quarantine");
      assert.ok(quarantined.props!.status.quarantine?.reason, "the quarantine reason is an output");
      assert.ok(quarantined.props!.status.quarantine?.errorCode, "so is the error");
      assert.deepStrictEqual((quarantined.inputs as ActivationInputs).restart, { trigger: "initial", scope: ["QuarantineState"] }, "read keeps the trigger");

      // Same trigger: nothing to restart.
      fixture().exchanges.length = 0;
      const news = activationInputs(sp, outs.jobId, { restart: { trigger: "initial", scope: ["QuarantineState"] } });
      assert.strictEqual((await handler.diff(id, { ...quarantined.props!, enabled: true }, news)).changes, false);

      // Fix the credentials, then a new trigger restarts it, and the wait sees the cycle succeed.
      await useCredentials(fixture().emulator.scimTarget.token);
      const restarted = { ...news, restart: { trigger: "after-credentials-fix", scope: ["QuarantineState" as const] }, waitFor: "initialCycle" as const };
      const { result, lines } = await captureProgress(() => handler.update(id, quarantined.props!, restarted));
      const calls = restartCalls();
      assert.strictEqual(calls.length, 1, "one restart");
      assert.deepStrictEqual(calls[0].requestBody, { criteria: { resetScope: "QuarantineState" } });
      assert.strictEqual(calls[0].status, 204);
      assert.ok(!fixture().exchanges.some((x) => /\/start$/.test(x.path)), "restart, not start");
      assert.strictEqual(result.outs.status.code, "Active");
      assert.strictEqual(result.outs.status.quarantine, null);
      assert.strictEqual(result.outs.enabled, true);
      assert.strictEqual(result.outs.restart!.trigger, "after-credentials-fix");
      assert.ok(
        lines.some((l) => /restarting \(trigger "after-credentials-fix", reset scope QuarantineState\)/.test(l)),
        lines.join("\n"),
      );
      const live = await liveJob(outs.jobId);
      assert.strictEqual(live.status.code, "Active");
      assert.strictEqual(live.status.quarantine, null);
    });

    it("sends the portal's default scope when none is declared, and does not restart a disabled job", async () => {
      await useCredentials(fixture().emulator.scimTarget.token);
      const { id, outs } = await createJob();
      fixture().exchanges.length = 0;
      const { outs: after } = await handler.update(id, outs, activationInputs(sp, outs.jobId, { restart: { trigger: "x" } }));
      assert.deepStrictEqual(
        restartCalls().map((c) => c.requestBody),
        [{ criteria: { resetScope: "Watermark, Escrows, QuarantineState" } }],
      );
      fixture().exchanges.length = 0;
      const { outs: paused } = await handler.update(id, after, activationInputs(sp, outs.jobId, { enabled: false, restart: { trigger: "y" } }));
      assert.deepStrictEqual(restartCalls(), []);
      assert.strictEqual(paused.status.code, "Paused");
      assert.strictEqual(paused.restart!.trigger, "y", "the trigger is recorded");
    });
  });
});
