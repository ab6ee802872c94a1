/**
 * Provisioning cycles against the SCIM target the emulator hosts: the initial cycle exports what
 * is in scope (assigned users, members of assigned groups, assigned groups; everything with
 * SyncAll) and reports it in the job status; incremental cycles export changes only; objects
 * leaving scope are disabled; a failing target quarantines the job with the documented reasons,
 * and restart (QuarantineState / Full) after fixing it recovers; the target's data persists with
 * the state file.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { control, graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator provisioning cycles", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let sync: string;
  let jobs: string;

  beforeEach(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    sync = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization`;
    jobs = `${sync}/jobs`;
  });
  afterEach(async () => {
    await emu.stop();
  });

  async function startJob(extraSecrets: { key: string; value: string }[] = []): Promise<string> {
    const secrets = [{ key: "BaseAddress", value: emu.scimTarget.baseAddress }, { key: "SecretToken", value: emu.scimTarget.token }, ...extraSecrets];
    assert.equal((await g("PUT", `${sync}/secrets`, { value: secrets })).status, 204);
    const id = (await g("POST", jobs, { templateId: "scim" })).body.id as string;
    assert.equal((await g("POST", `${jobs}/${id}/start`)).status, 204);
    return id;
  }
  const cycle = async () => (await control(emu, "POST", "cycles")).body.value as { jobId: string; result: string; statusCode: string }[];
  const status = async (id: string) => (await g("GET", `${jobs}/${id}`)).body.status;
  const setFailure = (mode: string) => control(emu, "PUT", "scim/failure", { mode });
  /**
   * Users in scope without SyncAll: active users assigned directly or through an assigned group
   * (whose members may include nested groups, which are not followed, and disabled users).
   */
  const inScopeUserIds = async ({ includeDisabled = false } = {}) => {
    const state = (await control(emu, "GET", "state")).body;
    const { userIds, groupIds } = emu.seeded.scimAppAssignments;
    const active = new Set(state.users.filter((u: any) => includeDisabled || u.accountEnabled !== false).map((u: any) => u.id));
    return [...new Set([...userIds, ...groupIds.flatMap((gid: string) => state.groupMembers[gid] as string[])])].filter((id) => active.has(id));
  };
  const upnOf = async (id: string) => (await g("GET", `/v1.0/users/${id}`)).body.userPrincipalName as string;

  it("the initial cycle provisions the assigned users, the members of assigned groups and the groups, with counts in status", async () => {
    const id = await startJob();
    assert.deepEqual(
      (await cycle()).map((c) => [c.result, c.statusCode]),
      [["Succeeded", "Active"]],
    );

    const expectedUsers = await inScopeUserIds();
    assert.ok(expectedUsers.length > emu.seeded.scimAppAssignments.userIds.length, "the assigned group brings members");
    assert.ok(expectedUsers.length < emu.seeded.userIds.length, "not everyone is assigned");
    const upns = (await Promise.all(expectedUsers.map(upnOf))).sort();
    assert.deepEqual(
      emu.scimTarget
        .listUsers()
        .map((u) => u.userName)
        .sort(),
      upns,
    );
    const groups = emu.scimTarget.listGroups();
    assert.deepEqual(
      groups.map((gr) => gr.externalId),
      emu.seeded.scimAppAssignments.groupIds,
    );
    const state = (await control(emu, "GET", "state")).body;
    const memberUpns = await Promise.all((state.groupMembers[groups[0].externalId as string] as string[]).map(upnOf));
    const targetIdByUpn = new Map(emu.scimTarget.listUsers().map((u) => [u.userName as string, u.id]));
    assert.deepEqual((groups[0].members as { value: string }[]).map((m) => m.value).sort(), memberUpns.map((u) => targetIdByUpn.get(u)).sort());

    const s = await status(id);
    const objects = expectedUsers.length + groups.length;
    // Assigned but disabled users are imported (evaluated) and not entitled.
    const assignedDisabled = (await inScopeUserIds({ includeDisabled: true })).length - expectedUsers.length;
    assert.ok(assignedDisabled > 0, "an assigned group holds a disabled user");
    assert.equal(s.code, "Active");
    assert.equal(s.lastExecution.state, "Succeeded");
    assert.equal(s.lastExecution.countImported, objects + assignedDisabled);
    assert.equal(s.lastExecution.countEntitled, objects);
    assert.equal(s.lastExecution.countExports, objects);
    assert.equal(s.lastExecution.countExported, objects);
    assert.equal(s.lastExecution.countEscrowed, 0);
    assert.deepEqual(s.lastSuccessfulExecutionWithExports, s.lastExecution);
    assert.deepEqual(
      [...s.synchronizedEntryCountByType].sort((a: any, b: any) => a.key.localeCompare(b.key)),
      [
        { key: "Group", value: groups.length },
        { key: "User", value: expectedUsers.length },
      ],
    );
    assert.equal(s.progress[0].completedUnits, s.progress[0].totalUnits);
    assert.notEqual(s.steadyStateFirstAchievedTime, "0001-01-01T00:00:00Z");

    // Incremental: nothing changed, nothing imported or exported.
    await cycle();
    const next = await status(id);
    assert.equal(next.lastExecution.countImported, 0);
    assert.equal(next.lastExecution.countExports, 0);
    assert.deepEqual(next.lastSuccessfulExecutionWithExports, s.lastSuccessfulExecutionWithExports);
    assert.equal(emu.scimTarget.listUsers().length, expectedUsers.length);
  });

  it("with SyncAll=true provisions every user and group of the tenant", async () => {
    await startJob([{ key: "SyncAll", value: "true" }]);
    await cycle();
    // Every enabled user: a disabled one is not created.
    const state = (await control(emu, "GET", "state")).body;
    const enabled = (state.users as any[]).filter((u) => u.accountEnabled !== false);
    assert.ok(enabled.length < emu.seeded.userIds.length, "the seed has a disabled user");
    assert.deepEqual(
      emu.scimTarget
        .listUsers()
        .map((u) => u.userName)
        .sort(),
      enabled.map((u) => u.userPrincipalName).sort(),
    );
    assert.equal(emu.scimTarget.listGroups().length, emu.seeded.groupIds.length);
  });

  it("a schema change makes the next cycle initial: users its scoping filter now excludes are disabled", async () => {
    const id = await startJob();
    await cycle();
    const groupsBefore = emu.scimTarget.listGroups();
    const schema = (await g("GET", `${jobs}/${id}/schema`)).body;
    const userMapping = schema.synchronizationRules[0].objectMappings.find((m: any) => m.sourceObjectName === "User");
    userMapping.scope = {
      groups: [{ name: "Engineering only", clauses: [{ sourceOperandName: "department", operatorName: "EQUALS", targetOperand: { values: ["Engineering"] } }] }],
      inputFilterGroups: [],
      categoryFilterGroups: [],
    };
    assert.equal((await g("PUT", `${jobs}/${id}/schema`, schema)).status, 204);
    await cycle();
    const state = (await control(emu, "GET", "state")).body;
    const departmentByUpn = new Map((state.users as any[]).map((u) => [u.userPrincipalName, u.department]));
    const users = emu.scimTarget.listUsers();
    assert.ok(users.some((u) => u.active === true) && users.some((u) => u.active === false));
    for (const u of users) assert.equal(u.active, departmentByUpn.get(u.userName) === "Engineering", String(u.userName));
    // The disabled users are no longer members of the target group either.
    const activeIds = users
      .filter((u) => u.active === true)
      .map((u) => u.id)
      .sort();
    const group = emu.scimTarget.listGroups()[0];
    assert.deepEqual(
      ((group.members ?? []) as { value: string }[]).map((m) => m.value).filter((m) => !activeIds.includes(m)),
      [],
    );
    const s = await status(id);
    const disabledIds = users.filter((u) => u.active === false).map((u) => u.id);
    const groupsLosingMembers = groupsBefore.filter((gr) => ((gr.members ?? []) as { value: string }[]).some((m) => disabledIds.includes(m.value))).length;
    assert.ok(groupsLosingMembers > 0);
    assert.equal(s.lastExecution.countExported, disabledIds.length + groupsLosingMembers, "one PATCH per disabled user, one per group for its members");
    assert.equal(s.code, "Active");
  });

  it("a target that refuses the token quarantines the job (EncounteredQuarantineException); restart with QuarantineState after fixing it recovers", async () => {
    const id = await startJob();
    await cycle();
    await setFailure("rejectToken");
    assert.deepEqual(
      (await cycle()).map((c) => [c.result, c.statusCode]),
      [["Failed", "Quarantine"]],
    );
    let s = await status(id);
    assert.equal(s.code, "Quarantine");
    assert.equal(s.quarantine.reason, "EncounteredQuarantineException");
    assert.equal(s.quarantine.error.code, "SystemForCrossDomainIdentityManagementCredentialValidationFailure");
    assert.equal(s.quarantine.error.tenantActionable, true);
    assert.equal(s.lastExecution.state, "Failed");
    // Quarantined jobs are retried less often: the first retry 6 h (9 intervals of 40 min) later.
    const retryMs = Date.parse(s.quarantine.nextAttempt) - Date.parse(s.quarantine.currentBegan);
    const interval = (await control(emu, "GET", "config")).body.cycleIntervalMs as number;
    assert.ok(Math.abs(retryMs - 9 * interval) < 5_000, `next attempt ${retryMs} ms after, expected ~${9 * interval}`);

    await setFailure("none");
    assert.equal((await g("POST", `${jobs}/${id}/restart`, { criteria: { resetScope: "QuarantineState" } })).status, 204);
    s = await status(id);
    assert.equal(s.quarantine, null);
    assert.equal(s.code, "Active", "it has succeeded before");
    await cycle();
    s = await status(id);
    assert.equal(s.code, "Active");
    assert.equal(s.lastExecution.state, "Succeeded");
  });

  it("an unreachable target quarantines with ...Unavailable; restart with Full after fixing it re-exports everything", async () => {
    const id = await startJob();
    await cycle();
    const before = emu.scimTarget.listUsers().length;
    await setFailure("dropConnections");
    await cycle();
    let s = await status(id);
    assert.equal(s.quarantine.reason, "EncounteredQuarantineException");
    assert.equal(s.quarantine.error.code, "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable");
    await cycle();
    assert.equal((await status(id)).quarantine.seriesCount, 1, "a second failed attempt keeps the quarantine and counts it");

    await setFailure("none");
    emu.scimTarget.reset(); // the application lost its data meanwhile
    assert.equal((await g("POST", `${jobs}/${id}/restart`, { criteria: { resetScope: "Full" } })).status, 204);
    assert.equal((await status(id)).quarantine, null);
    await cycle();
    s = await status(id);
    assert.equal(s.code, "Active");
    assert.equal(emu.scimTarget.listUsers().length, before, "Full = ConnectorDataStore + Watermark: everything matched and created again");
    assert.equal(s.lastExecution.countExported, s.lastExecution.countEntitled, "every entitled object exported again");
    assert.equal(s.lastExecution.countEntitled, before + emu.scimTarget.listGroups().length);
  });

  it("failed writes: an initial cycle prunes its escrows and pauses; an incremental one quarantines (EncounteredEscrowProportionThreshold)", async () => {
    const id = await startJob();
    await setFailure("failWrites");
    await cycle();
    let s = await status(id);
    assert.equal(s.escrowsPruned, true);
    assert.equal(s.code, "Paused");
    assert.equal(s.lastExecution.state, "EntryLevelErrors");
    assert.ok(s.lastExecution.countEscrowed > 0);
    assert.equal(s.lastExecution.countExported, 0);

    // Resume with writes still failing. The pruned entries come back as changes (their
    // fingerprints were never stored), so this incremental cycle tries them again and fails.
    await g("POST", `${jobs}/${id}/start`);
    await cycle();
    s = await status(id);
    assert.equal(s.code, "Quarantine");
    assert.equal(s.quarantine.reason, "EncounteredEscrowProportionThreshold");
    assert.equal(s.quarantine.error.code, "InternalServerError");
    assert.ok(s.lastExecution.countEscrowed > 0);

    await setFailure("none");
    await g("POST", `${jobs}/${id}/restart`, { criteria: { resetScope: "QuarantineState, Escrows" } });
    s = await status(id);
    assert.equal(s.escrowsPruned, false);
    await cycle();
    s = await status(id);
    assert.equal(s.code, "Active");
    assert.equal(s.lastExecution.state, "Succeeded");
    assert.equal(emu.scimTarget.listUsers().length, (await inScopeUserIds()).length);
  });
});

