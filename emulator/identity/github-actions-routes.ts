/**
 * The GitHub Actions OIDC issuer's HTTP side (github-actions.ts): the runner's ID token request
 * endpoint, and the issuer's discovery document and keys.
 */
import { headerValue } from "../http/messages";
import { ACTIONS_PATH_PREFIX } from "./github-actions";
import { json, type IdentityRoute, type OAuthContext, type OAuthResponse } from "./endpoint";

const prefix = ACTIONS_PATH_PREFIX.replace(/\//g, "\\/");

export const GITHUB_ACTIONS_ROUTES: IdentityRoute[] = [
  { method: "GET", pattern: new RegExp(`^${prefix}\\/idtoken\\/?$`), handle: (ctx) => idToken(ctx) },
  {
    method: "GET",
    pattern: new RegExp(`^${prefix}\\/\\.well-known\\/openid-configuration\\/?$`),
    handle: (ctx) => json(200, ctx.identity.actions.openIdConfiguration(ctx.url.origin), ctx),
  },
  { method: "GET", pattern: new RegExp(`^${prefix}\\/\\.well-known\\/jwks\\/?$`), handle: (ctx) => json(200, ctx.identity.actions.jwks(), ctx) },
];

async function idToken(ctx: OAuthContext): Promise<OAuthResponse> {
  const bearer = /^Bearer\s+(.+)$/i.exec(headerValue(ctx.req, "authorization") ?? "")?.[1]?.trim();
  const audience = ctx.url.searchParams.get("audience") ?? undefined;
  const token = bearer ? await ctx.identity.actions.idTokenFor(bearer, audience) : undefined;
  if (!token) {
    return json(401, { message: "The request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN) is missing, invalid or expired." }, ctx);
  }
  return json(200, { count: token.length, value: token }, ctx);
}
