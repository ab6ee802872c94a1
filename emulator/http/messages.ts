/**
 * HTTP plumbing shared by the Graph routes, the OAuth endpoints, the control plane and the SCIM
 * target: content types, body reading, headers, OData error bodies.
 */
import type { IncomingMessage } from "node:http";
import type { ODataErrorBody } from "../../provider/graph/types";
import { GraphErrorReply } from "./errors";

/** The content type Graph sends with JSON bodies. */
export const GRAPH_JSON_CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
export const PLAIN_JSON_CONTENT_TYPE = "application/json; charset=utf-8";

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Graph's innerError date: UTC, seconds precision, no zone designator ("2024-07-18T07:14:15"). */
function graphErrorDate(at: Date): string {
  return at.toISOString().slice(0, 19);
}

export function odataErrorBody(code: string, message: string, requestId: string, clientRequestId: string, at: Date): ODataErrorBody {
  return {
    error: {
      code,
      message,
      innerError: { date: graphErrorDate(at), "request-id": requestId, "client-request-id": clientRequestId },
    },
  };
}

export function readRequestBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining (so the error response can still be written) but stop buffering.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) reject(new GraphErrorReply(413, "RequestEntityTooLarge", "The request body is too large."));
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

/** Parse a Graph request body; an empty body is `undefined`. */
export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new GraphErrorReply(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
}
