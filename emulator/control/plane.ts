/**
 * The control plane under /_emulator/: test and demo controls that are not part of Graph. No
 * authentication, loopback callers only.
 *
 *   GET    /_emulator/health     liveness + tenant id
 *   POST   /_emulator/reset      back to the seeded tenant (same seed)
 *   GET    /_emulator/state      the tenant state, secret values redacted
 *   GET    /_emulator/requests   request log (Graph + OAuth calls; no bodies, no secrets);
 *                                ?since=<seq> or ?since=<ISO time> for the newer entries only
 *   DELETE /_emulator/requests   clear the request log
 *   POST   /_emulator/cycles     run one provisioning cycle now for every running job
 *   GET    /_emulator/config     runtime configuration
 *   PUT    /_emulator/config     change cycleDelayMs / cycleIntervalMs / pageSize
 *   GET    /_emulator/faults     the fault configuration in effect
 *   PUT    /_emulator/faults     replace it (see faults/config.ts); restarts the fault stream
 *   DELETE /_emulator/faults     no faults
 *   DELETE /_emulator/servicePrincipals/{id}   delete a service principal out of band (with its
 *                                jobs, secrets and assignments), as deleting the enterprise app does
 *   GET    /_emulator/servicePrincipals/{id}/secretDigests   sha256 (hex) of every stored secret value,
 *                                by key: lets a test tell which value Graph holds, which Graph's own
 *                                masked GET never reveals, without the control plane revealing it either
 *   .../_emulator/scim/...        the SCIM target application (see scim.ts)
 *   POST   /_emulator/github-actions/runs   ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN for a workflow run
 *                                ({repository, ref, eventName, environment}; identity/github-actions.ts)
 *
 * Control-plane calls are never faulted and never logged.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { CYCLE_MODES, type EmulatorConfig, type EmulatorEngine } from "../provisioning/engine";
import type { FaultInjector } from "../faults/injector";
import type { GithubActionsIssuer } from "../identity/github-actions";
import { controlError, type ControlResponse } from "./reply";
import { FaultConfigError, NO_FAULTS, resolveFaultConfig } from "../faults/config";
import { redactState } from "../tenant/redact";
import type { RequestLog } from "./request-log";
import { handleScimControl, SCIM_CONTROL_PATH } from "./scim";
import type { ScimTargetInfo } from "../scim/target";

export const CONTROL_PREFIX = "/_emulator";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** What the control plane operates on. */
interface ControlContext {
  engine: EmulatorEngine;
  requestLog: RequestLog;
  faults: FaultInjector;
  actions: GithubActionsIssuer;
  scimTarget: ScimTargetInfo;
}

export async function handleControl(req: IncomingMessage, url: URL, rawBody: string, ctx: ControlContext): Promise<ControlResponse> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
    return controlError(403, "Forbidden", "The emulator control plane accepts loopback callers only.");
  }
  const { engine, requestLog, faults } = ctx;
  const route = `${req.method} ${url.pathname.replace(/\/+$/, "")}`;
  switch (route) {
    case `GET ${CONTROL_PREFIX}/health`:
      return { status: 200, body: { status: "ok", tenantId: engine.tenantId } };
    case `POST ${CONTROL_PREFIX}/reset`:
      engine.reset();
      faults.reset();
      // The target's data went with the tenant state; its failure switch is runtime state.
      ctx.scimTarget.setFailureMode("none");
      return { status: 200, body: { status: "reset", tenantId: engine.tenantId } };
    case `GET ${CONTROL_PREFIX}/state`:
      return { status: 200, body: redactState(engine.store.state) };
    case `GET ${CONTROL_PREFIX}/requests`:
      return listRequests(requestLog, url.searchParams.get("since"));
    case `DELETE ${CONTROL_PREFIX}/requests`:
      requestLog.clear();
      return { status: 204 };
    case `POST ${CONTROL_PREFIX}/cycles`:
      return { status: 200, body: { value: await engine.runAllCycles() } };
    case `GET ${CONTROL_PREFIX}/config`:
      return { status: 200, body: { ...engine.config } };
    case `PUT ${CONTROL_PREFIX}/config`:
      return updateConfig(engine, rawBody);
    case `GET ${CONTROL_PREFIX}/faults`:
      return { status: 200, body: faults.current };
    case `PUT ${CONTROL_PREFIX}/faults`:
      return replaceFaults(faults, rawBody);
    case `DELETE ${CONTROL_PREFIX}/faults`:
      faults.configure(NO_FAULTS);
      return { status: 204 };
    case `POST ${CONTROL_PREFIX}/github-actions/runs`:
      return newActionsRun(ctx.actions, url.origin, rawBody);
    default: {
      const deleteSp = new RegExp(`^DELETE ${CONTROL_PREFIX}/servicePrincipals/([^/]+)$`).exec(route);
      if (deleteSp) {
        return engine.deleteServicePrincipal(decodeURIComponent(deleteSp[1])) ? { status: 204 } : controlError(404, "NotFound", `No service principal '${deleteSp[1]}'.`);
      }
      const digests = new RegExp(`^GET ${CONTROL_PREFIX}/servicePrincipals/([^/]+)/secretDigests$`).exec(route);
      if (digests) {
        const sp = engine.store.state.servicePrincipals.find((s) => s.id.toLowerCase() === decodeURIComponent(digests[1]).toLowerCase());
        if (!sp) return controlError(404, "NotFound", `No service principal '${digests[1]}'.`);
        const secrets = engine.syncRecord(sp.id).secrets ?? [];
        return {
          status: 200,
          body: {
            value: secrets.map((p) => ({
              key: p.key,
              sha256: createHash("sha256")
                .update(p.value ?? "")
                .digest("hex"),
            })),
          },
        };
      }
      if (url.pathname.startsWith(`${CONTROL_PREFIX}${SCIM_CONTROL_PATH}`)) {
        return handleScimControl(req.method ?? "GET", url.pathname.slice(CONTROL_PREFIX.length), rawBody, ctx.scimTarget);
      }
      return controlError(404, "NotFound", `No control-plane operation '${route}'. See emulator/README.md.`);
    }
  }
}

