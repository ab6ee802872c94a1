/**
 * The sampling reads: the job's in-scope source objects, read from Graph the way the provisioning
 * service selects them ("Sync only assigned users and groups": users and groups assigned to the
 * app, and users who are direct members of an assigned group, nested groups not followed; SyncAll:
 * all users and groups), up to `limit` users and `limit` groups, with only the properties the
 * mappings read.
 *
 * Graph calls (each a GET; "pages" follow @odata.nextLink):
 *   - the app's roles, when a mapping reads appRoleAssignments:
 *       /servicePrincipals/{id}?$select=id,appRoles                                      1
 *   - its assignments, unless SyncAll without appRoleAssignments:
 *       /servicePrincipals/{id}/appRoleAssignedTo?$top=999                               1 per 999 assignments
 *   - the members of assigned groups (users through groups; group `members`), until the sample is
 *     full (every assigned group when appRoleAssignments is read):
 *       /groups/{id}/members?$select=id&$top=999                                         1 per group per 999 members
 *   - the objects: assigned ones by id, 15 at a time (Graph's limit on `in` values), or with
 *     SyncAll the first pages of the collection:
 *       /users?$filter=id in (...)&$select=...&$expand=manager($select=id)                ceil(users / 15), 4 at a time
 *       /groups?$filter=id in (...)&$select=...                                          ceil(groups / 15)
 *       /users?$select=...&$top=min(limit,999)&$expand=...  (SyncAll)                    ceil(limit / 999)
 * Permissions: Application.Read.All (or the app's own Synchronization read) for the first two,
 * GroupMember.Read.All for members and groups, User.Read.All for users. A 403 ends the sample with
 * MissingPermissionError naming the permission.
 */

import type { GraphApi } from "../graph/client";
import { isGraphRequestError } from "../graph/errors";
import { servicePrincipalPath } from "../graph/paths";
import type { ODataCollection } from "../graph/types";
import { inParallel } from "../export/read-tenant";
import type { SampledObject } from "./evaluate";
import { isActive, labelOf, sourceObjectOf, type GraphObject, type GraphRead, type SourceKind } from "./source-object";

/** Graph's limit on the values of one `in` clause of $filter. */
export const IN_CLAUSE_LIMIT = 15;
const PAGE = 999;
/** Batches of users or groups read at once. */
const PARALLEL_READS = 4;

export class MissingPermissionError extends Error {
  constructor(
    readonly permission: string,
    readonly request: string,
  ) {
    super(`missing permission ${permission} (${request} answered 403)`);
  }
}

interface SampleRequest {
  api: GraphApi;
  servicePrincipalId: string;
  syncAll: boolean;
  /** Objects per source kind. */
  limit: number;
  /** What to read of users and groups; absent: no enabled mapping provisions that kind. */
  reads: Partial<Record<SourceKind, GraphRead>>;
  /** Counts every GET sent, also when the sample ends in an error. */
  counter: { calls: number };
}

interface Sample {
  objects: SampledObject[];
  read: Record<string, number>;
  truncated: Record<string, boolean>;
}

interface Assignment {
  principalId: string;
  principalType: string;
  appRoleId: string;
}

interface Member {
  id: string;
  "@odata.type"?: string;
}

