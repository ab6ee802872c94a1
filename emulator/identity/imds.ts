/**
 * The managed identity endpoint (Azure Instance Metadata Service, IMDS):
 * `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=<resource>[&client_id=<id>]`
 * with `Metadata: true`, which @azure/identity's ManagedIdentityCredential (MSAL Node) calls.
 * Without a client id it answers for the system-assigned identity (seeded-identities.ts); with one, for
 * the user-assigned identity of that client id. Real IMDS listens on http://169.254.169.254; clients
 * reach this one through AZURE_POD_IDENTITY_AUTHORITY_HOST (or azuread's msi_endpoint).
 */
import { issuerPrefixFor, resourcesSignedInAt } from "./clouds";
import { headerValue } from "../http/messages";
import { json, type IdentityRoute, type OAuthContext, type OAuthResponse } from "./endpoint";
import { GRAPH_APP_ID } from "./tokens";

/** IMDS tokens live about a day. */
const MANAGED_IDENTITY_TOKEN_SECONDS = 86_399;

export const IMDS_ROUTES: IdentityRoute[] = [{ method: "GET", pattern: /^\/metadata\/identity\/oauth2\/token\/?$/, handle: (ctx) => managedIdentityToken(ctx) }];

function imdsError(ctx: OAuthContext, status: number, error: string, description: string): OAuthResponse {
  return json(status, { error, error_description: description }, ctx);
}

async function managedIdentityToken(ctx: OAuthContext): Promise<OAuthResponse> {
  if (headerValue(ctx.req, "metadata")?.toLowerCase() !== "true") {
    return imdsError(ctx, 400, "invalid_request", "Required metadata header not specified");
  }
  const query = ctx.url.searchParams;
  if (!query.get("api-version")) return imdsError(ctx, 400, "invalid_request", "Required query variable 'api-version' is missing");
  const resourceParam = query.get("resource");
  if (!resourceParam) return imdsError(ctx, 400, "invalid_request", "Required query variable 'resource' is missing");
  if (query.has("msi_res_id") || query.has("mi_res_id") || query.has("object_id") || query.has("principal_id")) {
    return imdsError(ctx, 400, "invalid_request", "The emulator selects user-assigned identities by client_id only");
  }
  const clientId = query.get("client_id");
  const identity = ctx.tenant.clients.find((c) =>
    clientId ? c.managedIdentity === "user" && c.clientId.toLowerCase() === clientId.toLowerCase() : c.managedIdentity === "system",
  );
  if (!identity) return imdsError(ctx, 400, "invalid_request", "Identity not found");

  // IMDS signs in for the cloud it runs in: the global one, or a custom cloud at the emulator's origin.
  const resource = resourceParam.replace(/\/+$/, "");
  const resources = resourcesSignedInAt("169.254.169.254", ctx.url.origin);
  if (!resources.includes(resource) && resource !== GRAPH_APP_ID) {
    return imdsError(
      ctx,
      400,
      "invalid_resource",
      `AADSTS500011: The resource principal named ${resourceParam} was not found in the tenant named ${ctx.tenant.tenantDomain}.`,
    );
  }
  const audience = resource === GRAPH_APP_ID ? resources[0] : resource;
  const now = Math.floor(ctx.clock.now() / 1000);
  const accessToken = await ctx.identity.tokens.issue(
    {
      tenantId: ctx.tenant.tenantId,
      clientId: identity.clientId,
      servicePrincipalId: identity.servicePrincipalId,
      roles: identity.roles,
      audience,
      issuerPrefix: issuerPrefixFor(audience),
      lifetimeSeconds: MANAGED_IDENTITY_TOKEN_SECONDS,
    },
    now,
  );
  // IMDS answers numbers as strings.
  return json(
    200,
    {
      access_token: accessToken,
      client_id: identity.clientId,
      expires_in: String(MANAGED_IDENTITY_TOKEN_SECONDS),
      expires_on: String(now + MANAGED_IDENTITY_TOKEN_SECONDS),
      ext_expires_in: String(MANAGED_IDENTITY_TOKEN_SECONDS),
      not_before: String(now),
      resource: resourceParam,
      token_type: "Bearer",
    },
    ctx,
  );
}
