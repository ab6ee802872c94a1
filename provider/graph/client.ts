/**
 * Graph access for the handlers: @microsoft/microsoft-graph-client with an @azure/identity
 * credential, its default middleware (auth, retry on 429/503/504 honouring Retry-After, redirects,
 * telemetry with client-request-id) and our error type. One client per connection settings in the
 * provider process, created on first use (never at module scope, never serialized).
 */

import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { ConnectionSettings, connectionSettings } from "./connection";
import { createCredential, graphScope } from "./credential";
import { GraphRequestError } from "./errors";
import { ODataCollection } from "./types";

export interface GraphApi {
  readonly settings: ConnectionSettings;
  get<T>(path: string, operation: string): Promise<T>;
  /** GET a collection and follow @odata.nextLink to the end. */
  list<T>(path: string, operation: string): Promise<T[]>;
  post<T>(path: string, body: unknown, operation: string): Promise<T | undefined>;
  put(path: string, body: unknown, operation: string): Promise<void>;
  delete(path: string, operation: string): Promise<void>;
}

const clients = new Map<string, GraphApi>();

/** The Graph API for the current connection settings (see connection.ts). */
export function graphApi(settings: ConnectionSettings = connectionSettings()): GraphApi {
  const key = JSON.stringify(settings);
  let api = clients.get(key);
  if (!api) {
    api = new GraphClientApi(settings);
    clients.set(key, api);
  }
  return api;
}

class GraphClientApi implements GraphApi {
  private readonly client: Client;

  constructor(readonly settings: ConnectionSettings) {
    const credential = createCredential(settings);
    const authProvider = new TokenCredentialAuthenticationProvider(credential, {
      scopes: [graphScope(settings.graphEndpoint)],
    });
    this.client = Client.initWithMiddleware({
      authProvider,
      baseUrl: `${settings.graphEndpoint}/`,
      defaultVersion: settings.graphApiVersion,
      // The auth middleware only attaches tokens for Graph's own hosts unless told otherwise.
      customHosts: new Set([new URL(settings.graphEndpoint).hostname]),
    });
  }

  get<T>(path: string, operation: string): Promise<T> {
    return this.call("GET", path, operation, () => this.client.api(path).get());
  }

  async list<T>(path: string, operation: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: ODataCollection<T> = await this.call("GET", path, operation, () => this.client.api(next!).get());
      items.push(...page.value);
      next = page["@odata.nextLink"];
    }
    return items;
  }

  post<T>(path: string, body: unknown, operation: string): Promise<T | undefined> {
    return this.call("POST", path, operation, () => this.client.api(path).post(body ?? {}));
  }

  async put(path: string, body: unknown, operation: string): Promise<void> {
    await this.call("PUT", path, operation, () => this.client.api(path).put(body));
  }

  async delete(path: string, operation: string): Promise<void> {
    await this.call("DELETE", path, operation, () => this.client.api(path).delete());
  }

  private async call<T>(method: string, path: string, operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      throw toGraphRequestError(e, method, path, operation);
    }
  }
}

interface ODataErrorLike {
  error?: { code?: string; message?: string; innerError?: Record<string, unknown> };
}

export function toGraphRequestError(e: unknown, method: string, path: string, operation: string): Error {
  if (!(e instanceof GraphError) && !(e && typeof e === "object" && "statusCode" in e)) {
    return e instanceof Error ? e : new Error(String(e));
  }
  const ge = e as GraphError;
  let body: unknown = ge.body;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      /* keep the text */
    }
  }
  const inner = (body as ODataErrorLike | undefined)?.error?.innerError ?? {};
  const backend = backendError(ge.message);
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const status = ge.statusCode;
  return new GraphRequestError({
    operation,
    method,
    path: path.split("?")[0],
    status,
    code: backend?.code ?? ge.code ?? (status === -1 ? "NetworkError" : "UnknownError"),
    graphMessage: backend?.message ?? (ge.message || "(no message)"),
    requestId: ge.requestId ?? str(inner["request-id"]),
    clientRequestId: str(inner["client-request-id"]),
    date: str(inner.date) ?? (ge.date instanceof Date && !isNaN(ge.date.getTime()) ? ge.date.toISOString() : undefined),
    body,
  });
}

/**
 * Graph proxies synchronization calls to its backend and often answers `UnknownError` with the
 * backend's own error serialized as JSON in `message` (msgraph-metadata#347, #676): surface that.
 */
function backendError(message: string | undefined): { code?: string; message?: string } | undefined {
  if (!message || !message.trim().startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(message) as Record<string, unknown>;
    const nested = (parsed.error ?? parsed.Error ?? parsed) as Record<string, unknown>;
    const code = nested.code ?? nested.Code;
    const text = nested.message ?? nested.Message;
    return {
      code: typeof code === "string" && code !== "" ? code : undefined,
      message: typeof text === "string" && text !== "" ? text : undefined,
    };
  } catch {
    return undefined;
  }
}