export async function readSample(request: SampleRequest): Promise<Sample> {
  const { api, servicePrincipalId: sp, syncAll, limit, reads } = request;
  const get = async <T>(path: string, permission: string, operation: string): Promise<T> => {
    request.counter.calls += 1;
    try {
      return await api.get<T>(path, operation);
    } catch (e) {
      if (isGraphRequestError(e) && e.status === 403) throw new MissingPermissionError(permission, `GET ${e.path}`);
      throw e;
    }
  };
  /** Items of a collection, following nextLink until `max` items (or the end). */
  const pages = async <T>(path: string, permission: string, operation: string, max = Number.MAX_SAFE_INTEGER): Promise<{ items: T[]; more: boolean }> => {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next && items.length < max) {
      const page: ODataCollection<T> = await get<ODataCollection<T>>(next, permission, operation);
      items.push(...page.value);
      next = page["@odata.nextLink"];
    }
    return { items: items.slice(0, max), more: items.length > max || next !== undefined };
  };

  const appRoles = Object.values(reads).some((r) => r?.appRoles);
  const roleNames = new Map<string, string>();
  if (appRoles) {
    const app = await get<{ appRoles?: { id: string; displayName: string }[] }>(
      `${servicePrincipalPath(sp)}?$select=id,appRoles`,
      "Application.Read.All",
      `read the app roles of service principal ${sp}`,
    );
    for (const r of app.appRoles ?? []) roleNames.set(r.id, r.displayName);
  }

  // Who holds which roles: users directly, groups, and users through an assigned group.
  const userRoles = new Map<string, Set<string>>();
  const groupRoles = new Map<string, Set<string>>();
  const members = new Map<string, Member[]>();
  const add = (map: Map<string, Set<string>>, id: string, role: string) => map.set(id, (map.get(id) ?? new Set()).add(role));
  const readMembers = async (groupId: string): Promise<Member[]> => {
    let found = members.get(groupId);
    if (!found) {
      found = (
        await pages<Member>(`/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=${PAGE}`, "GroupMember.Read.All", `list the members of group ${groupId}`)
      ).items;
      members.set(groupId, found);
    }
    return found;
  };
  const isUser = (m: Member) => (m["@odata.type"] ?? "#microsoft.graph.user") === "#microsoft.graph.user";
  if (!syncAll || appRoles) {
    const { items } = await pages<Assignment>(
      `${servicePrincipalPath(sp)}/appRoleAssignedTo?$top=${PAGE}`,
      "Application.Read.All",
      `list the users and groups assigned to service principal ${sp}`,
    );
    const roleOf = (a: Assignment) => roleNames.get(a.appRoleId) ?? "Default Access";
    // In Graph's order, as the provisioning service's assignments are read (emulator/provisioning/assignments.ts).
    for (const a of items) {
      if (a.principalType === "User") add(userRoles, a.principalId, roleOf(a));
      else if (a.principalType === "Group") {
        add(groupRoles, a.principalId, roleOf(a));
        // Users through groups: until the sample is full, or all of them when role names are read.
        if (reads.User && (appRoles || (!syncAll && userRoles.size < limit))) {
          for (const m of await readMembers(a.principalId)) if (isUser(m)) add(userRoles, m.id, roleOf(a));
        }
      }
    }
  }

  const objects: SampledObject[] = [];
  const read: Record<string, number> = {};
  const truncated: Record<string, boolean> = {};
  for (const kind of ["User", "Group"] as const) {
    const r = reads[kind];
    if (!r) continue;
    const collection = kind === "User" ? "users" : "groups";
    const permission = kind === "User" ? "User.Read.All" : "GroupMember.Read.All";
    const query = `$select=${r.select.join(",")}${r.manager ? `&$expand=${encodeURIComponent("manager($select=id)")}` : ""}`;
    const roles = kind === "User" ? userRoles : groupRoles;
    let jsons: GraphObject[] = [];
    if (syncAll) {
      const listed = await pages<GraphObject>(`/${collection}?${query}&$top=${Math.min(limit, PAGE)}`, permission, `list ${collection}`, limit);
      jsons = listed.items;
      truncated[kind] = listed.more;
    } else {
      const ids = [...roles.keys()];
      truncated[kind] = ids.length > limit;
      const wanted = ids.slice(0, limit);
      const batches: string[][] = [];
      for (let i = 0; i < wanted.length; i += IN_CLAUSE_LIMIT) batches.push(wanted.slice(i, i + IN_CLAUSE_LIMIT));
      // A few batches at a time, in order: the client's retry strategies absorb throttling.
      const found = await inParallel(batches, PARALLEL_READS, async (batch) => {
        const filter = encodeURIComponent(`id in (${batch.map((id) => `'${id.replace(/'/g, "''")}'`).join(",")})`);
        return (await pages<GraphObject>(`/${collection}?$filter=${filter}&${query}`, permission, `read ${batch.length} assigned ${collection}`)).items;
      });
      jsons = found.flat();
    }
    for (const json of jsons) {
      const id = String(json.id);
      const memberIds = kind === "Group" && r.members ? (await readMembers(id)).map((m) => m.id) : undefined;
      objects.push({
        kind,
        id,
        label: labelOf(kind, json),
        source: sourceObjectOf(kind, json, { appRoleNames: [...(roles.get(id) ?? [])], memberIds }),
        assigned: roles.has(id),
        active: isActive(kind, json),
      });
    }
    read[kind] = jsons.length;
  }
  return { objects, read, truncated };
}
