/**
 * One error type for every failed Graph call. It carries what a user needs to act (status, Graph's
 * error code and message, request-id, date, the operation and the resource path, how often it was
 * tried, and a hint) and nothing secret: Graph's message, the error message and the body are
 * redacted (../redaction.ts) before they are kept, since Graph quotes target URLs with their
 * credentials. Validation problems are not errors: they are `check` failures.
 *
 * It is a UserFacingError: the Pulumi CLI shows its message, not a stack trace of our internals.
 */

import { redactBody, redactText } from "../redaction";
import { SYNCHRONIZATION_WRITE_ROLE } from "./types";
import { UserFacingError } from "./user-facing";

const GRAPH_REQUEST_ERROR_NAME = "GraphRequestError";

/**
 * What failed: Graph answered with an error ("response", the default), no answer came back
 * ("network"), or no access token could be obtained ("token", before Graph was called).
 */
type GraphFailureKind = "response" | "network" | "token";

interface GraphRequestErrorDetails {
  /** What we were doing, e.g. "create synchronization job". */
  operation: string;
  method: string;
  /** Path relative to the Graph version root, e.g. /servicePrincipals/{id}/synchronization/jobs. */
  path: string;
  /** HTTP status; -1 when no response came back. */
  status: number;
  /** Graph's error code; for network failures the system code (ECONNRESET), for token failures AADSTSnnn. */
  code: string;
  /** Graph's message as received; kept redacted. */
  graphMessage: string;
  requestId?: string;
  clientRequestId?: string;
  date?: string;
  /** Response body as received; kept redacted. */
  body?: unknown;
  kind?: GraphFailureKind;
  /** How many times the request was sent (1 when it was not retried). */
  attempts?: number;
  /** Why retrying stopped, when that is worth telling: "the next wait (30s) would pass ...". */
  retryNote?: string;
  /** The request may have taken effect although it failed: look before sending it again. */
  mayHaveSucceeded?: boolean;
  /** How long Graph asked the client to wait before sending again (Retry-After, retry-after-ms), if it did. */
  retryAfterMs?: number;
  /** For token failures: the token endpoint's trace and correlation ids. */
  traceId?: string;
  correlationId?: string;
  /** A hint of the caller's own; otherwise one is derived from the status and path. */
  hint?: string;
}

export class GraphRequestError extends UserFacingError {
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
  readonly kind: GraphFailureKind;
  readonly attempts: number;
  readonly mayHaveSucceeded: boolean;
  readonly retryAfterMs?: number;
  readonly hint?: string;

  constructor(details: GraphRequestErrorDetails) {
    const hint = details.hint ?? hintFor(details);
    super(redactText(formatMessage(details, hint)));
    this.operation = details.operation;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.code = details.code;
    this.graphMessage = redactText(details.graphMessage);
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.date = details.date;
    this.body = details.body === undefined ? undefined : redactBody(details.body);
    this.kind = details.kind ?? "response";
    this.attempts = details.attempts ?? 1;
    this.mayHaveSucceeded = details.mayHaveSucceeded ?? false;
    this.retryAfterMs = details.retryAfterMs;
    this.hint = hint;
  }
}

export function isGraphRequestError(e: unknown): e is GraphRequestError {
  return e instanceof Error && e.name === GRAPH_REQUEST_ERROR_NAME && typeof (e as GraphRequestError).status === "number";
}

function isNotFound(e: unknown): boolean {
  return isGraphRequestError(e) && e.status === 404;
}

/**
 * "404 means gone": what `call` returns, or undefined when Graph answers 404 (deleted out of band,
 * gone with its parent, or never there). For reads that tell "gone" from a failure, and for
 * deletes and resets, whose work is done when the object is gone. Any other failure is thrown.
 */
export async function readOrGone<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The request may have taken effect although it failed (see the retry strategies). */
export function mayHaveSucceeded(e: unknown): boolean {
  return isGraphRequestError(e) && e.mayHaveSucceeded;
}

/** How long Graph asked the client to wait before sending the request again, when it said. */
export function retryAfterOf(e: unknown): number | undefined {
  return isGraphRequestError(e) ? e.retryAfterMs : undefined;
}

/**
 * Thrown when Graph answered validateCredentials with 400: the target's verdict (or a bad
 * templateId). The call is ../handlers/validate-credentials.ts.
 */
