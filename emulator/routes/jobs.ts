/**
 * Synchronization jobs: list, create, get, delete, and the bound actions start, pause, restart,
 * validateCredentials (job-bound and jobs-collection-bound), provisionOnDemand.
 */
import type { SynchronizationSchema } from "../../provider/graph/types";
import { badRequestBody, GraphErrorReply, syncfabricError, SyncErrorCode } from "../http/errors";
import { contextUrl, type GraphRequest, type GraphResponse, type GraphRoute } from "./route";
import { parseRestartScope } from "../tenant/jobs";
import { onDemandResponse, readOnDemandRequest } from "../provisioning/on-demand";
import { parseSelect, project, rejectUnsupportedOptions } from "../http/odata";
import type { Route } from "../http/router";
import { readSecretPairs, secretsAsMap } from "../tenant/secrets";
import type { JobRecord, TemplateRecord } from "../tenant/store";
import { listSyncCollection } from "./sync-collection";

const JOB_PROPERTIES = ["id", "templateId", "schedule", "status", "synchronizationJobSettings"];
/** Members of synchronizationJob a POST body may carry (only templateId is used). */
const JOB_BODY_PROPERTIES = [...JOB_PROPERTIES, "schema", "bulkUpload"];
const VALIDATE_BODY_PROPERTIES = ["useSavedCredentials", "credentials", "templateId", "applicationIdentifier"];

function jobView(record: JobRecord): Record<string, unknown> {
  return structuredClone(record.job) as unknown as Record<string, unknown>;
}

/** The job the route names, under the service principal it names (404 for either). */
export function requireJob(req: GraphRequest): { spId: string; record: JobRecord } {
  const sp = req.engine.requireServicePrincipal(req.params.sp);
  return { spId: sp.id, record: req.engine.requireJob(sp.id, req.params.job) };
}

/** GET of one job: as a lagging replica sees it (faults/consistency.ts); 404 like requireJob otherwise. */
function readJob(req: GraphRequest): { spId: string; record: JobRecord } {
  const sp = req.engine.requireServicePrincipal(req.params.sp);
  const current = req.engine.syncRecord(sp.id).jobs.find((j) => j.job.id === req.params.job);
  const seen = req.consistency.readJob(sp.id, req.params.job, current);
  if (!seen) throw syncfabricError(404, SyncErrorCode.resourceNotFound, `The job '${req.params.job}' does not exist.`);
  return { spId: sp.id, record: seen };
}

function requireObjectBody(req: GraphRequest, allowed: string[], operation: string): Record<string, unknown> {
  const body = req.body ?? {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw badRequestBody("The request body must be a JSON object.");
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key) && !key.includes("@odata.")) {
      throw badRequestBody(`The parameter '${key}' in the request payload is not a valid parameter for the operation '${operation}'.`);
    }
  }
  return body as Record<string, unknown>;
}

function requireTemplateId(req: GraphRequest, spId: string, templateId: unknown): TemplateRecord {
  if (typeof templateId !== "string" || templateId === "") {
    throw syncfabricError(400, SyncErrorCode.invalidTemplateId, "A templateId is required.");
  }
  const template = req.engine.findTemplate(spId, templateId);
  if (!template) {
    throw syncfabricError(400, SyncErrorCode.invalidTemplateId, `The template '${templateId}' is not one of this service principal's synchronization templates.`);
  }
  return template;
}

/** Shared by both validateCredentials overloads: 204 when the credentials work, else 400. */
async function validateCredentials(
  req: GraphRequest,
  spId: string,
  template: TemplateRecord,
  schema: SynchronizationSchema,
  body: Record<string, unknown>,
): Promise<GraphResponse> {
  const useSaved = body.useSavedCredentials;
  if (useSaved !== undefined && useSaved !== null && typeof useSaved !== "boolean") {
    throw badRequestBody("Cannot convert the value of 'useSavedCredentials' to the expected type 'Edm.Boolean'.");
  }
  // With useSavedCredentials the body's credentials are ignored [DOC validatecredentials].
  const credentials =
    useSaved === true
      ? secretsAsMap(req.engine.syncRecord(spId).secrets)
      : new Map(
          readSecretPairs(body.credentials ?? [], "credentials")
            .filter((p) => p.value !== null)
            .map((p) => [p.key, p.value as string]),
        );
  // The test query uses the matching attribute of the schema the job would run with.
  const check = await req.engine.testConnection(template.template.factoryTag, credentials, schema);
  if (!check.ok) throw syncfabricError(400, check.error.code ?? "InvalidCredentials", check.error.message);
  return { status: 204 };
}

function noParameters(req: GraphRequest, operation: string): void {
  requireObjectBody(req, [], operation);
}

