/**
 * Transport failures, as Node's fetch (undici) reports them: a TypeError("fetch failed") whose
 * `cause` chain carries a system or undici error code. Split into failures that happened before
 * the request could reach Graph (safe to send again, whatever the method) and failures after it
 * may have arrived (only idempotent requests may be sent again without looking first).
 */

/** The connection was never established: Graph cannot have seen the request. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "EAI_AGAIN", // temporary DNS failure
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The connection broke or timed out while the request or its response was on the way. */
export const MAYBE_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET", // includes Node's "socket hang up"
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET", // "other side closed"
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** Failures of name resolution or of the TLS handshake: nothing was sent, and waiting will not help. */
const NEVER_CONNECTED = /^(ENOTFOUND|UNABLE_TO_\w+|\w*CERT\w*|\w*TLS\w*|\w*SSL\w*)$/;

interface NetworkFailure {
  code: string;
  /** False only when the request certainly did not reach Graph. */
  sent: boolean;
}

/**
 * The transport failure behind `error`, or undefined when it is not one. Errors with an unknown
 * code (a TLS certificate problem, ENOTFOUND for a mistyped endpoint) are still network failures,
 * reported as such, but no strategy retries them: waiting does not fix them.
 */
export function networkFailure(error: unknown): NetworkFailure | undefined {
  let fetchFailed = false;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    const message = typeof e.message === "string" ? e.message : "";
    if (typeof e.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(e.code)) {
      return { code: e.code, sent: !NOT_SENT_CODES.has(e.code) && !NEVER_CONNECTED.test(e.code) };
    }
    if (/socket hang up/i.test(message)) return { code: "ECONNRESET", sent: true };
    if (/other side closed/i.test(message)) return { code: "UND_ERR_SOCKET", sent: true };
    if (e.name === "TypeError" && message === "fetch failed") fetchFailed = true;
    current = e.cause;
  }
  // fetch failed without saying why: assume the worst, that it may have arrived.
  return fetchFailed ? { code: "FETCH_FAILED", sent: true } : undefined;
}