export class CredentialValidationError extends Error {
  override readonly name = "CredentialValidationError";
  readonly targetMessage: string;

  constructor(
    readonly code: string,
    targetMessage: string,
    readonly requestId: string | undefined,
  ) {
    const redacted = redactText(targetMessage);
    super(`credential validation failed, so the credentials were not saved: ${code}: ${redacted}` + (requestId ? ` (request-id ${requestId})` : ""));
    this.targetMessage = redacted;
  }
}

function formatMessage(d: GraphRequestErrorDetails, hint: string | undefined): string {
  const kind = d.kind ?? "response";
  const ids = [
    d.requestId && `request-id ${d.requestId}`,
    d.date && `date ${d.date}`,
    d.traceId && `trace id ${d.traceId}`,
    d.correlationId && `correlation id ${d.correlationId}`,
  ]
    .filter(Boolean)
    .join(", ");
  const what =
    kind === "token"
      ? `could not get an access token for ${d.method} ${d.path}: ${d.code}: ${d.graphMessage}`
      : kind === "network"
        ? `${d.method} ${d.path} got no response from Graph: ${d.code}: ${d.graphMessage}`
        : `${d.method} ${d.path} returned ${d.status} ${d.code}: ${d.graphMessage}`;
  const attempts = d.attempts ?? 1;
  const tries = attempts > 1 ? `tried ${attempts} times` : "";
  const retry = [tries, d.retryNote].filter(Boolean).join(": ");
  return (
    `${d.operation} failed: ${what.replace(/[.\s]+$/, "")}` +
    (ids ? ` (${ids})` : "") +
    (retry ? `; ${retry}` : "") +
    "." +
    (d.mayHaveSucceeded ? " The request may have reached Graph and taken effect; it was not sent again." : "") +
    (hint ? ` ${hint}.` : "")
  );
}

const SP_LEVEL = /^\/servicePrincipals\/([^/]+)(\/synchronization(\/(jobs|secrets|templates))?)?$/;
const RETRY_SETTINGS = "entra-sync:maxRetries and entra-sync:retryDeadlineSeconds bound the retries";

/** What to do next, for the failures users meet most often. */
function hintFor(d: GraphRequestErrorDetails): string | undefined {
  if (d.kind === "network") {
    return `Check network access to Microsoft Graph (entra-sync:graphEndpoint, proxy, firewall); ${RETRY_SETTINGS}`;
  }
  if (d.status === 401) {
    return "Graph rejected the access token: check the tenant and client id, and that sign-in and Graph belong to the same cloud (set entra-sync:environment or ARM_ENVIRONMENT rather than separate entra-sync:authorityHost and entra-sync:graphEndpoint)";
  }
  if (d.status === 403) {
    if (/^\/servicePrincipals\/[^/]+$/.test(d.path)) {
      return "The application lacks permission to read service principals: grant it the Microsoft Graph application permission Application.Read.All and grant admin consent";
    }
    return (
      `The application lacks permission: grant it the Microsoft Graph application permission ${SYNCHRONIZATION_WRITE_ROLE} ` +
      "(Synchronization.Read.All is enough for preview and refresh), or Application.ReadWrite.OwnedBy and make it an owner of the service principal, " +
      "then grant admin consent; a new grant can take a few minutes to apply"
    );
  }
  if (d.status === 404) {
    const sp = SP_LEVEL.exec(d.path)?.[1];
    if (sp || d.code === "Request_ResourceNotFound") {
      return `Check servicePrincipalId${sp ? ` "${decodeURIComponent(sp)}"` : ""}: it is the object id of the enterprise application's service principal in this tenant, not the application (client) id`;
    }
    if (/\/synchronization\/templates\/[^/]+/.test(d.path)) {
      return "Check templateId: the service principal's templates are listed by GET /servicePrincipals/{id}/synchronization/templates";
    }
    if (/\/synchronization\/jobs\/[^/]+/.test(d.path)) {
      return "The synchronization job no longer exists (deleted outside Pulumi?): `pulumi refresh` updates the stack to match";
    }
    return undefined;
  }
  if (d.status === 429) return `Graph kept throttling the requests: run again later, or with fewer parallel operations (pulumi up --parallel); ${RETRY_SETTINGS}`;
  if (d.status >= 500) return `Graph's synchronization service failed, which is usually temporary: run again later; ${RETRY_SETTINGS}`;
  return undefined;
}
