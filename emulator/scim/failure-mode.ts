/**
 * Ways the control plane can make the SCIM target fail, so tests and demos can drive the
 * provisioning service into quarantine (and out of it again):
 *  - rejectToken:      every request answers 401, as when the Secret Token was revoked;
 *  - serverError:      every request answers 500, as when the application is down behind its gateway;
 *  - failWrites:       reads work, every POST/PUT/PATCH/DELETE answers 500 (per-entry export failures);
 *  - dropConnections:  connections are closed before any HTTP exchange (unreachable target).
 */
export const SCIM_FAILURE_MODES = ["none", "rejectToken", "serverError", "failWrites", "dropConnections"] as const;
export type ScimFailureMode = (typeof SCIM_FAILURE_MODES)[number];

export function isScimFailureMode(value: unknown): value is ScimFailureMode {
  return typeof value === "string" && (SCIM_FAILURE_MODES as readonly string[]).includes(value);
}
