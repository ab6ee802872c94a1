/**
 * Turns a failed call into the error users see: the Graph client's GraphError (which keeps only
 * a message of whatever a middleware threw) together with our retry middleware's report of the
 * call (how often it was sent, why retrying stopped, and the original network or token error).
 */

import { GraphError } from "@microsoft/microsoft-graph-client";
import { GraphRequestError } from "./errors";
import type { CallReport } from "./retry/policy";
import type { RetryStop } from "./retry/compose";
import { formatWait } from "./retry/strategy";
import { explainTokenFailure } from "./token-failure";

interface FailedCall {
  method: string;
  path: string;
  operation: string;
  report?: CallReport;
}

export function toGraphRequestError(e: unknown, call: FailedCall): Error {
  const path = call.path.split("?")[0];
  const common = {
    operation: call.operation,
    method: call.method,
    path,
    attempts: call.report?.attempts,
    retryNote: call.report ? retryNote(call.report) : undefined,
    mayHaveSucceeded: call.report?.ambiguous,
  };
  const outcome = call.report?.outcome;
  if (outcome?.kind === "token") {
    const t = explainTokenFailure(outcome.error);
    return new GraphRequestError({
      ...common,
      kind: "token",
      status: -1,
      code: t.code,
      graphMessage: t.description,
      traceId: t.traceId,
      correlationId: t.correlationId,
      hint: t.hint,
    });
  }
  if (outcome?.kind === "network") {
    const cause = innermostMessage(outcome.error);
    return new GraphRequestError({ ...common, kind: "network", status: -1, code: outcome.code, graphMessage: cause });
  }
  // A bug or a setting problem surfaced inside the middleware chain: the original error, untouched.
  if (outcome?.kind === "other") return outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));

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
  const inner = (body as ODataErrorLike | undefined)?.innerError ?? (body as ODataErrorLike | undefined)?.error?.innerError ?? {};
  const backend = backendError(ge.message);
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const status = ge.statusCode;
  return new GraphRequestError({
    ...common,
    retryAfterMs: call.report?.retryAfterMs,
    status,
    code: backend?.code ?? ge.code ?? (status === -1 ? "NetworkError" : "UnknownError"),
    graphMessage: backend?.message ?? (ge.message || "(no message)"),
    requestId: ge.requestId ?? str(inner["request-id"]) ?? str(ge.headers?.get("request-id")),
    clientRequestId: str(inner["client-request-id"]) ?? str(ge.headers?.get("client-request-id")),
    date: str(inner.date) ?? (ge.date instanceof Date && !isNaN(ge.date.getTime()) ? ge.date.toISOString() : undefined),
    body,
  });
}

interface ODataErrorLike {
  error?: { code?: string; message?: string; innerError?: Record<string, unknown> };
  innerError?: Record<string, unknown>;
}

/** Why retrying ended, in the settings' own names; nothing when there was nothing to retry. */
function retryNote(report: CallReport): string | undefined {
  const stop: RetryStop | undefined = report.stop;
  if (!stop || stop.kind === "not-retryable") return undefined;
  if (stop.kind === "declined") return report.ambiguous ? undefined : stop.reason;
  const setting = report.layer === "consistency" ? "entra-sync:consistencyTimeoutSeconds" : "entra-sync:retryDeadlineSeconds";
  if (stop.kind === "max-retries") return `${stop.reason}, and no retries are left (entra-sync:maxRetries)`;
  return `${stop.reason}, and waiting ${formatWait(stop.delayMs)} more would pass the deadline (${setting})`;
}

/** undici reports "fetch failed" and hides the reason in `cause`: the innermost message says what broke. */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object" && "cause" in current; depth++) {
    current = (current as { cause?: unknown }).cause;
    if (current instanceof Error && current.message) message = current.message;
  }
  return message;
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
