/**
 * The Graph route table, in matching order (literal segments such as `jobs/$count` or
 * `jobs/validateCredentials` before `jobs/:job`).
 */
import type { GraphRoute } from "./route";
import type { Route } from "../http/router";
import { directoryRoutes } from "./directory";
import { jobRoutes } from "./jobs";
import { schemaRoutes } from "./schema";
import { schemaToolRoutes } from "./schema-tools";
import { synchronizationRoutes } from "./synchronization";
import { templateRoutes } from "./templates";
import { unimplementedRoutes } from "./unimplemented";

export const graphRoutes: Route<GraphRoute>[] = [
  ...unimplementedRoutes,
  ...directoryRoutes,
  ...synchronizationRoutes,
  ...templateRoutes,
  ...jobRoutes,
  ...schemaRoutes,
  ...schemaToolRoutes,
];
