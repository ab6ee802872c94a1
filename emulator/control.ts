/**
 * The control plane under /_emulator/: test and demo controls that are not part of Graph. No
 * authentication, loopback callers only.
 *
 *   GET    /_emulator/health     liveness + tenant id
 *   POST   /_emulator/reset      back to the seeded tenant (same seed)
 *   GET    /_emulator/state      the tenant state, secret values redacted
 *   GET    /_emulator/requests   request log (Graph + OAuth calls; no bodies, no secrets)
 *   DELETE /_emulator/requests   clear the request log
 *   POST   /_emulator/cycles     run one provisioning cycle now for every running job
 *   GET    /_emulator/config     runtime configuration
 *   PUT    /_emulator/config     change cycleDelayMs / cycleIntervalMs / pageSize
 */
import type { IncomingMessage } from "node:http";
import type { EmulatorConfig, EmulatorEngine } from "./engine";
import { redactState } from "./redact";
import type { RequestLog } from "./request-log";

export const CONTROL_PREFIX = "/_emulator";

export interface ControlResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export async function handleControl(
  req: IncomingMessage,
  pathname: string,
  rawBody: string,
  engine: EmulatorEngine,
  requestLog: RequestLog,
): Promise<ControlResponse> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
    return error(403, "Forbidden", "The emulator control plane accepts loopback callers only.");
  }
  const route = `${req.method} ${pathname.replace(/\/+$/, "")}`;
  switch (route) {
    case `GET ${CONTROL_PREFIX}/health`:
      return { status: 200, body: { status: "ok", tenantId: engine.tenantId } };
    case `POST ${CONTROL_PREFIX}/reset`:
      engine.reset();
      return { status: 200, body: { status: "reset", tenantId: engine.tenantId } };
    case `GET ${CONTROL_PREFIX}/state`:
      return { status: 200, body: redactState(engine.store.state) };
    case `GET ${CONTROL_PREFIX}/requests`:
      return { status: 200, body: { value: requestLog.list() } };
    case `DELETE ${CONTROL_PREFIX}/requests`:
      requestLog.clear();
      return { status: 204 };
    case `POST ${CONTROL_PREFIX}/cycles`:
      return { status: 200, body: { value: await engine.runAllCycles() } };
    case `GET ${CONTROL_PREFIX}/config`:
      return { status: 200, body: { ...engine.config } };
    case `PUT ${CONTROL_PREFIX}/config`:
      return updateConfig(engine.config, rawBody);
    default:
      return error(404, "NotFound", `No control-plane operation '${route}'. See emulator/README.md.`);
  }
}

function updateConfig(config: EmulatorConfig, rawBody: string): ControlResponse {
  let body: unknown;
  try {
    body = JSON.parse(rawBody || "{}");
  } catch {
    return error(400, "BadRequest", "The body must be JSON.");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return error(400, "BadRequest", "The body must be a JSON object.");
  const updates = body as Record<string, unknown>;
  const limits: Record<keyof EmulatorConfig, number> = { cycleDelayMs: 0, cycleIntervalMs: 1, pageSize: 1 };
  for (const [key, value] of Object.entries(updates)) {
    if (!(key in limits)) return error(400, "BadRequest", `Unknown setting '${key}'. Known: ${Object.keys(limits).join(", ")}.`);
    if (typeof value !== "number" || !Number.isInteger(value) || value < limits[key as keyof EmulatorConfig]) {
      return error(400, "BadRequest", `'${key}' must be an integer >= ${limits[key as keyof EmulatorConfig]}.`);
    }
  }
  // Applies to timers armed from now on.
  Object.assign(config, updates);
  return { status: 200, body: { ...config } };
}

function error(status: number, code: string, message: string): ControlResponse {
  return { status, body: { error: { code, message } } };
}
