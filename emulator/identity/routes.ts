/**
 * Every identity endpoint the emulator serves besides Graph: Entra's token endpoint and metadata
 * (oauth.ts), the managed identity endpoint (imds.ts), the Azure metadata service
 * (arm-metadata.ts) and the GitHub Actions OIDC issuer (github-actions-routes.ts).
 */
import { ARM_METADATA_ROUTES } from "./arm-metadata";
import { GITHUB_ACTIONS_ROUTES } from "./github-actions-routes";
import type { IdentityRoute, OAuthContext, OAuthResponse } from "./endpoint";
import { IMDS_ROUTES } from "./imds";
import { OAUTH_ROUTES } from "./oauth";

const ROUTES: readonly IdentityRoute[] = [...OAUTH_ROUTES, ...IMDS_ROUTES, ...ARM_METADATA_ROUTES, ...GITHUB_ACTIONS_ROUTES];

/** The handler for an identity path, or undefined (Graph paths start with /v1.0 or /beta). */
export function matchIdentityRoute(method: string, pathname: string): ((ctx: OAuthContext) => Promise<OAuthResponse>) | undefined {
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (m && route.method === method) return async (ctx) => route.handle(ctx, m);
  }
  return undefined;
}
