/**
 * Eventual-consistency windows: a new job invisible to reads, a deleted job still visible, secrets
 * read back stale, each for N reads or N milliseconds. Over HTTP, plus the window bookkeeping
 * with a fake clock.
 */
import { strict as assert } from "node:assert";
import { ManualClock, type FaultConfig } from "../../emulator/index";
import { ConsistencyWindows } from "../../emulator/faults/consistency";
import type { ConsistencySettings } from "../../emulator/faults/config";
import type { JobRecord, SecretPair } from "../../emulator/tenant/store";
import { control, graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator consistency windows", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let base: string;
  // Millisecond windows close when the test moves this clock past them, not in real time.
  let clock: ManualClock;

  before(async () => {
    clock = new ManualClock();
    emu = await startTestEmulator({ clock });
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    base = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization`;
  });
  afterEach(async () => {
    await control(emu, "POST", "reset");
  });
  after(async () => {
    await emu.stop();
  });

  async function setConsistency(consistency: FaultConfig["consistency"]): Promise<void> {
    assert.equal((await control(emu, "PUT", "faults", { consistency })).status, 200);
  }

  async function createJob(): Promise<string> {
    const res = await g("POST", `${base}/jobs`, { templateId: "scim" });
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  }

  const jobIds = async () => ((await g("GET", `${base}/jobs`)).body.value as { id: string }[]).map((j) => j.id);

  it("hides a new job from the first N reads (GET 404 like Graph's job-not-found), then shows it", async () => {
    await setConsistency({ jobCreate: { reads: 2 } });
    const id = await createJob();
    for (const read of [1, 2]) {
      const res = await g("GET", `${base}/jobs/${id}`);
      assert.equal(res.status, 404, `read ${read}`);
      assert.equal(res.body.error.code, "UnknownError");
      assert.equal(JSON.parse(res.body.error.message).error.code, "ResourceNotFound");
    }
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 200, "the third read sees it");
  });

  it("leaves a new job out of the list while hidden; writes to it still work", async () => {
    await setConsistency({ jobCreate: { reads: 1 } });
    const id = await createJob();
    assert.equal((await g("POST", `${base}/jobs/${id}/pause`)).status, 204, "only reads lag");
    assert.ok(!(await jobIds()).includes(id));
    assert.ok((await jobIds()).includes(id));
  });

  it("hides a new job for N milliseconds", async () => {
    await setConsistency({ jobCreate: { ms: 1000 } });
    const created = clock.now();
    const id = await createJob();
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 404);
    await clock.advance(999);
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 404, "still hidden 1 ms before the window closes");
    await clock.advance(1);
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 200, "the job appears");
    assert.ok(clock.now() - created >= 990, "not before the window closed");
  });

  it("keeps answering for a deleted job for N reads (GET 200 with its last state, still listed)", async () => {
    await setConsistency({ jobDelete: { reads: 2 } });
    const id = await createJob();
    assert.equal((await g("DELETE", `${base}/jobs/${id}`)).status, 204);
    const ghost = await g("GET", `${base}/jobs/${id}`);
    assert.equal(ghost.status, 200);
    assert.equal(ghost.body.id, id);
    assert.equal(ghost.body.templateId, "scim");
    assert.ok((await jobIds()).includes(id), "the second read is the list");
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 404);
    assert.ok(!(await jobIds()).includes(id));
  });

  it("keeps a deleted job visible for N milliseconds", async () => {
    await setConsistency({ jobDelete: { ms: 1000 } });
    const id = await createJob();
    const deleted = clock.now();
    assert.equal((await g("DELETE", `${base}/jobs/${id}`)).status, 204);
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 200);
    await clock.advance(999);
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 200, "still visible 1 ms before the window closes");
    await clock.advance(1);
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 404, "the job vanishes");
    assert.ok(clock.now() - deleted >= 990);
  });

  it("serves the secrets from before a PUT for N reads (404 when there were none), on both read paths", async () => {
    await setConsistency({ secretsUpdate: { reads: 1 } });
    const put = (value: string) =>
      g("PUT", `${base}/secrets`, {
        value: [
          { key: "BaseAddress", value },
          { key: "SecretToken", value: "tok" },
        ],
      });
    assert.equal((await put("https://one.example/scim")).status, 204);
    assert.equal((await g("GET", `${base}/secrets`)).status, 404, "no secrets had been saved before");
    const fresh = await g("GET", `${base}/secrets`);
    assert.deepEqual(fresh.body.value, [
      { key: "BaseAddress", value: "https://one.example/scim" },
      { key: "SecretToken", value: "*" },
    ]);

    assert.equal((await put("https://two.example/scim")).status, 204);
    const stale = await g("GET", base);
    assert.equal(stale.body.secrets[0].value, "https://one.example/scim", "GET synchronization lags too");
    assert.equal((await g("GET", `${base}/secrets`)).body.value[0].value, "https://two.example/scim");
  });

  it("serves stale secrets for N milliseconds", async () => {
    await setConsistency({ secretsUpdate: { ms: 1000 } });
    assert.equal((await g("PUT", `${base}/secrets`, { value: [{ key: "BaseAddress", value: "https://a.example" }] })).status, 204);
    const written = clock.now();
    assert.equal((await g("GET", `${base}/secrets`)).status, 404);
    await clock.advance(999);
    assert.equal((await g("GET", `${base}/secrets`)).status, 404, "still stale 1 ms before the window closes");
    await clock.advance(1);
    const replicated = await g("GET", `${base}/secrets`);
    assert.equal(replicated.status, 200, "the secrets replicate");
    assert.deepEqual(replicated.body.value, [{ key: "BaseAddress", value: "https://a.example" }]);
    assert.ok(clock.now() - written >= 990);
  });

  it("is off by default: reads see writes at once", async () => {
    const id = await createJob();
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 200);
    assert.equal((await g("DELETE", `${base}/jobs/${id}`)).status, 204);
    assert.equal((await g("GET", `${base}/jobs/${id}`)).status, 404);
  });
});

describe("emulator consistency window bookkeeping", () => {
  let now = 0;
  const clock = () => now;
  const job = (id: string) => ({ job: { id, templateId: "scim" } }) as unknown as JobRecord;
  const windows = (settings: ConsistencySettings) => new ConsistencyWindows(() => settings, clock);

  it("closes a millisecond window at exactly its end, however many reads there were", () => {
    now = 1000;
    const w = windows({ jobCreate: { ms: 100 } });
    const record = job("j");
    w.jobCreated("SP", "j");
    for (let i = 0; i < 10; i++) assert.equal(w.readJob("sp", "j", record), undefined, "service principal ids compare case-insensitively");
    now = 1099;
    assert.equal(w.readJob("SP", "j", record), undefined);
    now = 1100;
    assert.equal(w.readJob("SP", "j", record), record);
  });

  it("keeps the secrets from before the first of several PUTs until the last one's window closes", () => {
    now = 0;
    const w = windows({ secretsUpdate: { reads: 1 } });
    const v1: SecretPair[] = [{ key: "BaseAddress", value: "v1" }];
    const v2: SecretPair[] = [{ key: "BaseAddress", value: "v2" }];
    w.secretsChanged("sp", v1);
    v1[0].value = "mutated later";
    w.secretsChanged("sp", v2);
    assert.deepEqual(w.readSecrets("sp", [{ key: "BaseAddress", value: "v3" }]), [{ key: "BaseAddress", value: "v1" }], "a copy, taken before the first PUT");
    assert.deepEqual(w.readSecrets("sp", v2), v2);
  });

  it("drops a new job's window when it is deleted, and forgets everything on clear()", () => {
    const w = windows({ jobCreate: { reads: 5 }, jobDelete: { reads: 5 } });
    w.jobCreated("sp", "j");
    w.jobDeleted("sp", job("j"));
    assert.equal(w.readJob("sp", "j", undefined)?.job.id, "j", "lingers as deleted");
    assert.deepEqual(
      w.readJobs("sp", []).map((r) => r.job.id),
      ["j"],
    );
    assert.deepEqual(w.readJobs("other", []), [], "only the owner's list");
    w.clear();
    assert.equal(w.readJob("sp", "j", undefined), undefined);
  });
});
