/**
 * The SCIM 2.0 service of the emulated target application: HTTPS on loopback (same CA-signed
 * certificate as the Graph emulator), bearer-token protected, SCIMMY doing the protocol work.
 *
 *   {base} = https://127.0.0.1:PORT/scim/v2
 *   GET/POST            {base}/Users, {base}/Groups      (filter, attributes, excludedAttributes, startIndex, count)
 *   GET/PUT/PATCH/DELETE {base}/Users/{id}, {base}/Groups/{id}
 *   GET                 {base}/ServiceProviderConfig, {base}/ResourceTypes, {base}/Schemas
 *
 * Responses follow "Develop a SCIM endpoint" (Understand the Microsoft Entra SCIM implementation):
 * content type application/scim+json, 201 + resource on create, 204 on delete, queries always a
 * ListResponse (empty when nothing matches), group PATCH answers 204.
 */
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Config, Resources } from "scimmy";
import { GraphErrorReply } from "../http/errors";
import { readRequestBody } from "../http/messages";
import { BEARER_CHALLENGE, presentsBearerToken } from "./bearer-token";
import { isScimError, scimError, scimErrorBody } from "./errors";
import type { ScimFailureMode } from "./failure-mode";
import { declareScimResources, type ScimRequestContext } from "./resources";
import type { ScimStore } from "./store";

const SCIM_BASE_PATH = "/scim/v2";
const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

interface ScimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class ScimServer {
  failureMode: ScimFailureMode = "none";
  private readonly server: https.Server;
  private origin = "";

  constructor(
    private readonly store: ScimStore,
    private readonly token: string,
    tls: { key: string; cert: string },
    private readonly log: (line: string) => void = () => undefined,
  ) {
    declareScimResources();
    configureServiceProvider();
    this.server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        this.log(`SCIM internal error: ${err instanceof Error ? err.stack : String(err)}`);
        if (!res.headersSent) this.send(res, { status: 500, body: scimErrorBody(scimError(500, undefined, "Internal error.")) });
      });
    });
    // An unreachable application: close the TCP connection before TLS or HTTP happen.
    this.server.on("connection", (socket: Socket) => {
      if (this.failureMode === "dropConnections") socket.destroy();
    });
  }

  /** "https://127.0.0.1:PORT/scim/v2" once listening. */
  get baseAddress(): string {
    return `${this.origin}${SCIM_BASE_PATH}`;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        const actual = (this.server.address() as AddressInfo).port;
        const originHost = host.includes(":") ? `[${host}]` : host;
        this.origin = `https://${originHost}:${actual}`;
        resolve(actual);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", this.origin || "https://127.0.0.1");
    if (this.failureMode === "dropConnections") {
      // Kept-alive sockets opened before the switch are cut too.
      req.socket.destroy();
      return;
    }
    const reply = await this.handle(req, method, url);
    this.send(res, reply);
    this.log(`SCIM ${method} ${url.pathname} ${reply.status}`);
  }

  private async handle(req: IncomingMessage, method: string, url: URL): Promise<ScimReply> {
    try {
      if (this.failureMode === "serverError") throw scimError(500, undefined, "The application is unavailable.");
      if (this.failureMode === "rejectToken" || !presentsBearerToken(req.headers.authorization, this.token)) {
        return {
          status: 401,
          headers: { "www-authenticate": BEARER_CHALLENGE },
          body: scimErrorBody(scimError(401, undefined, "Authorization failure. The authorization header is invalid or missing.")),
        };
      }
      if (this.failureMode === "failWrites" && method !== "GET") throw scimError(500, undefined, "The application failed to save the change.");
      const body = await readJsonBody(req);
      return await this.route(method, url, body);
    } catch (err) {
      if (isScimError(err)) return { status: err.status, body: scimErrorBody(err) };
      throw err;
    }
  }

  private async route(method: string, url: URL, body: unknown): Promise<ScimReply> {
    if (!url.pathname.startsWith(SCIM_BASE_PATH)) throw scimError(404, undefined, `No SCIM endpoint at ${url.pathname}.`);
    const segments = url.pathname.slice(SCIM_BASE_PATH.length).split("/").filter(Boolean);
    const [collection, id, ...rest] = segments;
    if (rest.length > 0) throw scimError(404, undefined, `No SCIM endpoint at ${url.pathname}.`);
    const ctx: ScimRequestContext = { store: this.store, baseAddress: this.baseAddress };
    switch (collection?.toLowerCase()) {
      case "users":
        return this.resourceRequest(Resources.User, "Users", method, id, url.searchParams, body, ctx);
      case "groups":
        return this.resourceRequest(Resources.Group, "Groups", method, id, url.searchParams, body, ctx);
      case "serviceproviderconfig":
        requireGet(method, id);
        return { status: 200, body: await new Resources.ServiceProviderConfig().read() };
      case "resourcetypes":
        requireGet(method, undefined);
        return { status: 200, body: await new Resources.ResourceType(id).read() };
      case "schemas":
        requireGet(method, undefined);
        return { status: 200, body: await new Resources.Schema(id).read() };
      default:
        throw scimError(404, undefined, `No SCIM endpoint at ${url.pathname}.`);
    }
  }

  private async resourceRequest(
    resource: typeof Resources.User | typeof Resources.Group,
    collection: "Users" | "Groups",
    method: string,
    id: string | undefined,
    query: URLSearchParams,
    body: unknown,
    ctx: ScimRequestContext,
  ): Promise<ScimReply> {
    const config = queryConfig(query);
    if (id === undefined) {
      if (method === "GET") return { status: 200, body: await new resource(undefined, config).read(ctx) };
      if (method === "POST") {
        const created = (await new resource(undefined, config).write(body, ctx)) as unknown as { id: string };
        return { status: 201, body: created, headers: { location: `${this.baseAddress}/${collection}/${created.id}` } };
      }
      throw scimError(501, undefined, `${method} is not supported on /${collection}.`);
    }
    switch (method) {
      case "GET":
        return { status: 200, body: await new resource(id, config).read(ctx) };
      case "PUT":
        return { status: 200, body: await new resource(id, config).write(body, ctx) };
      case "PATCH": {
        const patched = await new resource(id, config).patch(body as Parameters<Resources.User["patch"]>[0], ctx);
        // Groups: "Update to the group PATCH request should yield an HTTP 204 No Content".
        // Users: SCIMMY returns nothing when the operations changed nothing.
        return collection === "Groups" || patched === undefined ? { status: 204 } : { status: 200, body: patched };
      }
      case "DELETE":
        await new resource(id, config).dispose(ctx);
        return { status: 204 };
      default:
        throw scimError(501, undefined, `${method} is not supported on /${collection}/{id}.`);
    }
  }

  private send(res: ServerResponse, reply: ScimReply): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: string | undefined;
    if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers["content-type"] = SCIM_CONTENT_TYPE;
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

