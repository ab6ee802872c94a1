/**
 * Directory reads: servicePrincipals, users, groups (list with $filter/$top/paging/$select, get
 * by id; service principals also by appId alternate key). Read-only: the seeded tenant is the
 * directory.
 */
import { directoryObjectNotFound, invalidObjectIdentifier } from "../http/errors";
import { contextUrl, type GraphRequest, type GraphResponse, type GraphRoute } from "./route";
import { collectionBody, pageOf, parseFilter, parseSelect, project, rejectUnsupportedOptions } from "../http/odata";
import type { Route } from "../http/router";
import type { UserResource } from "../tenant/store";

const SP_FILTERABLE = ["id", "appId", "displayName", "servicePrincipalType", "accountEnabled", "appOwnerOrganizationId"];
const USER_FILTERABLE = ["id", "displayName", "userPrincipalName", "mail", "givenName", "surname", "accountEnabled", "mailNickname"];
const GROUP_FILTERABLE = ["id", "displayName", "mail", "mailNickname", "securityEnabled", "mailEnabled"];

/** Properties Graph returns for a user when no $select is given. */
const USER_DEFAULT_PROPERTIES = [
  "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
  "preferredLanguage", "surname", "userPrincipalName", "id",
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function listDirectoryObjects(
  req: GraphRequest,
  items: Record<string, unknown>[],
  resource: { collection: string; typeName: string; filterable: string[]; defaultView: (item: Record<string, unknown>) => Record<string, unknown> },
): GraphResponse {
  rejectUnsupportedOptions(req.query, ["$filter", "$top", "$skiptoken", "$select"]);
  const filterText = req.query.get("$filter");
  const matching = filterText ? items.filter(parseFilter(filterText, resource.typeName, resource.filterable)) : items;
  const select = parseSelect(req.query);
  const page = pageOf(matching, { url: req.url, query: req.query, pageSize: req.engine.config.pageSize });
  const selectable = Object.keys(items[0] ?? {});
  const body = collectionBody(contextUrl(req, select ? `${resource.collection}(${select.join(",")})` : resource.collection), page, (item) => (select ? project(item, select, resource.typeName, selectable) : resource.defaultView(item)));
  return { status: 200, body };
}

function getDirectoryObject(
  req: GraphRequest,
  item: Record<string, unknown>,
  resource: { collection: string; typeName: string; defaultView: (item: Record<string, unknown>) => Record<string, unknown> },
): GraphResponse {
  rejectUnsupportedOptions(req.query, ["$select"]);
  const select = parseSelect(req.query);
  const view = select ? project(item, select, resource.typeName, Object.keys(item)) : resource.defaultView(item);
  return {
    status: 200,
    body: { "@odata.context": contextUrl(req, `${resource.collection}/$entity`), ...view },
  };
}

const identity = (item: Record<string, unknown>) => ({ ...item });
const userDefaultView = (item: Record<string, unknown>) => {
  const out: Record<string, unknown> = {};
  for (const key of USER_DEFAULT_PROPERTIES) out[key] = item[key] ?? null;
  return out;
};

const SP = { collection: "servicePrincipals", typeName: "servicePrincipal", filterable: SP_FILTERABLE, defaultView: identity };
const USER = { collection: "users", typeName: "user", filterable: USER_FILTERABLE, defaultView: userDefaultView };
const GROUP = { collection: "groups", typeName: "group", filterable: GROUP_FILTERABLE, defaultView: identity };

function findUser(users: UserResource[], key: string): UserResource {
  // /users/{id | userPrincipalName}
  const user = GUID.test(key)
    ? users.find((u) => u.id.toLowerCase() === key.toLowerCase())
    : users.find((u) => u.userPrincipalName.toLowerCase() === key.toLowerCase());
  if (!user) throw directoryObjectNotFound(key);
  return user;
}

export const directoryRoutes: Route<GraphRoute>[] = [
  {
    method: "GET",
    pattern: "servicePrincipals",
    handler: { permission: "application.read", handle: (req) => listDirectoryObjects(req, req.engine.store.state.servicePrincipals, SP) },
  },
  {
    method: "GET",
    pattern: "servicePrincipals/:sp",
    handler: {
      permission: "application.read",
      handle: (req) => getDirectoryObject(req, req.engine.requireServicePrincipal(req.params.sp), SP),
    },
  },
  {
    method: "GET",
    pattern: "users",
    handler: { permission: "user.read", handle: (req) => listDirectoryObjects(req, req.engine.store.state.users, USER) },
  },
  {
    method: "GET",
    pattern: "users/:user",
    handler: {
      permission: "user.read",
      handle: (req) => getDirectoryObject(req, findUser(req.engine.store.state.users, req.params.user), USER),
    },
  },
  {
    method: "GET",
    pattern: "groups",
    handler: { permission: "group.read", handle: (req) => listDirectoryObjects(req, req.engine.store.state.groups, GROUP) },
  },
  {
    method: "GET",
    pattern: "groups/:group",
    handler: {
      permission: "group.read",
      handle: (req) => {
        const key = req.params.group;
        const group = req.engine.store.state.groups.find((g) => g.id.toLowerCase() === key.toLowerCase());
        if (!group) throw GUID.test(key) ? directoryObjectNotFound(key) : invalidObjectIdentifier(key);
        return getDirectoryObject(req, group, GROUP);
      },
    },
  },
];
