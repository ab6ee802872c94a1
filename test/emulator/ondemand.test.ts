/**
 * provisionOnDemand: one user (or a group with members) provisioned through the job's schema to
 * the SCIM target the emulator hosts, answered with Graph's stringKeyStringValuePair whose key and
 * value are JSON in strings; scoping, assignment, unknown rules and subjects, a refused target,
 * and the documented 5 requests / 10 s limit.
 */
import { strict as assert } from "node:assert";
import { control, graphClient, request, startTestEmulator, tokenFor, type HttpResult, type TestEmulator } from "../support/emulator-http";
import { validateExchange } from "../contract/openapi";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("emulator provisionOnDemand", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let sync: string;
  let jobId: string;
  let ruleId: string;

  // A fresh emulator per test: the on-demand limit (5 per 10 s) would otherwise carry over.
  beforeEach(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    sync = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization`;
    await g("PUT", `${sync}/secrets`, {
      value: [
        { key: "BaseAddress", value: emu.scimTarget.baseAddress },
        { key: "SecretToken", value: emu.scimTarget.token },
      ],
    });
    jobId = (await g("POST", `${sync}/jobs`, { templateId: "scim" })).body.id;
    ruleId = (await g("GET", `${sync}/jobs/${jobId}/schema`)).body.synchronizationRules[0].id;
  });
  afterEach(async () => {
    await emu.stop();
  });

  const provision = (subject: Record<string, unknown>, rule = ruleId) =>
    g("POST", `${sync}/jobs/${jobId}/provisionOnDemand`, { parameters: [{ ruleId: rule, subjects: [subject] }] });
  /** The answer's key and value, parsed from their JSON strings. */
  const parsed = (res: HttpResult) => ({ key: JSON.parse(res.body.key), value: JSON.parse(res.body.value) });
  const scimGet = (pathAndQuery: string) => {
    const base = new URL(emu.scimTarget.baseAddress);
    return request({ graphEndpoint: base.origin, caCertPath: emu.caCertPath }, "GET", `${base.pathname}${pathAndQuery}`, { token: emu.scimTarget.token });
  };
  const user = async (id: string) => (await g("GET", `/v1.0/users/${id}?$select=id,userPrincipalName,givenName,surname,mail,department,mailNickname,jobTitle`)).body;

  it("provisions an assigned user to the SCIM target with the mapped values, answering Graph's result shape", async () => {
    const userId = emu.seeded.scimAppAssignments.userIds[0];
    const source = await user(userId);
    const res = await provision({ objectId: userId, objectTypeName: "User" });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair`);
    assert.equal(typeof res.body.key, "string");
    assert.equal(typeof res.body.value, "string");
    const { key, value } = parsed(res);
    assert.deepEqual(key, { result: "Success", details: {} });
    assert.equal(value.action, "Create");
    assert.equal(value.reportableIdentifier, source.userPrincipalName);
    assert.deepEqual(
      value.provisioningSteps.map((s: any) => [s.name, s.type, s.status]),
      [
        ["EntryImport", "Import", "Success"],
        ["EntryImport", "Matching", "Success"],
        ["EntrySynchronizationScoping", "Scoping", "Success"],
        ["EntryExportAdd", "Export", "Success"],
      ],
    );
    assert.equal(value.provisioningSteps[0].details.userPrincipalName, source.userPrincipalName);
    assert.equal(value.provisioningSteps[2].details.Assigned, "True");
    assert.deepEqual(value.statusInfo, { status: "Success", errorCode: null, reason: null, additionalDetails: null, errorCategory: null, recommendedAction: null });
    assert.deepEqual(value.sourceIdentity, { id: userId, type: "User", displayName: null, details: null });
    assert.equal(value.sourceSystem.name, "Azure Active Directory");
    assert.equal(value.targetSystem.name, "customappsso");
    assert.ok(value.modifiedProperties.some((p: any) => p.displayName === "userName" && p.newValue === source.userPrincipalName));

    // Read back from the application over SCIM, as its own admin would.
    const found = await scimGet(`/Users?filter=${encodeURIComponent(`userName eq "${source.userPrincipalName}"`)}`);
    assert.equal(found.body.totalResults, 1);
    const scimUser = found.body.Resources[0];
    assert.equal(scimUser.id, value.targetIdentity.id);
    assert.equal(scimUser.active, true, "active <- Not([IsSoftDeleted])");
    assert.equal(scimUser.externalId, source.mailNickname, "externalId <- mailNickname");
    assert.equal(scimUser.displayName, `${source.givenName} ${source.surname}`);
    assert.equal(scimUser.title, source.jobTitle);
    assert.deepEqual(scimUser.name, { givenName: source.givenName, familyName: source.surname, formatted: `${source.givenName} ${source.surname}` });
    assert.deepEqual(scimUser.emails, [{ type: "work", value: source.mail, primary: true }]);
    assert.equal(scimUser[ENTERPRISE].department, source.department);

    // Nothing changed since: the same request is skipped as redundant.
    const again = parsed(await provision({ objectId: userId, objectTypeName: "User" }));
    assert.equal(again.key.result, "Skipped");
    assert.equal(again.key.details.errorCode, "RedundantExport");
    assert.deepEqual(again.value.provisioningSteps.at(-1).details, { SkipReason: "RedundantExport" });
    assert.equal(emu.scimTarget.listUsers().length, 1);
  });

  it("conforms to the OpenAPI contract (request and response)", async () => {
    emu.exchanges.length = 0;
    await provision({ objectId: emu.seeded.scimAppAssignments.userIds[0], objectTypeName: "User" });
    const exchange = emu.exchanges.find((x) => x.path.endsWith("/provisionOnDemand"));
    assert.ok(exchange);
    assert.deepEqual(validateExchange(exchange), []);
  });

  it("skips a user the scoping filter excludes (NotEffectivelyEntitled) and writes nothing", async () => {
    const userId = emu.seeded.scimAppAssignments.userIds[0];
    const department = (await user(userId)).department as string;
    const schema = (await g("GET", `${sync}/jobs/${jobId}/schema`)).body;
    const users = schema.synchronizationRules[0].objectMappings.find((m: any) => m.sourceObjectName === "User");
    users.scope = {
      groups: [
        { name: "Only another department", clauses: [{ sourceOperandName: "department", operatorName: "EQUALS", targetOperand: { values: [`not ${department}`] } }] },
      ],
      inputFilterGroups: [],
      categoryFilterGroups: [],
    };
    assert.equal((await g("PUT", `${sync}/jobs/${jobId}/schema`, schema)).status, 204);

    const res = await provision({ objectId: userId, objectTypeName: "User" });
    assert.equal(res.status, 200);
    const { key, value } = parsed(res);
    assert.equal(key.result, "Skipped");
    assert.equal(key.details.errorCode, "NotEffectivelyEntitled");
    const scoping = value.provisioningSteps.find((s: any) => s.type === "Scoping");
    assert.equal(scoping.status, "Skipped");
    assert.equal(scoping.details.IsInProvisioningScope, "False");
    assert.deepEqual(JSON.parse(scoping.details.ScopeEvaluationResult), { "Only another department": false });
    assert.deepEqual(value.provisioningSteps.at(-1).details, { SkipReason: "NotEffectivelyEntitled" });
    assert.equal(value.statusInfo.status, "Skipped");
    assert.deepEqual(emu.scimTarget.listUsers(), []);
  });

  it("skips a user who is not assigned to the app unless SyncAll is true", async () => {
    const { userIds, groupIds } = emu.seeded.scimAppAssignments;
    const state = (await control(emu, "GET", "state")).body;
    const viaGroup = new Set(groupIds.flatMap((gid: string) => state.groupMembers[gid] as string[]));
    const unassigned = emu.seeded.userIds.find((id) => !userIds.includes(id) && !viaGroup.has(id))!;
    const skipped = parsed(await provision({ objectId: unassigned, objectTypeName: "User" }));
    assert.equal(skipped.key.details.errorCode, "NotEffectivelyEntitled");
    assert.equal(skipped.value.provisioningSteps.find((s: any) => s.type === "Scoping").details.Assigned, "False");

    await g("PUT", `${sync}/secrets`, { value: [{ key: "SyncAll", value: "true" }] });
    const created = parsed(await provision({ objectId: unassigned, objectTypeName: "User" }));
    assert.equal(created.key.result, "Success");
    assert.equal(created.value.provisioningSteps.find((s: any) => s.type === "Scoping").details.ScopeSyncAll, "True");
  });

  it("provisions a group with listed members first, then the group with those members", async () => {
    const groupId = emu.seeded.scimAppAssignments.groupIds[0];
    const state = (await control(emu, "GET", "state")).body;
    const members = (state.groupMembers[groupId] as string[]).slice(0, 2);
    const res = await provision({ objectId: groupId, objectTypeName: "Group", links: { members: members.map((objectId) => ({ objectId, objectTypeName: "User" })) } });
    const { key, value } = parsed(res);
    assert.deepEqual(key, { result: "Success", details: {} });
    assert.equal(value.action, "Create");
    const groups = emu.scimTarget.listGroups();
    assert.equal(groups.length, 1);
    assert.equal(groups[0].externalId, groupId, "externalId <- objectId");
    const memberIds = emu.scimTarget
      .listUsers()
      .map((u) => u.id)
      .sort();
    assert.equal(memberIds.length, 2);
    assert.deepEqual((groups[0].members as { value: string }[]).map((m) => m.value).sort(), memberIds);
  });

  it("fails like Graph for unknown rules, subjects and bodies beyond the documented limits", async () => {
    const userId = emu.seeded.scimAppAssignments.userIds[0];
    const unknownRule = await provision({ objectId: userId, objectTypeName: "User" }, "00000000-0000-4000-8000-000000000000");
    assert.equal(unknownRule.status, 400);
    assert.equal(unknownRule.body.error.code, "UnknownError");
    assert.equal(JSON.parse(unknownRule.body.error.message).error.code, "InvalidRuleId");

    const missing = await provision({ objectId: "00000000-0000-4000-8000-000000000001", objectTypeName: "User" });
    assert.equal(missing.status, 200);
    const { key, value } = parsed(missing);
    assert.equal(key.result, "Failure");
    assert.equal(key.details.errorCode, "ObjectNotFound");
    assert.equal(value.statusInfo.status, "Failure");
    assert.deepEqual(
      value.provisioningSteps.map((s: any) => [s.type, s.status]),
      [["Import", "Failure"]],
    );

    const badBody = await g("POST", `${sync}/jobs/${jobId}/provisionOnDemand`, {
      parameters: [{ ruleId, subjects: [{ objectId: userId, objectTypeName: "User", color: "red" }] }],
    });
    assert.equal(badBody.status, 400);
    assert.equal(badBody.body.error.code, "BadRequest");
    const twoSubjects = await g("POST", `${sync}/jobs/${jobId}/provisionOnDemand`, {
      parameters: [
        {
          ruleId,
          subjects: [
            { objectId: userId, objectTypeName: "User" },
            { objectId: userId, objectTypeName: "User" },
          ],
        },
      ],
    });
    assert.equal(twoSubjects.status, 400);
  });

  it("reports a refused target as a failed test connection", async () => {
    await control(emu, "PUT", "scim/failure", { mode: "rejectToken" });
    const res = await provision({ objectId: emu.seeded.scimAppAssignments.userIds[0], objectTypeName: "User" });
    assert.equal(res.status, 200);
    const { key, value } = parsed(res);
    assert.equal(key.result, "Failure");
    assert.equal(key.details.errorCode, "SystemForCrossDomainIdentityManagementCredentialValidationFailure");
    assert.equal(value.provisioningSteps[0].name, "TestConnection");
  });

  it("throttles at 5 requests per 10 seconds with 429 and Retry-After", async () => {
    const subject = { objectId: emu.seeded.scimAppAssignments.userIds[0], objectTypeName: "User" };
    for (let i = 0; i < 5; i++) assert.equal((await provision(subject)).status, 200, `request ${i + 1}`);
    const throttled = await provision(subject);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.body.error.code, "TooManyRequests");
    const retryAfter = Number(throttled.headers["retry-after"]);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 10, `Retry-After ${throttled.headers["retry-after"]}`);
  });
});
