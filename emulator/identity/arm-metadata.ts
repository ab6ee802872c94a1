/**
 * The Azure metadata service's cloud description (`GET /metadata/endpoints?api-version=...`,
 * what management.azure.com serves and azuread's `metadata_host` / ARM_METADATA_HOSTNAME reads),
 * describing a custom cloud whose sign-in and Graph are both this emulator: pointing a client's
 * metadata host at the emulator moves the authority and Graph together, as it does for Azure Stack.
 * api-version 2022-09-01 and later answer one object; earlier versions a list of clouds.
 */
import { json, type IdentityRoute, type OAuthContext, type OAuthResponse } from "./endpoint";

export const ARM_METADATA_ROUTES: IdentityRoute[] = [{ method: "GET", pattern: /^\/metadata\/endpoints\/?$/, handle: (ctx) => cloudDescription(ctx) }];

function cloudDescription(ctx: OAuthContext): OAuthResponse {
  const version = ctx.url.searchParams.get("api-version");
  if (!version) {
    return json(400, { error: { code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." } }, ctx);
  }
  const origin = ctx.url.origin;
  const cloud = {
    name: "EntraSyncEmulator",
    portal: origin,
    authentication: { loginEndpoint: `${origin}/`, audiences: [`${origin}/`], tenant: "common", identityProvider: "AAD" },
    resourceManager: `${origin}/`,
    microsoftGraphResourceId: `${origin}/`,
    graph: `${origin}/`,
    suffixes: {},
  };
  return json(200, version >= "2022-09-01" ? cloud : [cloud], ctx);
}
