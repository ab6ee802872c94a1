/**
 * Taking over what exists, through the handlers against an in-process emulator: a job named by
 * `jobId` or found by `adopt: true`, its activation recording how it runs, all without a write.
 */

import * as assert from "assert";
import type { JobOutputs } from "../../provider/handlers/job";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const jobs = handlerOf("SynchronizationJob");
const activation = handlerOf("SynchronizationJobActivation");

describe("adopting existing jobs", function () {
  // No provisioning cycles: a started job stays as it was started.
  const fixture = useEmulator({ cycleDelayMs: 3_600_000 });
  let sp: string;
  const sync = () => `/servicePrincipals/${sp}/synchronization`;
  const writes = () =>
    fixture()
      .exchanges.filter((x) => x.method !== "GET")
      .map((x) => `${x.method} ${x.path}`);
  const newJob = async () => (await fixture().graph.expect(201, "POST", `${sync()}/jobs`, { templateId: "scim" })).id as string;

  before(() => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
  });

  afterEach(async () => {
    for (const j of (await fixture().graph.expect(200, "GET", `${sync()}/jobs`)).value) await fixture().graph.request("DELETE", `${sync()}/jobs/${j.id}`);
  });

  it("jobId: create reads the job and writes nothing; the activation records it as it runs", async () => {
    const existing = await newJob();
    await fixture().graph.expect(204, "POST", `${sync()}/jobs/${existing}/start`);
    fixture().exchanges.length = 0;
    const { inputs } = await jobs.check({}, { servicePrincipalId: sp, jobId: existing });
    const { id, outs } = await jobs.create(inputs!);
    assert.strictEqual(outs.jobId, existing);
    assert.strictEqual(outs.templateId, "scim", "the template comes from Graph");
    assert.strictEqual(outs.adoptedBy, "jobId");
    // The program says paused; the adopted job runs: recorded as it is, and a diff the next up applies.
    const act = await activation.check({}, { servicePrincipalId: sp, jobId: existing, adopted: true, enabled: false });
    const { outs: recorded } = await activation.create(act.inputs!);
    assert.strictEqual(recorded.enabled, true);
    assert.deepStrictEqual(writes(), [], "no write at all");
    assert.strictEqual((await activation.diff(id, recorded, act.inputs!)).changes, true);
    // Refresh keeps the adopting id as an input, so a program that names it settles.
    const read = await jobs.read(id, outs);
    assert.strictEqual((read.inputs as JobOutputs).jobId, existing);
    assert.strictEqual((await jobs.diff(id, read.props!, inputs!)).changes, false);
  });

  it("jobId of a job that is not there, or of another template: an error naming it, nothing written", async () => {
    fixture().exchanges.length = 0;
    await assert.rejects(
      jobs.create({ servicePrincipalId: sp, templateId: "scim", jobId: "scim.nope.nope" }),
      /jobId: service principal .* has no synchronization job scim\.nope\.nope to adopt/,
    );
    const existing = await newJob();
    await assert.rejects(jobs.create({ servicePrincipalId: sp, templateId: "customappsso", jobId: existing }), /created from template "scim", not "customappsso"/);
    assert.deepStrictEqual(
      writes().filter((w) => !w.endsWith("/jobs")),
      [],
    );
  });

  it("adopt: true takes the one job of the template; none or several is an error that lists them", async () => {
    await assert.rejects(jobs.create({ servicePrincipalId: sp, templateId: "scim", adopt: true }), /adopt: .* has no job of template "scim" to adopt/);
    const first = await newJob();
    const { outs } = await jobs.create({ servicePrincipalId: sp, templateId: "scim", adopt: true });
    assert.strictEqual(outs.jobId, first);
    const second = await newJob();
    await assert.rejects(jobs.create({ servicePrincipalId: sp, templateId: "scim", adopt: true }), (e: Error) => {
      assert.ok(e.message.includes(first) && e.message.includes(second), e.message);
      assert.match(e.message, /name the one to adopt with jobId/);
      return true;
    });
  });

  it("check: jobId and adopt: true together is a failure; templateId may be left out with jobId", async () => {
    const both = await jobs.check({}, { servicePrincipalId: sp, templateId: "scim", jobId: "scim.a.b", adopt: true });
    assert.deepStrictEqual(
      both.failures?.map((f) => f.property),
      ["adopt"],
    );
    const idOnly = await jobs.check({}, { servicePrincipalId: sp, jobId: "scim.a.b" });
    assert.deepStrictEqual(idOnly.failures, undefined);
  });

  it("a job named by a program resource is held: deleting another resource that has it deletes nothing", async () => {
    const existing = await newJob();
    await jobs.check({}, { servicePrincipalId: sp.toUpperCase(), jobId: existing });
    fixture().exchanges.length = 0;
    await jobs.delete(`${sync()}/jobs/${existing}`, { servicePrincipalId: sp, templateId: "scim", jobId: existing, stateVersion: 2 });
    assert.deepStrictEqual(writes(), []);
    assert.strictEqual((await fixture().graph.request("GET", `${sync()}/jobs/${existing}`)).status, 200);
  });
});
