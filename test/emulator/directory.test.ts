/**
 * Directory reads: service principals ($filter, $top, paging, $select, appId alternate key),
 * users and groups.
 */
import { strict as assert } from "node:assert";
import { control, graphClient, request, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator directory reads", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  before(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
  });
  after(async () => {
    await emu.stop();
  });

  /** Follow @odata.nextLink verbatim until it is absent. */
  async function collect(path: string): Promise<{ items: any[]; pages: number }> {
    const items: any[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next) {
      const res = await g("GET", next);
      assert.equal(res.status, 200, res.text);
      items.push(...res.body.value);
      next = res.body["@odata.nextLink"];
      pages++;
      assert.ok(pages < 50, "paging does not terminate");
    }
    return { items, pages };
  }

  it("lists the seeded service principals in one page by default", async () => {
    const res = await g("GET", "/v1.0/servicePrincipals");
    assert.equal(res.status, 200);
    assert.equal(res.body["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#servicePrincipals`);
    assert.equal(res.body["@odata.nextLink"], undefined);
    const names = res.body.value.map((sp: any) => sp.displayName);
    assert.ok(names.includes("Contoso SCIM App") && names.includes("Salesforce"), names.join(","));
    const scim = res.body.value.find((sp: any) => sp.id === emu.seeded.scimServicePrincipalId);
    assert.equal(scim.servicePrincipalType, "Application");
    assert.ok(scim.tags.includes("WindowsAzureActiveDirectoryIntegratedApp"));
  });

  it("filters by displayName (case-insensitive), appId and startswith", async () => {
    const byName = await g("GET", "/v1.0/servicePrincipals?$filter=displayName eq 'contoso scim app'");
    assert.deepEqual(
      byName.body.value.map((sp: any) => sp.id),
      [emu.seeded.scimServicePrincipalId],
    );
    const appId = byName.body.value[0].appId;
    const byAppId = await g("GET", `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
    assert.deepEqual(
      byAppId.body.value.map((sp: any) => sp.id),
      [emu.seeded.scimServicePrincipalId],
    );
    const prefix = await g("GET", "/v1.0/servicePrincipals?$filter=startswith(displayName,'Sales')");
    assert.deepEqual(
      prefix.body.value.map((sp: any) => sp.id),
      [emu.seeded.galleryServicePrincipalId],
    );
    const none = await g("GET", "/v1.0/servicePrincipals?$filter=displayName eq 'Nope'");
    assert.deepEqual(none.body.value, []);
  });

  it("rejects unsupported filters and query options instead of ignoring them", async () => {
    const badProperty = await g("GET", "/v1.0/servicePrincipals?$filter=homepage eq 'x'");
    assert.equal(badProperty.status, 400);
    assert.equal(badProperty.body.error.code, "Request_UnsupportedQuery");
    const orderby = await g("GET", "/v1.0/servicePrincipals?$orderby=displayName");
    assert.equal(orderby.status, 400);
    const badTop = await g("GET", "/v1.0/servicePrincipals?$top=0");
    assert.equal(badTop.status, 400);
  });

  it("pages with $top and @odata.nextLink ($skiptoken) and returns every item exactly once", async () => {
    const all = (await g("GET", "/v1.0/servicePrincipals")).body.value.map((sp: any) => sp.id);
    assert.ok(all.length >= 5);
    const first = await g("GET", "/v1.0/servicePrincipals?$top=2");
    assert.equal(first.body.value.length, 2);
    assert.match(first.body["@odata.nextLink"], /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/servicePrincipals\?.*\$skiptoken=/);
    const { items, pages } = await collect("/v1.0/servicePrincipals?$top=2");
    assert.deepEqual(
      items.map((sp) => sp.id),
      all,
    );
    assert.equal(pages, Math.ceil(all.length / 2));
  });

  it("pages at the configured server page size and keeps $filter/$select on nextLink", async () => {
    assert.equal((await control(emu, "PUT", "config", { pageSize: 1 })).status, 200);
    try {
      const { items, pages } = await collect("/v1.0/servicePrincipals?$filter=startswith(displayName,'Entra')&$select=id,displayName");
      assert.equal(pages, 2);
      assert.deepEqual(
        items.map((sp) => Object.keys(sp).sort()),
        [
          ["displayName", "id"],
          ["displayName", "id"],
        ],
      );
      assert.ok(items.every((sp) => sp.displayName.startsWith("Entra")));
    } finally {
      await control(emu, "PUT", "config", { pageSize: 100 });
    }
  });

  it("rejects a tampered $skiptoken", async () => {
    const res = await g("GET", "/v1.0/servicePrincipals?$skiptoken=garbage");
    assert.equal(res.status, 400);
  });

  it("gets a service principal by id and by appId alternate key", async () => {
    const byId = await g("GET", `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}`);
    assert.equal(byId.status, 200);
    assert.equal(byId.body["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#servicePrincipals/$entity`);
    const byAppId = await g("GET", `/v1.0/servicePrincipals(appId='${byId.body.appId}')`);
    assert.equal(byAppId.status, 200);
    assert.equal(byAppId.body.id, emu.seeded.scimServicePrincipalId);
    const selected = await g("GET", `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}?$select=appId`);
    assert.deepEqual(
      Object.keys(selected.body).filter((k) => !k.startsWith("@")),
      ["appId"],
    );
  });

  it("answers unknown and malformed ids like the directory does", async () => {
    const unknown = await g("GET", "/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000000");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "Request_ResourceNotFound");
    const malformed = await g("GET", "/v1.0/servicePrincipals/not-a-guid");
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, "Request_BadRequest");
    const unknownAppId = await g("GET", "/v1.0/servicePrincipals(appId='00000000-0000-4000-8000-000000000000')");
    assert.equal(unknownAppId.status, 404);
  });

  it("lists users with Graph's default properties and gets one by id or UPN", async () => {
    const list = await g("GET", "/v1.0/users");
    assert.equal(list.status, 200);
    assert.equal(list.body.value.length, emu.seeded.userIds.length);
    const user = list.body.value[0];
    assert.deepEqual(Object.keys(user).sort(), [
      "businessPhones",
      "displayName",
      "givenName",
      "id",
      "jobTitle",
      "mail",
      "mobilePhone",
      "officeLocation",
      "preferredLanguage",
      "surname",
      "userPrincipalName",
    ]);
    assert.match(user.userPrincipalName, /^[A-Za-z]+@contoso\.com$/);
    const byUpn = await g("GET", `/v1.0/users/${encodeURIComponent(user.userPrincipalName)}?$select=id,department`);
    assert.equal(byUpn.body.id, user.id);
    assert.equal(typeof byUpn.body.department, "string");
    const filtered = await g("GET", `/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq '${user.userPrincipalName}'`)}`);
    assert.deepEqual(
      filtered.body.value.map((u: any) => u.id),
      [user.id],
    );
  });

  it("lists and gets groups", async () => {
    const list = await g("GET", "/v1.0/groups");
    assert.deepEqual(
      list.body.value.map((x: any) => x.id),
      emu.seeded.groupIds,
    );
    const one = await g("GET", `/v1.0/groups/${emu.seeded.groupIds[0]}`);
    assert.equal(one.body.displayName, "All Company");
    assert.equal(one.body.securityEnabled, true);
  });

  it("serves the same routes under /beta", async () => {
    const res = await request(emu, "GET", `/beta/servicePrincipals/${emu.seeded.scimServicePrincipalId}`, {
      token: await tokenFor(emu, emu.clients.admin),
    });
    assert.equal(res.status, 200);
    assert.equal(res.body["@odata.context"], `${emu.graphEndpoint}/beta/$metadata#servicePrincipals/$entity`);
  });
});
