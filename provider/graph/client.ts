/**
 * Graph access for the handlers: @microsoft/microsoft-graph-client with an @azure/identity
 * credential and an explicit middleware chain:
 *
 *   StrategyRetryHandler (ours: retry/)  ->  AuthenticationHandler  ->  RedirectHandler
 *     ->  TelemetryHandler (SDK headers, client-request-id)  ->  HTTPMessageHandler (fetch)
 *
 * This is the library's default chain with its RetryHandler replaced: that one honours Retry-After
 * only in seconds and retries POSTs blindly on 429/503/504, where ours follows the strategies in
 * retry/ (Retry-After as seconds, date or retry-after-ms; back-off with jitter; never a blind
 * retry of a request that may have taken effect; consistency windows on request). One client per
 * settings in the provider process, created on first use (never at module scope, never serialized):
 * a cloud described by a metadata host is read then, before the first request.
 */

import { AuthenticationHandler, Client, type GraphRequest, HTTPMessageHandler, RedirectHandler, TelemetryHandler } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { type ConnectionSettings, connectionSettings } from "./connection";
import { type Cloud, readMetadataCloud } from "./cloud";
import { createCredential } from "./credential";
import { toGraphRequestError } from "./failure";
import { type Clock, providerClock } from "./retry/clock";
import type { ConsistencyWindow } from "./retry/consistency";
import { RetryCallOptions, StrategyRetryHandler } from "./retry/middleware";
import { retryPolicy } from "./retry/policy";
import type { ODataCollection } from "./types";

/** How a call may be retried; see retry/middleware.ts. */
export interface CallOptions {
  /** Default: true for GET, PUT and DELETE, false for POST. Start and pause are idempotent POSTs. */
  idempotent?: boolean;
  /** The call follows a write Graph may not have replicated yet: these statuses mean "not yet". */
  consistency?: ConsistencyWindow;
  /** The caller's own retry deadline over several calls, on `GraphApi.clock`: no retry wait ends after it. */
  retryUntil?: number;
}

export interface GraphApi {
  readonly settings: ConnectionSettings;
  /** The clock its retries wait on; callers that wait between calls use it too. */
  readonly clock: Clock;
  get<T>(path: string, operation: string, options?: CallOptions): Promise<T>;
  /** GET a collection and follow @odata.nextLink to the end. */
  list<T>(path: string, operation: string, options?: CallOptions): Promise<T[]>;
  post<T>(path: string, body: unknown, operation: string, options?: CallOptions): Promise<T | undefined>;
  put(path: string, body: unknown, operation: string, options?: CallOptions): Promise<void>;
  delete(path: string, operation: string, options?: CallOptions): Promise<void>;
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
  private client?: Promise<Client>;
  readonly clock: Clock = providerClock;

  constructor(readonly settings: ConnectionSettings) {}

  private clientOnce(): Promise<Client> {
    this.client ??= this.createClient().catch((e: unknown) => {
      // A setting that cannot work now may be fixed for the next call (a file written late).
      this.client = undefined;
      throw e;
    });
    return this.client;
  }

  private async createClient(): Promise<Client> {
    const { settings } = this;
    const cloud: Cloud = settings.cloud.kind === "known" ? settings.cloud.cloud : await readMetadataCloud(settings.cloud);
    const credential = createCredential(settings.signIn, cloud);
    const authProvider = new TokenCredentialAuthenticationProvider(credential, {
      scopes: [`${cloud.graphResource}/.default`],
    });
    const policy = retryPolicy(settings, { clock: this.clock });
    return Client.initWithMiddleware({
      middleware: [
        new StrategyRetryHandler(() => policy),
        new AuthenticationHandler(authProvider),
        new RedirectHandler(),
        new TelemetryHandler(),
        new HTTPMessageHandler(),
      ],
      baseUrl: `${cloud.graphEndpoint}/`,
      defaultVersion: settings.graphApiVersion,
      // The auth and telemetry middleware only act on Graph's own hosts unless told otherwise.
      customHosts: new Set([new URL(cloud.graphEndpoint).hostname]),
    });
  }

  get<T>(path: string, operation: string, options?: CallOptions): Promise<T> {
    return this.call("GET", path, operation, options, (r) => r.get());
  }

  async list<T>(path: string, operation: string, options?: CallOptions): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: ODataCollection<T> = await this.call<ODataCollection<T>>("GET", next, operation, options, (r) => r.get());
      items.push(...page.value);
      next = page["@odata.nextLink"];
    }
    return items;
  }

  post<T>(path: string, body: unknown, operation: string, options?: CallOptions): Promise<T | undefined> {
    return this.call("POST", path, operation, options, (r) => r.post(body ?? {}));
  }

  async put(path: string, body: unknown, operation: string, options?: CallOptions): Promise<void> {
    await this.call("PUT", path, operation, options, (r) => r.put(body));
  }

  async delete(path: string, operation: string, options?: CallOptions): Promise<void> {
    await this.call("DELETE", path, operation, options, (r) => r.delete());
  }

  private async call<T>(method: string, path: string, operation: string, options: CallOptions | undefined, send: (request: GraphRequest) => Promise<T>): Promise<T> {
    const client = await this.clientOnce();
    const retry = new RetryCallOptions({ operation, ...options });
    try {
      return await send(client.api(path).middlewareOptions([retry]));
    } catch (e) {
      throw toGraphRequestError(e, { method, path: displayPath(path), operation, report: retry.report });
    }
  }
}

/** nextLinks are absolute URLs: errors name the Graph path, like for every other call. */
function displayPath(path: string): string {
  if (!/^https?:\/\//i.test(path)) return path.split("?")[0];
  return new URL(path).pathname.replace(/^\/(v1\.0|beta)(?=\/)/, "");
}
