/**
 * Provisioning of one non-gallery SCIM app, deployed by the workflow in
 * .github/workflows/provisioning.yml: a pull request shows `pulumi preview` as a comment, a merge
 * runs `pulumi up`, and a daily run checks that nobody changed the tenant behind the code's back.
 *
 * Stack config (Pulumi.<stack>.yaml, committed; the token encrypted by the stack's secrets provider):
 *   servicePrincipalId   the enterprise application's object id (not its appId)
 *   scimBaseAddress      the app's SCIM Tenant URL
 *   scimToken            its Secret Token (pulumi config set --secret scimToken ...)
 *   notificationEmail    optional: who hears about failures and quarantines
 * Sign-in is not config: the workflow gives the provider ARM_CLIENT_ID, ARM_TENANT_ID and
 * ARM_USE_OIDC, and GitHub gives the job its OIDC token (see README.md).
 */

import * as pulumi from "@pulumi/pulumi";
import { findTemplateByFactoryTag, getSynchronizationTemplates, SynchronizationJob, SynchronizationSecrets } from "pulumi-entra-sync";

export = async () => {
  const config = new pulumi.Config();
  const servicePrincipalId = config.require("servicePrincipalId");

  // The app's SCIM template, read from the tenant (in preview too) with the same sign-in as the
  // resources: a gallery app brings its own template, found by its factory tag the same way.
  const template = findTemplateByFactoryTag(await getSynchronizationTemplates({ servicePrincipalId }), "CustomSCIM");

  const credentials = new SynchronizationSecrets("scim-credentials", {
    servicePrincipalId,
    credentials: {
      BaseAddress: config.require("scimBaseAddress"),
      SecretToken: config.requireSecret("scimToken"),
    },
    provisioningScope: "assignedUsersAndGroups",
    notificationEmail: config.get("notificationEmail"),
    accidentalDeletionThreshold: 500,
  });

  const job = new SynchronizationJob(
    "scim-provisioning",
    { servicePrincipalId, templateId: template.id, enabled: config.getBoolean("enabled") ?? true },
    { dependsOn: [credentials] },
  );

  return {
    templateId: template.id,
    jobId: job.jobId,
    jobStatus: job.status.code,
  };
};
