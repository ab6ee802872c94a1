/**
 * Control-plane operations on the emulated SCIM target application (under /_emulator/scim):
 *
 *   GET  /_emulator/scim           where it listens, its failure mode, how many users/groups it holds
 *   GET  /_emulator/scim/Users     the provisioned users, as the application stores them
 *   GET  /_emulator/scim/Groups    the provisioned groups
 *   PUT  /_emulator/scim/failure   {"mode": "none" | "rejectToken" | "serverError" | "failWrites" | "dropConnections"}
 *   POST /_emulator/scim/reset     forget every user and group, stop failing
 *
 * The token is not shown: it is the SecretToken secret's value (RunningEmulator.scimTarget.token
 * and the CLI's first line give it to whoever starts the emulator).
 */
import { controlError, type ControlResponse } from "./reply";
import { isScimFailureMode, SCIM_FAILURE_MODES } from "../scim/failure-mode";
import type { ScimTargetInfo } from "../scim/target";

export const SCIM_CONTROL_PATH = "/scim";

/** `path` is the part after /_emulator (e.g. "/scim/Users"). */
export function handleScimControl(method: string, path: string, rawBody: string, target: ScimTargetInfo): ControlResponse {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case `GET ${SCIM_CONTROL_PATH}`:
      return {
        status: 200,
        body: { baseAddress: target.baseAddress, failureMode: target.failureMode, users: target.listUsers().length, groups: target.listGroups().length },
      };
    case `GET ${SCIM_CONTROL_PATH}/Users`:
      return { status: 200, body: { value: target.listUsers() } };
    case `GET ${SCIM_CONTROL_PATH}/Groups`:
      return { status: 200, body: { value: target.listGroups() } };
    case `PUT ${SCIM_CONTROL_PATH}/failure`: {
      let mode: unknown;
      try {
        mode = (JSON.parse(rawBody || "{}") as { mode?: unknown }).mode;
      } catch {
        return controlError(400, "BadRequest", "The body must be JSON.");
      }
      if (!isScimFailureMode(mode)) return controlError(400, "BadRequest", `'mode' must be one of ${SCIM_FAILURE_MODES.join(", ")}.`);
      target.setFailureMode(mode);
      return { status: 200, body: { mode } };
    }
    case `POST ${SCIM_CONTROL_PATH}/reset`:
      target.reset();
      return { status: 204 };
    default:
      return controlError(404, "NotFound", `No control-plane operation '${method} /_emulator${path}'. See emulator/README.md.`);
  }
}
