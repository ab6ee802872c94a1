/**
 * Synchronization jobs: create/list/get/delete, start/pause/restart transitions, provisioning
 * cycles (quarantine without credentials, Active with them), validateCredentials, and the URL
 * spellings Graph accepts.
 */
import { strict as assert } from "node:assert";
import { ManualClock } from "../../emulator/index";
import { control, graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

/** Credentials of the SCIM application the emulator hosts: the provisioning service really calls it. */
const goodScimSecrets = (emu: TestEmulator) => [
  { key: "BaseAddress", value: emu.scimTarget.baseAddress },
  { key: "SecretToken", value: emu.scimTarget.token },
];

describe("emulator synchronization jobs", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let sp: string;
  let jobs: string;

  beforeEach(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    sp = emu.seeded.scimServicePrincipalId;
    jobs = `/v1.0/servicePrincipals/${sp}/synchronization/jobs`;
  });
  afterEach(async () => {
    await emu.stop();
  });

  async function createJob(templateId = "scim"): Promise<string> {
    const res = await g("POST", jobs, { templateId });
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  }
  const getJob = async (id: string) => {
    const res = await g("GET", `${jobs}/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const cycles = async () => {
    const res = await control(emu, "POST", "cycles");
    assert.equal(res.status, 200);
    return res.body.value as { jobId: string; result: string; statusCode: string }[];
  };

  it("creates a disabled, not-configured job (201 + @odata.context) from a template", async () => {
    const res = await g("POST", jobs, { templateId: "scim" });
    assert.equal(res.status, 201);
    const job = res.body;
    assert.equal(job["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#servicePrincipals('${sp}')/synchronization/jobs/$entity`);
    assert.match(job.id, new RegExp(`^scim\\.[0-9a-f]{32}\\.${emu.tenantId}$`));
    assert.equal(job.templateId, "scim");
    assert.deepEqual(job.schedule, { expiration: null, interval: "P10675199DT2H48M5.4775807S", state: "Disabled" });
    assert.equal(job.status.code, "NotConfigured");
    assert.equal(job.status.lastExecution, null);
    assert.equal(job.status.quarantine, null);
    assert.equal(job.status.countSuccessiveCompleteFailures, 0);
    assert.equal(job.status.steadyStateFirstAchievedTime, "0001-01-01T00:00:00Z");
    assert.deepEqual(job.synchronizationJobSettings, [{ name: "QuarantineTooManyDeletesThreshold", value: "500" }]);
  });

  it("rejects a missing or foreign templateId with 400", async () => {
    for (const body of [{}, { templateId: "salesforce" }, { templateId: "nope" }]) {
      const res = await g("POST", jobs, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, "UnknownError");
      assert.equal(JSON.parse(res.body.error.message).error.code, "InvalidTemplateId");
    }
    const unknownProperty = await g("POST", jobs, { templateId: "scim", color: "red" });
    assert.equal(unknownProperty.status, 400);
    assert.equal(unknownProperty.body.error.code, "BadRequest");
    assert.deepEqual((await g("GET", jobs)).body.value, []);
  });

  it("lists, gets and deletes jobs (204, then 404)", async () => {
    const a = await createJob();
    const b = await createJob();
    assert.notEqual(a, b);
    const list = await g("GET", jobs);
    assert.deepEqual(
      list.body.value.map((j: any) => j.id),
      [a, b],
    );
    assert.equal((await g("DELETE", `${jobs}/${a}`)).status, 204);
    const gone = await g("GET", `${jobs}/${a}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "UnknownError");
    assert.deepEqual(
      (await g("GET", jobs)).body.value.map((j: any) => j.id),
      [b],
    );
    assert.equal((await g("DELETE", `${jobs}/${a}`)).status, 404);
  });

  it("answers PATCH on a job with the syncfabric 404 UnknownError", async () => {
    const id = await createJob();
    const res = await g("PATCH", `${jobs}/${id}`, { templateId: "scim" });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "UnknownError");
    assert.match(
      JSON.parse(res.body.error.message).Message,
      /^No HTTP resource was found that matches the request URI 'https:\/\/syncfabric\.windowsazure\.com\/api\/servicePrincipals\('.+'\)\/synchronization\/jobs\('.+'\)\?api-version=2\.0'\.$/,
    );
  });

  it("start -> NotRun/Active schedule; a cycle without credentials quarantines; start clears quarantine", async () => {
    const id = await createJob();
    assert.equal((await g("POST", `${jobs}/${id}/start`)).status, 204);
    let job = await getJob(id);
    assert.deepEqual(job.schedule, { expiration: null, interval: "PT40M", state: "Active" });
    assert.equal(job.status.code, "NotRun");

    assert.deepEqual(
      (await cycles()).map((c) => [c.jobId, c.result, c.statusCode]),
      [[id, "Failed", "Quarantine"]],
    );
    job = await getJob(id);
    assert.equal(job.status.code, "Quarantine");
    assert.equal(job.schedule.state, "Active");
    assert.equal(job.status.quarantine.reason, "EncounteredQuarantineException");
    assert.equal(job.status.quarantine.error.tenantActionable, true);
    assert.equal(job.status.quarantine.seriesCount, 0);
    assert.equal(job.status.lastExecution.state, "Failed");
    assert.equal(job.status.countSuccessiveCompleteFailures, 1);

    await cycles();
    job = await getJob(id);
    assert.equal(job.status.quarantine.seriesCount, 1, "a second failing cycle keeps the quarantine and counts it");
    assert.equal(job.status.countSuccessiveCompleteFailures, 2);

    assert.equal((await g("POST", `${jobs}/${id}/start`)).status, 204);
    job = await getJob(id);
    assert.equal(job.status.quarantine, null);
    assert.equal(job.status.code, "NotRun");
  });

  it("a cycle with usable credentials makes the job Active with a successful execution", async () => {
    assert.equal((await g("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: goodScimSecrets(emu) })).status, 204);
    const id = await createJob();
    assert.equal((await getJob(id)).status.code, "NotRun", "credentials exist: configured, not run");
    await g("POST", `${jobs}/${id}/start`);
    await cycles();
    const job = await getJob(id);
    assert.equal(job.status.code, "Active");
    assert.equal(job.status.lastExecution.state, "Succeeded");
    assert.deepEqual(job.status.lastSuccessfulExecution, job.status.lastExecution);
    assert.ok(job.status.lastExecution.countImported > 0, "the initial cycle imports the tenant's users and groups");
    assert.notEqual(job.status.steadyStateLastAchievedTime, "0001-01-01T00:00:00Z");
    await cycles();
    assert.equal((await getJob(id)).status.lastExecution.countImported, 0, "later cycles are deltas");
  });

  it("quarantine is lifted by the first successful cycle after credentials are fixed", async () => {
    const id = await createJob();
    await g("POST", `${jobs}/${id}/start`);
    await cycles();
    assert.equal((await getJob(id)).status.code, "Quarantine");
    await g("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: goodScimSecrets(emu) });
    await cycles();
    const job = await getJob(id);
    assert.equal(job.status.code, "Active");
    assert.equal(job.status.quarantine, null);
  });

  it("pause -> Paused with a Disabled schedule; cycles skip it; start resumes", async () => {
    await g("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: goodScimSecrets(emu) });
    const id = await createJob();
    await g("POST", `${jobs}/${id}/start`);
    await cycles();
    assert.equal((await g("POST", `${jobs}/${id}/pause`)).status, 204);
    let job = await getJob(id);
    assert.equal(job.status.code, "Paused");
    assert.deepEqual(job.schedule, { expiration: null, interval: "P10675199DT2H48M5.4775807S", state: "Disabled" });
    const lastRun = job.status.lastExecution.timeEnded;
    assert.deepEqual(await cycles(), []);
    assert.equal((await getJob(id)).status.lastExecution.timeEnded, lastRun, "progress is kept while paused");
    await g("POST", `${jobs}/${id}/start`);
    job = await getJob(id);
    assert.equal(job.status.code, "Active", "a job that has run before resumes as Active");
    assert.equal(job.schedule.state, "Active");
  });

  it("restart resets per scope, keeps the job running, and validates flag names", async () => {
    const id = await createJob();
    await g("POST", `${jobs}/${id}/start`);
    await cycles();
    assert.equal((await getJob(id)).status.code, "Quarantine");

    // Watermark alone keeps the quarantine.
    assert.equal((await g("POST", `${jobs}/${id}/restart`, { criteria: { resetScope: "Watermark" } })).status, 204);
    assert.equal((await getJob(id)).status.code, "Quarantine");

    assert.equal((await g("POST", `${jobs}/${id}/restart`, { criteria: { resetScope: "Watermark, Escrows, QuarantineState" } })).status, 204);
    let job = await getJob(id);
    assert.equal(job.status.quarantine, null);
    assert.equal(job.status.code, "NotRun");
    assert.equal(job.schedule.state, "Active");

    for (const resetScope of ["Bogus", "watermark", "Watermark, Nope"]) {
      const bad = await g("POST", `${jobs}/${id}/restart`, { criteria: { resetScope } });
      assert.equal(bad.status, 400, resetScope);
      assert.equal(bad.body.error.code, "BadRequest");
    }

    // A paused job restarted with Full runs again, and Watermark makes the next cycle initial.
    await g("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: goodScimSecrets(emu) });
    await cycles();
    await cycles();
    assert.equal((await getJob(id)).status.lastExecution.countImported, 0);
    await g("POST", `${jobs}/${id}/pause`);
    assert.equal((await g("POST", `${jobs}/${id}/restart`, { criteria: { resetScope: "Full" } })).status, 204);
    job = await getJob(id);
    assert.equal(job.schedule.state, "Active");
    await cycles();
    assert.ok((await getJob(id)).status.lastExecution.countImported > 0);

    // No body = the default scope.
    assert.equal((await g("POST", `${jobs}/${id}/restart`)).status, 204);
  });

  it("accepts every spelling of bound actions and keys", async () => {
    const id = await createJob();
    for (const path of [
      `${jobs}/${id}/microsoft.graph.start`,
      `${jobs}/${id}/start/`,
      `${jobs}('${id}')/pause`,
      `/v1.0/servicePrincipals('${sp}')/synchronization/jobs/${id}/microsoft.graph.pause`,
      `/beta/servicePrincipals/${sp}/synchronization/jobs/${id}/microsoft.graph.restart`,
    ]) {
      const res = await g("POST", path, path.endsWith("restart") ? { criteria: { resetScope: "Watermark" } } : undefined);
      assert.equal(res.status, 204, `${path}: ${res.text}`);
    }
    assert.equal((await g("GET", `${jobs}/${id}/`)).status, 200);
    const appId = (await g("GET", `/v1.0/servicePrincipals/${sp}`)).body.appId;
    assert.equal((await g("GET", `/v1.0/servicePrincipals(appId='${appId}')/synchronization/jobs/${id}`)).status, 200);
  });

  it("validateCredentials checks given or saved credentials (job-bound and collection-bound)", async () => {
    const id = await createJob();
    const ok = await g("POST", `${jobs}/${id}/validateCredentials`, { credentials: goodScimSecrets(emu) });
    assert.equal(ok.status, 204);
    const badUrl = await g("POST", `${jobs}/${id}/validateCredentials`, {
      credentials: [
        { key: "BaseAddress", value: "not a url" },
        { key: "SecretToken", value: "x" },
      ],
    });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.body.error.code, "UnknownError");
    assert.equal(JSON.parse(badUrl.body.error.message).error.code, "SystemForCrossDomainIdentityManagementCredentialValidationFailure");
    const noToken = await g("POST", `${jobs}/validateCredentials`, {
      templateId: "scim",
      credentials: [{ key: "BaseAddress", value: "https://scim.example.com" }],
    });
    assert.equal(noToken.status, 400);
    // useSavedCredentials ignores the body's credentials.
    const savedNone = await g("POST", `${jobs}/${id}/validateCredentials`, { useSavedCredentials: true, credentials: goodScimSecrets(emu) });
    assert.equal(savedNone.status, 400);
    await g("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: goodScimSecrets(emu) });
    assert.equal((await g("POST", `${jobs}/microsoft.graph.validateCredentials`, { templateId: "scim", useSavedCredentials: true })).status, 204);
    const noTemplate = await g("POST", `${jobs}/validateCredentials`, { credentials: goodScimSecrets(emu) });
    assert.equal(noTemplate.status, 400);
  });

  it("creates jobs for the gallery app from its own template", async () => {
    const gallery = `/v1.0/servicePrincipals/${emu.seeded.galleryServicePrincipalId}/synchronization/jobs`;
    const res = await g("POST", gallery, { templateId: emu.seeded.galleryTemplateId });
    assert.equal(res.status, 201);
    assert.match(res.body.id, /^salesforce\./);
    const wrong = await g("POST", gallery, { templateId: "scim" });
    assert.equal(wrong.status, 400);
  });

  it("unknown service principal -> 404 Request_ResourceNotFound; unknown job -> 404", async () => {
    const noSp = await g("GET", "/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000000/synchronization/jobs");
    assert.equal(noSp.status, 404);
    assert.equal(noSp.body.error.code, "Request_ResourceNotFound");
    const noJob = await g("POST", `${jobs}/scim.00000000000000000000000000000000.${emu.tenantId}/start`);
    assert.equal(noJob.status, 404);
  });
});

describe("emulator provisioning timers", () => {
  it("runs the first cycle cycleDelayMs after start and keeps cycling while active", async () => {
    // The emulator's time moves only when the test moves it: no cycle depends on how busy the machine is.
    const clock = new ManualClock();
    const emu = await startTestEmulator({ clock, cycleDelayMs: 50, cycleIntervalMs: 100 });
    try {
      const g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
      const jobs = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/jobs`;
      await g("PUT", `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/secrets`, { value: goodScimSecrets(emu) });
      const id = (await g("POST", jobs, { templateId: "scim" })).body.id;
      await g("POST", `${jobs}/${id}/start`);
      await clock.advance(49);
      assert.equal((await g("GET", `${jobs}/${id}`)).body.status.code, "NotRun", "not before cycleDelayMs");
      await clock.advance(1);
      const first = (await g("GET", `${jobs}/${id}`)).body;
      assert.equal(first.status.code, "Active", "the first cycle ran at cycleDelayMs");
      const firstRun = first.status.lastExecution.timeEnded;
      await clock.advance(100);
      assert.notEqual((await g("GET", `${jobs}/${id}`)).body.status.lastExecution.timeEnded, firstRun, "a second cycle, cycleIntervalMs later");
      await g("POST", `${jobs}/${id}/pause`);
      const pausedAt = (await g("GET", `${jobs}/${id}`)).body.status.lastExecution.timeEnded;
      // Paused jobs have no timer: after several intervals nothing has run.
      await clock.advance(350);
      assert.equal(clock.pendingTimers, 0);
      assert.equal((await g("GET", `${jobs}/${id}`)).body.status.lastExecution.timeEnded, pausedAt);
    } finally {
      await emu.stop();
    }
  });
});

