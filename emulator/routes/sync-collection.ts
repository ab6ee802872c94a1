/**
 * GET of a service principal's synchronization collection (jobs, templates): unsupported query
 * options refused first, then $top/$skiptoken paging and $select, in Graph's collection shape.
 */
import { contextUrl, type GraphRequest, type GraphResponse } from "./route";
import { collectionBody, pageOf, parseSelect, project, rejectUnsupportedOptions } from "../http/odata";

export interface SyncCollection<T> {
  /** The navigation property under `servicePrincipals('{id}')/synchronization/`. */
  name: "jobs" | "templates";
  itemsOf: (servicePrincipalId: string) => readonly T[];
  /** A copy of an item as Graph returns it, before $select. */
  view: (item: T) => Record<string, unknown>;
  typeName: string;
  properties: readonly string[];
}

export function listSyncCollection<T>(req: GraphRequest, collection: SyncCollection<T>): GraphResponse {
  rejectUnsupportedOptions(req.query, ["$top", "$skiptoken", "$select"]);
  const sp = req.engine.requireServicePrincipal(req.params.sp);
  const select = parseSelect(req.query);
  const page = pageOf(collection.itemsOf(sp.id), { url: req.url, query: req.query, pageSize: req.engine.config.pageSize });
  const context = contextUrl(req, `servicePrincipals('${sp.id}')/synchronization/${collection.name}`);
  const body = collectionBody(context, page, (item) => project(collection.view(item), select, collection.typeName, collection.properties));
  return { status: 200, body };
}
