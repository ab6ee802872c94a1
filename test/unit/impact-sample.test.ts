/**
 * The impact preview's sampling reads (provider/impact/sample.ts) against a fake Graph: which
 * requests, how many, the 15-value `in` batches, group expansion and role names, SyncAll paging,
 * the sample limit, and a 403 as MissingPermissionError.
 */

import { strict as assert } from "node:assert";
import type { GraphApi } from "../../provider/graph/client";
import { GraphRequestError } from "../../provider/graph/errors";
import { IN_CLAUSE_LIMIT, MissingPermissionError, readSample } from "../../provider/impact/sample";
import { graphReadFor } from "../../provider/impact/source-object";

const SP = "sp-1";
const uid = (i: number) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
const USERS = Array.from({ length: 40 }, (_, i) => ({
  id: uid(i),
  userPrincipalName: `u${i}@contoso.example`,
  accountEnabled: i !== 3,
  department: i % 2 ? "Sales" : null,
}));

function fakeGraph(routes: (path: string) => unknown): { api: GraphApi; paths: string[] } {
  const paths: string[] = [];
  const api = {
    get: async (path: string) => {
      paths.push(decodeURIComponent(path));
      const body = routes(decodeURIComponent(path));
      if (body instanceof Error) throw body;
      return body;
    },
  } as unknown as GraphApi;
  return { api, paths };
}

function byIds(path: string): unknown {
  const m = /id in \(([^)]*)\)/.exec(path);
  const ids = m ? m[1].split(",").map((s) => s.replace(/'/g, "")) : [];
  return { value: USERS.filter((u) => ids.includes(u.id)) };
}

describe("impact preview: the sampling reads", () => {
  it("assigned users: direct ones and direct members of assigned groups, role names, read 15 at a time", async () => {
    const { api, paths } = fakeGraph((path) => {
      if (path.endsWith("?$select=id,appRoles")) return { appRoles: [{ id: "r1", displayName: "Reader" }] };
      if (path.includes("/appRoleAssignedTo")) {
        return {
          value: [
            ...USERS.slice(0, 20).map((u) => ({ principalId: u.id, principalType: "User", appRoleId: "r1" })),
            { principalId: "g1", principalType: "Group", appRoleId: "00000000-0000-0000-0000-000000000000" },
          ],
        };
      }
      if (path.startsWith("/groups/g1/members"))
        return {
          value: [...USERS.slice(15, 30).map((u) => ({ id: u.id, "@odata.type": "#microsoft.graph.user" })), { id: "g2", "@odata.type": "#microsoft.graph.group" }],
        };
      if (path.startsWith("/users?$filter=")) return byIds(path);
      throw new Error(`unexpected ${path}`);
    });
    const sample = await readSample({
      api,
      servicePrincipalId: SP,
      syncAll: false,
      limit: 200,
      reads: { User: graphReadFor("User", ["appRoleAssignments", "department"]) },
      counter: { calls: 0 },
    });
    assert.equal(sample.read.User, 30);
    assert.equal(sample.truncated.User, false);
    const batches = paths.filter((p) => p.startsWith("/users?$filter="));
    assert.equal(batches.length, Math.ceil(30 / IN_CLAUSE_LIMIT));
    for (const b of batches) assert.ok((b.match(/'/g) ?? []).length / 2 <= IN_CLAUSE_LIMIT, b);
    assert.ok(
      batches.every((b) => b.includes("$select=id,accountEnabled,userPrincipalName,department")),
      batches[0],
    );
    const u16 = sample.objects.find((o) => o.id === uid(16))!;
    assert.deepEqual(u16.source.appRoleAssignments, ["Reader", "Default Access"], "direct and through the group");
    assert.equal(sample.objects.find((o) => o.id === uid(3))!.active, false);
    assert.ok(sample.objects.every((o) => o.assigned));
  });

  it("stops at the limit: fewer batches, and no group expanded once the users are enough (roles not read)", async () => {
    const { api, paths } = fakeGraph((path) => {
      if (path.includes("/appRoleAssignedTo"))
        return {
          value: [...USERS.map((u) => ({ principalId: u.id, principalType: "User", appRoleId: "r1" })), { principalId: "g1", principalType: "Group", appRoleId: "r1" }],
        };
      if (path.startsWith("/users?$filter=")) return byIds(path);
      throw new Error(`unexpected ${path}`);
    });
    const counter = { calls: 0 };
    const sample = await readSample({ api, servicePrincipalId: SP, syncAll: false, limit: 10, reads: { User: graphReadFor("User", ["mail"]) }, counter });
    assert.equal(sample.read.User, 10);
    assert.equal(sample.truncated.User, true);
    assert.deepEqual(
      paths.map((p) => p.split("?")[0]),
      [`/servicePrincipals/${SP}/appRoleAssignedTo`, "/users"],
    );
    assert.equal(counter.calls, 2);
  });

  it("SyncAll: pages of the collection up to the limit, no assignments read unless roles are", async () => {
    const { api, paths } = fakeGraph((path) => {
      if (path.startsWith("/users?$select=")) return { value: USERS.slice(0, 25), "@odata.nextLink": "https://graph.example/v1.0/users?$skiptoken=2" };
      if (path.includes("$skiptoken=2")) return { value: USERS.slice(25) };
      throw new Error(`unexpected ${path}`);
    });
    const sample = await readSample({ api, servicePrincipalId: SP, syncAll: true, limit: 30, reads: { User: graphReadFor("User", ["manager"]) }, counter: { calls: 0 } });
    assert.equal(sample.read.User, 30);
    assert.equal(sample.truncated.User, true);
    assert.equal(paths.length, 2);
    assert.match(paths[0], /^\/users\?\$select=id,accountEnabled,userPrincipalName&\$expand=manager\(\$select=id\)&\$top=30$/);
    assert.ok(
      sample.objects.every((o) => !o.assigned),
      "not assigned, in scope through SyncAll",
    );
  });

  it("a 403 ends the sample naming the permission", async () => {
    const forbidden = new GraphRequestError({
      operation: "x",
      method: "GET",
      path: "/users",
      status: 403,
      code: "Authorization_RequestDenied",
      graphMessage: "Insufficient privileges",
      kind: "response",
      attempts: 1,
      mayHaveSucceeded: false,
    } as never);
    const { api } = fakeGraph((path) => (path.includes("/appRoleAssignedTo") ? { value: [{ principalId: uid(1), principalType: "User", appRoleId: "r1" }] } : forbidden));
    const counter = { calls: 0 };
    await assert.rejects(
      readSample({ api, servicePrincipalId: SP, syncAll: false, limit: 5, reads: { User: graphReadFor("User", ["mail"]) }, counter }),
      (e: unknown) => e instanceof MissingPermissionError && e.permission === "User.Read.All" && /GET \/users answered 403/.test(e.message),
    );
    assert.equal(counter.calls, 2, "the failed call is counted");
  });
});
