/**
 * ProvisionOnDemand's handler called directly against an in-process emulator: a user provisioned
 * on demand appears in the emulator's SCIM target with the mapped values (read back over SCIM), a
 * scoping filter gives the skipped result, and a failed export fails the operation.
 */

import * as assert from "assert";
import type { OnDemandInputs } from "../../provider/handlers/provision-on-demand";
import { UNKNOWN } from "../../provider/validation";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const jobHandler = handlerOf("SynchronizationJob");
const handler = handlerOf("ProvisionOnDemand");
const secretsHandler = handlerOf("SynchronizationSecrets");

describe("ProvisionOnDemand handler", function () {
  const fixture = useEmulator();
  let sp: string;
  let jobId: string;
  let assignedUsers: string[];

  /** The user as the SCIM application stores it, looked up by userName over SCIM. */
  async function scimUser(userName: string): Promise<Record<string, any> | undefined> {
    const { baseAddress, token } = fixture().emulator.scimTarget;
    const filter = encodeURIComponent(`userName eq "${userName}"`);
    const response = await fetch(`${baseAddress}/Users?filter=${filter}`, { headers: { authorization: `Bearer ${token}` } });
    assert.strictEqual(response.status, 200);
    const list = (await response.json()) as { Resources: Record<string, any>[] };
    return list.Resources[0];
  }
  // mailNickname is not among /users' default properties.
  const entraUser = async (id: string) =>
    (await fixture().graph.request("GET", `/users/${id}?$select=id,displayName,givenName,surname,mail,mailNickname,userPrincipalName`)).body;
  const inputs = (userId: string, extra: Partial<OnDemandInputs> = {}): OnDemandInputs => ({
    servicePrincipalId: sp,
    jobId,
    subjects: [{ objectId: userId, objectTypeName: "User" }],
    ...extra,
  });

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    assignedUsers = emulator.seeded.scimAppAssignments.userIds;
    assert.ok(assignedUsers.length >= 3, "the seeded SCIM app has assigned users");
    await secretsHandler.create({
      servicePrincipalId: sp,
      credentials: { BaseAddress: emulator.scimTarget.baseAddress, SecretToken: emulator.scimTarget.token },
    });
    // Not started: only on-demand provisioning puts anyone into the target.
    jobId = (await jobHandler.create({ servicePrincipalId: sp, templateId: "scim" })).outs.jobId;
  });

  describe("check and diff", () => {
    it("names bad subjects, ruleId and triggers without calling Graph", async () => {
      fixture().exchanges.length = 0;
      const result = await handler.check(
        {},
        {
          servicePrincipalId: sp,
          jobId,
          subjects: [
            { objectId: "", objectTypeName: "User" },
            { objectId: "x", objectTypeName: "User Principal", id: 1 },
            { objectId: "g", objectTypeName: "Group", members: ["1", "2", "3", "4", "5", "6"] },
          ],
          ruleId: "has space",
          triggers: { when: 1 },
        },
      );
      assert.deepStrictEqual((result.failures ?? []).map((f) => f.property).sort(), [
        "ruleId",
        "subjects[0].objectId",
        "subjects[1].id",
        "subjects[1].objectTypeName",
        "subjects[2].members",
        "triggers.when",
      ]);
      assert.strictEqual(fixture().exchanges.length, 0);
      const empty = await handler.check({}, { servicePrincipalId: sp, jobId, subjects: [] });
      assert.deepStrictEqual(
        empty.failures?.map((f) => f.property),
        ["subjects"],
      );
      assert.strictEqual((await handler.check({}, { servicePrincipalId: sp, jobId: UNKNOWN, subjects: UNKNOWN })).failures, undefined);
    });

    it("re-runs in place on subjects, ruleId or triggers, and replaces on the job", async () => {
      const olds = { ...inputs("u1"), triggers: { a: "1" }, results: [], stateVersion: 1 };
      assert.strictEqual((await handler.diff("id", olds, inputs("u1", { triggers: { a: "1" } }))).changes, false);
      const rerun = await handler.diff("id", olds, inputs("u1", { triggers: { a: "2" } }));
      assert.deepStrictEqual([rerun.changes, rerun.replaces], [true, []]);
      assert.deepStrictEqual((await handler.diff("id", olds, inputs("u2", { triggers: { a: "1" } }))).replaces, []);
      assert.deepStrictEqual((await handler.diff("id", olds, { ...inputs("u1"), jobId: "other" })).replaces, ["jobId"]);
    });
  });

  describe("against the emulator's SCIM target", () => {
    it("provisions a user: it appears in the target with the mapped attribute values", async () => {
      const userId = assignedUsers[0];
      const source = await entraUser(userId);
      assert.strictEqual(await scimUser(source.userPrincipalName), undefined, "not in the target before");
      fixture().exchanges.length = 0;
      const { id, outs } = await handler.create(inputs(userId));
      assert.match(id, new RegExp(`/jobs/${jobId.replace(/\./g, "\\.")}/provisionOnDemand$`));

      // The rule id came from the job's schema.
      const schema = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`);
      const post = fixture().exchanges.find((x) => x.method === "POST" && /provisionOnDemand$/.test(x.path))!;
      assert.strictEqual((post.requestBody as any).parameters[0].ruleId, schema.body.synchronizationRules[0].id);

      const [result] = outs.results;
      assert.strictEqual(result.result, "Success");
      assert.strictEqual(result.action, "Create");
      assert.strictEqual(result.ruleId, schema.body.synchronizationRules[0].id);
      assert.ok(result.targetId, "the target's id for the user");
      assert.ok(result.steps.length > 0);

      const provisioned = await scimUser(source.userPrincipalName);
      assert.ok(provisioned, "the user is in the SCIM target");
      assert.strictEqual(provisioned.id, result.targetId);
      assert.strictEqual(provisioned.displayName, source.displayName);
      assert.strictEqual(provisioned.name?.givenName, source.givenName);
      assert.strictEqual(provisioned.name?.familyName, source.surname);
      assert.strictEqual(provisioned.externalId, source.mailNickname);
      assert.strictEqual(provisioned.active, true);
      const workEmail = (provisioned.emails ?? []).find((e: { type?: string }) => e.type === "work");
      assert.strictEqual(workEmail?.value, source.mail);
    });

    it("re-runs when a trigger changes: the same user again is a skipped, redundant export", async () => {
      const first = await handler.create(inputs(assignedUsers[0], { triggers: { run: "1" } }));
      fixture().exchanges.length = 0;
      const { outs } = await handler.update(first.id, first.outs, inputs(assignedUsers[0], { triggers: { run: "2" } }));
      assert.strictEqual(fixture().exchanges.filter((x) => /provisionOnDemand$/.test(x.path)).length, 1);
      assert.strictEqual(outs.results[0].result, "Skipped");
      assert.strictEqual(outs.results[0].errorCode, "RedundantExport");
      assert.deepStrictEqual(outs.triggers, { run: "2" });
    });

    it("gives the skipped result for a user a scoping filter excludes, and leaves the target alone", async () => {
      const path = `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`;
      const original = (await fixture().graph.request("GET", path)).body;
      const { "@odata.context": _context, ...schema } = structuredClone(original);
      const users = schema.synchronizationRules[0].objectMappings.find((m: { sourceObjectName: string }) => m.sourceObjectName === "User");
      users.scope = {
        groups: [
          {
            name: "only a department nobody is in",
            clauses: [{ sourceOperandName: "department", operatorName: "EQUALS", targetOperand: { values: ["No Such Department"] } }],
          },
        ],
        inputFilterGroups: [],
        categoryFilterGroups: [],
      };
      assert.strictEqual((await fixture().graph.request("PUT", path, schema)).status, 204);
      try {
        const userId = assignedUsers[1];
        const source = await entraUser(userId);
        const { outs } = await handler.create(inputs(userId));
        const [result] = outs.results;
        assert.strictEqual(result.result, "Skipped");
        assert.ok(result.errorCode, "the reason code is an output");
        assert.ok(
          result.steps.some((s) => s.type === "Scoping"),
          "the scoping step is reported",
        );
        assert.strictEqual(await scimUser(source.userPrincipalName), undefined, "not provisioned");
      } finally {
        const { "@odata.context": _c, ...restore } = original;
        await fixture().graph.request("PUT", path, restore);
      }
    });

    it("fails with the failed step's message when the target rejects the export", async () => {
      const target = fixture().emulator.scimTarget;
      target.setFailureMode("failWrites");
      try {
        const userId = assignedUsers[2];
        const source = await entraUser(userId);
        await assert.rejects(handler.create(inputs(userId)), (e: Error) => {
          assert.match(e.message, /on demand failed at step \w+ \(Export\)/);
          assert.match(e.message, new RegExp(source.userPrincipalName.replace(/\./g, "\\.")));
          assert.match(e.message, /500|Internal/i, "the target's answer, as the step describes it");
          return true;
        });
      } finally {
        target.setFailureMode("none");
      }
    });

    it("explains when no rule of the job provisions the subject's object type", async () => {
      await assert.rejects(
        handler.create({ servicePrincipalId: sp, jobId, subjects: [{ objectId: assignedUsers[0], objectTypeName: "Device" }] }),
        /no synchronization rule of the job provisions Device objects on demand.*set ruleId/,
      );
    });

    it("redacts results an earlier version stored with a target URL's credentials, on refresh", async () => {
      const { id, outs } = await handler.create(inputs(assignedUsers[0]));
      const leaky = "GET https://u:pw-canary@scim.example.com/scim/Users?token=q-canary answered 401";
      // As the earlier version stored them: stateVersion 1 (the state contract redacts them).
      const stored = {
        ...outs,
        stateVersion: 1,
        results: outs.results.map((r) => ({ ...r, errorMessage: leaky, steps: r.steps.map((st) => ({ ...st, description: leaky })) })),
      };
      const read = await handler.read(id, stored);
      assert.ok(!/canary/.test(JSON.stringify(read.props)), JSON.stringify(read.props));
      assert.strictEqual(read.props!.results[0].errorMessage, "GET https://***@scim.example.com/scim/Users?token=*** answered 401");
    });

    it("is gone from state when its job is deleted", async () => {
      const { id, outs } = await handler.create(inputs(assignedUsers[0]));
      const read = await handler.read(id, outs);
      assert.strictEqual(read.id, id);
      const other = await jobHandler.create({ servicePrincipalId: sp, templateId: "scim" });
      await jobHandler.delete(other.id, other.outs);
      const gone = await handler.read(id, { ...outs, jobId: other.outs.jobId });
      assert.strictEqual(gone.id, "");
    });
  });
});
