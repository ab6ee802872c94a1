/**
 * The HTTPS front door: dispatches each request to the control plane, the OAuth endpoints or the
 * Graph routes, applies injected faults (latency, 429/503/504, dropped connections; never to the
 * control plane), adds Graph's headers (request-id, client-request-id), turns errors into OData
 * error bodies, records the request log and hands redacted exchanges to listeners.
 */
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../core/clock";
import { handleControl, CONTROL_PREFIX } from "../control/plane";
import type { EmulatorEngine } from "../provisioning/engine";
import { GraphErrorReply, insufficientPrivileges, syncfabricNoResource } from "../http/errors";
import { FaultInjector } from "../faults/injector";
import type { FaultTargetKind } from "../faults/config";
import { announcedWaitMs, faultReply } from "../faults/responses";
import { throttleClientKey } from "../faults/throttle";
import { GRAPH_JSON_CONTENT_TYPE, PLAIN_JSON_CONTENT_TYPE, headerValue, odataErrorBody, parseJsonBody, readRequestBody } from "../http/messages";
import { audiencesAcceptedAt, cloudOfGraphHost } from "../identity/clouds";
import type { IdentityMaterial } from "../identity/endpoint";
import { matchIdentityRoute } from "../identity/routes";
import { hasPermission } from "../identity/permissions";
import { redactBody, redactHeaders } from "../tenant/redact";
import { RequestLog, type RequestLogEntry } from "../control/request-log";
import { matchRoute, normalizeSegments, syncfabricPath, type Route } from "../http/router";
import { graphRoutes } from "../routes";
import type { GraphRequest, GraphResponse, GraphRoute } from "../routes/route";
import type { ScimTargetInfo } from "../scim/target";
import type { AccessTokenClaims } from "../identity/tokens";

export interface GraphExchange {
  method: string;
  /** Path including the /v1.0 or /beta prefix, without the query string. */
  path: string;
  query: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

type ExchangeListener = (x: GraphExchange) => void;

interface Reply {
  status: number;
  headers: Record<string, string>;
  /** JSON-serializable body; undefined for no body. */
  body?: unknown;
}

/** What the server serves besides the engine and the identity side. */
export interface ServerParts {
  /** The emulator's clock: request times, injected latency and answer delays. */
  clock: Clock;
  faults: FaultInjector;
  /** The SCIM application the emulator hosts, for the control plane. */
  scimTarget: ScimTargetInfo;
  log?: (line: string) => void;
  routes?: readonly Route<GraphRoute>[];
}

export class EmulatorServer {
  readonly requestLog = new RequestLog();
  readonly faults: FaultInjector;
  private readonly listeners = new Set<ExchangeListener>();
  private readonly server: https.Server;
  private readonly scimTarget: ScimTargetInfo;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly routes: readonly Route<GraphRoute>[];

  constructor(
    private readonly engine: EmulatorEngine,
    private readonly identity: IdentityMaterial,
    tls: { key: string; cert: string },
    parts: ServerParts,
  ) {
    this.faults = parts.faults;
    this.clock = parts.clock;
    this.scimTarget = parts.scimTarget;
    this.log = parts.log ?? (() => undefined);
    this.routes = parts.routes ?? graphRoutes;
    this.server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        this.log(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": PLAIN_JSON_CONTENT_TYPE });
          res.end(JSON.stringify({ error: { code: "InternalServerError", message: "The emulator failed to handle the request." } }));
        }
      });
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  onExchange(listener: ExchangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = new Date(this.clock.now());
    const requestId = this.engine.ephemeral.guid();
    const clientRequestId = headerValue(req, "client-request-id") ?? requestId;
    const url = new URL(req.url ?? "/", `https://${req.headers.host ?? "127.0.0.1"}`);
    const method = (req.method ?? "GET").toUpperCase();
    let rawBody: string;
    try {
      rawBody = await readRequestBody(req);
    } catch (err) {
      if (!(err instanceof GraphErrorReply)) throw err;
      const body = odataErrorBody(err.code, err.message, requestId, clientRequestId, new Date(this.clock.now()));
      this.send(res, { status: err.status, headers: { "request-id": requestId, "client-request-id": clientRequestId }, body }, GRAPH_JSON_CONTENT_TYPE);
      return;
    }

    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      const reply = await handleControl(req, url, rawBody, {
        engine: this.engine,
        requestLog: this.requestLog,
        faults: this.faults,
        actions: this.identity.actions,
        scimTarget: this.scimTarget,
      });
      this.send(res, { status: reply.status, headers: reply.headers ?? {}, body: reply.body }, PLAIN_JSON_CONTENT_TYPE);
      return;
    }

