/**
 * The directory reads an impact preview samples with (issue 14): who is assigned to an app
 * (appRoleAssignedTo), group members, users and groups by `id in (...)` with its 15-value limit,
 * $expand=manager and users/{id}/manager, $select of every property a provisioning source
 * attribute reads (directory extensions included), the permissions each read needs, and the
 * varied seeded people, read from Graph and then through a provisioning cycle to the SCIM target.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { control, graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

/** The user properties the Entra source attributes read (emulator/README.md, "Source attributes and Graph properties"). */
const SOURCE_PROPERTIES = [
  "id",
  "accountEnabled",
  "displayName",
  "givenName",
  "surname",
  "mail",
  "mailNickname",
  "userPrincipalName",
  "jobTitle",
  "department",
  "companyName",
  "employeeId",
  "employeeType",
  "employeeHireDate",
  "employeeLeaveDateTime",
  "employeeOrgData",
  "city",
  "state",
  "country",
  "postalCode",
  "streetAddress",
  "businessPhones",
  "mobilePhone",
  "faxNumber",
  "officeLocation",
  "preferredLanguage",
  "proxyAddresses",
  "otherMails",
  "imAddresses",
  "userType",
  "creationType",
  "onPremisesSecurityIdentifier",
  "onPremisesSamAccountName",
  "onPremisesExtensionAttributes",
  "usageLocation",
  "onPremisesSyncEnabled",
];

