/**
 * A job's synchronization schema: GET, PUT (full replacement), DELETE (reset to the template).
 * PATCH is not routed: the syncfabric "No HTTP resource" 404 for unknown verbs answers it, as
 * Graph does (see server/server.ts).
 */
import { badRequestBody, syncfabricError, SyncErrorCode } from "../http/errors";
import { contextUrl, type GraphRoute } from "./route";
import { rejectUnsupportedOptions } from "../http/odata";
import type { Route } from "../http/router";
import { EdmReadError, readComplex } from "../tenant/schema-model";
import { findSchemaProblems } from "../tenant/schema-validate";
import type { SynchronizationSchema } from "../../provider/graph/types";
import { requireJob } from "./jobs";

export const schemaRoutes: Route<GraphRoute>[] = [
  {
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/schema",
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, []);
        const { spId, record } = requireJob(req);
        return {
          status: 200,
          body: {
            "@odata.context": contextUrl(req, `servicePrincipals('${spId}')/synchronization/jobs('${record.job.id}')/schema/$entity`),
            ...structuredClone(record.schema),
          },
        };
      },
    },
  },
  {
    method: "PUT",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/schema",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        const { record } = requireJob(req);
        let schema: SynchronizationSchema;
        try {
          schema = readComplex(req.body ?? null, "synchronizationSchema", "schema") as unknown as SynchronizationSchema;
        } catch (err) {
          if (err instanceof EdmReadError) throw badRequestBody(err.message);
          throw err;
        }
        const problems = findSchemaProblems(schema);
        if (problems.length > 0) throw syncfabricError(400, SyncErrorCode.invalidSchema, problems.join(" "));
        req.engine.replaceSchema(record, schema);
        return { status: 204 };
      },
    },
  },
  {
    method: "DELETE",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/schema",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        const { spId, record } = requireJob(req);
        req.engine.resetSchema(spId, record);
        return { status: 204 };
      },
    },
  },
];
