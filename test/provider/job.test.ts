/**
 * SynchronizationJob's handler called directly (as the Pulumi provider process calls it) against
 * an in-process emulator.
 */

import * as assert from "assert";
import { isGraphRequestError } from "../../provider/graph/errors";
import { parseJobResourceId } from "../../provider/graph/paths";
import { handler, JobInputs, JobOutputs } from "../../provider/resources/job";
import { handler as secretsHandler } from "../../provider/resources/secrets";
import { UNKNOWN } from "../../provider/validation";
import { useEmulator } from "../support/emulator";

describe("SynchronizationJob handler", function () {
  const fixture = useEmulator();
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

  async function createJob(inputs: Partial<JobInputs> = {}): Promise<{ id: string; outs: JobOutputs }> {
    const result = await handler.create({ servicePrincipalId: sp, templateId: "scim", enabled: true, ...inputs });
    created.push(result.id);
    return result;
  }

  describe("check", () => {
    it("fills in enabled=true and passes valid inputs through", async () => {
      const result = await handler.check({}, { servicePrincipalId: sp, templateId: "scim" });
      assert.deepStrictEqual(result.failures, undefined);
      assert.deepStrictEqual(result.inputs, { servicePrincipalId: sp, templateId: "scim", enabled: true });
    });

    it("names each bad property, without calling Graph", async () => {
      fixture().exchanges.length = 0;
      const result = await handler.check({}, { servicePrincipalId: "my-app", templateId: "", enabled: "yes" });
      const properties = (result.failures ?? []).map((f) => f.property).sort();
      assert.deepStrictEqual(properties, ["enabled", "servicePrincipalId", "templateId"]);
      assert.match(result.failures!.find((f) => f.property === "servicePrincipalId")!.reason, /GUID/);
      assert.strictEqual(fixture().exchanges.length, 0);
    });

    it("accepts unknown values during preview", async () => {
      const result = await handler.check({}, { servicePrincipalId: UNKNOWN, templateId: UNKNOWN });
      assert.strictEqual(result.failures, undefined);
    });
  });

  describe("diff", () => {
    const olds = { servicePrincipalId: "a", templateId: "scim", enabled: true } as JobOutputs;

    it("reports no change when inputs match the stored outputs", async () => {
      const d = await handler.diff("id", olds, { servicePrincipalId: "a", templateId: "scim", enabled: true });
      assert.strictEqual(d.changes, false);
    });

    it("replaces on servicePrincipalId or templateId, updates in place on enabled", async () => {
      assert.deepStrictEqual((await handler.diff("id", olds, { ...olds, templateId: "other" })).replaces, ["templateId"]);
      assert.deepStrictEqual((await handler.diff("id", olds, { ...olds, servicePrincipalId: "b" })).replaces, ["servicePrincipalId"]);
      const d = await handler.diff("id", olds, { ...olds, enabled: false });
      assert.strictEqual(d.changes, true);
      assert.deepStrictEqual(d.replaces, []);
    });
  });

  describe("lifecycle against the emulator", () => {
    it("creates and starts a job, with its real status in the outputs", async () => {
      const { id, outs } = await createJob();
      const parsed = parseJobResourceId(id);
      assert.ok(parsed, `id ${id} is a job path`);
      assert.strictEqual(parsed!.servicePrincipalId, sp);
      assert.strictEqual(outs.jobId, parsed!.jobId);
      assert.match(outs.jobId, /^scim\./);
      assert.strictEqual(outs.enabled, true);
      assert.strictEqual(outs.schedule.state, "Active");
      const live = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${outs.jobId}`);
      assert.strictEqual(live.status, 200);
      assert.strictEqual(live.body.schedule.state, "Active");
      assert.strictEqual(outs.status.code, live.body.status.code);
    });

    it("creates a disabled job without starting it", async () => {
      fixture().exchanges.length = 0;
      const { outs } = await createJob({ enabled: false });
      assert.strictEqual(outs.enabled, false);
      assert.strictEqual(outs.schedule.state, "Disabled");
      assert.ok(!fixture().exchanges.some((x) => /\/start$/.test(x.path)), "start was not called");
    });

    it("reads a job paused out of band as drift on enabled, with the status visible", async () => {
      const { id, outs } = await createJob();
      const paused = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs/${outs.jobId}/pause`);
      assert.strictEqual(paused.status, 204);
      const read = await handler.read(id, outs);
      assert.strictEqual(read.id, id);
      assert.strictEqual(read.props!.enabled, false);
      assert.strictEqual(read.props!.status.code, "Paused");
      assert.strictEqual((read.inputs as JobInputs).enabled, false);
      const drift = await handler.diff(id, read.props!, { servicePrincipalId: sp, templateId: "scim", enabled: true });
      assert.strictEqual(drift.changes, true);
      const { outs: repaired } = await handler.update(id, read.props!, { servicePrincipalId: sp, templateId: "scim", enabled: true });
      assert.strictEqual(repaired.enabled, true);
      assert.strictEqual(repaired.schedule.state, "Active");
    });

    it("pauses and restarts through update", async () => {
      const { id, outs } = await createJob();
      const { outs: paused } = await handler.update(id, outs, { servicePrincipalId: sp, templateId: "scim", enabled: false });
      assert.strictEqual(paused.status.code, "Paused");
      const live = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${outs.jobId}`);
      assert.strictEqual(live.body.status.code, "Paused");
      const { outs: started } = await handler.update(id, paused, { servicePrincipalId: sp, templateId: "scim", enabled: true });
      assert.notStrictEqual(started.status.code, "Paused");
      assert.strictEqual(started.enabled, true);
    });

    it("reads a quarantined job as not running, with the quarantine reason", async () => {
      const gallery = fixture().emulator.seeded;
      const result = await handler.create({
        servicePrincipalId: gallery.galleryServicePrincipalId,
        templateId: gallery.galleryTemplateId,
        enabled: true,
      });
      created.push(result.id);
      const cycles = await fixture().graph.control("POST", "/cycles");
      assert.ok(cycles.status < 300, `cycles: ${cycles.status}`);
      const read = await handler.read(result.id, result.outs);
      assert.strictEqual(read.props!.status.code, "Quarantine");
      assert.strictEqual(read.props!.enabled, false);
      assert.ok(read.props!.status.quarantine?.reason, "quarantine reason is reported");
    });

    it("removes a job deleted out of band from state, and deletes idempotently", async () => {
      const { id, outs } = await createJob();
      await handler.delete(id, outs);
      const live = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${outs.jobId}`);
      assert.strictEqual(live.status, 404);
      const read = await handler.read(id, outs);
      assert.strictEqual(read.id, "");
      await handler.delete(id, outs); // already gone: no error
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
