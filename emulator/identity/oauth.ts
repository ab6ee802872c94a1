/**
 * The Entra ID (login.microsoftonline.com) side of the emulator: the OAuth 2.0 token endpoint for
 * the client-credentials grant, OpenID Connect metadata, the signing keys, and instance discovery
 * — what @azure/identity's credentials (MSAL Node) call when their authorityHost points at the
 * emulator. Clients authenticate with a secret or a client assertion (a certificate's, or a
 * federated token: client-assertion.ts). The host the request reached decides the cloud, and so the
 * Graph resource tokens can be asked for (clouds.ts). Errors are shaped like Entra's (AADSTS codes).
 */
import { checkClientAssertion } from "./client-assertion";
import { cloudOfAuthorityHost, issuerPrefixFor, resourcesSignedInAt } from "./clouds";
import { headerValue } from "../http/messages";
import { entraError, json, type IdentityRoute, type OAuthContext, type OAuthResponse } from "./endpoint";
import { GRAPH_APP_ID, TOKEN_LIFETIME_SECONDS } from "./tokens";

export const OAUTH_ROUTES: IdentityRoute[] = [
  { method: "POST", pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/, handle: (ctx, m) => tokenEndpoint(ctx, m[1]) },
  {
    method: "GET",
    pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/,
    handle: (ctx, m) => openIdConfiguration(ctx, m[1]),
  },
  { method: "GET", pattern: /^\/([^/]+)\/discovery\/v2\.0\/keys\/?$/, handle: (ctx, m) => keys(ctx, m[1]) },
  { method: "GET", pattern: /^\/common\/discovery\/instance\/?$/, handle: (ctx) => instanceDiscovery(ctx) },
];

/** The tenant path segment may be the tenant id or its domain. */
function knownTenant(ctx: OAuthContext, tenant: string): boolean {
  const state = ctx.tenant;
  return tenant.toLowerCase() === state.tenantId.toLowerCase() || tenant.toLowerCase() === state.tenantDomain.toLowerCase();
}

function tenantNotFound(ctx: OAuthContext, tenant: string): OAuthResponse {
  return entraError(
    ctx,
    400,
    "invalid_request",
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}

async function tokenEndpoint(ctx: OAuthContext, tenant: string): Promise<OAuthResponse> {
  if (!knownTenant(ctx, tenant)) return tenantNotFound(ctx, tenant);
  const form = new URLSearchParams(ctx.rawBody);
  const missing = (name: string) => entraError(ctx, 400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);

  // client_secret_basic is accepted as well as client_secret_post.
  const basic = /^Basic (.+)$/i.exec(headerValue(ctx.req, "authorization") ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    if (!form.has("client_id")) form.set("client_id", decodeURIComponent(id ?? ""));
    if (!form.has("client_secret")) form.set("client_secret", decodeURIComponent(secret ?? ""));
  }

  const grantType = form.get("grant_type");
  if (!grantType) return missing("grant_type");
  if (grantType !== "client_credentials") {
    return entraError(
      ctx,
      400,
      "unsupported_grant_type",
      70003,
      `The app requested an unsupported grant type '${grantType}'. The emulator supports only client_credentials.`,
    );
  }
  const clientId = form.get("client_id");
  if (!clientId) return missing("client_id");
  const client = ctx.tenant.clients.find((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
  if (!client) {
    return entraError(
      ctx,
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${ctx.tenant.tenantDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const assertion = form.get("client_assertion");
  if (assertion !== null) {
    const rejection = await checkClientAssertion({
      assertion,
      assertionType: form.get("client_assertion_type"),
      client,
      tenantId: ctx.tenant.tenantId,
      tenantDomain: ctx.tenant.tenantDomain,
      origin: ctx.url.origin,
      certificate: ctx.identity.clientCertificate,
      actions: ctx.identity.actions,
      nowSeconds: Math.floor(ctx.clock.now() / 1000),
    });
    if (rejection) return entraError(ctx, rejection.status, rejection.error, rejection.code, rejection.description);
  } else {
    const secret = form.get("client_secret");
    if (!secret) {
      return entraError(ctx, 401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }
    if (client.clientSecret === undefined || secret !== client.clientSecret) {
      return entraError(
        ctx,
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
      );
    }
  }
  const scope = form.get("scope");
  if (!scope) return missing("scope");
  // MSAL may add OIDC scopes; the resource scope must be "<resource>/.default".
  const resourceScopes = scope.split(/\s+/).filter((s) => s && !["openid", "profile", "offline_access", "email"].includes(s));
  if (resourceScopes.length !== 1 || !resourceScopes[0].endsWith("/.default")) {
    return entraError(
      ctx,
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = resourceScopes[0].slice(0, -"/.default".length).replace(/\/$/, "");
  const resources = resourcesSignedInAt(ctx.url.host, ctx.url.origin);
  if (!resources.includes(resource) && resource !== GRAPH_APP_ID) {
    return entraError(
      ctx,
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${ctx.tenant.tenantDomain}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  const audience = resource === GRAPH_APP_ID ? resources[0] : resource;
  const accessToken = await ctx.identity.tokens.issue({
    tenantId: ctx.tenant.tenantId,
    clientId: client.clientId,
    servicePrincipalId: client.servicePrincipalId,
    roles: client.roles,
    audience,
    issuerPrefix: issuerPrefixFor(audience),
  });
  return json(
    200,
    {
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
    },
    ctx,
  );
}

function openIdConfiguration(ctx: OAuthContext, tenant: string): OAuthResponse {
  if (!knownTenant(ctx, tenant)) return tenantNotFound(ctx, tenant);
  const origin = ctx.url.origin;
  const tid = ctx.tenant.tenantId;
  const host = ctx.url.hostname.toLowerCase();
  const cloud = cloudOfAuthorityHost(host);
  return json(
    200,
    {
      token_endpoint: `${origin}/${tid}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${origin}/${tid}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${origin}/${tid}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      authorization_endpoint: `${origin}/${tid}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${origin}/${tid}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${origin}/${tid}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver", "appid", "roles"],
      tenant_region_scope: "NA",
      cloud_instance_name: cloud ? host.replace(/^login\.(partner\.)?/, "") : "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: cloud ? cloud.graphHost : ctx.url.host,
      rbac_url: "https://pas.windows.net",
    },
    ctx,
  );
}

function keys(ctx: OAuthContext, tenant: string): OAuthResponse {
  if (!knownTenant(ctx, tenant) && tenant !== "common") return tenantNotFound(ctx, tenant);
  return json(200, ctx.identity.tokens.jwks(), ctx);
}

/** Instance discovery names this host as its own (and only) alias. */
function instanceDiscovery(ctx: OAuthContext): OAuthResponse {
  const host = ctx.url.host;
  const authorizationEndpoint = ctx.url.searchParams.get("authorization_endpoint");
  let tenant = ctx.tenant.tenantId;
  if (authorizationEndpoint) {
    const segment = /^https?:\/\/[^/]+\/([^/]+)\//.exec(authorizationEndpoint);
    if (segment) tenant = segment[1];
  }
  return json(
    200,
    {
      tenant_discovery_endpoint: `${ctx.url.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
    ctx,
  );
}
