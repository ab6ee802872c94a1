/**
 * The HTTPS front door. One request's way through it, each a step below: arrive (ids, time), read
 * the body, then the control plane (never faulted, never logged), or the faults (latency, a
 * dropped connection, a 429/503/504 instead of an answer) and then the identity endpoints or
 * Graph (graph-handler.ts), an answer delay, Graph's headers (request-id, client-request-id),
 * the request log, and the exchange for listeners (exchanges.ts).
 */
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../core/clock";
import { handleControl, CONTROL_PREFIX } from "../control/plane";
import { RequestLog, type RequestLogEntry } from "../control/request-log";
import type { FaultTargetKind } from "../faults/config";
import type { FaultDecision, FaultInjector } from "../faults/injector";
import { announcedWaitMs, faultReply } from "../faults/responses";
import { throttleClientKey } from "../faults/throttle";
import { GraphErrorReply } from "../http/errors";
import { GRAPH_JSON_CONTENT_TYPE, PLAIN_JSON_CONTENT_TYPE, headerValue, odataErrorBody, readRequestBody } from "../http/messages";
import type { Route } from "../http/router";
import type { IdentityMaterial, OAuthContext, OAuthResponse } from "../identity/endpoint";
import { matchIdentityRoute } from "../identity/routes";
import type { EmulatorEngine } from "../provisioning/engine";
import { graphRoutes } from "../routes";
import type { GraphRoute } from "../routes/route";
import type { ScimTargetInfo } from "../scim/target";
import { ExchangeListeners, type ExchangeListener, type Reply } from "./exchanges";
import { GraphHandler, splitGraphPath } from "./graph-handler";

export type { GraphExchange } from "./exchanges";

/** What the server serves besides the engine and the identity side. */
interface ServerParts {
  /** The emulator's clock: request times, injected latency and answer delays. */
  clock: Clock;
  faults: FaultInjector;
  /** The SCIM application the emulator hosts, for the control plane. */
  scimTarget: ScimTargetInfo;
  log?: (line: string) => void;
  routes?: readonly Route<GraphRoute>[];
}

/** A request as it arrived: its ids, when, and where to. */
interface Arrival {
  req: IncomingMessage;
  res: ServerResponse;
  startedAt: Date;
  requestId: string;
  clientRequestId: string;
  url: URL;
  method: string;
}

/** What the request log will say of a request, once its status is known. */
type LogDraft = Omit<RequestLogEntry, "seq" | "status" | "startedAt" | "endedAt" | "durationMs"> & { startedAt: Date };

type IdentityEndpoint = (ctx: OAuthContext) => Promise<OAuthResponse>;

const GRAPH_DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: "Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "localhost" },
});