describe("emulator SCIM target persistence", () => {
  it("keeps the provisioned users and the BaseAddress across restarts with a state file", async () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-scim-")), "tenant.json");
    const first = await startTestEmulator({ stateFile });
    let baseAddress: string;
    let users: string[];
    try {
      const g = graphClient(first, await tokenFor(first, first.clients.admin));
      const sync = `/v1.0/servicePrincipals/${first.seeded.scimServicePrincipalId}/synchronization`;
      await g("PUT", `${sync}/secrets`, {
        value: [
          { key: "BaseAddress", value: first.scimTarget.baseAddress },
          { key: "SecretToken", value: first.scimTarget.token },
        ],
      });
      const id = (await g("POST", `${sync}/jobs`, { templateId: "scim" })).body.id;
      await g("POST", `${sync}/jobs/${id}/start`);
      await control(first, "POST", "cycles");
      baseAddress = first.scimTarget.baseAddress;
      users = first.scimTarget.listUsers().map((u) => u.id);
      assert.ok(users.length > 0);
      const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
      assert.equal(saved.scimTarget.users.length, users.length);
      assert.ok(!JSON.stringify(saved.scimTarget).includes(first.scimTarget.token), "the target keeps no token in the state (it derives from the seed)");
    } finally {
      await first.stop();
    }
    const second = await startTestEmulator({ stateFile });
    try {
      assert.equal(second.scimTarget.baseAddress, baseAddress, "the saved BaseAddress still answers");
      assert.deepEqual(
        second.scimTarget.listUsers().map((u) => u.id),
        users,
      );
      const g = graphClient(second, await tokenFor(second, second.clients.admin));
      const jobs = `/v1.0/servicePrincipals/${second.seeded.scimServicePrincipalId}/synchronization/jobs`;
      assert.equal((await g("POST", `${jobs}/validateCredentials`, { templateId: "scim", useSavedCredentials: true })).status, 204);
    } finally {
      await second.stop();
    }
  });
});
