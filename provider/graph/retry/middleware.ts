/**
 * Our retry policy as a middleware of @microsoft/microsoft-graph-client, in place of the library's
 * RetryHandler (which honours Retry-After only in seconds, and retries POSTs blindly on 429, 503
 * and 504). It sits first in the chain, before the AuthenticationHandler, so that each try gets a
 * current token and a token failure reaches it as the credential's own error, not as a wrapped one.
 *
 * Per call, the caller hands it a RetryCallOptions (the library's per-request middleware options):
 * the operation's name for logs, whether the request is idempotent, and an optional consistency
 * window. The middleware writes its report there (tries, why it stopped, the last outcome), so the
 * client can build an error that says what happened, since the library keeps only a message of
 * whatever a middleware throws.
 */

import type { Context, Middleware, MiddlewareOptions } from "@microsoft/microsoft-graph-client";
import { logLine } from "../log";
import type { RetryEvent } from "./compose";
import type { ConsistencyWindow } from "./consistency";
import { networkFailure } from "./network";
import { type CallReport, type RetryPolicy, runWithPolicy } from "./policy";
import { type AttemptOutcome, formatWait } from "./strategy";

export interface GraphCallOptions {
  /** What the provider is doing, e.g. `create synchronization job from template "scim"`. */
  operation: string;
  /** Default: true for every method but POST and PATCH. */
  idempotent?: boolean;
  /** Set when the call follows a write Graph may not have replicated yet. */
  consistency?: ConsistencyWindow;
  /**
   * A caller's own retry deadline over several calls (time on the policy's clock): no retry wait
   * of this call may end after it, on top of the call's own bounds. Job creation sets it.
   */
  retryUntil?: number;
}

export class RetryCallOptions implements MiddlewareOptions {
  /** Filled in by the middleware when the call ends. */
  report?: CallReport;

  constructor(readonly call: GraphCallOptions) {}
}

const NON_IDEMPOTENT_METHODS = new Set(["POST", "PATCH"]);

/** Errors @azure/identity raises when it cannot get a token (by name: the classes live in several copies). */
const TOKEN_ERROR_NAMES = new Set(["AuthenticationError", "AuthenticationRequiredError", "AggregateAuthenticationError", "CredentialUnavailableError"]);

export class StrategyRetryHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly policy: () => RetryPolicy) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error("StrategyRetryHandler must not be the last middleware");
    const options = context.middlewareControl?.getMiddlewareOptions(RetryCallOptions) as RetryCallOptions | undefined;
    const method = (context.options?.method ?? "GET").toUpperCase();
    const path = graphPath(context.request);
    const request = { method, path, idempotent: options?.call.idempotent ?? !NON_IDEMPOTENT_METHODS.has(method) };
    const operation = options?.call.operation ?? `${method} ${path}`;

    const tryOnce = async (): Promise<AttemptOutcome> => {
      await discardBody(context.response);
      context.response = undefined;
      // The AuthenticationHandler appends its header: without this, a retry would send "Bearer a, Bearer a".
      forgetAuthorization(context.options);
      try {
        await next.execute(context);
      } catch (error) {
        return classifyThrown(error);
      }
      const response = context.response as Response | undefined;
      if (!response) return { kind: "other", error: new Error("the Graph client middleware chain produced no response") };
      return { kind: "response", status: response.status, headers: response.headers };
    };

    const report = await runWithPolicy(tryOnce, request, this.policy(), options?.call.consistency, {
      signal: context.options?.signal ?? undefined,
      retryUntil: options?.call.retryUntil,
      onRetry: (event, layer) => logLine(retryLine(operation, event, layer)),
    });
    if (options) options.report = report;
    if (report.outcome.kind !== "response") throw report.outcome.error;
  }
}

export function classifyThrown(error: unknown): AttemptOutcome {
  const name = error instanceof Error ? error.name : undefined;
  if (name && TOKEN_ERROR_NAMES.has(name)) return { kind: "token", error };
  const network = networkFailure(error);
  if (network) return { kind: "network", ...network, error };
  return { kind: "other", error };
}

/** "retrying create synchronization job … (POST /servicePrincipals/…/jobs): 429 throttled, Retry-After 5s; retry 1 of 5 in 5s" */
function retryLine(operation: string, event: RetryEvent, layer: "transport" | "consistency"): string {
  const { request } = event.attempt;
  const of = Number.isFinite(event.limits.maxRetries) ? ` of ${event.limits.maxRetries}` : "";
  const bound = layer === "consistency" ? ` (waiting up to ${Math.round(event.limits.deadlineMs / 1000)}s)` : "";
  return (
    `retrying ${operation} (${request.method} ${request.path}): ${event.decision.reason}; ` + `retry ${event.retry}${of} in ${formatWait(event.decision.delayMs)}${bound}`
  );
}

/** The Graph path of a request URL, without origin, version segment and query: /servicePrincipals/… */
function graphPath(request: Context["request"]): string {
  // Context["request"] is the DOM's RequestInfo, which this project's libs (ES2022, no DOM) leave unresolved.
  const url = typeof request === "string" ? request : (request as { url: string }).url;
  try {
    return new URL(url).pathname.replace(/^\/(v1\.0|beta)(?=\/)/, "");
  } catch {
    return url.split("?")[0];
  }
}

/** Remove the Authorization header a previous try added, so that each try carries exactly one, current token. */
function forgetAuthorization(options: Context["options"]): void {
  const headers = options?.headers as Headers | [string, string][] | Record<string, string> | undefined;
  if (!headers) return;
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    headers.delete("authorization");
  } else if (Array.isArray(headers)) {
    options!.headers = headers.filter(([name]) => name.toLowerCase() !== "authorization");
  } else {
    const record = headers as Record<string, string>;
    for (const name of Object.keys(record)) if (name.toLowerCase() === "authorization") delete record[name];
  }
}

/** A response we retry past is dropped: read its (small, error) body so the connection is reused. */
async function discardBody(response: Response | undefined): Promise<void> {
  if (response && !response.bodyUsed) await response.arrayBuffer().catch(() => undefined);
}
