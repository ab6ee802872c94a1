/**
 * The SCIM 2.0 target application the emulator hosts: bearer-token protection, the requests
 * Entra's SCIM client makes (query by userName/externalId, POST, GET, PATCH with capitalized ops,
 * PUT, DELETE; groups with members), the control plane's view of it, and its failure switch.
 */
import { strict as assert } from "node:assert";
import { control, request, startTestEmulator, type HttpResult, type TestEmulator } from "../support/emulator-http";

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe("emulator SCIM target", () => {
  let emu: TestEmulator;

  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.scimTarget.reset();
  });

  /** A call to the SCIM target over HTTPS, trusting the emulator CA. */
  function scim(method: string, path: string, body?: unknown, token: string | null = emu.scimTarget.token): Promise<HttpResult> {
    const base = new URL(emu.scimTarget.baseAddress);
    return request({ graphEndpoint: base.origin, caCertPath: emu.caCertPath }, method, `${base.pathname}${path}`, {
      body,
      token: token ?? undefined,
      headers: body === undefined ? {} : { "content-type": "application/scim+json" },
    });
  }

  const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: userName.split("@")[0],
    userName,
    active: true,
    emails: [{ primary: true, type: "work", value: userName }],
    meta: { resourceType: "User" },
    name: { formatted: "Ada Lovelace", familyName: "Lovelace", givenName: "Ada" },
    roles: [],
    ...extra,
  });

  it("listens on loopback over HTTPS under /scim/v2 and requires the bearer token", async () => {
    assert.match(emu.scimTarget.baseAddress, /^https:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    for (const token of [null, "wrong-token", `${emu.scimTarget.token}x`]) {
      const res = await scim("GET", "/Users", undefined, token);
      assert.equal(res.status, 401, String(token));
      assert.match(res.headers["www-authenticate"], /^Bearer/);
      assert.deepEqual(res.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
      assert.equal(res.body.status, "401");
    }
    const ok = await scim("GET", "/Users");
    assert.equal(ok.status, 200);
    assert.match(ok.headers["content-type"], /^application\/scim\+json/);
  });

  it("creates, queries, reads, patches, replaces and deletes users like Entra's SCIM client", async () => {
    const created = await scim("POST", "/Users", newUser("ada@contoso.com", { [ENTERPRISE]: { department: "R&D" } }));
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    assert.equal(created.headers.location, `${emu.scimTarget.baseAddress}/Users/${id}`);
    assert.equal(created.body.meta.location, created.headers.location);
    assert.equal(created.body[ENTERPRISE].department, "R&D");

    const duplicate = await scim("POST", "/Users", newUser("ADA@contoso.com"));
    assert.equal(duplicate.status, 409, "userName is unique, case-insensitively");
    assert.equal(duplicate.body.scimType, "uniqueness");

    // "Get User by query" and "Get User by query - Zero results".
    const byName = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "ada@contoso.com"')}`);
    assert.equal(byName.status, 200);
    assert.deepEqual(byName.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]);
    assert.deepEqual(
      byName.body.Resources.map((r: any) => r.id),
      [id],
    );
    const byExternalId = await scim("GET", "/Users?filter=externalId+eq+%22ada%22");
    assert.deepEqual(
      byExternalId.body.Resources.map((r: any) => r.id),
      [id],
    );
    const none = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`);
    assert.equal(none.status, 200);
    assert.equal(none.body.totalResults, 0);
    assert.deepEqual(none.body.Resources, []);

    // "Update User [Multi-valued properties]", with Entra's capitalized op.
    const patched = await scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updated@contoso.com" },
        { op: "Replace", path: "name.familyName", value: "Byron" },
        { op: "Add", path: "phoneNumbers", value: [{ type: "mobile", value: "+1 555 0100" }] },
      ],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.emails[0].value, "updated@contoso.com");
    assert.equal(patched.body.name.familyName, "Byron");
    assert.equal(patched.body.phoneNumbers[0].value, "+1 555 0100");

    // "Disable User".
    const disabled = await scim("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: false }] });
    assert.equal(disabled.status, 200);
    assert.equal((await scim("GET", `/Users/${id}`)).body.active, false, "a disabled user is still returned");

    const replaced = await scim("PUT", `/Users/${id}`, newUser("ada.lovelace@contoso.com"));
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.userName, "ada.lovelace@contoso.com");
    assert.equal(replaced.body.meta.created, created.body.meta.created);

    assert.equal((await scim("DELETE", `/Users/${id}`)).status, 204);
    const gone = await scim("GET", `/Users/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.status, "404");
    assert.equal((await scim("DELETE", `/Users/${id}`)).status, 404);
  });

  it("rejects invalid resources and unreadable bodies with SCIM errors", async () => {
    const wrongType = await scim("POST", "/Users", { schemas: [USER_SCHEMA], userName: 42 });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.scimType, "invalidValue");
    const badFilter = await scim("GET", `/Users?filter=${encodeURIComponent("userName zz")}`);
    assert.equal(badFilter.status, 400);
    const badPatch = await scim("PATCH", "/Users/does-not-exist", { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: false }] });
    assert.equal(badPatch.status, 404);
  });

  it("keeps groups with members: created empty, members added and removed by PATCH (204), read without members", async () => {
    const member = (await scim("POST", "/Users", newUser("grace@contoso.com"))).body.id as string;
    const created = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "Engineering",
      meta: { resourceType: "Group" },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    const add = await scim("PATCH", `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: member }] }] });
    assert.equal(add.status, 204, add.text);
    assert.deepEqual(
      (await scim("GET", `/Groups/${id}`)).body.members.map((m: any) => m.value),
      [member],
    );
    const withoutMembers = await scim("GET", `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Engineering"')}`);
    assert.equal(withoutMembers.body.totalResults, 1);
    assert.equal(withoutMembers.body.Resources[0].members, undefined);
    const remove = await scim("PATCH", `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: `members[value eq "${member}"]` }] });
    assert.equal(remove.status, 204, remove.text);
    assert.equal((await scim("GET", `/Groups/${id}`)).body.members, undefined);
    const duplicate = await scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "engineering" });
    assert.equal(duplicate.status, 409, "displayName is unique (Entra matches groups on it)");
  });

  it("serves ServiceProviderConfig, ResourceTypes and Schemas", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    assert.equal(config.status, 200);
    assert.equal(config.body.patch.supported, true);
    assert.equal(config.body.filter.supported, true);
    const types = await scim("GET", "/ResourceTypes");
    assert.deepEqual(types.body.Resources.map((r: any) => r.id).sort(), ["Group", "User"]);
    const schemas = await scim("GET", "/Schemas");
    assert.ok(schemas.body.Resources.some((s: any) => s.id === ENTERPRISE));
  });

  it("shows its data on the control plane and in RunningEmulator.scimTarget, without the token", async () => {
    await scim("POST", "/Users", newUser("linus@contoso.com"));
    const summary = await control(emu, "GET", "scim");
    assert.deepEqual(summary.body, { baseAddress: emu.scimTarget.baseAddress, failureMode: "none", users: 1, groups: 0 });
    const users = await control(emu, "GET", "scim/Users");
    assert.deepEqual(
      users.body.value.map((u: any) => u.userName),
      ["linus@contoso.com"],
    );
    assert.deepEqual(
      emu.scimTarget.listUsers().map((u) => u.userName),
      ["linus@contoso.com"],
    );
    assert.ok(!JSON.stringify(summary.body).includes(emu.scimTarget.token));
    assert.ok(!JSON.stringify((await control(emu, "GET", "state")).body).includes(emu.scimTarget.token), "the token is not part of the tenant state");
    assert.equal((await control(emu, "POST", "scim/reset")).status, 204);
    assert.deepEqual(emu.scimTarget.listUsers(), []);
  });

  it("fails on demand: rejected token, server errors, failed writes, dropped connections", async () => {
    const setMode = (mode: string) => control(emu, "PUT", "scim/failure", { mode });
    assert.equal((await setMode("bogus")).status, 400);

    assert.equal((await setMode("rejectToken")).status, 200);
    assert.equal((await scim("GET", "/Users")).status, 401, "even the right token is refused");

    await setMode("serverError");
    assert.equal((await scim("GET", "/Users")).status, 500);

    await setMode("failWrites");
    assert.equal((await scim("GET", "/Users")).status, 200);
    assert.equal((await scim("POST", "/Users", newUser("fail@contoso.com"))).status, 500);

    await setMode("dropConnections");
    await assert.rejects(scim("GET", "/Users"), /socket hang up|ECONNRESET|disconnected/);

    await setMode("none");
    assert.equal((await scim("GET", "/Users")).status, 200);
    assert.equal((await control(emu, "GET", "scim")).body.failureMode, "none");
  });
});
