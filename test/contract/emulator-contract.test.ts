/**
 * Contract: a realistic provisioning setup driven through the emulator over HTTPS; every exchange
 * must conform to Microsoft's OpenAPI (with the documented deviations). And the validator must be
 * able to fail.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { GraphExchange } from "../../emulator/index";
import { control, graphClient, startTestEmulator, tokenFor } from "../support/emulator-http";
import { DEVIATIONS, canonicalPath, validateExchange } from "./openapi";

describe("emulator contract (OpenAPI)", () => {
  it("a full setup scenario produces zero contract violations", async () => {
    const emu = await startTestEmulator();
    try {
      const g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
      const sp = emu.seeded.scimServicePrincipalId;
      const sync = `/v1.0/servicePrincipals/${sp}/synchronization`;
      const appId = (await g("GET", `/v1.0/servicePrincipals?$filter=displayName eq 'Contoso SCIM App'&$select=id,appId,displayName`)).body.value[0].appId;
      await g("GET", `/v1.0/servicePrincipals(appId='${appId}')`);
      await g("GET", "/v1.0/servicePrincipals?$top=2");
      await g("GET", `${sync}/templates`);
      await g("GET", `${sync}/templates/scim`);
      await g("GET", `${sync}/templates/scim/schema`);
      await g("GET", `${sync}/secrets`); // 404 before any PUT
      await g("POST", `${sync}/jobs/validateCredentials`, {
        useSavedCredentials: false,
        templateId: "scim",
        credentials: [
          { key: "BaseAddress", value: "https://scim.example.com/v2" },
          { key: "SecretToken", value: "s3cr3t" },
        ],
      });
      const job = (await g("POST", `${sync}/jobs`, { templateId: "scim" })).body.id;
      await g("POST", `${sync}/jobs/${job}/validateCredentials`, {
        credentials: [
          { key: "BaseAddress", value: "https://scim.example.com/v2" },
          { key: "SecretToken", value: "s3cr3t" },
        ],
      });
      await g("PUT", `${sync}/secrets`, {
        value: [
          { key: "BaseAddress", value: "https://scim.example.com/v2" },
          { key: "SecretToken", value: "s3cr3t" },
          { key: "SyncNotificationSettings", value: '{"Enabled":false,"DeleteThresholdEnabled":false}' },
          { key: "SyncAll", value: "false" },
        ],
      });
      await g("GET", `${sync}/secrets`);
      await g("GET", sync);
      const schema = (await g("GET", `${sync}/jobs/${job}/schema`)).body;
      schema.synchronizationRules[0].objectMappings[0].scope = {
        groups: [{ name: "Sales", clauses: [{ sourceOperandName: "department", operatorName: "EQUALS", targetOperand: { values: ["Sales"] } }] }],
        inputFilterGroups: [],
        categoryFilterGroups: [],
      };
      await g("PUT", `${sync}/jobs/${job}/schema`, schema);
      await g("PATCH", `${sync}/jobs/${job}/schema`, schema); // 404, like Graph
      await g("POST", `${sync}/jobs/${job}/microsoft.graph.start`);
      await g("GET", `${sync}/jobs/${job}`);
      await control(emu, "POST", "cycles");
      await g("GET", `${sync}/jobs`);
      await g("POST", `${sync}/jobs/${job}/pause`);
      await g("POST", `${sync}/jobs/${job}/restart`, { criteria: { resetScope: "Watermark, Escrows, QuarantineState" } });
      await g("POST", `${sync}/jobs/${job}/restart`, { criteria: { resetScope: "Bogus" } }); // 400
      await g("DELETE", `${sync}/jobs/${job}/schema`);
      await g("GET", `/beta/servicePrincipals/${sp}/synchronization/jobs/${job}`);
      // A quarantined job on the gallery app.
      const gallery = `/v1.0/servicePrincipals/${emu.seeded.galleryServicePrincipalId}/synchronization`;
      const gJob = (await g("POST", `${gallery}/jobs`, { templateId: emu.seeded.galleryTemplateId })).body.id;
      await g("POST", `${gallery}/jobs/${gJob}/start`);
      await control(emu, "POST", "cycles");
      await g("GET", `${gallery}/jobs/${gJob}`);
      await g("GET", `${gallery}/jobs/${gJob}/schema`);
      await g("DELETE", `${sync}/jobs/${job}`);
      await g("GET", `${sync}/jobs/${job}`); // 404
      await g("GET", "/v1.0/users?$top=3");
      await g("GET", `/v1.0/groups/${emu.seeded.groupIds[0]}`);
      // The reads an impact preview samples with.
      await g("GET", `/v1.0/servicePrincipals/${sp}/appRoleAssignedTo?$top=2`);
      await g("GET", `/v1.0/groups/${emu.seeded.groupIds[0]}/members?$select=id`);
      await g("GET", `/v1.0/groups/${emu.seeded.groupIds[0]}/members/microsoft.graph.user`);
      await g("GET", `/v1.0/users?$filter=${encodeURIComponent(`id in ('${emu.seeded.userIds[0]}')`)}&$expand=manager($select=id)`);
      await g("GET", `/v1.0/users/${emu.seeded.userIds[0]}/manager`); // 404

      const statuses = new Set(emu.exchanges.map((x) => x.status));
      for (const s of [200, 201, 204, 400, 404]) assert.ok(statuses.has(s), `scenario covers status ${s}`);
      const violations = emu.exchanges.flatMap((x) => validateExchange(x));
      assert.deepEqual(violations, []);
      const quarantined = emu.exchanges.find((x) => x.method === "GET" && x.path.endsWith(`/jobs/${gJob}`));
      assert.equal((quarantined?.responseBody as any).status.code, "Quarantine", "the scenario exercised a quarantined job body");
    } finally {
      await emu.stop();
    }
  });

  const validJobResponse = (): GraphExchange => ({
    method: "GET",
    path: "/v1.0/servicePrincipals/6cf1a4f2-191a-4055-9c8b-f4f6a4c7b9ac/synchronization/jobs/scim.0123456789abcdef0123456789abcdef.a08ff49b-6f77-4632-a16c-43069c43a8c3",
    query: "",
    requestHeaders: {},
    requestBody: undefined,
    status: 200,
    responseHeaders: { "request-id": "r", "client-request-id": "r", "content-type": "application/json" },
    responseBody: {
      "@odata.context": "https://127.0.0.1/v1.0/$metadata#servicePrincipals('x')/synchronization/jobs/$entity",
      id: "scim.0123456789abcdef0123456789abcdef.a08ff49b-6f77-4632-a16c-43069c43a8c3",
      templateId: "scim",
      schedule: { expiration: null, interval: "P10675199DT2H48M5.4775807S", state: "Disabled" },
      status: {
        code: "NotConfigured",
        countSuccessiveCompleteFailures: 0,
        escrowsPruned: false,
        lastExecution: null,
        lastSuccessfulExecution: null,
        lastSuccessfulExecutionWithExports: null,
        progress: [],
        quarantine: null,
        steadyStateFirstAchievedTime: "0001-01-01T00:00:00Z",
        steadyStateLastAchievedTime: "0001-01-01T00:00:00Z",
        synchronizedEntryCountByType: [],
        troubleshootingUrl: null,
      },
      synchronizationJobSettings: [{ name: "QuarantineTooManyDeletesThreshold", value: "500" }],
    },
  });

  it("accepts a well-formed job response (the baseline for the next test)", () => {
    assert.deepEqual(validateExchange(validJobResponse()), []);
  });

  it("catches malformed responses and requests", () => {
    const bogusCode = validJobResponse();
    (bogusCode.responseBody as any).status.code = "Bogus";
    assert.match(validateExchange(bogusCode).join("\n"), /status\/code must be equal to one of the allowed values/);

    const extra = validJobResponse();
    (extra.responseBody as any).color = "blue";
    assert.match(validateExchange(extra).join("\n"), /must NOT have additional properties \('color'\)/);

    const badInterval = validJobResponse();
    (badInterval.responseBody as any).schedule.interval = "forty minutes";
    assert.notDeepEqual(validateExchange(badInterval), []);

    const badFlags = validJobResponse();
    badFlags.method = "POST";
    badFlags.path = `${badFlags.path}/restart`;
    badFlags.status = 204;
    badFlags.responseBody = undefined;
    badFlags.requestBody = { criteria: { resetScope: "Watermark, Nonsense" } };
    assert.match(validateExchange(badFlags).join("\n"), /request body\/criteria\/resetScope must match pattern/);

    const badError: GraphExchange = { ...validJobResponse(), status: 404, responseBody: { error: { message: "no code" } } };
    assert.match(validateExchange(badError).join("\n"), /must have required property 'code'/);

    const noRequestId = validJobResponse();
    noRequestId.responseHeaders = { "content-type": "application/json" };
    assert.match(validateExchange(noRequestId).join("\n"), /request-id/);

    const undeclared: GraphExchange = {
      ...validJobResponse(),
      method: "DELETE",
      path: "/v1.0/servicePrincipals/x/synchronization/secrets",
      status: 204,
      responseBody: undefined,
    };
    assert.match(validateExchange(undeclared).join("\n"), /no DELETE operation/);
  });

  it("normalizes action/function spellings and key syntax to OpenAPI paths", () => {
    assert.equal(canonicalPath("/servicePrincipals/a/synchronization/jobs/b/start"), "/servicePrincipals/a/synchronization/jobs/b/microsoft.graph.start");
    assert.equal(
      canonicalPath("/servicePrincipals('a')/synchronization/jobs('b')/microsoft.graph.pause"),
      "/servicePrincipals/a/synchronization/jobs/b/microsoft.graph.pause",
    );
    assert.equal(
      canonicalPath("/servicePrincipals/a/synchronization/jobs/b/schema/functions"),
      "/servicePrincipals/a/synchronization/jobs/b/schema/microsoft.graph.functions()",
    );
    assert.equal(canonicalPath("/servicePrincipals(appId='x')"), "/servicePrincipals(appId='x')");
  });

  it("lists every validator deviation in emulator/README.md", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "emulator", "README.md"), "utf8");
    for (const d of DEVIATIONS) assert.ok(readme.includes(`\`${d.id}\``), `README lacks deviation ${d.id}`);
  });
});
