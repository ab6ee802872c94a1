/**
 * The synchronization object of a service principal and its secrets.
 */
import { syncfabricError, SyncErrorCode } from "../http/errors";
import { contextUrl, type GraphRoute } from "./route";
import { rejectUnsupportedOptions } from "../http/odata";
import type { Route } from "../http/router";
import { maskSecret, mergeSecrets, readSecretsPutBody } from "../tenant/secrets";

export const synchronizationRoutes: Route<GraphRoute>[] = [
  {
    // Not documented on a page of its own; OpenAPI lists it. Secrets come back masked.
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization",
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, []);
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const record = req.engine.syncRecord(sp.id);
        return {
          status: 200,
          body: {
            "@odata.context": contextUrl(req, `servicePrincipals('${sp.id}')/synchronization/$entity`),
            id: sp.id,
            secrets: (req.consistency.readSecrets(sp.id, record.secrets) ?? []).map(maskSecret),
          },
        };
      },
    },
  },
  {
    method: "PUT",
    pattern: "servicePrincipals/:sp/synchronization/secrets",
    handler: {
      permission: "sync.write",
      handle: (req) => {
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const updates = readSecretsPutBody(req.body);
        const record = req.engine.syncRecord(sp.id);
        const merged = mergeSecrets(record.secrets, updates);
        req.consistency.secretsChanged(sp.id, record.secrets);
        req.engine.store.mutate(() => {
          record.secrets = merged;
        });
        return { status: 204 };
      },
    },
  },
  {
    // Used by clients (terraform) though absent from OpenAPI; 404 until secrets were ever saved.
    method: "GET",
    pattern: "servicePrincipals/:sp/synchronization/secrets",
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, []);
        const sp = req.engine.requireServicePrincipal(req.params.sp);
        const secrets = req.consistency.readSecrets(sp.id, req.engine.syncRecord(sp.id).secrets);
        if (secrets === null) {
          throw syncfabricError(404, SyncErrorCode.resourceNotFound, "No secrets have been saved for this service principal.");
        }
        return {
          status: 200,
          body: {
            "@odata.context": contextUrl(req, `servicePrincipals('${sp.id}')/synchronization/secrets`),
            value: secrets.map(maskSecret),
          },
        };
      },
    },
  },
];
