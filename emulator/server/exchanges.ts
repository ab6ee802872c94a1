/**
 * Graph exchanges for `RunningEmulator.onExchange`: every Graph request and its answer, with secret
 * values and Authorization headers redacted (tenant/redact.ts). A listener that throws does not
 * break the emulator.
 */
import type { IncomingMessage } from "node:http";
import { redactBody, redactHeaders } from "../tenant/redact";

export interface GraphExchange {
  method: string;
  /** Path including the /v1.0 or /beta prefix, without the query string. */
  path: string;
  query: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

export type ExchangeListener = (x: GraphExchange) => void;

/** An answer as the server sends it. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** JSON-serializable body; undefined for no body. */
  body?: unknown;
}

export class ExchangeListeners {
  private readonly listeners = new Set<ExchangeListener>();

  add(listener: ExchangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(req: IncomingMessage, method: string, url: URL, rawBody: string, reply: Reply): void {
    if (this.listeners.size === 0) return;
    const exchange = redactedExchange(req, method, url, rawBody, reply);
    for (const listener of this.listeners) {
      try {
        listener(exchange);
      } catch {
        // A failing listener must not break the emulator.
      }
    }
  }
}

function redactedExchange(req: IncomingMessage, method: string, url: URL, rawBody: string, reply: Reply): GraphExchange {
  let requestBody: unknown = undefined;
  if (rawBody.trim() !== "") {
    try {
      requestBody = JSON.parse(rawBody);
    } catch {
      requestBody = rawBody;
    }
  }
  const requestHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) requestHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    requestHeaders: redactHeaders(requestHeaders),
    requestBody: redactBody(requestBody),
    status: reply.status,
    responseHeaders: Object.fromEntries(Object.entries(reply.headers).map(([k, v]) => [k.toLowerCase(), v])),
    responseBody: redactBody(reply.body === undefined ? undefined : JSON.parse(JSON.stringify(reply.body))),
  };
}
