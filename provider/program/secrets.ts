/**
 * SynchronizationSecrets: the provisioning credentials and settings stored on a service principal
 * (`PUT/GET .../synchronization/secrets`), e.g. BaseAddress + SecretToken of a SCIM target, and
 * the provisioning settings (scope, notification e-mail, accidental-deletion threshold, ...) as
 * typed inputs. What is managed, how drift is seen and the Graph calls: ../handlers/secrets.ts.
 *
 * Credential values are Pulumi secrets in the program and in state; settings are not secret. In
 * state a SynchronizationSecrets is two resources: its revision record (secrets-revision.ts),
 * saved first, and the secrets.
 */

import * as pulumi from "@pulumi/pulumi";
import { SYNCHRONIZATION_SECRET_KEYS } from "../graph/types";
import type { ProvisioningScope } from "../settings/provisioning-settings";
import { EntraSyncResource } from "./resource";
import { secretsDigest, SynchronizationSecretsRevision } from "./secrets-revision";
import { siblingOptions } from "./sibling";

/** Keys a program may set: the synchronizationSecret enum, less its "None" placeholder. */
export const SECRET_KEYS: readonly string[] = SYNCHRONIZATION_SECRET_KEYS.filter((k) => k !== "None");

export interface SynchronizationSecretsArgs {
  /** Object id of the service principal (enterprise application), not its appId. */
  servicePrincipalId: pulumi.Input<string>;
  /** Secret key -> value, e.g. { BaseAddress: "https://scim.example.com/scim", SecretToken: token }. */
  credentials?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** "assignedUsersAndGroups" (the portal's default) or "allUsersAndGroups": written as SyncAll. */
  provisioningScope?: pulumi.Input<ProvisioningScope>;
  /** Where failure and quarantine e-mails go (SyncNotificationSettings.Recipients). */
  notificationEmail?: pulumi.Input<string>;
  /** Send an e-mail when provisioning fails (SyncNotificationSettings.Enabled). Default: true when notificationEmail is set. */
  sendFailureEmails?: pulumi.Input<boolean>;
  /** Prevent accidental deletions above this many accounts per cycle (SyncNotificationSettings.DeleteThreshold*). */
  accidentalDeletionThreshold?: pulumi.Input<number>;
  /** Keep accounts that leave the scope enabled in the target (SkipOutOfScopeDeletions). */
  skipOutOfScopeDeletions?: pulumi.Input<boolean>;
  /**
   * Test the credentials against the target (Graph validateCredentials) before saving them; a
   * rejection fails the create/update with the target's error and leaves the saved ones alone.
   * Needs `templateId` (before a job exists) or `jobId`.
   */
  validateCredentials?: pulumi.Input<boolean>;
  /** The template the credentials are for, e.g. "scim"; used by validateCredentials. */
  templateId?: pulumi.Input<string>;
  /** A job of this service principal; validateCredentials then tests against it. */
  jobId?: pulumi.Input<string>;
  /**
   * Bringing secrets that already exist under this resource: the first `up` compares every key it
   * can (the key set, and values Graph shows, such as BaseAddress and the settings) and writes only
   * what differs. Values Graph masks ("*", e.g. SecretToken) cannot be compared, so by default they
   * are written; `true` takes the masked values Graph already holds as right, and writes none of them.
   */
  adoptMaskedValues?: pulumi.Input<boolean>;
}

export class SynchronizationSecrets extends EntraSyncResource {
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly credentials: pulumi.Output<Record<string, string>>;
  declare readonly provisioningScope: pulumi.Output<ProvisioningScope | undefined>;
  declare readonly notificationEmail: pulumi.Output<string | undefined>;
  declare readonly sendFailureEmails: pulumi.Output<boolean | undefined>;
  declare readonly accidentalDeletionThreshold: pulumi.Output<number | undefined>;
  declare readonly skipOutOfScopeDeletions: pulumi.Output<boolean | undefined>;
  declare readonly validateCredentials: pulumi.Output<boolean | undefined>;
  declare readonly templateId: pulumi.Output<string | undefined>;
  declare readonly jobId: pulumi.Output<string | undefined>;
  declare readonly adoptMaskedValues: pulumi.Output<boolean | undefined>;
  /** Every secret key this resource writes (credentials and settings), sorted. */
  declare readonly keys: pulumi.Output<string[]>;
  declare readonly unmanagedKeys: pulumi.Output<string[]>;
  declare readonly stateVersion: pulumi.Output<number>;

  constructor(name: string, args: SynchronizationSecretsArgs, opts?: pulumi.CustomResourceOptions) {
    // The SDK's serializer drops a "__proto__" key before check could name it: say so here.
    const declaredKeys = args.credentials && !pulumi.Output.isInstance(args.credentials) ? args.credentials : {};
    if (Object.hasOwn(declaredKeys, "__proto__")) {
      throw new pulumi.RunError(`SynchronizationSecrets "${name}": credentials.__proto__: "__proto__" is not a synchronization secret key`);
    }
    // Saved before the secrets are written, so that an unfinished write is known (secrets-revision.ts).
    const declared = pulumi.output({
      credentials: args.credentials ?? {},
      settings: [args.provisioningScope, args.notificationEmail, args.sendFailureEmails, args.accidentalDeletionThreshold, args.skipOutOfScopeDeletions],
    });
    const revision = new SynchronizationSecretsRevision(
      `${name}-revision`,
      {
        servicePrincipalId: args.servicePrincipalId,
        digest: pulumi.secret(pulumi.all([args.servicePrincipalId, declared]).apply(([sp, d]) => secretsDigest(String(sp), d))),
      },
      siblingOptions(opts, "-revision"),
    );
    super(
      "SynchronizationSecrets",
      name,
      {
        servicePrincipalId: args.servicePrincipalId,
        // Secret even when the program passes plain strings: these are credentials.
        credentials: pulumi.secret(args.credentials ?? {}),
        provisioningScope: args.provisioningScope,
        notificationEmail: args.notificationEmail,
        sendFailureEmails: args.sendFailureEmails,
        accidentalDeletionThreshold: args.accidentalDeletionThreshold,
        skipOutOfScopeDeletions: args.skipOutOfScopeDeletions,
        validateCredentials: args.validateCredentials,
        templateId: args.templateId,
        jobId: args.jobId,
        adoptMaskedValues: args.adoptMaskedValues,
        revision: revision.revision,
        keys: undefined,
        unmanagedKeys: undefined,
        stateVersion: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["credentials"], deleteBeforeReplace: true }),
    );
  }
}