describe("emulator manual cycles", () => {
  it("runs no cycle on its own, one per running job when asked, and switches to and from scheduled cycles at run time", async () => {
    const clock = new ManualClock();
    const emu = await startTestEmulator({ clock, cycles: "manual", cycleDelayMs: 50, cycleIntervalMs: 100 });
    try {
      const g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
      const sp = emu.seeded.scimServicePrincipalId;
      const jobs = `/v1.0/servicePrincipals/${sp}/synchronization/jobs`;
      await g("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: goodScimSecrets(emu) });
      const id = (await g("POST", jobs, { templateId: "scim" })).body.id;
      assert.equal((await g("POST", `${jobs}/${id}/start`)).status, 204);
      assert.equal(clock.pendingTimers, 0, "no timer for the first cycle");
      await clock.advance(600_000);
      assert.equal((await g("GET", `${jobs}/${id}`)).body.status.code, "NotRun", "ten minutes later, still no cycle");

      const cycles = await control(emu, "POST", "cycles");
      assert.deepEqual(
        cycles.body.value.map((r: { jobId: string; result: string; statusCode: string }) => [r.jobId, r.result, r.statusCode]),
        [[id, "Succeeded", "Active"]],
      );
      assert.equal(clock.pendingTimers, 0, "and none for the next one");

      assert.equal((await control(emu, "GET", "config")).body.cycles, "manual");
      assert.equal((await control(emu, "PUT", "config", { cycles: "scheduled" })).body.cycles, "scheduled");
      assert.equal(clock.pendingTimers, 1, "back on schedule, the running job has its timer again");
      const before = (await g("GET", `${jobs}/${id}`)).body.status.lastExecution.activityIdentifier;
      await clock.advance(100);
      assert.notEqual((await g("GET", `${jobs}/${id}`)).body.status.lastExecution.activityIdentifier, before, "the scheduled cycle ran");

      assert.equal((await control(emu, "PUT", "config", { cycles: "manual" })).status, 200);
      assert.equal(clock.pendingTimers, 0, "manual again: the timer is gone");
      assert.equal((await control(emu, "PUT", "config", { cycles: "sometimes" })).status, 400);
    } finally {
      await emu.stop();
    }
  });
});
