/**
 * The handler of SynchronizationSecretsRevision (../program/secrets-revision.ts): the record,
 * saved before the secrets are written, that a write of new values was begun. Every
 * SynchronizationSecrets registers one (secrets.ts); programs do not declare it themselves.
 *
 * Why: Graph reads credential values back masked ("*"), so after a `pulumi up` killed while Graph
 * answered a secrets PUT, nothing in Graph tells which values it holds, and Pulumi's state still
 * holds the values of the last write that completed. If the program is then reverted to those
 * values, the next `up` would see no change and leave the killed run's values in place.
 *
 * The engine saves this resource before it runs the secrets' update (the secrets depend on its
 * `revision`), and it makes no Graph call. Its revision goes up by one whenever the declared values
 * change (it compares a digest of them, itself a secret in state); the secrets resource records the
 * revision it last wrote. A secrets resource whose recorded revision is behind the one declared has
 * an unfinished write behind it, so it writes every key it manages again, whatever the values.
 */

import { resourceIds } from "../state/ids";
import { type CheckFailure, checkObjectId, isUnknown } from "../validation";
import { type CheckResult, configureFromStack, type ResourceHandler, type Versioned } from "./handler";

export interface SecretsRevisionInputs {
  servicePrincipalId: string;
  /** sha256 of the declared keys and values (a secret in state: it is derived from credentials). */
  digest: string;
}

export interface SecretsRevisionOutputs extends SecretsRevisionInputs, Versioned {
  /** 1 at create, then one more for every change of `digest`. */
  revision: number;
}

export const handler: ResourceHandler<SecretsRevisionInputs, SecretsRevisionOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<SecretsRevisionInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    if (!isUnknown(news.digest) && (typeof news.digest !== "string" || news.digest === "")) {
      failures.push({ property: "digest", reason: "digest must be the digest of the declared secrets" });
    }
    if (failures.length > 0) return { failures };
    return { inputs: { servicePrincipalId: news.servicePrincipalId as string, digest: news.digest as string } };
  },

  async diff(_id, olds, news) {
    return { changes: isUnknown(news.digest) || olds.digest !== news.digest, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const outs = { ...inputs, revision: 1 };
    return { id: resourceIds.secretsRevision(inputs.servicePrincipalId), outs };
  },

  async read(id, props) {
    return { id, props, inputs: { servicePrincipalId: props.servicePrincipalId, digest: props.digest } as SecretsRevisionOutputs };
  },

  async update(_id, olds, news) {
    const revision = olds.digest === news.digest ? olds.revision : (olds.revision ?? 0) + 1;
    return { outs: { ...news, revision } };
  },

  async delete() {},
};