function listRequests(requestLog: RequestLog, since: string | null): ControlResponse {
  let from: number | Date | undefined;
  if (since !== null) {
    if (/^\d+$/.test(since)) from = Number(since);
    else if (!Number.isNaN(Date.parse(since))) from = new Date(since);
    else return controlError(400, "BadRequest", "'since' must be a sequence number or an ISO 8601 time.");
  }
  return { status: 200, body: { value: requestLog.list(from), latestSeq: requestLog.latestSeq } };
}

/** What the runner would set for a job of this run (identity/github-actions.ts). */
async function newActionsRun(actions: GithubActionsIssuer, origin: string, rawBody: string): Promise<ControlResponse> {
  const body = readJsonObject(rawBody);
  if ("error" in body) return body.error;
  const known = ["repository", "ref", "eventName", "environment"];
  for (const [key, value] of Object.entries(body.value)) {
    if (!known.includes(key)) return controlError(400, "BadRequest", `Unknown run property '${key}'. Known: ${known.join(", ")}.`);
    if (typeof value !== "string" || value === "") return controlError(400, "BadRequest", `'${key}' must be a non-empty string.`);
  }
  try {
    return { status: 200, body: await actions.requestFor(origin, body.value) };
  } catch (err) {
    if (err instanceof RangeError) return controlError(400, "BadRequest", err.message);
    throw err;
  }
}

function replaceFaults(faults: FaultInjector, rawBody: string): ControlResponse {
  const body = readJsonObject(rawBody);
  if ("error" in body) return body.error;
  try {
    faults.configure(resolveFaultConfig(body.value));
  } catch (err) {
    if (err instanceof FaultConfigError) return controlError(400, "BadRequest", err.message);
    throw err;
  }
  return { status: 200, body: faults.current };
}

function updateConfig(engine: EmulatorEngine, rawBody: string): ControlResponse {
  const body = readJsonObject(rawBody);
  if ("error" in body) return body.error;
  const updates = body.value;
  const limits: Record<Exclude<keyof EmulatorConfig, "cycles">, number> = { cycleDelayMs: 0, cycleIntervalMs: 1, pageSize: 1 };
  const known = [...Object.keys(limits), "cycles"];
  for (const [key, value] of Object.entries(updates)) {
    if (!known.includes(key)) return controlError(400, "BadRequest", `Unknown setting '${key}'. Known: ${known.join(", ")}.`);
    if (key === "cycles") {
      if (!(CYCLE_MODES as readonly unknown[]).includes(value)) return controlError(400, "BadRequest", `'cycles' must be one of ${CYCLE_MODES.join(", ")}.`);
      continue;
    }
    const min = limits[key as keyof typeof limits];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      return controlError(400, "BadRequest", `'${key}' must be an integer >= ${min}.`);
    }
  }
  engine.configure(updates);
  return { status: 200, body: { ...engine.config } };
}

/** An empty body reads as {}. */
function readJsonObject(rawBody: string): { value: Record<string, unknown> } | { error: ControlResponse } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody || "{}");
  } catch {
    return { error: controlError(400, "BadRequest", "The body must be JSON.") };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return { error: controlError(400, "BadRequest", "The body must be a JSON object.") };
  return { value: body as Record<string, unknown> };
}
