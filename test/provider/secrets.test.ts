/**
 * SynchronizationSecrets' handler called directly against an in-process emulator.
 */

import * as assert from "assert";
import * as crypto from "crypto";
import { SECRET_KEYS } from "../../provider/program/secrets";
import type { SecretsOutputs } from "../../provider/handlers/secrets";
import { useEmulator } from "../support/emulator";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationSecrets");

describe("SynchronizationSecrets handler", function () {
  const fixture = useEmulator();
  let sp: string;
  const secretsOf = async (): Promise<Map<string, string>> => {
    const r = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/secrets`);
    if (r.status === 404) return new Map();
    assert.strictEqual(r.status, 200);
    return new Map((r.body.value as { key: string; value: string }[]).map((p) => [p.key, p.value]));
  };

  before(() => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
  });

  describe("check", () => {
    it("knows the 44 settable keys of the spec's 45-member enum", () => {
      assert.strictEqual(SECRET_KEYS.length, 44);
      assert.ok(SECRET_KEYS.includes("BaseAddress") && SECRET_KEYS.includes("SyncNotificationSettings"));
      assert.ok(!SECRET_KEYS.includes("None"));
    });

    it("rejects unknown keys with a did-you-mean, and never echoes a value", async () => {
      fixture().exchanges.length = 0;
      const result = await handler.check(
        {},
        {
          servicePrincipalId: sp,
          credentials: { BaseAdress: "https://x", secrettoken: "hunter2-secret", Bogus: "v" },
        },
      );
      const byProperty = new Map((result.failures ?? []).map((f) => [f.property, f.reason]));
      assert.match(byProperty.get("credentials.BaseAdress")!, /did you mean "BaseAddress"/);
      assert.match(byProperty.get("credentials.secrettoken")!, /did you mean "SecretToken"/);
      assert.match(byProperty.get("credentials.Bogus")!, /valid keys/);
      assert.ok(!JSON.stringify(result.failures).includes("hunter2"), "no secret value in failures");
      assert.strictEqual(fixture().exchanges.length, 0, "no Graph call at check");
    });

    it("rejects wrong types, empty values, bad JSON settings and a malformed service principal id", async () => {
      const result = await handler.check(
        {},
        {
          servicePrincipalId: "not-a-guid",
          credentials: { BaseAddress: 42, SecretToken: "", SyncNotificationSettings: "{not json" },
        },
      );
      const properties = (result.failures ?? []).map((f) => f.property).sort();
      assert.deepStrictEqual(properties, ["credentials.BaseAddress", "credentials.SecretToken", "credentials.SyncNotificationSettings", "servicePrincipalId"]);
      const notAMap = await handler.check({}, { servicePrincipalId: sp, credentials: ["BaseAddress"] });
      assert.deepStrictEqual(
        notAMap.failures?.map((f) => f.property),
        ["credentials"],
      );
    });

    it("takes BaseAddress only as an absolute http(s) URL with a host, saying what is wrong but never the value", async () => {
      const baseAddressFailure = async (value: string) =>
        (await handler.check({}, { servicePrincipalId: sp, credentials: { BaseAddress: value } })).failures?.find((f) => f.property === "credentials.BaseAddress")
          ?.reason;
      const bad: [string, RegExp][] = [
        ["scim.secret-host-1.example/scim", /does not start with http:\/\/ or https:\/\//],
        ["/scim/secret-path-2", /does not start with http/],
        ["ftp://secret-host-3.example/scim", /does not start with http/],
        ["https:///secret-path-4", /no host/],
        ["https://secret-host-5.example:99999/scim", /not a well-formed URL/],
        ["https://secret-host-6.example/scim\n", /whitespace/],
        ["https://secret host 7.example/scim", /whitespace/],
      ];
      for (const [value, what] of bad) {
        const reason = await baseAddressFailure(value);
        assert.ok(reason, `${JSON.stringify(value)} must be rejected`);
        assert.match(reason, /must be an absolute http or https URL with a host/);
        assert.match(reason, what);
        assert.ok(!/secret-(host|path)|secret host/.test(reason), `the value is not echoed: ${reason}`);
      }
      for (const good of [
        "https://scim.example.com/scim",
        "http://localhost:8080/scim/v2",
        "HTTPS://Scim.Example.com",
        "https://[::1]:8443/scim",
        "https://user@scim.example.com/scim?x=1",
      ]) {
        assert.strictEqual(await baseAddressFailure(good), undefined, good);
      }
    });

    it("rejects __proto__ and Object.prototype's names as keys, without touching any prototype", async () => {
      const credentials = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "x", "toString": "y", "BaseAddress": "https://x.test/scim"}');
      const result = await handler.check({}, { servicePrincipalId: sp, credentials, provisioningScope: "allUsersAndGroups" });
      const byProperty = new Map((result.failures ?? []).map((f) => [f.property, f.reason]));
      assert.deepStrictEqual([...byProperty.keys()].sort(), ["credentials.__proto__", "credentials.constructor", "credentials.toString"]);
      assert.match(byProperty.get("credentials.__proto__")!, /^"__proto__" is not a synchronization secret key; valid keys: /);
      assert.match(byProperty.get("credentials.constructor")!, /^"constructor" is not a synchronization secret key/);
      assert.ok(![...byProperty.values()].some((r) => /typed settings/.test(r)), "not taken for a settings key");
      assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
      assert.strictEqual(Object.getPrototypeOf(credentials), Object.prototype);
    });
  });

  describe("lifecycle against the emulator", () => {
    let outs: SecretsOutputs;
    const id = () => `/servicePrincipals/${sp}/synchronization/secrets`;

    it("writes the keys and reads them back masked", async () => {
      const result = await handler.create({
        servicePrincipalId: sp,
        credentials: { BaseAddress: "https://scim.example.test/scim", SecretToken: "tok-1" },
      });
      outs = result.outs;
      assert.strictEqual(result.id, id());
      assert.deepStrictEqual(outs.keys, ["BaseAddress", "SecretToken"]);
      const live = await secretsOf();
      assert.ok(live.has("BaseAddress") && live.has("SecretToken"));
      assert.notStrictEqual(live.get("SecretToken"), "tok-1", "Graph masks the token on read");
    });

    it("keeps the known values when Graph masks them, so refresh shows no change", async () => {
      const read = await handler.read(id(), outs);
      assert.deepStrictEqual(read.props!.credentials, outs.credentials);
      const d = await handler.diff(id(), read.props!, { servicePrincipalId: sp, credentials: outs.credentials });
      assert.strictEqual(d.changes, false);
    });

    it("reports a key removed out of band and restores it on update", async () => {
      const removed = await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
        value: [{ key: "SecretToken", value: "" }],
      });
      assert.strictEqual(removed.status, 204);
      const read = await handler.read(id(), outs);
      assert.deepStrictEqual(Object.keys(read.props!.credentials), ["BaseAddress"]);
      assert.deepStrictEqual(Object.keys((read.inputs as SecretsOutputs).credentials), ["BaseAddress"]);
      const desired = { servicePrincipalId: sp, credentials: outs.credentials };
      assert.strictEqual((await handler.diff(id(), read.props!, desired)).changes, true);
      const { outs: repaired } = await handler.update(id(), read.props!, desired);
      assert.deepStrictEqual(repaired.keys, ["BaseAddress", "SecretToken"]);
      assert.ok((await secretsOf()).has("SecretToken"));
      outs = repaired;
    });

    it("reports keys set by someone else as unmanaged, and leaves them alone on delete", async () => {
      await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
        value: [{ key: "SyncAll", value: "false" }],
      });
      const read = await handler.read(id(), outs);
      assert.deepStrictEqual(read.props!.unmanagedKeys, ["SyncAll"]);
      assert.deepStrictEqual(read.props!.keys, ["BaseAddress", "SecretToken"]);
      await handler.delete(id(), read.props!);
      const live = await secretsOf();
      assert.ok(!live.has("BaseAddress") && !live.has("SecretToken"), "managed keys removed");
      assert.ok(live.has("SyncAll"), "unmanaged key kept");
    });

    it("changes a value and stops managing a removed key", async () => {
      const { outs: first } = await handler.create({
        servicePrincipalId: sp,
        credentials: { BaseAddress: "https://a.example.test/scim", SecretToken: "t1", SyncAll: "true" },
      });
      assert.strictEqual((await secretsOf()).get("SyncAll"), "true");
      const { outs: second } = await handler.update(id(), first, {
        servicePrincipalId: sp,
        credentials: { BaseAddress: "https://b.example.test/scim", SecretToken: "t1" },
      });
      assert.deepStrictEqual(second.keys, ["BaseAddress", "SecretToken"]);
      assert.ok(!(await secretsOf()).has("SyncAll"), "SyncAll removed");
      await handler.delete(id(), second);
    });

    it("deletes a JSON-valued key without hanging, resetting it to its neutral value", async () => {
      const settings = JSON.stringify({ Enabled: true, Recipients: "ops@contoso.test", DeleteThresholdEnabled: true, DeleteThresholdValue: 500 });
      const { outs: withJson } = await handler.create({
        servicePrincipalId: sp,
        credentials: { SyncNotificationSettings: settings, SecretToken: "t2" },
      });
      const started = Date.now();
      await handler.delete(id(), withJson);
      assert.ok(Date.now() - started < 15_000, "delete returned well within the consistency deadline");
      const live = await secretsOf();
      assert.ok(!live.has("SecretToken"));
      const remaining = live.get("SyncNotificationSettings");
      if (remaining !== undefined && !/^\*+$/.test(remaining)) {
        assert.deepStrictEqual(JSON.parse(remaining), { Enabled: false, DeleteThresholdEnabled: false });
      }
    });
  });

  describe("ownership: nothing another resource holds is removed, nothing half written is kept", () => {
    const id = () => `/servicePrincipals/${sp}/synchronization/secrets`;
    const sha256 = (v: string) => crypto.createHash("sha256").update(v).digest("hex");
    /**
     * sha256 of each value Graph holds (the control plane's view; Graph's own GET masks them), but
     * SyncNotificationSettings, which an earlier test left and Graph cannot remove.
     */
    const digests = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        ((await fixture().graph.control("GET", `/servicePrincipals/${sp}/secretDigests`)).body.value as { key: string; sha256: string }[])
          .filter((p) => p.key !== "SyncNotificationSettings")
          .map((p) => [p.key, p.sha256]),
      );
    const secretPuts = () => fixture().exchanges.filter((x) => x.method === "PUT" && x.path.endsWith("/synchronization/secrets"));
    const putKeys = () => secretPuts().map((x) => (x.requestBody as { value: { key: string }[] }).value.map((p) => p.key).sort());
    const clear = () =>
      fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
        value: ["BaseAddress", "SecretToken", "SyncAll"].map((key) => ({ key, value: "" })),
      });
    const declared = { BaseAddress: "https://scim.example.test/scim", SecretToken: "tok-own" };

    beforeEach(clear);

    it("a rename or a replacement: the old resource's delete leaves the keys the new one declares", async () => {
      const { outs: old } = await handler.create({ servicePrincipalId: sp, credentials: declared });
      // The renamed (or replacing) resource of the same deployment: checked, then created.
      const { inputs } = await handler.check({}, { servicePrincipalId: sp.toUpperCase(), credentials: { ...declared } });
      await handler.create(inputs!);
      await handler.delete(id(), old);
      assert.deepStrictEqual(await digests(), { BaseAddress: sha256(declared.BaseAddress), SecretToken: sha256(declared.SecretToken) });
    });

    it("without a resource declaring them (destroy, or the resource removed from the program), delete removes the keys", async () => {
      const { outs } = await handler.create({ servicePrincipalId: sp, credentials: declared });
      await handler.delete(id(), outs);
      assert.deepStrictEqual(await digests(), {});
    });

    it("a replacement deletes before it creates, and the same GUID in upper case is no replacement", async () => {
      const { outs } = await handler.create({ servicePrincipalId: sp, credentials: declared });
      const upper = await handler.diff(id(), outs, { servicePrincipalId: sp.toUpperCase(), credentials: declared });
      assert.deepStrictEqual(upper, { changes: false, replaces: [], deleteBeforeReplace: true });
      const other = await handler.diff(id(), outs, { servicePrincipalId: "00000000-0000-0000-0000-000000000001", credentials: declared });
      assert.deepStrictEqual(other.replaces, ["servicePrincipalId"]);
      assert.strictEqual(other.deleteBeforeReplace, true);
    });

    it("create adopts what is there: it writes only what differs or cannot be compared", async () => {
      await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
        value: [
          { key: "BaseAddress", value: declared.BaseAddress },
          { key: "SecretToken", value: "tok-portal" },
          { key: "SyncAll", value: "false" },
        ],
      });
      fixture().exchanges.length = 0;
      await handler.create({ servicePrincipalId: sp, credentials: { ...declared, SyncAll: "false" } });
      assert.deepStrictEqual(putKeys(), [["SecretToken"]], "BaseAddress and SyncAll read back equal; the masked token cannot be compared");
      assert.strictEqual((await digests()).SecretToken, sha256(declared.SecretToken));

      await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, { value: [{ key: "SecretToken", value: "tok-portal" }] });
      fixture().exchanges.length = 0;
      await handler.create({ servicePrincipalId: sp, credentials: declared, adoptMaskedValues: true });
      assert.deepStrictEqual(putKeys(), [], "adoptMaskedValues: the masked token is taken as it is");
      assert.strictEqual((await digests()).SecretToken, sha256("tok-portal"));
    });

    it("a write a killed up left unfinished is done again, even when the program went back to the stored values", async () => {
      const { outs } = await handler.create({ servicePrincipalId: sp, credentials: declared, revision: 1 });
      // The killed run: its revision (2) was saved, Graph took its PUT, the engine never saved the secrets' outputs.
      await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, { value: [{ key: "SecretToken", value: "tok-killed-run" }] });
      const reverted = { servicePrincipalId: sp, credentials: declared, revision: 3 };
      const refreshed = await handler.read(id(), outs);
      assert.strictEqual((await handler.diff(id(), refreshed.props!, reverted)).changes, true, "the next preview shows a change");
      assert.strictEqual((await handler.diff(id(), refreshed.props!, { ...reverted, revision: 1 })).changes, false, "which the revision alone reveals");
      fixture().exchanges.length = 0;
      const { outs: repaired } = await handler.update(id(), refreshed.props!, reverted);
      assert.deepStrictEqual(putKeys(), [["BaseAddress", "SecretToken"]], "every managed key written again");
      assert.strictEqual((await digests()).SecretToken, sha256(declared.SecretToken));
      assert.strictEqual(repaired.revision, 3);
      assert.strictEqual((await handler.diff(id(), repaired, reverted)).changes, false, "settled");
    });

    it("a stack written before revisions existed: its first revision is no rewrite", async () => {
      const { outs: created } = await handler.create({ servicePrincipalId: sp, credentials: declared });
      // As 0.1.0 stored them: no revision, stateVersion 1 (the state contract upgrades them).
      const outs = { ...created, stateVersion: 1 };
      assert.strictEqual(outs.revision, undefined);
      assert.strictEqual((await handler.diff(id(), outs, { servicePrincipalId: sp, credentials: declared, revision: 1 })).changes, false);
      assert.strictEqual((await handler.diff(id(), outs, { servicePrincipalId: sp, credentials: declared, revision: 2 })).changes, true);
    });

    it("with validateCredentials, refresh tests the saved credentials, and a rejection is a change the next up repairs", async () => {
      const target = fixture().emulator.scimTarget;
      const good = { servicePrincipalId: sp, credentials: { BaseAddress: target.baseAddress, SecretToken: target.token }, validateCredentials: true, templateId: "scim" };
      const { outs } = await handler.create(good);
      assert.strictEqual((await handler.diff(id(), (await handler.read(id(), outs)).props!, good)).changes, false, "accepted: no change");
      await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, { value: [{ key: "SecretToken", value: "not-the-token" }] });
      const refreshed = await handler.read(id(), outs);
      assert.strictEqual((await handler.diff(id(), refreshed.props!, good)).changes, true);
      assert.ok(!JSON.stringify(refreshed.props).includes(target.token) || refreshed.props!.credentials.SecretToken !== target.token);
      await handler.update(id(), refreshed.props!, good);
      assert.strictEqual((await digests()).SecretToken, sha256(target.token));
    });
  });
});
