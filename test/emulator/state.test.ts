/**
 * State: persistence to a state file across restarts (tenant, jobs, secrets, tokens), the control
 * plane's reset/state/requests/config.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { control, graphClient, startTestEmulator, tokenFor } from "../support/emulator-http";

describe("emulator state and control plane", () => {
  it("persists the tenant, jobs and secrets to the state file and restores them (tokens stay valid)", async () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-state-")), "tenant.json");
    const first = await startTestEmulator({ stateFile, seed: 7 });
    const token = await tokenFor(first, first.clients.admin);
    const g1 = graphClient(first, token);
    const sp = first.seeded.scimServicePrincipalId;
    const jobs = `/v1.0/servicePrincipals/${sp}/synchronization/jobs`;
    await g1("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, {
      value: [
        { key: "BaseAddress", value: "https://scim.example.com" },
        { key: "SecretToken", value: "t" },
      ],
    });
    const jobId = (await g1("POST", jobs, { templateId: "scim" })).body.id;
    await g1("POST", `${jobs}/${jobId}/start`);
    await control(first, "POST", "cycles");
    const jobBefore = (await g1("GET", `${jobs}/${jobId}`)).body;
    const schema = (await g1("GET", `${jobs}/${jobId}/schema`)).body;
    schema.synchronizationRules[0].objectMappings.pop();
    await g1("PUT", `${jobs}/${jobId}/schema`, schema);
    const schemaBefore = (await g1("GET", `${jobs}/${jobId}/schema`)).body;
    await first.stop();
    assert.ok(fs.existsSync(stateFile));

    // Same file, a different seed option: the state file wins.
    const second = await startTestEmulator({ stateFile, seed: 99 });
    try {
      assert.equal(second.tenantId, first.tenantId);
      const g2 = graphClient(second, token); // a token issued by the previous process
      const jobAfter = await g2("GET", `${jobs}/${jobId}`);
      assert.equal(jobAfter.status, 200, jobAfter.text);
      const strip = (x: any) => {
        const { "@odata.context": _c, ...rest } = x;
        return rest;
      };
      assert.deepEqual(strip(jobAfter.body), strip(jobBefore));
      assert.deepEqual(strip((await g2("GET", `${jobs}/${jobId}/schema`)).body), strip(schemaBefore));
      const secrets = (await g2("GET", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`)).body.value.map((p: any) => p.key);
      assert.deepEqual(secrets, ["BaseAddress", "SecretToken"]);
      // The id stream continues: a new job gets a new id.
      const another = (await g2("POST", jobs, { templateId: "scim" })).body.id;
      assert.notEqual(another, jobId);
    } finally {
      await second.stop();
    }
  });

  it("resets to the seeded tenant", async () => {
    const emu = await startTestEmulator();
    try {
      const g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
      const jobs = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/jobs`;
      await g("POST", jobs, { templateId: "scim" });
      assert.equal((await g("GET", jobs)).body.value.length, 1);
      const reset = await control(emu, "POST", "reset");
      assert.equal(reset.status, 200);
      assert.equal(reset.body.tenantId, emu.tenantId);
      assert.deepEqual((await g("GET", jobs)).body.value, []);
    } finally {
      await emu.stop();
    }
  });

  it("exposes health, a redacted state dump, a request log without secrets, and config", async () => {
    const emu = await startTestEmulator();
    try {
      assert.deepEqual((await control(emu, "GET", "health")).body, { status: "ok", tenantId: emu.tenantId });
      const clientRequestId = "0c8b7a6d-0000-4000-8000-000000000001";
      const g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
      await control(emu, "DELETE", "requests");
      await g("GET", "/v1.0/servicePrincipals?$top=1", undefined, { "client-request-id": clientRequestId });
      const log = (await control(emu, "GET", "requests")).body.value;
      assert.equal(log.length, 1);
      assert.deepEqual(Object.keys(log[0]).sort(), [
        "clientRequestId",
        "durationMs",
        "endedAt",
        "host",
        "kind",
        "method",
        "path",
        "requestId",
        "route",
        "seq",
        "startedAt",
        "status",
      ]);
      assert.equal(log[0].path, "/v1.0/servicePrincipals");
      assert.equal(log[0].clientRequestId, clientRequestId);
      assert.equal(log[0].status, 200);
      const state = await control(emu, "GET", "state");
      assert.equal(state.body.tenantId, emu.tenantId);
      // Clients that sign in with a certificate, a federated credential or as a managed identity have no secret.
      assert.ok(state.body.clients.every((c: any) => c.clientSecret === "***" || (c.clientSecret === undefined && c.handle !== "admin" && c.handle !== "noRole")));
      assert.equal((await control(emu, "PUT", "config", { pageSize: 0 })).status, 400);
      assert.equal((await control(emu, "PUT", "config", { bogus: 1 })).status, 400);
      assert.deepEqual((await control(emu, "PUT", "config", { cycleIntervalMs: 5000 })).body.cycleIntervalMs, 5000);
      assert.equal((await control(emu, "GET", "nope")).status, 404);
    } finally {
      await emu.stop();
    }
  });
});
