/**
 * Directory reads: servicePrincipals (list with $filter/$top/paging/$select, get by id or appId
 * alternate key, appRoleAssignedTo), users (list/get with $filter incl. `in`, $select,
 * $expand=manager; users/{id}/manager), groups (list/get; groups/{id}/members and its casts to
 * users and groups). Read-only: the seeded tenant is the directory. Which properties a user or
 * group has: tenant/directory-model.ts.
 */
import { directoryObjectNotFound, GraphErrorReply, invalidObjectIdentifier } from "../http/errors";
import { contextUrl, type GraphRequest, type GraphResponse, type GraphRoute } from "./route";
import { collectionBody, pageOf, parseFilter, parseSelect, project, rejectUnsupportedOptions } from "../http/odata";
import type { Route } from "../http/router";
import { hasPermission } from "../identity/permissions";
import type { GroupResource, TenantState, UserResource } from "../tenant/store";
import {
  GROUP_PROPERTIES,
  USER_DEFAULT_PROPERTIES,
  groupProperty,
  managerIdOf,
  selectableGroupProperties,
  selectableUserProperties,
  userProperty,
} from "../tenant/directory-model";

const SP_FILTERABLE = ["id", "appId", "displayName", "servicePrincipalType", "accountEnabled", "appOwnerOrganizationId"];
const USER_FILTERABLE = ["id", "displayName", "userPrincipalName", "mail", "givenName", "surname", "accountEnabled", "mailNickname", "userType", "employeeId"];
const GROUP_FILTERABLE = ["id", "displayName", "mail", "mailNickname", "securityEnabled", "mailEnabled"];
const APP_ROLE_ASSIGNMENT_PROPERTIES = [
  "id",
  "deletedDateTime",
  "appRoleId",
  "createdDateTime",
  "principalDisplayName",
  "principalId",
  "principalType",
  "resourceDisplayName",
  "resourceId",
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How one kind of directory object is listed and shown. */
interface Kind<T> {
  collection: string;
  typeName: string;
  filterable: readonly string[];
  /** Names `$select` accepts (case-insensitive); undefined: the stored object's keys. */
  selectable: (state: TenantState) => readonly string[] | undefined;
  /** The object without $select. */
  defaultView: (item: T) => Record<string, unknown>;
  /** The object with $select (names already checked). */
  selectedView: (item: T, select: readonly string[]) => Record<string, unknown>;
}

const SP: Kind<Record<string, unknown>> = {
  collection: "servicePrincipals",
  typeName: "servicePrincipal",
  filterable: SP_FILTERABLE,
  selectable: () => undefined,
  defaultView: (item) => ({ ...item }),
  selectedView: (item, select) => Object.fromEntries(select.map((k) => [k, item[k] ?? null])),
};

const USER: Kind<UserResource> = {
  collection: "users",
  typeName: "user",
  filterable: USER_FILTERABLE,
  selectable: selectableUserProperties,
  defaultView: (user) => Object.fromEntries(USER_DEFAULT_PROPERTIES.map((k) => [k, userProperty(user, k)])),
  selectedView: (user, select) => Object.fromEntries(select.map((k) => [k, userProperty(user, k)])),
};

const GROUP: Kind<GroupResource> = {
  collection: "groups",
  typeName: "group",
  filterable: GROUP_FILTERABLE,
  selectable: selectableGroupProperties,
  defaultView: (group) => Object.fromEntries(GROUP_PROPERTIES.map((k) => [k, groupProperty(group, k)])),
  selectedView: (group, select) => Object.fromEntries(select.map((k) => [k, groupProperty(group, k)])),
};

/** The $select names in their declared spelling; an unknown one -> 400 as Graph answers it. */
function checkSelect(select: string[] | undefined, known: readonly string[] | undefined, fallback: readonly string[], typeName: string): string[] | undefined {
  if (!select) return undefined;
  const names = known ?? fallback;
  return select.map((name) => {
    const match = names.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!match) throw new GraphErrorReply(400, "Request_BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
    return match;
  });
}

// --- $expand=manager ----------------------------------------------------------------------------

interface ManagerExpand {
  /** The manager's selected properties; undefined: its default view. */
  select?: string[];
}

/**
 * `$expand=manager` or `manager($select=a,b)`: the only expansion the emulator serves (users).
 * Anything else -> 400: another navigation property, more than one, or a nested option but $select.
 */
function parseExpand(req: GraphRequest, allowManager: boolean, typeName: string): ManagerExpand | undefined {
  const raw = req.query.get("$expand");
  if (raw === null) return undefined;
  const m = /^\s*([A-Za-z][A-Za-z0-9.]*)\s*(?:\((.*)\))?\s*$/.exec(raw);
  if (!m || m[1].toLowerCase() !== "manager" || !allowManager) {
    const name = m ? m[1] : raw;
    throw new GraphErrorReply(400, "Request_BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
  }
  const inner = (m[2] ?? "").trim();
  if (inner === "") return {};
  const select = /^\$select\s*=\s*([^;()]*)$/i.exec(inner);
  if (!select) {
    throw new GraphErrorReply(400, "Request_UnsupportedQuery", `The Graph emulator supports only $select inside $expand=manager(...), not '${inner}'.`);
  }
  const names = select[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return { select: checkSelect(names, selectableUserProperties(req.engine.store.state), [], "user") };
}

/** The manager as an expanded (or /manager) directoryObject: its type, and its default or selected properties. */
function managerView(manager: UserResource, select: string[] | undefined): Record<string, unknown> {
  return { "@odata.type": "#microsoft.graph.user", ...(select ? USER.selectedView(manager, select) : USER.defaultView(manager)) };
}

function withManager(req: GraphRequest, user: UserResource, view: Record<string, unknown>, expand: ManagerExpand | undefined): Record<string, unknown> {
  if (!expand) return view;
  const state = req.engine.store.state;
  const managerId = managerIdOf(state, user);
  // A user without a manager has no `manager` member at all.
  if (!managerId) return view;
  const manager = state.users.find((u) => u.id === managerId)!;
  return { ...view, manager: managerView(manager, expand.select) };
}

/** The context's select list: `users(a,b)`, with `manager(c)` / `manager()` for an expansion. */
function selectionFragment(collection: string, select: string[] | undefined, expand: ManagerExpand | undefined): string {
  const parts = [...(select ?? [])];
  if (expand) parts.push(`manager(${(expand.select ?? []).join(",")})`);
  return parts.length > 0 ? `${collection}(${parts.join(",")})` : collection;
}

// --- list / get ---------------------------------------------------------------------------------

function listObjects<T extends Record<string, unknown>>(req: GraphRequest, items: T[], kind: Kind<T>, expandable = false): GraphResponse {
  rejectUnsupportedOptions(req.query, expandable ? ["$filter", "$top", "$skiptoken", "$select", "$expand"] : ["$filter", "$top", "$skiptoken", "$select"]);
  const state = req.engine.store.state;
  const filterText = req.query.get("$filter");
  const matching = filterText ? items.filter(parseFilter(filterText, kind.typeName, kind.filterable)) : items;
  const select = checkSelect(parseSelect(req.query), kind.selectable(state), Object.keys(items[0] ?? {}), kind.typeName);
  const expand = expandable ? parseExpand(req, true, kind.typeName) : undefined;
  const page = pageOf(matching, { url: req.url, query: req.query, pageSize: req.engine.config.pageSize });
  const body = collectionBody(contextUrl(req, selectionFragment(kind.collection, select, expand)), page, (item) => {
    const view = select ? kind.selectedView(item, select) : kind.defaultView(item);
    return expand ? withManager(req, item as unknown as UserResource, view, expand) : view;
  });
  return { status: 200, body };
}

function getObject<T extends Record<string, unknown>>(req: GraphRequest, item: T, kind: Kind<T>, expandable = false): GraphResponse {
  rejectUnsupportedOptions(req.query, expandable ? ["$select", "$expand"] : ["$select"]);
  const select = checkSelect(parseSelect(req.query), kind.selectable(req.engine.store.state), Object.keys(item), kind.typeName);
  const expand = expandable ? parseExpand(req, true, kind.typeName) : undefined;
  const view = select ? kind.selectedView(item, select) : kind.defaultView(item);
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(req, `${selectionFragment(kind.collection, select, expand)}/$entity`),
      ...(expand ? withManager(req, item as unknown as UserResource, view, expand) : view),
    },
  };
}

function findUser(users: UserResource[], key: string): UserResource {
  // /users/{id | userPrincipalName}
  const user = GUID.test(key) ? users.find((u) => u.id.toLowerCase() === key.toLowerCase()) : users.find((u) => u.userPrincipalName.toLowerCase() === key.toLowerCase());
  if (!user) throw directoryObjectNotFound(key);
  return user;
}

function findGroup(groups: GroupResource[], key: string): GroupResource {
  const group = groups.find((g) => g.id.toLowerCase() === key.toLowerCase());
  if (!group) throw GUID.test(key) ? directoryObjectNotFound(key) : invalidObjectIdentifier(key);
  return group;
}

// --- relationships ------------------------------------------------------------------------------

/** GET /users/{id}/manager: the manager as a directoryObject; 404 when the user has none. */
function getManager(req: GraphRequest): GraphResponse {
  rejectUnsupportedOptions(req.query, ["$select"]);
  const state = req.engine.store.state;
  const user = findUser(state.users, req.params.user);
  const select = checkSelect(parseSelect(req.query), selectableUserProperties(state), [], "user");
  const managerId = managerIdOf(state, user);
  if (!managerId) {
    throw new GraphErrorReply(404, "Request_ResourceNotFound", "Resource 'manager' does not exist or one of its queried reference-property objects are not present.");
  }
  const manager = state.users.find((u) => u.id === managerId)!;
  return {
    status: 200,
    body: { "@odata.context": contextUrl(req, select ? `directoryObjects(${select.join(",")})/$entity` : "directoryObjects/$entity"), ...managerView(manager, select) },
  };
}

/**
 * GET /groups/{id}/members[/microsoft.graph.user | /microsoft.graph.group]: the direct members as
 * directoryObjects with their @odata.type (a cast lists one type and, as a typed collection, leaves
 * the annotation out). $select names properties of users or groups; each member shows those its
 * type has. Members the caller may not read (users without User.Read.All or Directory.Read.All)
 * come with @odata.type and id only, the rest null, as Graph answers them.
 */
function listMembers(req: GraphRequest, cast?: "user" | "group"): GraphResponse {
  rejectUnsupportedOptions(req.query, ["$top", "$skiptoken", "$select"]);
  const state = req.engine.store.state;
  const group = findGroup(state.groups, req.params.group);
  const userNames = selectableUserProperties(state);
  const groupNames = selectableGroupProperties(state);
  const known = cast === "user" ? userNames : cast === "group" ? groupNames : [...new Set([...userNames, ...groupNames])];
  const select = checkSelect(parseSelect(req.query), known, [], cast ?? "directoryObject");
  type Member = { type: "user"; user: UserResource } | { type: "group"; group: GroupResource };
  const members = (state.groupMembers[group.id] ?? []).flatMap((id): Member[] => {
    const user = state.users.find((u) => u.id === id);
    if (user) return [{ type: "user" as const, user }];
    const member = state.groups.find((g) => g.id === id);
    return member ? [{ type: "group" as const, group: member }] : [];
  });
  const listed = cast ? members.filter((m) => m.type === cast) : members;
  const canReadUsers = hasPermission(req.caller.roles, "user.read");
  const page = pageOf(listed, { url: req.url, query: req.query, pageSize: req.engine.config.pageSize });
  const view = (m: Member): Record<string, unknown> => {
    const annotation = cast ? {} : { "@odata.type": `#microsoft.graph.${m.type}` };
    if (m.type === "user") {
      const names = select ? select.filter((n) => userNames.includes(n)) : [...USER_DEFAULT_PROPERTIES];
      if (!canReadUsers) return { ...annotation, id: m.user.id, ...Object.fromEntries(names.filter((n) => n !== "id").map((n) => [n, null])) };
      return { ...annotation, ...USER.selectedView(m.user, names) };
    }
    const names = select ? select.filter((n) => groupNames.includes(n)) : [...GROUP_PROPERTIES];
    return { ...annotation, ...GROUP.selectedView(m.group, names) };
  };
  const collection = cast === "user" ? "users" : cast === "group" ? "groups" : "directoryObjects";
  return { status: 200, body: collectionBody(contextUrl(req, select ? `${collection}(${select.join(",")})` : collection), page, view) };
}

/** GET /servicePrincipals/{id}/appRoleAssignedTo: the users, groups and service principals assigned to the app. */
function listAppRoleAssignedTo(req: GraphRequest): GraphResponse {
  rejectUnsupportedOptions(req.query, ["$top", "$skiptoken", "$select"]);
  const sp = req.engine.requireServicePrincipal(req.params.sp);
  const select = checkSelect(parseSelect(req.query), APP_ROLE_ASSIGNMENT_PROPERTIES, [], "appRoleAssignment");
  const assignments = (req.engine.store.state.appRoleAssignments ?? []).filter((a) => a.resourceId === sp.id);
  const page = pageOf(assignments, { url: req.url, query: req.query, pageSize: req.engine.config.pageSize });
  const full = (a: (typeof assignments)[number]): Record<string, unknown> => ({
    id: a.id,
    deletedDateTime: null,
    appRoleId: a.appRoleId,
    createdDateTime: a.createdDateTime,
    principalDisplayName: a.principalDisplayName,
    principalId: a.principalId,
    principalType: a.principalType,
    resourceDisplayName: a.resourceDisplayName,
    resourceId: a.resourceId,
  });
  const fragment = `servicePrincipals('${sp.id}')/appRoleAssignedTo${select ? `(${select.join(",")})` : ""}`;
  return {
    status: 200,
    body: collectionBody(contextUrl(req, fragment), page, (a) => (select ? project(full(a), select, "appRoleAssignment", APP_ROLE_ASSIGNMENT_PROPERTIES) : full(a))),
  };
}

export const directoryRoutes: Route<GraphRoute>[] = [
  {
    method: "GET",
    pattern: "servicePrincipals",
    handler: { permission: "application.read", handle: (req) => listObjects(req, req.engine.store.state.servicePrincipals, SP) },
  },
  {
    method: "GET",
    pattern: "servicePrincipals/:sp",
    handler: { permission: "application.read", handle: (req) => getObject(req, req.engine.requireServicePrincipal(req.params.sp), SP) },
  },
  {
    method: "GET",
    pattern: "servicePrincipals/:sp/appRoleAssignedTo",
    handler: { permission: "application.read", handle: listAppRoleAssignedTo },
  },
  {
    method: "GET",
    pattern: "users",
    handler: { permission: "user.read", handle: (req) => listObjects(req, req.engine.store.state.users, USER, true) },
  },
  {
    method: "GET",
    pattern: "users/:user",
    handler: { permission: "user.read", handle: (req) => getObject(req, findUser(req.engine.store.state.users, req.params.user), USER, true) },
  },
  {
    method: "GET",
    pattern: "users/:user/manager",
    handler: { permission: "user.read", handle: getManager },
  },
  {
    method: "GET",
    pattern: "groups",
    handler: { permission: "group.read", handle: (req) => listObjects(req, req.engine.store.state.groups, GROUP) },
  },
  {
    method: "GET",
    pattern: "groups/:group",
    handler: { permission: "group.read", handle: (req) => getObject(req, findGroup(req.engine.store.state.groups, req.params.group), GROUP) },
  },
  {
    method: "GET",
    pattern: "groups/:group/members",
    handler: { permission: "group.read", handle: (req) => listMembers(req) },
  },
  {
    method: "GET",
    pattern: "groups/:group/members/user",
    handler: { permission: "group.read", handle: (req) => listMembers(req, "user") },
  },
  {
    method: "GET",
    pattern: "groups/:group/members/group",
    handler: { permission: "group.read", handle: (req) => listMembers(req, "group") },
  },
];
