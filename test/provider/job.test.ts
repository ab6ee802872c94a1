/**
 * SynchronizationJob's two handlers (the job, and its SynchronizationJobActivation child) called
 * directly, as the Pulumi provider process calls them, against an in-process emulator.
 */

import * as assert from "assert";
import { isGraphRequestError } from "../../provider/graph/errors";
import { parseResourceId } from "../../provider/state/ids";
import type { JobOutputs } from "../../provider/handlers/job";
import type { ActivationOutputs } from "../../provider/handlers/job-activation";
import { UNKNOWN } from "../../provider/validation";
import { activationInputs, createDeclaredJob, type DeclaredJob } from "../support/declared-job";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationJob");
const activation = handlerOf("SynchronizationJobActivation");
const secretsHandler = handlerOf("SynchronizationSecrets");

describe("SynchronizationJob handlers", function () {
  // No cycle runs unless a test asks for one (POST /_emulator/cycles): on a timer, a cycle could
  // quarantine a job (its target, scim.example.test, cannot be reached) between a handler's answer
  // and the test's look at the job, or before a handler reads the job it is to leave running.
  const fixture = useEmulator({ cycles: "manual" });
  let sp: string;
  const created: string[] = [];

  before(async () => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
    // A job only runs with credentials; the quarantine test uses the gallery app, which has none.
    await secretsHandler.create({
      servicePrincipalId: sp,
      credentials: { BaseAddress: "https://scim.example.test/scim", SecretToken: "job-test-token" },
    });
  });

  after(async () => {
    for (const id of created) await handler.delete(id, {} as JobOutputs).catch(() => undefined);
  });

  async function createJob(declared: Partial<DeclaredJob> = {}) {
    const result = await createDeclaredJob({ servicePrincipalId: sp, templateId: "scim", ...declared });
    created.push(result.job.id);
    return result;
  }
  const liveJob = async (jobId: string) => fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`);
  const starts = () => fixture().exchanges.filter((x) => x.method === "POST" && /\/start$/.test(x.path));

  describe("check", () => {
    it("passes valid inputs through, and fills in enabled=true on the activation", async () => {
      const job = await handler.check({}, { servicePrincipalId: sp, templateId: "scim" });
      assert.deepStrictEqual(job.failures, undefined);
      assert.deepStrictEqual(job.inputs, { servicePrincipalId: sp, templateId: "scim" });
      const act = await activation.check({}, { servicePrincipalId: sp, jobId: "scim.abc.def" });
      assert.deepStrictEqual(act.inputs, { servicePrincipalId: sp, jobId: "scim.abc.def", enabled: true });
    });

    it("names each bad property, without calling Graph", async () => {
      fixture().exchanges.length = 0;
      const job = await handler.check({}, { servicePrincipalId: "my-app", templateId: "" });
      assert.deepStrictEqual((job.failures ?? []).map((f) => f.property).sort(), ["servicePrincipalId", "templateId"]);
      assert.match(job.failures!.find((f) => f.property === "servicePrincipalId")!.reason, /GUID/);
      const act = await activation.check({}, { servicePrincipalId: sp, jobId: "scim.abc.def", enabled: "yes" });
      assert.deepStrictEqual(
        (act.failures ?? []).map((f) => f.property),
        ["enabled"],
      );
      assert.strictEqual(fixture().exchanges.length, 0);
    });

    it("accepts unknown values during preview", async () => {
      assert.strictEqual((await handler.check({}, { servicePrincipalId: UNKNOWN, templateId: UNKNOWN })).failures, undefined);
      assert.strictEqual((await activation.check({}, { servicePrincipalId: sp, jobId: UNKNOWN, enabled: UNKNOWN })).failures, undefined);
    });
  });

  describe("diff", () => {
    const olds = { servicePrincipalId: "a", templateId: "scim", jobId: "scim.1" } as JobOutputs;
    const running = { servicePrincipalId: "a", jobId: "scim.1", enabled: true } as ActivationOutputs;

    it("reports no change when inputs match the stored outputs", async () => {
      assert.strictEqual((await handler.diff("id", olds, { servicePrincipalId: "a", templateId: "scim" })).changes, false);
      assert.strictEqual((await activation.diff("id", running, activationInputs("a", "scim.1"))).changes, false);
    });

    it("replaces the job on servicePrincipalId or templateId, and its activation with it; enabled changes in place", async () => {
      assert.deepStrictEqual((await handler.diff("id", olds, { servicePrincipalId: "a", templateId: "other" })).replaces, ["templateId"]);
      assert.deepStrictEqual((await handler.diff("id", olds, { servicePrincipalId: "b", templateId: "scim" })).replaces, ["servicePrincipalId"]);
      assert.deepStrictEqual((await activation.diff("id", running, activationInputs("a", UNKNOWN as unknown as string))).replaces, ["jobId"]);
      const d = await activation.diff("id", running, activationInputs("a", "scim.1", { enabled: false }));
      assert.strictEqual(d.changes, true);
      assert.deepStrictEqual(d.replaces, []);
    });
  });

  describe("lifecycle against the emulator", () => {
    it("creates the job without starting it, then the activation starts it, with its real status in the outputs", async () => {
      fixture().exchanges.length = 0;
      const job = await handler.create({ servicePrincipalId: sp, templateId: "scim" });
      created.push(job.id);
      const parsed = parseResourceId(job.id);
      assert.ok(parsed, `id ${job.id} is a job path`);
      assert.strictEqual(parsed.servicePrincipalId, sp);
      assert.strictEqual(job.outs.jobId, parsed.jobId);
      assert.match(job.outs.jobId, /^scim\./);
      assert.deepStrictEqual(starts(), [], "the job's own create never starts it");
      assert.strictEqual((await liveJob(job.outs.jobId)).body.schedule.state, "Disabled");

      const { outs } = await activation.create(activationInputs(sp, job.outs.jobId));
      assert.strictEqual(starts().length, 1);
      assert.strictEqual(outs.enabled, true);
      assert.strictEqual(outs.schedule.state, "Active");
      const live = await liveJob(job.outs.jobId);
      assert.strictEqual(live.body.schedule.state, "Active");
      assert.strictEqual(outs.status.code, live.body.status.code);
    });

    it("does not start a job that is running already, as after a killed `pulumi up`", async () => {
      const { job } = await createJob();
      fixture().exchanges.length = 0;
      const again = await activation.create(activationInputs(sp, job.outs.jobId));
      assert.deepStrictEqual(starts(), [], "no second start");
      assert.strictEqual(again.outs.schedule.state, "Active");
      assert.deepStrictEqual(
        fixture().exchanges.map((x) => `${x.method} ${x.status}`),
        ["GET 200"],
        "one read, since the job is as declared",
      );
    });

    it("creates a disabled job without starting it, and pauses a running job declared disabled", async () => {
      fixture().exchanges.length = 0;
      const { job, activation: act } = await createJob({ enabled: false });
      assert.strictEqual(act.outs.enabled, false);
      assert.strictEqual(act.outs.schedule.state, "Disabled");
      assert.deepStrictEqual(starts(), [], "start was not called");

      const { job: running } = await createJob();
      const paused = await activation.create(activationInputs(sp, running.outs.jobId, { enabled: false }));
      assert.strictEqual(paused.outs.status.code, "Paused");
      assert.strictEqual((await liveJob(running.outs.jobId)).body.status.code, "Paused");
      assert.notStrictEqual(job.outs.jobId, running.outs.jobId);
    });

    it("reads a job paused out of band as drift on enabled, with the status visible", async () => {
      const { activation: act } = await createJob();
      const { id, outs } = act;
      const paused = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs/${outs.jobId}/pause`);
      assert.strictEqual(paused.status, 204);
      const read = await activation.read(id, outs);
      assert.strictEqual(read.id, id);
      assert.strictEqual(read.props!.enabled, false);
      assert.strictEqual(read.props!.status.code, "Paused");
      assert.strictEqual(read.inputs!.enabled, false);
      const declared = activationInputs(sp, outs.jobId);
      assert.strictEqual((await activation.diff(id, read.props!, declared)).changes, true);
      const { outs: repaired } = await activation.update(id, read.props!, declared);
      assert.strictEqual(repaired.enabled, true);
      assert.strictEqual(repaired.schedule.state, "Active");
    });

    it("pauses and restarts through update", async () => {
      const { id, outs } = (await createJob()).activation;
      const { outs: paused } = await activation.update(id, outs, activationInputs(sp, outs.jobId, { enabled: false }));
      assert.strictEqual(paused.status.code, "Paused");
      assert.strictEqual((await liveJob(outs.jobId)).body.status.code, "Paused");
      const { outs: started } = await activation.update(id, paused, activationInputs(sp, outs.jobId));
      assert.notStrictEqual(started.status.code, "Paused");
      assert.strictEqual(started.enabled, true);
    });

    it("reads a quarantined job as not running, with the quarantine reason", async () => {
      const gallery = fixture().emulator.seeded;
      const result = await createDeclaredJob({ servicePrincipalId: gallery.galleryServicePrincipalId, templateId: gallery.galleryTemplateId });
      created.push(result.job.id);
      const cycles = await fixture().graph.control("POST", "/cycles");
      assert.ok(cycles.status < 300, `cycles: ${cycles.status}`);
      const read = await activation.read(result.activation.id, result.activation.outs);
      assert.strictEqual(read.props!.status.code, "Quarantine");
      assert.strictEqual(read.props!.enabled, false);
      assert.ok(read.props!.status.quarantine?.reason, "quarantine reason is reported");
    });

    it("removes a job deleted out of band from state (the job and its activation), and deletes idempotently", async () => {
      const { job, activation: act } = await createJob();
      await handler.delete(job.id, job.outs);
      assert.strictEqual((await liveJob(job.outs.jobId)).status, 404);
      assert.strictEqual((await handler.read(job.id, job.outs)).id, "");
      assert.strictEqual((await activation.read(act.id, act.outs)).id, "");
      await handler.delete(job.id, job.outs); // already gone: no error
    });

    it("reports Graph's code, message and request-id for a template the app does not have", async () => {
      await assert.rejects(createJob({ templateId: "noSuchTemplate" }), (e: unknown) => {
        assert.ok(isGraphRequestError(e), `GraphRequestError, got ${e}`);
        assert.strictEqual(e.status, 400);
        assert.notStrictEqual(e.code, "UnknownError", "the backend's own code is unwrapped from Graph's UnknownError");
        assert.ok(e.requestId, "request-id is kept");
        assert.match(e.message, /create synchronization job/);
        assert.match(e.message, new RegExp(e.code));
        assert.match(e.message, /request-id/);
        return true;
      });
    });

    it("explains a missing application permission (403)", async () => {
      fixture().useClient(fixture().emulator.clients.noRole);
      try {
        await assert.rejects(createJob(), (e: unknown) => {
          assert.ok(isGraphRequestError(e));
          assert.strictEqual(e.status, 403);
          assert.strictEqual(e.code, "Authorization_RequestDenied");
          assert.match(e.message, /Synchronization\.ReadWrite\.All/);
          return true;
        });
      } finally {
        fixture().useClient(fixture().emulator.clients.admin);
      }
    });
  });
});