describe("emulator directory reads for impact sampling", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let state: any;
  before(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    state = (await control(emu, "GET", "state")).body;
  });
  after(async () => {
    await emu.stop();
  });

  /** Follow @odata.nextLink verbatim until it is absent. */
  async function collect(first: string, get = g): Promise<{ items: any[]; pages: number; bodies: any[] }> {
    const items: any[] = [];
    const bodies: any[] = [];
    let next: string | undefined = first;
    while (next) {
      const res = await get("GET", next);
      assert.equal(res.status, 200, res.text);
      bodies.push(res.body);
      items.push(...res.body.value);
      next = res.body["@odata.nextLink"];
      assert.ok(bodies.length < 50, "paging does not terminate");
    }
    return { items, pages: bodies.length, bodies };
  }
  const userByUpn = async (upn: string) => {
    const res = await g("GET", `/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq '${upn}'`)}&$select=id,displayName,accountEnabled`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.value.length, 1, `one user ${upn}`);
    return res.body.value[0];
  };
  const groupByName = async (name: string) => {
    const res = await g("GET", `/v1.0/groups?$filter=${encodeURIComponent(`displayName eq '${name}'`)}`);
    assert.equal(res.body.value.length, 1, `one group ${name}`);
    return res.body.value[0];
  };
  const inFilter = (ids: string[]) => encodeURIComponent(`id in (${ids.map((id) => `'${id}'`).join(",")})`);

  describe("appRoleAssignedTo", () => {
    it("pages through every assignment of the SCIM app with $top, in Graph's appRoleAssignment shape", async () => {
      const sp = emu.seeded.scimServicePrincipalId;
      const expected = state.appRoleAssignments.filter((a: any) => a.resourceId === sp);
      assert.ok(expected.length > 2, "enough assignments to page");
      const { items, pages, bodies } = await collect(`/v1.0/servicePrincipals/${sp}/appRoleAssignedTo?$top=2`);
      assert.equal(pages, Math.ceil(expected.length / 2));
      assert.equal(bodies[0]["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#servicePrincipals('${sp}')/appRoleAssignedTo`);
      assert.ok(bodies[0]["@odata.nextLink"].includes("$top=2"), "the nextLink repeats $top");
      assert.deepEqual(items.map((a) => a.id).sort(), expected.map((a: any) => a.id).sort());
      const keys = ["id", "deletedDateTime", "appRoleId", "createdDateTime", "principalDisplayName", "principalId", "principalType", "resourceDisplayName", "resourceId"];
      for (const a of items) {
        assert.deepEqual(Object.keys(a).sort(), [...keys].sort());
        assert.equal(a.resourceId, sp);
        assert.equal(a.deletedDateTime, null);
        // The principal's display name is the directory's.
        const principal = await g("GET", `/v1.0/${a.principalType === "User" ? "users" : "groups"}/${a.principalId}`);
        assert.equal(principal.status, 200, `${a.principalType} ${a.principalId}`);
        assert.equal(principal.body.displayName, a.principalDisplayName);
      }
      assert.deepEqual([...new Set(items.map((a) => a.principalType))].sort(), ["Group", "User"]);
      // Every appRoleId is one of the app's roles, which $select=id,appRoles returns.
      const app = await g("GET", `/v1.0/servicePrincipals/${sp}?$select=id,appRoles`);
      assert.deepEqual(Object.keys(app.body).sort(), ["@odata.context", "appRoles", "id"]);
      const roleIds = new Set(app.body.appRoles.map((r: any) => r.id));
      assert.ok(items.every((a) => roleIds.has(a.appRoleId)));
    });

    it("honours $select and refuses an unknown property as Graph does", async () => {
      const sp = emu.seeded.scimServicePrincipalId;
      const res = await g("GET", `/v1.0/servicePrincipals/${sp}/appRoleAssignedTo?$select=principalId,principalType`);
      assert.equal(res.status, 200);
      assert.ok(res.body.value.length > 0);
      for (const a of res.body.value) assert.deepEqual(Object.keys(a).sort(), ["principalId", "principalType"]);
      const bad = await g("GET", `/v1.0/servicePrincipals/${sp}/appRoleAssignedTo?$select=principalId,nope`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, "Request_BadRequest");
      assert.equal(bad.body.error.message, "Could not find a property named 'nope' on type 'microsoft.graph.appRoleAssignment'.");
      const missing = await g("GET", `/v1.0/servicePrincipals/00000000-0000-0000-0000-000000000001/appRoleAssignedTo`);
      assert.equal(missing.status, 404);
    });
  });

  describe("group members", () => {
    it("lists a group's direct members, users and a nested group, with @odata.type, paged by $top", async () => {
      const group = await groupByName("Global Operations");
      const expected: string[] = state.groupMembers[group.id];
      const userIds = new Set(state.users.map((u: any) => u.id));
      assert.ok(
        expected.some((id) => !userIds.has(id)),
        "the seed nests a group in Global Operations",
      );
      const { items, pages, bodies } = await collect(`/v1.0/groups/${group.id}/members?$select=id,displayName&$top=2`);
      assert.equal(pages, Math.ceil(expected.length / 2));
      assert.equal(bodies[0]["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#directoryObjects(id,displayName)`);
      assert.deepEqual(
        items.map((m) => m.id),
        expected,
      );
      for (const m of items) {
        assert.equal(m["@odata.type"], userIds.has(m.id) ? "#microsoft.graph.user" : "#microsoft.graph.group");
        assert.deepEqual(Object.keys(m).sort(), ["@odata.type", "displayName", "id"]);
      }
      const nested = items.find((m) => m["@odata.type"] === "#microsoft.graph.group");
      assert.equal(nested.displayName, "Procurement APAC");
    });

    it("casts to users and to groups", async () => {
      const group = await groupByName("Global Operations");
      const userIds = new Set(state.users.map((u: any) => u.id));
      const users = await g("GET", `/v1.0/groups/${group.id}/members/microsoft.graph.user?$select=id,userPrincipalName`);
      assert.equal(users.status, 200, users.text);
      assert.equal(users.body["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#users(id,userPrincipalName)`);
      assert.deepEqual(
        users.body.value.map((u: any) => u.id),
        state.groupMembers[group.id].filter((id: string) => userIds.has(id)),
      );
      assert.ok(users.body.value.every((u: any) => typeof u.userPrincipalName === "string"));
      const groups = await g("GET", `/v1.0/groups/${group.id}/members/microsoft.graph.group`);
      assert.deepEqual(
        groups.body.value.map((x: any) => x.displayName),
        ["Procurement APAC"],
      );
    });

    it("answers 404 for an unknown group and 400 for an unknown $select property", async () => {
      assert.equal((await g("GET", `/v1.0/groups/00000000-0000-0000-0000-000000000001/members`)).status, 404);
      const group = await groupByName("Global Operations");
      const bad = await g("GET", `/v1.0/groups/${group.id}/members?$select=id,nope`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, "Request_BadRequest");
    });
  });

  describe("$filter=id in (...)", () => {
    it("returns the users listed, with $select and $top paging", async () => {
      const ids: string[] = state.users.map((u: any) => u.id).slice(0, 15);
      assert.equal(ids.length, 15, "the seed has at least 15 users");
      const { items, pages } = await collect(`/v1.0/users?$filter=${inFilter(ids)}&$select=id,displayName&$top=4`);
      assert.equal(pages, 4);
      assert.deepEqual(items.map((u) => u.id).sort(), [...ids].sort());
      assert.ok(items.every((u) => Object.keys(u).sort().join() === "displayName,id"));
      // Ids compare case-insensitively, like every directory string.
      const upper = await g("GET", `/v1.0/users?$filter=${inFilter([ids[0].toUpperCase()])}`);
      assert.deepEqual(
        upper.body.value.map((u: any) => u.id),
        [ids[0]],
      );
    });

    it("refuses a 16th value with Graph's error, for users and groups", async () => {
      const ids: string[] = state.users.map((u: any) => u.id).slice(0, 16);
      for (const collection of ["users", "groups"]) {
        const res = await g("GET", `/v1.0/${collection}?$filter=${inFilter(ids)}`);
        assert.equal(res.status, 400, collection);
        assert.equal(res.body.error.code, "Request_UnsupportedQuery");
        assert.equal(res.body.error.message, "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15.");
      }
    });

    it("returns the groups listed", async () => {
      const ids: string[] = state.groups.map((x: any) => x.id);
      const res = await g("GET", `/v1.0/groups?$filter=${inFilter(ids.slice(1, 3))}&$select=id,displayName`);
      assert.deepEqual(
        res.body.value.map((x: any) => x.id),
        ids.slice(1, 3),
      );
    });
  });

  describe("managers", () => {
    it("$expand=manager($select=id) on a list gives each user's manager, and none to who has none", async () => {
      const jose = await userByUpn("jose.nunez@contoso.com");
      const zoe = await userByUpn("zoe.angstrom@contoso.com");
      const amara = await userByUpn("amara.okafor@contoso.com");
      const res = await g(
        "GET",
        `/v1.0/users?$filter=${inFilter([jose.id, zoe.id, amara.id])}&$select=id,displayName&$expand=${encodeURIComponent("manager($select=id)")}`,
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#users(id,displayName,manager(id))`);
      const byId = new Map(res.body.value.map((u: any) => [u.id, u]));
      // The chain José -> Zoë -> Amara (seed/varied-people.ts); Amara heads it.
      assert.deepEqual((byId.get(jose.id) as any).manager, { "@odata.type": "#microsoft.graph.user", id: zoe.id });
      assert.deepEqual((byId.get(zoe.id) as any).manager, { "@odata.type": "#microsoft.graph.user", id: amara.id });
      assert.ok(!("manager" in (byId.get(amara.id) as any)), "no manager member for a user without one");
      // The store is the truth: every seeded managerId is what Graph serves.
      for (const u of state.users.filter((x: any) => x.managerId)) {
        const m = await g("GET", `/v1.0/users/${u.id}/manager?$select=id`);
        assert.equal(m.body.id, u.managerId);
      }
    });

    it("$expand=manager on a get, and users/{id}/manager (404 when none)", async () => {
      const jose = await userByUpn("jose.nunez@contoso.com");
      const one = await g("GET", `/v1.0/users/${jose.id}?$select=id&$expand=manager`);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.manager.displayName, "Zoë Ångström");
      assert.equal(one.body.manager["@odata.type"], "#microsoft.graph.user");
      const manager = await g("GET", `/v1.0/users/${jose.id}/manager`);
      assert.equal(manager.status, 200);
      assert.equal(manager.body["@odata.context"], `${emu.graphEndpoint}/v1.0/$metadata#directoryObjects/$entity`);
      assert.equal(manager.body.id, one.body.manager.id);
      const amara = await userByUpn("amara.okafor@contoso.com");
      const none = await g("GET", `/v1.0/users/${amara.id}/manager`);
      assert.equal(none.status, 404);
      assert.equal(none.body.error.code, "Request_ResourceNotFound");
      const badExpand = await g("GET", `/v1.0/users?$expand=memberOf`);
      assert.equal(badExpand.status, 400);
      const levels = await g("GET", `/v1.0/users?$expand=${encodeURIComponent("manager($levels=max)")}`);
      assert.equal(levels.status, 400);
    });
  });

  describe("$select for source attributes", () => {
    it("serves every property a provisioning source attribute reads, directory extensions included", async () => {
      const extension = state.directoryExtensions[0].name as string;
      assert.match(extension, /^extension_[0-9a-f]{32}_badgeNumber$/);
      const select = [...SOURCE_PROPERTIES, extension].join(",");
      const zoe = await userByUpn("zoe.angstrom@contoso.com");
      const res = await g("GET", `/v1.0/users/${zoe.id}?$select=${select}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        Object.keys(res.body)
          .filter((k) => k !== "@odata.context")
          .sort(),
        [...SOURCE_PROPERTIES, extension].sort(),
      );
      assert.equal(res.body[extension], "B-20417");
      assert.equal(res.body.displayName, "Zoë Ångström");
      assert.deepEqual(res.body.employeeOrgData, { costCenter: "CC-4410", division: "Nordics" });
      assert.equal(res.body.onPremisesExtensionAttributes.extensionAttribute1, "Tier2");
      assert.equal(Object.keys(res.body.onPremisesExtensionAttributes).length, 15);
      assert.ok(res.body.proxyAddresses.length > 1 && res.body.otherMails.length > 1);
      // Unset values are null, unset collections empty: the contractor has no mail, no phones.
      const chloe = await userByUpn("chloe.dubois-lefevre@contoso.com");
      const sparse = await g("GET", `/v1.0/users/${chloe.id}?$select=${select}`);
      assert.equal(sparse.body.mail, null);
      assert.deepEqual(sparse.body.businessPhones, []);
      assert.equal(sparse.body[extension], null);
      // The same on a list.
      const list = await g("GET", `/v1.0/users?$select=${select}&$top=999`);
      assert.equal(list.body.value.length, state.users.length);
    });

    it("refuses an unknown property with Graph's 400", async () => {
      const res = await g("GET", `/v1.0/users?$select=id,nope`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "Request_BadRequest");
      assert.equal(res.body.error.message, "Could not find a property named 'nope' on type 'microsoft.graph.user'.");
      const group = await g("GET", `/v1.0/groups?$select=id,surname`);
      assert.equal(group.status, 400);
      assert.equal(group.body.error.message, "Could not find a property named 'surname' on type 'microsoft.graph.group'.");
      const extension = await g("GET", `/v1.0/users?$select=id,extension_00000000000000000000000000000000_nope`);
      assert.equal(extension.status, 400, "only registered extensions are properties");
    });

    it("serves the group properties the Entra Group source attributes read", async () => {
      const names = [
        "id",
        "displayName",
        "mail",
        "mailNickname",
        "description",
        "securityEnabled",
        "mailEnabled",
        "proxyAddresses",
        "groupTypes",
        "onPremisesSamAccountName",
        "onPremisesSecurityIdentifier",
        "onPremisesSyncEnabled",
        "securityIdentifier",
        "expirationDateTime",
      ];
      const group = await groupByName("Procurement APAC");
      const res = await g("GET", `/v1.0/groups/${group.id}?$select=${names.join(",")}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        Object.keys(res.body)
          .filter((k) => k !== "@odata.context")
          .sort(),
        [...names].sort(),
      );
      assert.equal(res.body.onPremisesSamAccountName, "ProcurementAPAC");
      assert.equal(res.body.mail, null);
    });
  });

  describe("permissions", () => {
    it("a client with Synchronization.ReadWrite.All only reads sync resources, and gets 403 for every directory read", async () => {
      assert.deepEqual(emu.clients.syncOnly.roles, ["Synchronization.ReadWrite.All"]);
      const s = graphClient(emu, await tokenFor(emu, emu.clients.syncOnly));
      const sp = emu.seeded.scimServicePrincipalId;
      assert.equal((await s("GET", `/v1.0/servicePrincipals/${sp}/synchronization/jobs`)).status, 200);
      const group = state.groups[0].id;
      for (const p of [
        `/v1.0/servicePrincipals/${sp}/appRoleAssignedTo`,
        `/v1.0/servicePrincipals/${sp}?$select=id,appRoles`,
        `/v1.0/users?$filter=${inFilter([state.users[0].id])}`,
        `/v1.0/users/${state.users[0].id}/manager`,
        `/v1.0/groups/${group}/members`,
        `/v1.0/groups?$select=id`,
      ]) {
        const res = await s("GET", p);
        assert.equal(res.status, 403, p);
        assert.equal(res.body.error.code, "Authorization_RequestDenied");
        assert.equal(res.body.error.message, "Insufficient privileges to complete the operation.");
      }
    });

    it("Application.Read.All reads appRoleAssignedTo but not users", async () => {
      const r = graphClient(emu, await tokenFor(emu, emu.clients.noRole));
      assert.equal((await r("GET", `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/appRoleAssignedTo`)).status, 200);
      assert.equal((await r("GET", `/v1.0/users`)).status, 403);
    });

    it("GroupMember.Read.All lists members; users come with @odata.type and id only without User.Read.All", async () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "emu-perm-"));
      const stateFile = path.join(home, "tenant.json");
      const first = await startTestEmulator({ stateFile });
      await first.stop();
      const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
      saved.clients.find((c: any) => c.handle === "noRole").roles = ["GroupMember.Read.All"];
      fs.writeFileSync(stateFile, JSON.stringify(saved));
      const second = await startTestEmulator({ stateFile });
      try {
        const m = graphClient(second, await tokenFor(second, second.clients.noRole));
        const group = saved.groups.find((x: any) => x.displayName === "Global Operations");
        const res = await m("GET", `/v1.0/groups/${group.id}/members?$select=id,displayName`);
        assert.equal(res.status, 200, res.text);
        const user = res.body.value.find((x: any) => x["@odata.type"] === "#microsoft.graph.user");
        assert.deepEqual(user, { "@odata.type": "#microsoft.graph.user", id: user.id, displayName: null });
        const nested = res.body.value.find((x: any) => x["@odata.type"] === "#microsoft.graph.group");
        assert.equal(nested.displayName, "Procurement APAC");
        assert.equal((await m("GET", `/v1.0/groups?$select=id`)).status, 200);
        assert.equal((await m("GET", `/v1.0/users?$select=id`)).status, 403);
      } finally {
        await second.stop();
        fs.rmSync(home, { recursive: true, force: true });
      }
    });
  });

  describe("varied seeded people", () => {
    it("are found by names with diacritics, CJK and apostrophes", async () => {
      for (const name of ["Zoë Ångström", "José Núñez", "王秀英", "Siobhán O'Connor", "Björn Þórsson"]) {
        const res = await g("GET", `/v1.0/users?$filter=${encodeURIComponent(`displayName eq '${name.replace(/'/g, "''")}'`)}&$select=id,displayName,accountEnabled`);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(
          res.body.value.map((u: any) => u.displayName),
          [name],
        );
      }
      const bjorn = await userByUpn("bjorn.thorsson@contoso.com");
      assert.equal(bjorn.accountEnabled, false);
    });

    it("flow through a provisioning cycle: the SCIM target gets exactly the active users assigned directly or through an assigned group, with Graph's values", async () => {
      const own = await startTestEmulator({ cycles: "manual" });
      try {
        const a = graphClient(own, await tokenFor(own, own.clients.admin));
        const sp = own.seeded.scimServicePrincipalId;
        const sync = `/v1.0/servicePrincipals/${sp}/synchronization`;
        // Scope, computed from Graph reads only (what a preview samples with).
        const assignments = (await a("GET", `${sync.replace("/synchronization", "")}/appRoleAssignedTo`)).body.value;
        const direct = assignments.filter((x: any) => x.principalType === "User").map((x: any) => x.principalId);
        const viaGroups: string[] = [];
        for (const x of assignments.filter((y: any) => y.principalType === "Group")) {
          const members = (await a("GET", `/v1.0/groups/${x.principalId}/members/microsoft.graph.user?$select=id`)).body.value;
          viaGroups.push(...members.map((m: any) => m.id));
        }
        const candidates = [...new Set([...direct, ...viaGroups])];
        const users: any[] = [];
        for (let i = 0; i < candidates.length; i += 15) {
          const chunk = candidates.slice(i, i + 15);
          const res = await a(
            "GET",
            `/v1.0/users?$filter=${inFilter(chunk)}&$select=id,userPrincipalName,displayName,givenName,accountEnabled&$expand=${encodeURIComponent("manager($select=id)")}`,
          );
          users.push(...res.body.value);
        }
        const active = users.filter((u) => u.accountEnabled);
        assert.ok(
          users.some((u) => !u.accountEnabled),
          "a disabled user is assigned (through Global Operations)",
        );

        const secrets = [
          { key: "BaseAddress", value: own.scimTarget.baseAddress },
          { key: "SecretToken", value: own.scimTarget.token },
        ];
        assert.equal((await a("PUT", `${sync}/secrets`, { value: secrets })).status, 204);
        const id = (await a("POST", `${sync}/jobs`, { templateId: "scim" })).body.id;
        assert.equal((await a("POST", `${sync}/jobs/${id}/start`)).status, 204);
        const run = (await control(own, "POST", "cycles")).body.value;
        assert.deepEqual(
          run.map((c: any) => c.result),
          ["Succeeded"],
        );

        const target = own.scimTarget.listUsers();
        assert.deepEqual(target.map((u) => u.userName).sort(), active.map((u) => u.userPrincipalName).sort());
        for (const upn of [
          "zoe.angstrom@contoso.com",
          "jose.nunez@contoso.com",
          "siobhan.oconnor@contoso.com",
          "chloe.dubois-lefevre@contoso.com",
          "kenji.sato_fabrikam.com#EXT#@contoso.com",
        ]) {
          assert.ok(
            target.some((u) => u.userName === upn),
            `${upn} provisioned`,
          );
        }
        assert.ok(!target.some((u) => u.userName === "bjorn.thorsson@contoso.com"), "disabled: not created");
        assert.ok(!target.some((u) => u.userName === "xiuying.wang@contoso.com"), "a member of a nested group only is not in scope");
        // Values arrive as Graph serves them, unicode intact, and the manager reference resolves to the manager's SCIM id.
        const byUpn = new Map(target.map((u) => [u.userName as string, u]));
        for (const u of active) {
          const scim: any = byUpn.get(u.userPrincipalName);
          assert.equal(scim.displayName, u.displayName);
          assert.equal(scim.name?.givenName ?? null, u.givenName);
          const enterprise = scim["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] ?? {};
          const manager = users.find((x) => x.id === u.manager?.id);
          if (manager && manager.accountEnabled)
            assert.equal(enterprise.manager?.value, (byUpn.get(manager.userPrincipalName) as any).id, `${u.userPrincipalName}'s manager`);
          else assert.equal(enterprise.manager, undefined, `${u.userPrincipalName} has no provisioned manager`);
        }
      } finally {
        await own.stop();
      }
    });
  });
});