let configured = false;

/** What /ServiceProviderConfig advertises (process-wide SCIMMY setting, same for every target). */
function configureServiceProvider(): void {
  if (configured) return;
  configured = true;
  Config.set({
    documentationUri: "https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups",
    patch: true,
    filter: { supported: true, maxResults: 200 },
    bulk: false,
    changePassword: false,
    sort: false,
    etag: false,
    authenticationSchemes: [
      { type: "oauthbearertoken", name: "OAuth Bearer Token", description: "Authentication with the application's Secret Token as a bearer token." },
    ],
  });
}

function requireGet(method: string, id: string | undefined): void {
  if (method !== "GET" || id !== undefined) throw scimError(501, undefined, `${method} is not supported here.`);
}

/** SCIM query parameters (RFC 7644 §3.4.2) as SCIMMY's resource constructor takes them. */
function queryConfig(query: URLSearchParams): Record<string, string | number> {
  const config: Record<string, string | number> = {};
  for (const name of ["filter", "attributes", "excludedAttributes", "sortBy", "sortOrder"]) {
    const value = query.get(name);
    if (value !== null) config[name] = value;
  }
  for (const name of ["startIndex", "count"]) {
    const value = query.get(name);
    if (value === null) continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw scimError(400, "invalidValue", `${name} must be a non-negative integer.`);
    config[name] = n;
  }
  return config;
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  let text: string;
  try {
    text = await readRequestBody(req);
  } catch (err) {
    if (err instanceof GraphErrorReply) throw scimError(413, undefined, "The request body is too large.");
    throw err;
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw scimError(400, "invalidSyntax", "The request body is not valid JSON.");
  }
}
