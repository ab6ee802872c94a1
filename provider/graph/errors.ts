/**
 * One error type for every failed Graph call. It carries what a user needs to act (status, Graph's
 * error code and message, request-id, date, the operation) and nothing secret: bodies are redacted
 * before they are kept. Validation problems are not errors: they are `check` failures.
 */

import { SYNCHRONIZATION_WRITE_ROLE } from "./types";

export const GRAPH_REQUEST_ERROR_NAME = "GraphRequestError";

export interface GraphRequestErrorDetails {
  /** What we were doing, e.g. "create synchronization job". */
  operation: string;
  method: string;
  /** Path relative to the Graph version root, e.g. /servicePrincipals/{id}/synchronization/jobs. */
  path: string;
  status: number;
  code: string;
  graphMessage: string;
  requestId?: string;
  clientRequestId?: string;
  date?: string;
  /** Response body with secret-looking members redacted. */
  body?: unknown;
}

export class GraphRequestError extends Error {
  override readonly name = GRAPH_REQUEST_ERROR_NAME;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string;
  readonly graphMessage: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly date?: string;
  readonly body?: unknown;

  constructor(details: GraphRequestErrorDetails) {
    super(formatMessage(details));
    this.operation = details.operation;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.code = details.code;
    this.graphMessage = details.graphMessage;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.date = details.date;
    this.body = details.body === undefined ? undefined : redact(details.body);
  }
}

export function isGraphRequestError(e: unknown): e is GraphRequestError {
  return e instanceof Error && e.name === GRAPH_REQUEST_ERROR_NAME && typeof (e as GraphRequestError).status === "number";
}

export function isNotFound(e: unknown): boolean {
  return isGraphRequestError(e) && e.status === 404;
}

function formatMessage(d: GraphRequestErrorDetails): string {
  const ids = [d.requestId && `request-id ${d.requestId}`, d.date && `date ${d.date}`].filter(Boolean).join(", ");
  const hint = hintFor(d);
  return (
    `${d.operation} failed: ${d.method} ${d.path} returned ${d.status} ${d.code}: ${d.graphMessage}` +
    (ids ? ` (${ids})` : "") +
    (hint ? `. ${hint}` : "")
  );
}

/** What to do next, for the failures users meet most often. */
function hintFor(d: GraphRequestErrorDetails): string | undefined {
  if (d.status === 401) {
    return "The access token was rejected: check the tenant id, client id and client secret (entra-sync:* config or AZURE_* / ARM_* environment)";
  }
  if (d.status === 403) {
    return `The application lacks permission: grant it the Microsoft Graph application permission ${SYNCHRONIZATION_WRITE_ROLE} (or Application.ReadWrite.OwnedBy and make it an owner of the app) and grant admin consent`;
  }
  if (d.status === 404 && /^\/servicePrincipals\/[^/]+$/.test(d.path)) {
    return "Check servicePrincipalId: it is the service principal's object id, not the application (client) id";
  }
  return undefined;
}

const SECRET_MEMBER = /secret|token|password|credential|value$/i;

/** Replace values of secret-looking members (and every secrets `value`) with "***". */
export function redact(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redact);
  if (body && typeof body === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      out[k] = SECRET_MEMBER.test(k) && typeof v === "string" ? "***" : redact(v);
    }
    return out;
  }
  return body;
}