    const oauth = matchIdentityRoute(method, url.pathname);
    const kind: FaultTargetKind = oauth ? "oauth" : "graph";
    const graphPath = oauth ? undefined : splitGraphPath(url.pathname);
    const fault = this.faults.decide(
      { kind, method, segments: graphPath?.segments ?? url.pathname.split("/").filter(Boolean) },
      throttleClientKey(headerValue(req, "authorization"), req.socket.remoteAddress),
    );
    if (fault.latencyMs > 0) await this.clock.sleep(fault.latencyMs);
    // The emulator stopped, or the client gave up, while the request was being delayed.
    if (req.socket.destroyed) return;
    const logged = {
      kind,
      method,
      host: url.host,
      path: url.pathname,
      route: graphPath && this.routePattern(method, graphPath.segments),
      startedAt,
      requestId,
      clientRequestId,
      latencyMs: fault.latencyMs > 0 ? fault.latencyMs : undefined,
      fault: fault.outcome,
      early: fault.early ? (true as const) : undefined,
      retryAfterMs: fault.outcome && fault.outcome !== "dropConnection" && fault.wait ? announcedWaitMs(fault.wait) : undefined,
    };
    if (fault.outcome === "dropConnection") {
      req.socket.destroy();
      this.record({ ...logged, status: 0 });
      return;
    }
    const injected = fault.outcome && faultReply(kind, fault.outcome, fault.wait, { requestId, clientRequestId }, new Date(this.clock.now()));

    if (oauth) {
      const reply = injected ?? (await oauth({
            req,
            url,
            rawBody,
            tenant: this.engine.store.state,
            newId: () => this.engine.ephemeral.guid(),
            clock: this.clock,
            identity: this.identity,
            correlationId: clientRequestId,
          }));
      this.send(res, reply, PLAIN_JSON_CONTENT_TYPE);
      this.record({ ...logged, status: reply.status });
      return;
    }

    let reply: Reply;
    try {
      const result = injected ?? (await this.handleGraph(req, method, url, rawBody));
      reply = { status: result.status, headers: { ...(result.headers ?? {}) }, body: result.body };
    } catch (err) {
      if (!(err instanceof GraphErrorReply)) throw err;
      reply = {
        status: err.status,
        headers: { ...err.headers },
        body: odataErrorBody(err.code, err.message, requestId, clientRequestId, new Date(this.clock.now())),
      };
    }
    if (fault.answerDelayMs) {
      await this.clock.sleep(fault.answerDelayMs);
      // The client is gone: the request took effect all the same, and the log says it was not answered.
      if (req.socket.destroyed) {
        this.record({ ...logged, status: 0 });
        return;
      }
    }
    reply.headers["request-id"] = requestId;
    reply.headers["client-request-id"] = clientRequestId;
    reply.headers["x-ms-ags-diagnostic"] = JSON.stringify({
      ServerInfo: { DataCenter: "Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "localhost" },
    });
    if (reply.body !== undefined) {
      reply.headers["content-type"] = GRAPH_JSON_CONTENT_TYPE;
      reply.headers["odata-version"] = "4.0";
    }
    this.send(res, reply, GRAPH_JSON_CONTENT_TYPE);
    this.record({ ...logged, status: reply.status });
    this.emitExchange(req, method, url, rawBody, reply);
  }

  private async handleGraph(req: IncomingMessage, method: string, url: URL, rawBody: string): Promise<GraphResponse> {
    const graphPath = splitGraphPath(url.pathname);
    const caller = await this.authenticate(req, url);
    if (!graphPath) {
      const first = url.pathname.split("/").filter(Boolean)[0] ?? "";
      throw new GraphErrorReply(400, "BadRequest", `Invalid version: ${first}`);
    }
    const { apiVersion, segments } = graphPath;
    const match = matchRoute(this.routes, method, segments);
    const isSyncPath =
      segments.length >= 3 && segments[0].toLowerCase() === "serviceprincipals" && segments[2].toLowerCase() === "synchronization";

    if (match.kind === "methodNotAllowed" || match.kind === "notFound") {
      // The sync backend answers any URI/verb it has no action for with this 404 (observed for PATCH).
      if (isSyncPath) throw syncfabricNoResource(syncfabricPath(segments));
      if (match.kind === "methodNotAllowed") {
        throw new GraphErrorReply(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.", {
          allow: match.allowed.join(", "),
        });
      }
      if (segments[0]?.toLowerCase() === "applications") {
        throw new GraphErrorReply(501, "NotImplemented", "The Graph emulator does not implement the applications resource.");
      }
      throw new GraphErrorReply(400, "BadRequest", `Resource not found for the segment '${this.firstUnknownSegment(segments)}'.`);
    }

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

