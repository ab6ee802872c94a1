/**
 * What the emulator's SCIM target application holds: its users and groups as SCIM resources.
 * Part of the tenant state, so it is persisted with the state file (demo) and reset with the
 * tenant. The bearer token is not stored: it is derived from the seed, so it never lands in the
 * state file or the control plane's state dump.
 */
import { deriveSeed, Rng } from "../rng";

/** A stored SCIM resource: the JSON the target returns, minus `meta.location` (computed per request). */
export type ScimResourceRecord = Record<string, unknown> & {
  id: string;
  meta: { resourceType: "User" | "Group"; created: string; lastModified: string };
};

export interface ScimTargetState {
  /** Persisted position of the target's own id stream (SCIM ids are the application's, not Entra's). */
  idRngState: number;
  users: ScimResourceRecord[];
  groups: ScimResourceRecord[];
  /** Last port the target listened on, reused when free so a persisted BaseAddress stays valid. */
  lastPort?: number;
}

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function emptyScimTargetState(seed: number): ScimTargetState {
  return { idRngState: deriveSeed(seed, "scim-target-ids"), users: [], groups: [] };
}

/** The target's bearer token ("Secret Token" in the portal): a function of the seed. */
export function scimTargetToken(seed: number): string {
  return `scim-${new Rng(deriveSeed(seed, "scim-target-token")).chars(40, TOKEN_ALPHABET)}`;
}
