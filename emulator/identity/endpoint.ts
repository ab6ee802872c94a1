/**
 * What the identity side of the emulator (Entra's token endpoint and metadata, the managed
 * identity endpoint, the Azure metadata service, the GitHub Actions OIDC issuer) shares: the
 * request context, the answer shape, and Entra's error body. These answer plain JSON, not Graph's
 * OData, and are logged and faulted as "oauth" requests.
 */
import type { IncomingMessage } from "node:http";
import { isoNow, type Clock } from "../core/clock";
import type { ClientCertificate } from "./client-certificate";
import type { GithubActionsIssuer } from "./github-actions";
import { PLAIN_JSON_CONTENT_TYPE } from "../http/messages";
import type { TenantState } from "../tenant/store";
import type { TokenService } from "./tokens";

export interface OAuthResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Key material of the identity side, loaded from the emulator home at start. */
export interface IdentityMaterial {
  tokens: TokenService;
  clientCertificate: ClientCertificate;
  actions: GithubActionsIssuer;
}

export interface OAuthContext {
  req: IncomingMessage;
  url: URL;
  rawBody: string;
  /** The tenant as it is when the request arrives: its id, domain and clients. */
  tenant: TenantState;
  /** A fresh id (trace ids) from the emulator's non-persisted stream. */
  newId: () => string;
  /** The emulator's clock (error timestamps, token times). */
  clock: Clock;
  identity: IdentityMaterial;
  correlationId: string;
}

export interface IdentityRoute {
  method: "GET" | "POST";
  pattern: RegExp;
  handle(ctx: OAuthContext, match: RegExpExecArray): Promise<OAuthResponse> | OAuthResponse;
}

export function json(status: number, body: unknown, ctx: OAuthContext, extra: Record<string, string> = {}): OAuthResponse {
  return {
    status,
    body,
    headers: {
      "content-type": PLAIN_JSON_CONTENT_TYPE,
      "cache-control": "no-store, no-cache",
      pragma: "no-cache",
      "x-ms-request-id": ctx.correlationId,
      "client-request-id": ctx.correlationId,
      ...extra,
    },
  };
}

/** Entra's error body: error, "AADSTSnnn: ..." description, codes, trace and correlation ids. */
export function entraError(ctx: OAuthContext, status: number, error: string, code: number, description: string): OAuthResponse {
  const traceId = ctx.newId();
  const timestamp = isoNow(ctx.clock)
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  return json(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${ctx.correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: ctx.correlationId,
      error_uri: `${ctx.url.origin}/error?code=${code}`,
    },
    ctx,
  );
}
