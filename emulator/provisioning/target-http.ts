/**
 * The provisioning service's HTTP client for target applications: one request at a time, no
 * keep-alive, a short deadline, bearer authentication, SCIM JSON. It trusts the public roots plus
 * the emulator's own CA (the SCIM target the emulator hosts uses a certificate from it), whether or
 * not the process was started with NODE_EXTRA_CA_CERTS.
 */
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";

export interface TargetResponse {
  status: number;
  /** .NET HttpStatusCode name ("Unauthorized", "InternalServerError"), as provisioning errors show it. */
  statusName: string;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown;
}

/** The request never got an HTTP answer: refused, reset, TLS failure, DNS failure, timeout. */
export class TargetUnreachableError extends Error {
  constructor(
    message: string,
    /** "Timeout" for the deadline, else the socket error code (ECONNREFUSED, ECONNRESET, ...). */
    readonly code: string,
  ) {
    super(message);
  }
}

const TARGET_TIMEOUT_MS = 5_000;

export class TargetHttp {
  private readonly ca: string[];

  constructor(
    extraCaPem: string | undefined,
    private readonly timeoutMs = TARGET_TIMEOUT_MS,
  ) {
    this.ca = extraCaPem ? [...tls.rootCertificates, extraCaPem] : [...tls.rootCertificates];
  }

  request(method: string, url: string, bearerToken: string, body?: unknown): Promise<TargetResponse> {
    const target = new URL(url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      accept: "application/scim+json",
      authorization: `Bearer ${bearerToken}`,
    };
    if (payload !== undefined) headers["content-type"] = "application/scim+json";
    const options = { method, headers, agent: false as const, timeout: this.timeoutMs };
    return new Promise((resolve, reject) => {
      const onResponse = (res: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text.trim() === "" ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
          const status = res.statusCode ?? 0;
          resolve({ status, statusName: statusName(status), headers: flat, text, json });
        });
        res.on("error", (err) => reject(unreachable(err)));
      };
      const req = target.protocol === "https:" ? https.request(target, { ...options, ca: this.ca }, onResponse) : http.request(target, options, onResponse);
      req.on("timeout", () => req.destroy(new TargetUnreachableError(`The request to ${target.origin} timed out after ${this.timeoutMs} ms.`, "Timeout")));
      req.on("error", (err) => reject(unreachable(err)));
      req.end(payload);
    });
  }
}

function unreachable(err: Error): TargetUnreachableError {
  if (err instanceof TargetUnreachableError) return err;
  return new TargetUnreachableError(err.message, (err as NodeJS.ErrnoException).code ?? "Unknown");
}

/** "Internal Server Error" -> "InternalServerError" (the .NET enum member names match for the codes SCIM uses). */
function statusName(status: number): string {
  return (http.STATUS_CODES[status] ?? String(status)).replace(/[^A-Za-z0-9]/g, "");
}