  /** Every Graph call needs a valid bearer token for this tenant [DOC; 401 InvalidAuthenticationToken]. */
  private async authenticate(req: IncomingMessage, url: URL): Promise<AccessTokenClaims> {
    const challenge = {
      "www-authenticate": `Bearer realm="", authorization_uri="https://${req.headers.host ?? "127.0.0.1"}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    };
    const header = headerValue(req, "authorization") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(header);
    if (!bearer) throw new GraphErrorReply(401, "InvalidAuthenticationToken", "Access token is empty.", challenge);
    // Graph accepts the tokens of its own cloud, which the host it was reached at decides (identity/clouds.ts).
    const check = await this.identity.tokens.verify(bearer[1].trim(), this.engine.tenantId, {
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

  /** The pattern of the Graph route a request matches, for the request log. */
  private routePattern(method: string, segments: string[]): string | undefined {
    const match = matchRoute(this.routes, method, segments);
    return match.kind === "found" ? match.route.pattern : undefined;
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

  private send(res: ServerResponse, reply: Reply | { status: number; headers: Record<string, string>; body?: unknown }, contentType: string): void {
    const headers = { ...reply.headers };
    let payload: string | undefined;
    if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers["content-type"] ??= contentType;
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private record(entry: Omit<RequestLogEntry, "seq" | "startedAt" | "endedAt" | "durationMs"> & { startedAt: Date }): void {
    const endedAt = new Date(this.clock.now());
    const durationMs = endedAt.getTime() - entry.startedAt.getTime();
    const { kind, method, host, path, route, status, requestId, clientRequestId, latencyMs, fault, early, retryAfterMs } = entry;
    const ordered = { kind, method, host, path, route, status, startedAt: entry.startedAt.toISOString(), endedAt: endedAt.toISOString(), durationMs, requestId, clientRequestId, latencyMs, fault, early, retryAfterMs };
    // Leave out absent optional members, so entries look the same in and out of process.
    this.requestLog.add(Object.fromEntries(Object.entries(ordered).filter(([, v]) => v !== undefined)) as typeof ordered);
    const injected = entry.fault ? ` [${entry.fault}${entry.early ? ", early" : ""}]` : "";
    this.log(`${entry.method} ${entry.path} ${entry.status} ${durationMs}ms${injected}`);
  }

  private emitExchange(req: IncomingMessage, method: string, url: URL, rawBody: string, reply: Reply): void {
    if (this.listeners.size === 0) return;
    let requestBody: unknown = undefined;
    if (rawBody.trim() !== "") {
      try {
        requestBody = JSON.parse(rawBody);
      } catch {
        requestBody = rawBody;
      }
    }
    const requestHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) requestHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const exchange: GraphExchange = {
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      requestHeaders: redactHeaders(requestHeaders),
      requestBody: redactBody(requestBody),
      status: reply.status,
      responseHeaders: Object.fromEntries(Object.entries(reply.headers).map(([k, v]) => [k.toLowerCase(), v])),
      responseBody: redactBody(reply.body === undefined ? undefined : JSON.parse(JSON.stringify(reply.body))),
    };
    for (const listener of this.listeners) {
      try {
        listener(exchange);
      } catch {
        // A failing listener must not break the emulator.
      }
    }
  }
}

/** "/v1.0/a/b" -> { apiVersion: "v1.0", segments: ["a", "b"] } (normalized); undefined without a known version. */
function splitGraphPath(pathname: string): { apiVersion: "v1.0" | "beta"; segments: string[] } | undefined {
  const version = /^\/(v1\.0|beta)(\/.*)?$/i.exec(pathname);
  if (!version) return undefined;
  return { apiVersion: version[1].toLowerCase() === "beta" ? "beta" : "v1.0", segments: normalizeSegments(version[2] ?? "") };
}
