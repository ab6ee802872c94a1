/**
 * What the program being deployed declares, as this provider process has seen it.
 *
 * Pulumi serves every dynamic resource of one deployment from one provider process, and it calls
 * `check` for every resource the program declares before it deletes anything:
 *  - a rename without an alias is a create of the new resource during the program's run and a
 *    delete of the old one at the end of the `up`;
 *  - a create-before-delete replacement deletes the old resource after the new one was created;
 *  - a delete-before-replace replacement deletes the old one right after the new one's check.
 * So when a delete (or an update that drops something) is about to remove a secret key, a job or a
 * job's schema customization from Graph, it asks here whether another resource of the same program
 * still declares it, and leaves it alone if so: one `pulumi up` never removes what the same
 * deployment writes or holds. `pulumi destroy` runs no program, so nothing is held then.
 *
 * Across stacks no process can know this; what protects another stack's objects is that nothing is
 * ever taken over implicitly (see ../handlers/job-creation.ts).
 */

import { connectionSettings } from "../graph/connection";

type HoldingKind = "secretKey" | "job" | "schema";

const held = new Set<string>();

/**
 * Objects of one tenant: ids are compared case-insensitively, as Graph compares GUIDs; the endpoint
 * and tenant keep tenants (and test emulators) in one process apart.
 */
function holdingKey(kind: HoldingKind, servicePrincipalId: string, name: string): string {
  let tenant = "";
  try {
    const { graphEndpoint, tenantId } = connectionSettings();
    tenant = `${graphEndpoint}|${tenantId ?? ""}`;
  } catch {
    // Settings that do not resolve fail the Graph calls with a clear error; here they only key.
  }
  const normalizedName = kind === "secretKey" ? name : name.toLowerCase();
  return `${tenant}|${kind}|${servicePrincipalId.toLowerCase()}|${normalizedName}`;
}

/** Record that a resource of the program declares `name` (a secret key, a job id) on the service principal. */
export function declareHeld(kind: HoldingKind, servicePrincipalId: unknown, name: unknown): void {
  if (typeof servicePrincipalId !== "string" || typeof name !== "string" || servicePrincipalId === "" || name === "") return;
  held.add(holdingKey(kind, servicePrincipalId, name));
}

export function isHeldByProgram(kind: HoldingKind, servicePrincipalId: string, name: string): boolean {
  return held.has(holdingKey(kind, servicePrincipalId, name));
}

/** For tests that call handlers directly: forget what earlier checks declared. */
export function forgetHoldings(): void {
  held.clear();
}
