/**
 * Graph operations that exist (docs or OpenAPI) but the emulator does not implement yet. They
 * answer 501 NotImplemented instead of pretending to work (or pretending not to exist).
 */
import { notImplementedByEmulator } from "../http/errors";
import type { GraphRoute } from "./route";
import type { Permission } from "../identity/permissions";
import type { HttpMethod, Route } from "../http/router";

const SYNC = "servicePrincipals/:sp/synchronization";
const SCHEMA_SUBRESOURCES = (base: string): [HttpMethod, string][] => [
  ["GET", `${base}/directories`],
  ["POST", `${base}/directories`],
  ["GET", `${base}/directories/$count`],
  ["GET", `${base}/directories/:dir`],
  ["PATCH", `${base}/directories/:dir`],
  ["DELETE", `${base}/directories/:dir`],
  ["POST", `${base}/directories/:dir/discover`],
];

const UNIMPLEMENTED: [HttpMethod, string, Permission][] = [
  ["POST", "servicePrincipals", "application.read"],
  ["PATCH", "servicePrincipals/:sp", "application.read"],
  ["DELETE", "servicePrincipals/:sp", "application.read"],
  ["GET", "applicationTemplates", "application.read"],
  ["GET", "applicationTemplates/$count", "application.read"],
  ["GET", "applicationTemplates/:id", "application.read"],
  ["POST", "applicationTemplates/:id/instantiate", "application.read"],
  ["PUT", SYNC, "sync.write"],
  ["DELETE", SYNC, "sync.write"],
  ["POST", `${SYNC}/acquireAccessToken`, "sync.write"],
  ["GET", `${SYNC}/Ping`, "sync.read"],
  ["GET", `${SYNC}/secrets/$count`, "sync.read"],
  ["GET", `${SYNC}/jobs/$count`, "sync.read"],
  ["GET", `${SYNC}/templates/$count`, "sync.read"],
  ["POST", `${SYNC}/templates`, "sync.write"],
  ["PATCH", `${SYNC}/templates/:tpl`, "sync.write"],
  ["DELETE", `${SYNC}/templates/:tpl`, "sync.write"],
  ["PATCH", `${SYNC}/templates/:tpl/schema`, "sync.write"],
  ["DELETE", `${SYNC}/templates/:tpl/schema`, "sync.write"],
  ...SCHEMA_SUBRESOURCES(`${SYNC}/templates/:tpl/schema`).map(([m, p]) => [m, p, m === "GET" ? "sync.read" : "sync.write"] as [HttpMethod, string, Permission]),
  ["POST", `${SYNC}/jobs/:job/bulkUpload`, "sync.write"],
  ["GET", `${SYNC}/jobs/:job/bulkUpload`, "sync.read"],
  ["PATCH", `${SYNC}/jobs/:job/bulkUpload`, "sync.write"],
  ["DELETE", `${SYNC}/jobs/:job/bulkUpload`, "sync.write"],
  ["GET", `${SYNC}/jobs/:job/bulkUpload/$value`, "sync.read"],
  ["PUT", `${SYNC}/jobs/:job/bulkUpload/$value`, "sync.write"],
  ...SCHEMA_SUBRESOURCES(`${SYNC}/jobs/:job/schema`).map(([m, p]) => [m, p, m === "GET" ? "sync.read" : "sync.write"] as [HttpMethod, string, Permission]),
];

export const unimplementedRoutes: Route<GraphRoute>[] = UNIMPLEMENTED.map(([method, pattern, permission]) => ({
  method,
  pattern,
  handler: {
    permission,
    handle: () => {
      throw notImplementedByEmulator(`${method} /${pattern.replace(/:(\w+)/g, "{$1}")}`);
    },
  },
}));
