/**
 * SynchronizationSecretsRevision: the record, saved before the secrets are written, that a write
 * of new values was begun. Every SynchronizationSecrets registers one (secrets.ts); programs do not
 * declare it themselves. Why, and how the revision moves: ../handlers/secrets-revision.ts.
 */

import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { stableStringify } from "../schema/stable-json";
import { EntraSyncResource } from "./resource";

/**
 * The digest of what a SynchronizationSecrets declares (its credentials and settings as written in
 * the program), computed in the program. The service principal id is compared case-insensitively.
 */
export function secretsDigest(servicePrincipalId: string, declared: unknown): string {
  return crypto
    .createHash("sha256")
    .update(stableStringify([servicePrincipalId.toLowerCase(), declared]))
    .digest("hex");
}

export class SynchronizationSecretsRevision extends EntraSyncResource {
  declare readonly revision: pulumi.Output<number>;

  constructor(name: string, args: { servicePrincipalId: pulumi.Input<string>; digest: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(
      "SynchronizationSecretsRevision",
      name,
      { servicePrincipalId: args.servicePrincipalId, digest: args.digest, revision: undefined, stateVersion: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["digest"] }),
    );
  }
}
