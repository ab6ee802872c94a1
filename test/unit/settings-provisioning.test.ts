/**
 * Typed provisioning settings <-> synchronization secret keys, and the restart scope string: the
 * exact keys and values Graph receives.
 */

import * as assert from "assert";
import { checkSettings, MAX_DELETION_THRESHOLD, parseNotificationSettings, settingsFromSecrets, settingsToSecrets } from "../../provider/settings/provisioning-settings";
import { checkRestart, resetScopeString, restartBody } from "../../provider/settings/restart-scope";
import { type CheckFailure, UNKNOWN } from "../../provider/validation";

describe("provisioning settings -> secret keys", () => {
  it("writes the scope as SyncAll true/false", () => {
    assert.deepStrictEqual(settingsToSecrets({ provisioningScope: "allUsersAndGroups" }), { SyncAll: "true" });
    assert.deepStrictEqual(settingsToSecrets({ provisioningScope: "assignedUsersAndGroups" }), { SyncAll: "false" });
  });

  it("writes the notification fields as one SyncNotificationSettings JSON document, as the portal does", () => {
    const secrets = settingsToSecrets({ notificationEmail: "ops@contoso.com", accidentalDeletionThreshold: 500 });
    assert.deepStrictEqual(Object.keys(secrets), ["SyncNotificationSettings"]);
    assert.deepStrictEqual(JSON.parse(secrets.SyncNotificationSettings), {
      Enabled: true,
      Recipients: "ops@contoso.com",
      DeleteThresholdEnabled: true,
      DeleteThresholdValue: 500,
    });
  });

  it("turns off what is not declared: no threshold means no deletion prevention, e-mails only with an address", () => {
    const doc = JSON.parse(settingsToSecrets({ notificationEmail: "ops@contoso.com", sendFailureEmails: false }).SyncNotificationSettings);
    assert.deepStrictEqual(doc, { Enabled: false, Recipients: "ops@contoso.com", DeleteThresholdEnabled: false });
    const thresholdOnly = JSON.parse(settingsToSecrets({ accidentalDeletionThreshold: 20 }).SyncNotificationSettings);
    assert.deepStrictEqual(thresholdOnly, { Enabled: false, Recipients: "", DeleteThresholdEnabled: true, DeleteThresholdValue: 20 });
  });

  it("writes SkipOutOfScopeDeletions as True/False and nothing for undeclared settings", () => {
    assert.deepStrictEqual(settingsToSecrets({ skipOutOfScopeDeletions: true }), { SkipOutOfScopeDeletions: "True" });
    assert.deepStrictEqual(settingsToSecrets({}), {});
  });

  it("reads the declared settings back from live values, and reports a changed document in full", () => {
    const declared = { provisioningScope: "assignedUsersAndGroups" as const, notificationEmail: "ops@contoso.com" };
    const same = new Map(Object.entries(settingsToSecrets(declared)));
    assert.deepStrictEqual(settingsFromSecrets(same, declared), declared);

    const portal = new Map([
      ["SyncAll", "True"],
      ["SyncNotificationSettings", '{"Enabled":true,"Recipients":"ops@contoso.com","DeleteThresholdEnabled":true,"DeleteThresholdValue":500}'],
    ]);
    assert.deepStrictEqual(settingsFromSecrets(portal, declared), {
      provisioningScope: "allUsersAndGroups",
      notificationEmail: "ops@contoso.com",
      accidentalDeletionThreshold: 500,
    });
    const mailOff = new Map([["SyncNotificationSettings", '{"Enabled":false,"Recipients":"ops@contoso.com","DeleteThresholdEnabled":false}']]);
    assert.deepStrictEqual(settingsFromSecrets(mailOff, declared), { notificationEmail: "ops@contoso.com", sendFailureEmails: false });
  });

  it("keeps the declared value when Graph masks it, and drops settings whose key is gone", () => {
    const declared = { notificationEmail: "ops@contoso.com", provisioningScope: "allUsersAndGroups" as const };
    assert.deepStrictEqual(settingsFromSecrets(new Map([["SyncNotificationSettings", "*"]]), declared), { notificationEmail: "ops@contoso.com" });
  });

  it("parses the notification document leniently (string booleans, string numbers)", () => {
    assert.deepStrictEqual(parseNotificationSettings('{"Enabled":"True","DeleteThresholdEnabled":"true","DeleteThresholdValue":"7"}'), {
      Enabled: true,
      Recipients: undefined,
      DeleteThresholdEnabled: true,
      DeleteThresholdValue: 7,
    });
    assert.strictEqual(parseNotificationSettings("not json"), undefined);
  });

  it("check names each bad setting and accepts unknowns", () => {
    const failures: CheckFailure[] = [];
    checkSettings({ provisioningScope: "everyone", notificationEmail: "not-an-address", accidentalDeletionThreshold: 0, skipOutOfScopeDeletions: "yes" }, failures);
    assert.deepStrictEqual(failures.map((f) => f.property).sort(), ["accidentalDeletionThreshold", "notificationEmail", "provisioningScope", "skipOutOfScopeDeletions"]);
    const needsEmail: CheckFailure[] = [];
    checkSettings({ sendFailureEmails: true }, needsEmail);
    assert.deepStrictEqual(
      needsEmail.map((f) => f.property),
      ["sendFailureEmails"],
    );
    const unknown: CheckFailure[] = [];
    checkSettings({ provisioningScope: UNKNOWN, notificationEmail: UNKNOWN, accidentalDeletionThreshold: UNKNOWN }, unknown);
    assert.deepStrictEqual(unknown, []);
  });

  it("takes a deletion threshold from 1 to a positive 32-bit integer, and nothing else", () => {
    const thresholdFailures = (accidentalDeletionThreshold: unknown) => {
      const failures: CheckFailure[] = [];
      checkSettings({ accidentalDeletionThreshold }, failures);
      return failures.map((f) => f.property);
    };
    assert.strictEqual(MAX_DELETION_THRESHOLD, 2 ** 31 - 1);
    for (const ok of [1, 500, MAX_DELETION_THRESHOLD]) assert.deepStrictEqual(thresholdFailures(ok), [], String(ok));
    for (const bad of [0, -1, 2.5, MAX_DELETION_THRESHOLD + 1, 1e308, Infinity, -Infinity, NaN, "500"]) {
      assert.deepStrictEqual(thresholdFailures(bad), ["accidentalDeletionThreshold"], String(bad));
    }
  });
});

