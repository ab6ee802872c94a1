/**
 * Synchronization templates of a service principal (read-only: template writes are documented on
 * the application object only, which the emulator does not model).
 */
import { syncfabricError, SyncErrorCode } from "../errors";
import { contextUrl, type GraphRequest, type GraphRoute } from "../http";
import { collectionBody, pageOf, parseSelect, project, rejectUnsupportedOptions } from "../odata";
import type { Route } from "../router";
import type { TemplateRecord } from "../store";

const TEMPLATE_PROPERTIES = ["id", "applicationId", "default", "description", "discoverable", "factoryTag", "metadata", "schema"];

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
      handle: (req) => {
        rejectUnsupportedOptions(req.query, ["$top", "$skiptoken", "$select"]);
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const select = parseSelect(req.query);
        const all = req.engine.syncRecord(sp.id).templates.map((t) => t.template);
        const page = pageOf(all, { url: req.url, query: req.query, pageSize: req.engine.config.pageSize });
        // Templates carry their schema inline, as every documented sample shows.
        const body = collectionBody(contextUrl(req, `servicePrincipals('${sp.id}')/synchronization/templates`), page, (t) =>
          project(structuredClone(t) as unknown as Record<string, unknown>, select, "synchronizationTemplate", TEMPLATE_PROPERTIES),
        );
        return { status: 200, body };
      },
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
            ...project(structuredClone(template.template) as unknown as Record<string, unknown>, parseSelect(req.query), "synchronizationTemplate", TEMPLATE_PROPERTIES),
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
            "@odata.context": contextUrl(
              req,
              `servicePrincipals('${sp.id}')/synchronization/templates('${template.template.id}')/schema/$entity`,
            ),
            ...structuredClone(template.template.schema),
          },
        };
      },
    },
  },
];
