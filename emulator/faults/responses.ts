/**
 * What an injected fault looks like on the wire.
 *
 * Graph (docs/graph-behaviour.md §1): OData error bodies with innerError {date, request-id,
 * client-request-id}.
 *  - 429 `TooManyRequests` with `Retry-After` in whole seconds [DOC throttling; OBS Q&A 1138873];
 *  - 503 `serviceNotAvailable`, Retry-After when configured [DOC errors.md: "may carry Retry-After"];
 *  - 504 `UnknownError` with an empty message, as reported from the Graph gateway
 *    [OBS microsoft-graph-docs#2505, #5288].
 * OAuth endpoints: the OAuth 2.0 error shape (`temporarily_unavailable`), since MSAL reads those.
 *
 * The emulator-only `retry-after-ms` header is added when a rule asked for a millisecond wait.
 */
import type { FaultOutcome, FaultTargetKind } from "./config";
import { odataErrorBody } from "../http/messages";

export interface FaultReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A wait to announce: Retry-After gets whole seconds, rounded up so honouring it is never early. */
export interface AnnouncedWait {
  ms: number;
  /** Also send the exact wait in `retry-after-ms`. */
  exactMs: boolean;
}

type ErrorOutcome = Exclude<FaultOutcome, "dropConnection">;

/** The wait a client is told, in ms: `retry-after-ms` when sent, else the whole seconds of Retry-After. */
export function announcedWaitMs(wait: AnnouncedWait): number {
  return wait.exactMs ? Math.ceil(wait.ms) : Math.ceil(wait.ms / 1000) * 1000;
}

const GRAPH_ERRORS: Record<ErrorOutcome, { status: number; code: string; message: string }> = {
  throttle: { status: 429, code: "TooManyRequests", message: "Too many requests. Please try again later." },
  serviceUnavailable: {
    status: 503,
    code: "serviceNotAvailable",
    message: "The service is temporarily unavailable. Please try again later.",
  },
  gatewayTimeout: { status: 504, code: "UnknownError", message: "" },
};

export function faultReply(
  kind: FaultTargetKind,
  outcome: ErrorOutcome,
  wait: AnnouncedWait | undefined,
  ids: { requestId: string; clientRequestId: string },
  /** The emulator's time, for the error's innerError date. */
  at: Date,
): FaultReply {
  const { status, code, message } = GRAPH_ERRORS[outcome];
  const headers: Record<string, string> = {};
  if (wait) {
    headers["retry-after"] = String(Math.ceil(wait.ms / 1000));
    if (wait.exactMs) headers["retry-after-ms"] = String(Math.ceil(wait.ms));
  }
  if (kind === "graph") return { status, headers, body: odataErrorBody(code, message, ids.requestId, ids.clientRequestId, at) };
  return {
    status,
    headers: { ...headers, "x-ms-request-id": ids.requestId, "client-request-id": ids.clientRequestId },
    body: {
      error: "temporarily_unavailable",
      error_description: `The service is temporarily unavailable (HTTP ${status}). Trace ID: ${ids.requestId} Correlation ID: ${ids.clientRequestId}`,
      error_codes: [],
      trace_id: ids.requestId,
      correlation_id: ids.clientRequestId,
    },
  };
}
