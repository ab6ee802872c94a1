/**
 * What the emulator's SCIM target application holds (its users and groups as SCIM resources) is
 * part of the tenant state (ScimTargetState in tenant/store.ts), so it is persisted with the state file
 * (demo) and reset with the tenant. This is where that part starts, and the application's token. The bearer token is not stored: it is derived from the seed, so it never lands in the
 * state file or the control plane's state dump.
 */
import { deriveSeed, Rng } from "../core/rng";
import type { ScimTargetState } from "../tenant/store";

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function emptyScimTargetState(seed: number): ScimTargetState {
  return { idRngState: deriveSeed(seed, "scim-target-ids"), users: [], groups: [] };
}

/** The target's bearer token ("Secret Token" in the portal): a function of the seed. */
export function scimTargetToken(seed: number): string {
  return `scim-${new Rng(deriveSeed(seed, "scim-target-token")).chars(40, TOKEN_ALPHABET)}`;
}
