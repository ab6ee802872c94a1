/**
 * SynchronizationSecrets' typed provisioning settings and credential validation, with the handler
 * called directly against an in-process emulator (and its SCIM target application).
 */

import { forgetHoldings } from "../../provider/ownership/held-by-program";
import * as assert from "assert";
import type { SecretsInputs, SecretsOutputs } from "../../provider/handlers/secrets";
import { CredentialValidationError } from "../../provider/graph/errors";
import { UNKNOWN } from "../../provider/validation";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationSecrets");

describe("SynchronizationSecrets settings and validation", function () {
  const fixture = useEmulator();
  let sp: string;
  let target: { baseAddress: string; token: string };

  const live = async (): Promise<Record<string, string>> => {
    const r = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/secrets`);
    return r.status === 404 ? {} : Object.fromEntries((r.body.value as { key: string; value: string }[]).map((p) => [p.key, p.value]));
  };
  const checked = async (news: Record<string, unknown>): Promise<SecretsInputs> => {
    const result = await handler.check({}, news);
    assert.deepStrictEqual(result.failures, undefined);
    return result.inputs!;
  };
  const calls = (pattern: RegExp) => fixture().exchanges.filter((x) => pattern.test(`${x.method} ${x.path}`));

  before(() => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
    const scim = fixture().emulator.scimTarget;
    target = { baseAddress: scim.baseAddress, token: scim.token };
  });

  afterEach(async () => {
    // Every key any test writes, so each test starts from no managed keys.
    const everything: SecretsOutputs = {
      stateVersion: 1,
      servicePrincipalId: sp,
      credentials: { BaseAddress: "x", SecretToken: "x" },
      provisioningScope: "assignedUsersAndGroups",
      notificationEmail: "a@b.c",
      skipOutOfScopeDeletions: true,
      keys: [],
      unmanagedKeys: [],
    };
    await handler.delete("", everything);
  });

  describe("check", () => {
    it("names bad settings, a key set twice, and validation without a target", async () => {
      const result = await handler.check(
        {},
        {
          servicePrincipalId: sp,
          credentials: { SyncAll: "true" },
          provisioningScope: "allUsersAndGroups",
          accidentalDeletionThreshold: -1,
          validateCredentials: true,
        },
      );
      assert.deepStrictEqual((result.failures ?? []).map((f) => f.property).sort(), ["accidentalDeletionThreshold", "credentials.SyncAll", "validateCredentials"]);
    });

    it("accepts settings alone (no credentials) and unknown values at preview", async () => {
      assert.deepStrictEqual((await checked({ servicePrincipalId: sp, provisioningScope: "allUsersAndGroups" })).credentials, {});
      const preview = await handler.check(
        {},
        { servicePrincipalId: sp, credentials: UNKNOWN, notificationEmail: UNKNOWN, templateId: UNKNOWN, validateCredentials: true },
      );
      assert.strictEqual(preview.failures, undefined);
    });
  });

  describe("typed settings", () => {
    it("writes SyncAll and SyncNotificationSettings with the portal's JSON, and lists them as managed keys", async () => {
      const inputs = await checked({
        servicePrincipalId: sp,
        credentials: { BaseAddress: target.baseAddress, SecretToken: target.token },
        provisioningScope: "allUsersAndGroups",
        notificationEmail: "ops@contoso.com",
        accidentalDeletionThreshold: 250,
      });
      const { outs } = await handler.create(inputs);
      const secrets = await live();
      assert.strictEqual(secrets.SyncAll, "true");
      assert.deepStrictEqual(JSON.parse(secrets.SyncNotificationSettings), {
        Enabled: true,
        Recipients: "ops@contoso.com",
        DeleteThresholdEnabled: true,
        DeleteThresholdValue: 250,
      });
      assert.deepStrictEqual(outs.keys, ["BaseAddress", "SecretToken", "SyncAll", "SyncNotificationSettings"]);
      assert.strictEqual(outs.provisioningScope, "allUsersAndGroups");
      assert.strictEqual(outs.accidentalDeletionThreshold, 250);
      assert.ok(!("SyncAll" in outs.credentials), "settings are not credentials (and not secret)");
    });

    it("reads a threshold changed in the portal as drift on the setting, and update puts it back", async () => {
      const inputs = await checked({
        servicePrincipalId: sp,
        credentials: { BaseAddress: target.baseAddress },
        notificationEmail: "ops@contoso.com",
        accidentalDeletionThreshold: 250,
      });
      const { id, outs } = await handler.create(inputs);
      const portal = await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
        value: [{ key: "SyncNotificationSettings", value: '{"Enabled":true,"Recipients":"ops@contoso.com","DeleteThresholdEnabled":true,"DeleteThresholdValue":900}' }],
      });
      assert.strictEqual(portal.status, 204);
      const read = await handler.read(id, outs);
      assert.strictEqual(read.props!.accidentalDeletionThreshold, 900);
      assert.strictEqual((read.inputs as SecretsInputs).accidentalDeletionThreshold, 900);
      const drift = await handler.diff(id, read.props!, inputs);
      assert.strictEqual(drift.changes, true);
      assert.deepStrictEqual(drift.replaces, []);
      fixture().exchanges.length = 0;
      const { outs: repaired } = await handler.update(id, read.props!, inputs);
      assert.strictEqual(JSON.parse((await live()).SyncNotificationSettings).DeleteThresholdValue, 250);
      const put = calls(/^PUT .*\/secrets$/);
      assert.strictEqual(put.length, 1);
      assert.deepStrictEqual(
        (put[0].requestBody as { value: { key: string }[] }).value.map((p) => p.key),
        ["SyncNotificationSettings"],
        "only the drifted key is written",
      );
      // Settled: a second read and diff show nothing to do.
      const again = await handler.read(id, repaired);
      assert.strictEqual((await handler.diff(id, again.props!, inputs)).changes, false);
    });

    it("removing a setting removes its key; turning the notification fields off writes the neutral document", async () => {
      const withAll = await checked({
        servicePrincipalId: sp,
        credentials: { BaseAddress: target.baseAddress },
        provisioningScope: "assignedUsersAndGroups",
        notificationEmail: "ops@contoso.com",
      });
      const { id, outs } = await handler.create(withAll);
      forgetHoldings(); // the change comes with the next `pulumi up`: a deployment whose program no longer declares SyncAll
      const without = await checked({ servicePrincipalId: sp, credentials: { BaseAddress: target.baseAddress } });
      assert.strictEqual((await handler.diff(id, outs, without)).changes, true);
      const { outs: after } = await handler.update(id, outs, without);
      const secrets = await live();
      assert.ok(!("SyncAll" in secrets), "SyncAll removed");
      // Graph rejects "" for JSON-valued keys (azuread#973), so the key stays with notifications off.
      assert.deepStrictEqual(JSON.parse(secrets.SyncNotificationSettings), { Enabled: false, DeleteThresholdEnabled: false });
      assert.deepStrictEqual(after.keys, ["BaseAddress"]);
    });
  });

  describe("validateCredentials", () => {
    it("validates against the template before the first write when the target accepts the credentials", async () => {
      fixture().exchanges.length = 0;
      const inputs = await checked({
        servicePrincipalId: sp,
        credentials: { BaseAddress: target.baseAddress, SecretToken: target.token },
        validateCredentials: true,
        templateId: "scim",
      });
      await handler.create(inputs);
      const order = fixture().exchanges.map((x) => `${x.method} ${x.path.replace(/^.*\/synchronization/, "")}`);
      const validate = order.indexOf("POST /jobs/validateCredentials");
      assert.ok(validate >= 0, `validateCredentials was called: ${order.join(", ")}`);
      assert.ok(validate < order.indexOf("PUT /secrets"), "before the secrets are written");
      assert.strictEqual(fixture().exchanges[validate].status, 204);
    });

    it("fails with the target's answer and keeps the saved credentials when the target rejects them", async () => {
      const good = await checked({
        servicePrincipalId: sp,
        credentials: { BaseAddress: target.baseAddress, SecretToken: target.token },
        validateCredentials: true,
        templateId: "scim",
      });
      const { id, outs } = await handler.create(good);
      const bad = { ...good, credentials: { BaseAddress: target.baseAddress, SecretToken: "revoked-token" } };
      fixture().exchanges.length = 0;
      await assert.rejects(handler.update(id, outs, bad), (e: unknown) => {
        assert.ok(e instanceof CredentialValidationError, `CredentialValidationError, got ${e}`);
        assert.match(e.message, /credentials were not saved/);
        assert.match(e.code, /CredentialValidation|Credential/, e.code);
        assert.match(e.message, /401|Unauthorized/i, "the target's own answer is in the message");
        assert.ok(!e.message.includes("revoked-token"), "the rejected secret is not echoed");
        return true;
      });
      // A BaseAddress carrying credentials: the target's answer quotes it, the error does not.
      const withCredentials = new URL(target.baseAddress);
      withCredentials.username = "basic-user-canary";
      withCredentials.password = "basic-password-canary";
      withCredentials.search = "token=query-canary";
      const inUrl = { ...good, credentials: { BaseAddress: withCredentials.toString(), SecretToken: "revoked-token" } };
      await assert.rejects(handler.update(id, outs, inUrl), (e: unknown) => {
        assert.ok(e instanceof CredentialValidationError, `CredentialValidationError, got ${e}`);
        assert.match(e.message, new RegExp(`Resource: https://\\*\\*\\*@${withCredentials.host.replace(/\./g, "\\.")}/scim/v2/Users\\?token=\\*\\*\\*&filter=`));
        for (const text of [e.message, e.targetMessage]) assert.ok(!/canary/.test(text), text);
        return true;
      });
      assert.deepStrictEqual(calls(/^PUT .*\/secrets$/), [], "nothing was written");
      // The saved credentials are still the good ones: the job-bound overload tests them.
      const jobs = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" });
      const saved = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs/${jobs.body.id}/validateCredentials`, {
        useSavedCredentials: true,
      });
      assert.strictEqual(saved.status, 204);
      await fixture().graph.request("DELETE", `/servicePrincipals/${sp}/synchronization/jobs/${jobs.body.id}`);
    });

    it("validates through a job when jobId is given, and not at all when only settings change", async () => {
      const job = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" });
      try {
        const inputs = await checked({
          servicePrincipalId: sp,
          credentials: { BaseAddress: target.baseAddress, SecretToken: target.token },
          validateCredentials: true,
          jobId: job.body.id,
        });
        fixture().exchanges.length = 0;
        const { id, outs } = await handler.create(inputs);
        assert.strictEqual(calls(new RegExp(`^POST .*/jobs/${job.body.id.replace(/\./g, "\\.")}/validateCredentials$`)).length, 1);
        fixture().exchanges.length = 0;
        await handler.update(id, outs, { ...inputs, provisioningScope: "allUsersAndGroups" });
        assert.deepStrictEqual(calls(/validateCredentials/), []);
        assert.strictEqual((await live()).SyncAll, "true");
      } finally {
        await fixture().graph.request("DELETE", `/servicePrincipals/${sp}/synchronization/jobs/${job.body.id}`);
      }
    });
  });
});
