/**
 * The reset scope of `POST .../jobs/{id}/restart` (`synchronizationJobRestartScope`, a flags enum).
 * Graph takes the flags as one string of member names joined by ", " — the docs' example body is
 * `{"criteria":{"resetScope":"Watermark, Escrows, QuarantineState"}}` — so the program declares a
 * list and this module writes that string. Pure: used by check (no Graph call) and by update.
 */

import { type CheckFailure, describe, didYouMean, isUnknown } from "../validation";

/**
 * The flags a program may ask for. `None` is left out on purpose: the docs say not to use it (it
 * only starts a paused job; that is `enabled: true`). `ConnectorDataStore` is documented as
 * "support only"; it is accepted, since `Full` includes it anyway.
 */
export const RESTART_SCOPES = ["Full", "Escrows", "Watermark", "QuarantineState", "ConnectorDataStore", "ForceDeletes"] as const;
export type RestartScope = (typeof RESTART_SCOPES)[number];

/** What the portal's "Restart provisioning" resets, and what Graph does for an empty scope. */
export const DEFAULT_RESTART_SCOPE: readonly RestartScope[] = ["Watermark", "Escrows", "QuarantineState"];

/** Bits of the enum in the CSDL, used only to order and de-duplicate the flags. */
const BITS: Record<RestartScope, number> = {
  ConnectorDataStore: 1,
  Escrows: 2,
  Watermark: 4,
  QuarantineState: 8,
  Full: 15,
  ForceDeletes: 32,
};

export interface RestartSpec {
  /** Any value; when it changes (including from absent), the next `pulumi up` restarts the job. */
  trigger: string;
  /** What to reset; default Watermark, Escrows and QuarantineState (the portal's restart). */
  scope?: RestartScope[];
}

/**
 * The `resetScope` string for a declared scope: flags covered by `Full` collapse into it, the
 * order is stable, duplicates go. An empty or absent scope gives the portal's default explicitly,
 * so what is sent does not depend on Graph's handling of an empty value.
 */
export function resetScopeString(scope: readonly RestartScope[] | undefined): string {
  const wanted = scope && scope.length > 0 ? scope : DEFAULT_RESTART_SCOPE;
  const bits = wanted.reduce((acc, s) => acc | BITS[s], 0);
  const names: string[] = [];
  if ((bits & BITS.Full) === BITS.Full) {
    names.push("Full");
  } else {
    // The docs' own order for the default: Watermark, Escrows, QuarantineState.
    for (const s of ["Watermark", "Escrows", "QuarantineState", "ConnectorDataStore"] as const) {
      if (bits & BITS[s]) names.push(s);
    }
  }
  if (bits & BITS.ForceDeletes) names.push("ForceDeletes");
  return names.join(", ");
}

/** The body of the restart call. */
export function restartBody(scope: readonly RestartScope[] | undefined): { criteria: { resetScope: string } } {
  return { criteria: { resetScope: resetScopeString(scope) } };
}

/** check() of a `restart` input: `{ trigger: string, scope?: RestartScope[] }`. */
export function checkRestart(property: string, value: unknown, failures: CheckFailure[]): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (typeof value !== "object" || Array.isArray(value)) {
    failures.push({ property, reason: `${property} must be an object { trigger, scope? }, got ${describe(value)}` });
    return;
  }
  const { trigger, scope, ...rest } = value as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    failures.push({ property: `${property}.${key}`, reason: `${key} is not a field of ${property}; use trigger and scope` });
  }
  if (!isUnknown(trigger) && (typeof trigger !== "string" || trigger === "")) {
    failures.push({
      property: `${property}.trigger`,
      reason: `${property}.trigger must be a non-empty string (change it to restart the job), got ${describe(trigger)}`,
    });
  }
  if (scope === undefined || isUnknown(scope)) return;
  if (!Array.isArray(scope)) {
    failures.push({ property: `${property}.scope`, reason: `${property}.scope must be a list of ${RESTART_SCOPES.join(", ")}` });
    return;
  }
  scope.forEach((s, i) => {
    if (isUnknown(s) || (RESTART_SCOPES as readonly unknown[]).includes(s)) return;
    const hint = typeof s === "string" ? didYouMean(s, RESTART_SCOPES) : undefined;
    failures.push({
      property: `${property}.scope[${i}]`,
      reason:
        s === "None"
          ? `"None" is not a reset scope: to start a paused job set enabled to true`
          : `${describe(s)} is not a reset scope` + (hint ? `; did you mean "${hint}"?` : `; valid: ${RESTART_SCOPES.join(", ")}`),
    });
  });
}