export const jobRoutes: Route<GraphRoute>[] = [
  {
    method: "POST",
    pattern: "servicePrincipals/:sp/synchronization/jobs/validateCredentials",
    handler: {
      permission: "sync.write",
      handle: async (req) => {
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const body = requireObjectBody(req, VALIDATE_BODY_PROPERTIES, "validateCredentials");
        const template = requireTemplateId(req, sp.id, body.templateId);
        return validateCredentials(req, sp.id, template, template.template.schema, body);
      },
    },
  },
  {
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization/jobs",
    handler: {
      permission: "sync.read",
      handle: (req) =>
        listSyncCollection(req, {
          name: "jobs",
          itemsOf: (spId) => req.consistency.readJobs(spId, req.engine.syncRecord(spId).jobs),
          view: jobView,
          typeName: "synchronizationJob",
          properties: JOB_PROPERTIES,
        }),
    },
  },
  {
    method: "POST",
    pattern: "servicePrincipals/:sp/synchronization/jobs",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const body = req.body;
        if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
          throw badRequestBody("The request body must be a microsoft.graph.synchronizationJob object.");
        }
        for (const key of Object.keys(body)) {
          if (!JOB_BODY_PROPERTIES.includes(key) && !key.includes("@odata.")) {
            throw badRequestBody(
              `The property '${key}' does not exist on type 'microsoft.graph.synchronizationJob'. Make sure to only use property names that are defined by the type.`,
            );
          }
        }
        const template = requireTemplateId(req, sp.id, (body as { templateId?: unknown }).templateId);
        const record = req.engine.createJob(sp.id, template);
        req.consistency.jobCreated(sp.id, record.job.id);
        return {
          // 201 Created [DOC page text, Entra tutorials, OBS azure-docs#57779]; the v1.0 example's 200 is a doc slip.
          status: 201,
          body: {
            "@odata.context": contextUrl(req, `servicePrincipals('${sp.id}')/synchronization/jobs/$entity`),
            ...jobView(record),
          },
        };
      },
    },
  },
  {
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job",
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, ["$select"]);
        const { spId, record } = readJob(req);
        return {
          status: 200,
          body: {
            "@odata.context": contextUrl(req, `servicePrincipals('${spId}')/synchronization/jobs/$entity`),
            ...project(jobView(record), parseSelect(req.query), "synchronizationJob", JOB_PROPERTIES),
          },
        };
      },
    },
  },
  {
    method: "DELETE",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        const { spId, record } = requireJob(req);
        req.engine.deleteJob(spId, record.job.id);
        req.consistency.jobDeleted(spId, record);
        return { status: 204 };
      },
    },
  },
  {
    method: "POST",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/start",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        noParameters(req, "start");
        const { spId, record } = requireJob(req);
        req.engine.startJob(spId, record);
        return { status: 204 };
      },
    },
  },
  {
    method: "POST",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/pause",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        noParameters(req, "pause");
        const { spId, record } = requireJob(req);
        req.engine.pauseJob(spId, record);
        return { status: 204 };
      },
    },
  },
  {
    method: "POST",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/restart",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        const flags = parseRestartScope(req.body);
        const { spId, record } = requireJob(req);
        req.engine.restartJob(spId, record, flags);
        return { status: 204 };
      },
    },
  },
  {
    method: "POST",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/validateCredentials",
    handler: {
      permission: "sync.write",
      handle: async (req) => {
        const body = requireObjectBody(req, VALIDATE_BODY_PROPERTIES, "validateCredentials");
        const { spId, record } = requireJob(req);
        const template = req.engine.findTemplate(spId, record.job.templateId);
        if (!template) throw syncfabricError(400, SyncErrorCode.invalidTemplateId, `The job's template '${record.job.templateId}' no longer exists.`);
        return validateCredentials(req, spId, template, record.schema, body);
      },
    },
  },
  {
    method: "POST",
    pattern: "servicePrincipals/:sp/synchronization/jobs/:job/provisionOnDemand",
    handler: {
      permission: "sync.write",
      handle: async (req) => {
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        // "5 requests per 10 seconds" [DOC provisionondemand, Throttling limits].
        const retryAfter = req.engine.onDemandLimit.take(sp.id);
        if (retryAfter > 0) {
          throw new GraphErrorReply(429, "TooManyRequests", "Too many requests to provisionOnDemand. Please try again later.", { "retry-after": String(retryAfter) });
        }
        const { spId, record } = requireJob(req);
        const request = readOnDemandRequest(req.body);
        const outcome = await req.engine.provisionOnDemand(spId, record, request);
        const pair = onDemandResponse(outcome, req.engine.ephemeral.guid());
        return {
          status: 200,
          body: { "@odata.context": contextUrl(req, "microsoft.graph.stringKeyStringValuePair"), ...pair },
        };
      },
    },
  },
];