export class EmulatorServer {
  readonly requestLog = new RequestLog();
  readonly faults: FaultInjector;
  private readonly exchanges = new ExchangeListeners();
  private readonly server: https.Server;
  private readonly graph: GraphHandler;
  private readonly scimTarget: ScimTargetInfo;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;

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
    this.graph = new GraphHandler(engine, identity.tokens, parts.faults, parts.routes ?? graphRoutes);
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
    return this.exchanges.add(listener);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrival = this.arrive(req, res);
    const rawBody = await this.readBody(arrival);
    if (rawBody === undefined) return;
    if (arrival.url.pathname === CONTROL_PREFIX || arrival.url.pathname.startsWith(`${CONTROL_PREFIX}/`)) return this.serveControl(arrival, rawBody);
    const identityEndpoint = matchIdentityRoute(arrival.method, arrival.url.pathname);
    const kind: FaultTargetKind = identityEndpoint ? "oauth" : "graph";
    const faulted = await this.applyFault(arrival, kind);
    if (!faulted) return;
    const { fault, log } = faulted;
    if (fault.outcome === "dropConnection") return this.dropConnection(arrival, log);
    const injected = fault.outcome && faultReply(kind, fault.outcome, fault.wait, arrival, this.date());
    if (identityEndpoint) return this.serveIdentity(arrival, rawBody, identityEndpoint, injected, log);
    return this.serveGraph(arrival, rawBody, injected, fault.answerDelayMs, log);
  }

  /** Its ids (the client's client-request-id, or the request id) and time. */
  private arrive(req: IncomingMessage, res: ServerResponse): Arrival {
    const requestId = this.engine.ephemeral.guid();
    return {
      req,
      res,
      startedAt: this.date(),
      requestId,
      clientRequestId: headerValue(req, "client-request-id") ?? requestId,
      url: new URL(req.url ?? "/", `https://${req.headers.host ?? "127.0.0.1"}`),
      method: (req.method ?? "GET").toUpperCase(),
    };
  }

  /** The body; a body too large is answered here (413), and undefined returned. */
  private async readBody(arrival: Arrival): Promise<string | undefined> {
    try {
      return await readRequestBody(arrival.req);
    } catch (err) {
      if (!(err instanceof GraphErrorReply)) throw err;
      const { requestId, clientRequestId } = arrival;
      const body = odataErrorBody(err.code, err.message, requestId, clientRequestId, this.date());
      this.send(arrival.res, { status: err.status, headers: { "request-id": requestId, "client-request-id": clientRequestId }, body }, GRAPH_JSON_CONTENT_TYPE);
      return undefined;
    }
  }

  private async serveControl(arrival: Arrival, rawBody: string): Promise<void> {
    const reply = await handleControl(arrival.req, arrival.url, rawBody, {
      engine: this.engine,
      requestLog: this.requestLog,
      faults: this.faults,
      actions: this.identity.actions,
      scimTarget: this.scimTarget,
    });
    this.send(arrival.res, { status: reply.status, headers: reply.headers ?? {}, body: reply.body }, PLAIN_JSON_CONTENT_TYPE);
  }

  /**
   * The fault decided for this request, after its injected latency; undefined when the client
   * gave up (or the emulator stopped) during the latency. With the log entry it will get.
   */
  private async applyFault(arrival: Arrival, kind: FaultTargetKind): Promise<{ fault: FaultDecision; log: LogDraft } | undefined> {
    const { req, url, method } = arrival;
    const graphPath = kind === "graph" ? splitGraphPath(url.pathname) : undefined;
    const fault = this.faults.decide(
      { kind, method, segments: graphPath?.segments ?? url.pathname.split("/").filter(Boolean) },
      throttleClientKey(headerValue(req, "authorization"), req.socket.remoteAddress),
    );
    if (fault.latencyMs > 0) await this.clock.sleep(fault.latencyMs);
    if (req.socket.destroyed) return undefined;
    const log: LogDraft = {
      kind,
      method,
      host: url.host,
      path: url.pathname,
      route: graphPath && this.graph.routePattern(method, graphPath.segments),
      startedAt: arrival.startedAt,
      requestId: arrival.requestId,
      clientRequestId: arrival.clientRequestId,
      latencyMs: fault.latencyMs > 0 ? fault.latencyMs : undefined,
      fault: fault.outcome,
      early: fault.early ? true : undefined,
      retryAfterMs: fault.outcome && fault.outcome !== "dropConnection" && fault.wait ? announcedWaitMs(fault.wait) : undefined,
    };
    return { fault, log };
  }

  private dropConnection(arrival: Arrival, log: LogDraft): void {
    arrival.req.socket.destroy();
    this.record(log, 0);
  }

  /** The token endpoint, metadata, IMDS, the GitHub Actions issuer: plain JSON, logged as "oauth". */
  private async serveIdentity(arrival: Arrival, rawBody: string, endpoint: IdentityEndpoint, injected: Reply | undefined, log: LogDraft): Promise<void> {
    const reply =
      injected ??
      (await endpoint({
        req: arrival.req,
        url: arrival.url,
        rawBody,
        tenant: this.engine.store.state,
        newId: () => this.engine.ephemeral.guid(),
        clock: this.clock,
        identity: this.identity,
        correlationId: arrival.clientRequestId,
      }));
    this.send(arrival.res, reply, PLAIN_JSON_CONTENT_TYPE);
    this.record(log, reply.status);
  }

  private async serveGraph(arrival: Arrival, rawBody: string, injected: Reply | undefined, answerDelayMs: number | undefined, log: LogDraft): Promise<void> {
    const reply = await this.graphReply(arrival, rawBody, injected);
    if (answerDelayMs && !(await this.holdAnswer(arrival, answerDelayMs, log))) return;
    this.addGraphHeaders(reply, arrival);
    this.send(arrival.res, reply, GRAPH_JSON_CONTENT_TYPE);
    this.record(log, reply.status);
    this.exchanges.emit(arrival.req, arrival.method, arrival.url, rawBody, reply);
  }

  /** The injected fault's answer, or the handler's; a GraphErrorReply becomes an OData error body. */
  private async graphReply(arrival: Arrival, rawBody: string, injected: Reply | undefined): Promise<Reply> {
    try {
      const result = injected ?? (await this.graph.handle(arrival.req, arrival.method, arrival.url, rawBody));
      return { status: result.status, headers: { ...(result.headers ?? {}) }, body: result.body };
    } catch (err) {
      if (!(err instanceof GraphErrorReply)) throw err;
      return {
        status: err.status,
        headers: { ...err.headers },
        body: odataErrorBody(err.code, err.message, arrival.requestId, arrival.clientRequestId, this.date()),
      };
    }
  }

  /**
   * A rule's answerDelay: the request has taken effect, the answer waits. False when the client
   * has gone meanwhile: the log says it was not answered.
   */
  private async holdAnswer(arrival: Arrival, ms: number, log: LogDraft): Promise<boolean> {
    await this.clock.sleep(ms);
    if (!arrival.req.socket.destroyed) return true;
    this.record(log, 0);
    return false;
  }

  private addGraphHeaders(reply: Reply, arrival: Arrival): void {
    reply.headers["request-id"] = arrival.requestId;
    reply.headers["client-request-id"] = arrival.clientRequestId;
    reply.headers["x-ms-ags-diagnostic"] = GRAPH_DIAGNOSTIC;
    if (reply.body !== undefined) {
      reply.headers["content-type"] = GRAPH_JSON_CONTENT_TYPE;
      reply.headers["odata-version"] = "4.0";
    }
  }

  private send(res: ServerResponse, reply: Reply, contentType: string): void {
    const headers = { ...reply.headers };
    let payload: string | undefined;
    if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers["content-type"] ??= contentType;
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  /** One request-log entry (status 0: no answer) and one log line. */
  private record(draft: LogDraft, status: number): void {
    const endedAt = this.date();
    const durationMs = endedAt.getTime() - draft.startedAt.getTime();
    const { kind, method, host, path, route, requestId, clientRequestId, latencyMs, fault, early, retryAfterMs } = draft;
    const ordered = {
      kind,
      method,
      host,
      path,
      route,
      status,
      startedAt: draft.startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs,
      requestId,
      clientRequestId,
      latencyMs,
      fault,
      early,
      retryAfterMs,
    };
    // Leave out absent optional members, so entries look the same in and out of process.
    this.requestLog.add(Object.fromEntries(Object.entries(ordered).filter(([, v]) => v !== undefined)) as typeof ordered);
    const injected = fault ? ` [${fault}${early ? ", early" : ""}]` : "";
    this.log(`${method} ${path} ${status} ${durationMs}ms${injected}`);
  }

  private date(): Date {
    return new Date(this.clock.now());
  }
}
