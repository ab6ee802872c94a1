/**
 * Synchronization templates of a service principal (read-only: template writes are documented on
 * the application object only, which the emulator does not model).
 */
import { syncfabricError, SyncErrorCode } from "../http/errors";
import { contextUrl, type GraphRequest, type GraphRoute } from "./route";
import { parseSelect, project, rejectUnsupportedOptions } from "../http/odata";
import type { Route } from "../http/router";
import type { SynchronizationTemplate } from "../../provider/graph/types";
import type { TemplateRecord } from "../tenant/store";
import { listSyncCollection } from "./sync-collection";

const TEMPLATE_PROPERTIES = ["id", "applicationId", "default", "description", "discoverable", "factoryTag", "metadata", "schema"];

/** A copy of a template as Graph returns it: with its schema inline, as every documented sample shows. */
function templateView(template: SynchronizationTemplate): Record<string, unknown> {
  return structuredClone(template) as unknown as Record<string, unknown>;
}

export function requireTemplate(req: GraphRequest, spId: string): TemplateRecord {
  const template = req.engine.findTemplate(spId, req.params.tpl);
  if (!template) throw syncfabricError(404, SyncErrorCode.resourceNotFound, `The template '${req.params.tpl}' does not exist.`);
  return template;
}

export const templateRoutes: Route<GraphRoute>[] = [
  {
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization/templates",
    handler: {
      permission: "sync.read",
      handle: (req) =>
        listSyncCollection(req, {
          name: "templates",
          itemsOf: (spId) => req.engine.syncRecord(spId).templates.map((t) => t.template),
          view: templateView,
          typeName: "synchronizationTemplate",
          properties: TEMPLATE_PROPERTIES,
        }),
    },
  },
  {
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization/templates/:tpl",
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, ["$select"]);
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const template = requireTemplate(req, sp.id);
        return {
          status: 200,
          body: {
            "@odata.context": contextUrl(req, `servicePrincipals('${sp.id}')/synchronization/templates/$entity`),
            ...project(templateView(template.template), parseSelect(req.query), "synchronizationTemplate", TEMPLATE_PROPERTIES),
          },
        };
      },
    },
  },
  {
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization/templates/:tpl/schema",
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, []);
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const template = requireTemplate(req, sp.id);
        return {
          status: 200,
          body: {
            "@odata.context": contextUrl(req, `servicePrincipals('${sp.id}')/synchronization/templates('${template.template.id}')/schema/$entity`),
            ...structuredClone(template.template.schema),
          },
        };
      },
    },
  },
];