describe("restart reset scope", () => {
  it("defaults to the portal's restart, in the docs' order", () => {
    assert.strictEqual(resetScopeString(undefined), "Watermark, Escrows, QuarantineState");
    assert.strictEqual(resetScopeString([]), "Watermark, Escrows, QuarantineState");
    assert.deepStrictEqual(restartBody(undefined), { criteria: { resetScope: "Watermark, Escrows, QuarantineState" } });
  });

  it("joins flags with ', ' in a stable order without duplicates", () => {
    assert.strictEqual(resetScopeString(["QuarantineState"]), "QuarantineState");
    assert.strictEqual(resetScopeString(["QuarantineState", "Watermark", "QuarantineState"]), "Watermark, QuarantineState");
    assert.strictEqual(resetScopeString(["ForceDeletes", "Escrows"]), "Escrows, ForceDeletes");
  });

  it("collapses the four flags of Full into Full, and keeps ForceDeletes beside it", () => {
    assert.strictEqual(resetScopeString(["Full"]), "Full");
    assert.strictEqual(resetScopeString(["ConnectorDataStore", "Escrows", "Watermark", "QuarantineState"]), "Full");
    assert.strictEqual(resetScopeString(["Full", "ForceDeletes", "Escrows"]), "Full, ForceDeletes");
  });

  it("check rejects unknown flags (with a suggestion), None, and a missing trigger", () => {
    const failures: CheckFailure[] = [];
    checkRestart("restart", { scope: ["Watermarks", "None"], extra: 1 }, failures);
    const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    assert.deepStrictEqual(Object.keys(byProperty).sort(), ["restart.extra", "restart.scope[0]", "restart.scope[1]", "restart.trigger"]);
    assert.match(byProperty["restart.scope[0]"], /did you mean "Watermark"/);
    assert.match(byProperty["restart.scope[1]"], /enabled/);
    const ok: CheckFailure[] = [];
    checkRestart("restart", { trigger: "1", scope: ["Full", "ForceDeletes"] }, ok);
    checkRestart("restart", UNKNOWN, ok);
    assert.deepStrictEqual(ok, []);
  });
});
