/**
 * The requests Entra's SCIM client makes to a target application ("Develop a SCIM endpoint",
 * SCIM protocol requests and responses): query by a matching attribute
 * (`GET /Users?filter=userName eq "..."`, groups with `excludedAttributes=members`), get by id,
 * `POST` to create, `PATCH` with PatchOp to update or disable, `DELETE`.
 *
 * Failures carry the error codes of the provisioning logs ("How to analyze the provisioning
 * logs", Error codes): the target's HTTP status name (Unauthorized, Conflict, InternalServerError,
 * ...), Timeout, WebExceptionProtocolError for connections that fail,
 * SystemForCrossDomainIdentityManagementServiceIncompatible for answers that are not SCIM.
 */
import type { ScimPatchOperation } from "./scim-path";
import { TargetUnreachableError, type TargetHttp, type TargetResponse } from "./target-http";

export type ScimCollection = "Users" | "Groups";
export type ScimResource = Record<string, unknown> & { id: string };

export class ScimRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Set when the target answered; absent when it could not be reached. */
    readonly response?: TargetResponse,
  ) {
    super(message);
  }

  /** The target did not answer at all, or answered with a server error: nothing per-entry about it. */
  get targetUnavailable(): boolean {
    return this.response === undefined || this.response.status >= 500;
  }
}

const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export class ScimClient {
  constructor(
    private readonly http: TargetHttp,
    private readonly baseAddress: string,
    private readonly token: string,
  ) {}

  /** `GET /{collection}?filter={attribute} eq "{value}"`; groups without their members. */
  async query(collection: ScimCollection, attribute: string, value: string): Promise<ScimResource[]> {
    const exclude = collection === "Groups" ? "excludedAttributes=members&" : "";
    const response = await this.send("GET", this.url(collection, `${exclude}filter=${filterExpression(attribute, value)}`));
    const resources = (response.json as { Resources?: unknown } | undefined)?.Resources;
    if (!Array.isArray(resources)) throw incompatible(response, "a query answered without a ListResponse");
    return resources as ScimResource[];
  }

  /** `GET /{collection}/{id}`, undefined on 404. */
  async get(collection: ScimCollection, id: string): Promise<ScimResource | undefined> {
    const exclude = collection === "Groups" ? "excludedAttributes=members" : undefined;
    try {
      const response = await this.send("GET", this.url(`${collection}/${encodeURIComponent(id)}`, exclude));
      if (!isResource(response.json)) throw incompatible(response, "a resource was answered without an id");
      return response.json;
    } catch (err) {
      if (err instanceof ScimRequestError && err.response?.status === 404) return undefined;
      throw err;
    }
  }

  async create(collection: ScimCollection, resource: Record<string, unknown>): Promise<ScimResource> {
    const response = await this.send("POST", this.url(collection), resource);
    if (!isResource(response.json)) throw incompatible(response, "a created resource was answered without an id");
    return response.json;
  }

  async patch(collection: ScimCollection, id: string, operations: ScimPatchOperation[]): Promise<void> {
    await this.send("PATCH", this.url(`${collection}/${encodeURIComponent(id)}`), { schemas: [PATCH_OP_SCHEMA], Operations: operations });
  }

  async delete(collection: ScimCollection, id: string): Promise<void> {
    await this.send("DELETE", this.url(`${collection}/${encodeURIComponent(id)}`));
  }

  private url(resource: string, query?: string): string {
    return targetUrl(this.baseAddress, resource, query);
  }

  private async send(method: string, url: string, body?: unknown): Promise<TargetResponse> {
    let response: TargetResponse;
    try {
      response = await this.http.request(method, url, this.token, body);
    } catch (err) {
      if (err instanceof TargetUnreachableError) {
        const code = err.code === "Timeout" ? "Timeout" : "WebExceptionProtocolError";
        throw new ScimRequestError(code, `${method} ${url} failed: ${err.message}`);
      }
      throw err;
    }
    if (response.status >= 200 && response.status < 300) return response;
    const detail = (response.json as { detail?: unknown } | undefined)?.detail;
    throw new ScimRequestError(
      response.statusName,
      `${method} ${url} answered ${response.status} ${response.statusName}${typeof detail === "string" ? `: ${detail}` : ""}`,
      response,
    );
  }
}

/**
 * `{BaseAddress}/{resource}?{query}`. A Tenant URL may carry a query string of its own (Microsoft
 * has admins append `?aadOptscim062020` to opt into SCIM behaviour fixes; some apps take a key
 * there): it stays on every request, after the resource path, ahead of the request's own query.
 */
export function targetUrl(baseAddress: string, resource: string, query?: string): string {
  const withoutFragment = baseAddress.split("#")[0];
  const at = withoutFragment.indexOf("?");
  const base = at < 0 ? withoutFragment : withoutFragment.slice(0, at);
  const params = [at < 0 ? "" : withoutFragment.slice(at + 1), query ?? ""].filter((p) => p !== "").join("&");
  return `${base.replace(/\/+$/, "")}/${resource}${params ? `?${params}` : ""}`;
}

/** `userName eq "value"` in a query string, spaces as '+', the way Entra writes it. */
export function filterExpression(attribute: string, value: string): string {
  return `${encodeURIComponent(attribute).replace(/%20/g, "+")}+eq+%22${encodeURIComponent(value)}%22`;
}

function isResource(json: unknown): json is ScimResource {
  return json !== null && typeof json === "object" && typeof (json as { id?: unknown }).id === "string";
}

function incompatible(response: TargetResponse, what: string): ScimRequestError {
  return new ScimRequestError("SystemForCrossDomainIdentityManagementServiceIncompatible", `The application is not SCIM compatible: ${what}.`, response);
}
