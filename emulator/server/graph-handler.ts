/**
 * A Graph request once the front door let it through: authenticate the token (401), find the
 * route (400/404/405, syncfabric's 404 under .../synchronization, 501 for applications), check the
 * app role (403), parse the body (400), run the handler. The order is Graph's.
 */
import type { IncomingMessage } from "node:http";
import type { FaultInjector } from "../faults/injector";
import { GraphErrorReply, insufficientPrivileges, syncfabricNoResource } from "../http/errors";
import { headerValue, parseJsonBody } from "../http/messages";
import { matchRoute, normalizeSegments, syncfabricPath, type Route } from "../http/router";
import { audiencesAcceptedAt, cloudOfGraphHost } from "../identity/clouds";
import { hasPermission } from "../identity/permissions";
import type { AccessTokenClaims, TokenService } from "../identity/tokens";
import type { EmulatorEngine } from "../provisioning/engine";
import type { GraphRequest, GraphResponse, GraphRoute } from "../routes/route";

/** A path under /v1.0 or /beta, normalized (http/router.ts). */
interface GraphPath {
  apiVersion: "v1.0" | "beta";
  segments: string[];
}

/** "/v1.0/a/b" -> { apiVersion: "v1.0", segments: ["a", "b"] } (normalized); undefined without a known version. */
export function splitGraphPath(pathname: string): GraphPath | undefined {
  const version = /^\/(v1\.0|beta)(\/.*)?$/i.exec(pathname);
  if (!version) return undefined;
  return { apiVersion: version[1].toLowerCase() === "beta" ? "beta" : "v1.0", segments: normalizeSegments(version[2] ?? "") };
}

export class GraphHandler {
  constructor(
    private readonly engine: EmulatorEngine,
    private readonly tokens: TokenService,
    private readonly faults: FaultInjector,
    private readonly routes: readonly Route<GraphRoute>[],
  ) {}

  async handle(req: IncomingMessage, method: string, url: URL, rawBody: string): Promise<GraphResponse> {
    const graphPath = splitGraphPath(url.pathname);
    const caller = await this.authenticate(req, url);
    if (!graphPath) {
      const first = url.pathname.split("/").filter(Boolean)[0] ?? "";
      throw new GraphErrorReply(400, "BadRequest", `Invalid version: ${first}`);
    }
    const { apiVersion, segments } = graphPath;
    const match = matchRoute(this.routes, method, segments);
    if (match.kind !== "found") throw this.noRoute(match.kind === "methodNotAllowed" ? match.allowed : undefined, segments);
    if (!hasPermission(caller.roles, match.route.handler.permission)) throw insufficientPrivileges();
    const request: GraphRequest = {
      method,
      segments,
      params: match.params,
      query: url.searchParams,
      body: parseJsonBody(rawBody),
      url,
      apiVersion,
      caller,
      engine: this.engine,
      consistency: this.faults.consistency,
    };
    return match.route.handler.handle(request);
  }

  /** The pattern of the Graph route a request matches, for the request log. */
  routePattern(method: string, segments: string[]): string | undefined {
    const match = matchRoute(this.routes, method, segments);
    return match.kind === "found" ? match.route.pattern : undefined;
  }

  /** Every Graph call needs a valid bearer token for this tenant [DOC; 401 InvalidAuthenticationToken]. */
  private async authenticate(req: IncomingMessage, url: URL): Promise<AccessTokenClaims> {
    const challenge = {
      "www-authenticate": `Bearer realm="", authorization_uri="https://${req.headers.host ?? "127.0.0.1"}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    };
    const header = headerValue(req, "authorization") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(header);
    if (!bearer) throw new GraphErrorReply(401, "InvalidAuthenticationToken", "Access token is empty.", challenge);
    // Graph accepts the tokens of its own cloud, which the host it was reached at decides (identity/clouds.ts).
    const check = await this.tokens.verify(bearer[1].trim(), this.engine.tenantId, {
      audiences: audiencesAcceptedAt(url.host, url.origin),
      issuerPrefix: cloudOfGraphHost(url.host).issuerPrefix,
    });
    if (check.ok) return check.claims;
    const messages: Record<typeof check.reason, string> = {
      malformed: "IDX14100: JWT is not well formed, there are no dots (.) or the token could not be parsed.",
      signature: "Access token validation failure. Invalid signature.",
      lifetime: "Lifetime validation failed, the token is expired.",
      audience: "Access token validation failure. Invalid audience.",
      issuer: "Access token validation failure. Invalid issuer.",
    };
    throw new GraphErrorReply(401, "InvalidAuthenticationToken", messages[check.reason], challenge);
  }

  /** What Graph answers when no route matches (`allowed`: the methods the path has, if it has any). */
  private noRoute(allowed: string[] | undefined, segments: string[]): GraphErrorReply {
    const isSyncPath = segments.length >= 3 && segments[0].toLowerCase() === "serviceprincipals" && segments[2].toLowerCase() === "synchronization";
    // The sync backend answers any URI/verb it has no action for with this 404 (observed for PATCH).
    if (isSyncPath) return syncfabricNoResource(syncfabricPath(segments));
    if (allowed) {
      return new GraphErrorReply(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.", {
        allow: allowed.join(", "),
      });
    }
    if (segments[0]?.toLowerCase() === "applications") {
      return new GraphErrorReply(501, "NotImplemented", "The Graph emulator does not implement the applications resource.");
    }
    return new GraphErrorReply(400, "BadRequest", `Resource not found for the segment '${this.firstUnknownSegment(segments)}'.`);
  }

  private firstUnknownSegment(segments: string[]): string {
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i);
      const known = this.routes.some((r) => {
        const parts = r.pattern.split("/");
        return parts.length >= i && prefix.every((s, k) => parts[k].startsWith(":") || parts[k].toLowerCase() === s.toLowerCase());
      });
      if (!known) return segments[i - 1];
    }
    return segments[segments.length - 1] ?? "";
  }
}
