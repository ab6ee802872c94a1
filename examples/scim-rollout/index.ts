/**
 * Rolling out provisioning to a non-gallery SCIM app, the careful way:
 *
 *  1. the credentials are tested against the app before they are saved (a wrong token fails
 *     `pulumi up` with the app's answer, and the working credentials stay in place);
 *  2. provisioning settings are typed: scope, failure e-mails, accidental-deletion threshold;
 *  3. a few pilot users are provisioned on demand while the job stays paused, and the result for
 *     each (created, updated, skipped and why) is a stack output;
 *  4. `enabled=true` starts the job and `pulumi up` waits for the first cycle to end, printing
 *     progress; a cycle that ends in quarantine fails the update with Graph's reason;
 *  5. after fixing what put the job in quarantine, a new `restartTrigger` restarts it with
 *     "QuarantineState" reset (plus Watermark and Escrows: the portal's restart).
 *
 *   pulumi config set servicePrincipalId <enterprise app object id>
 *   pulumi config set scimBaseAddress https://scim.example.com/scim/v2
 *   pulumi config set --secret scimToken <bearer token issued by the app>
 *   pulumi config set --path 'pilotUserIds[0]' <user object id>     # optional
 *   pulumi config set notificationEmail ops@example.com             # optional
 *   pulumi config set enabled true                                  # when the pilot looks right
 *   pulumi config set restartTrigger "$(date -I)"                   # to restart after a fix
 *
 * The template is looked up by factory tag ("CustomSCIM"), so the program works for any app whose
 * provisioning uses the generic SCIM connector. Connection settings: README.md.
 */

import * as pulumi from "@pulumi/pulumi";
import { findTemplateByFactoryTag, getSynchronizationTemplates, ProvisionOnDemand, SynchronizationJob, SynchronizationSecrets } from "pulumi-entra-sync";

export = async () => {
  const config = new pulumi.Config();
  const servicePrincipalId = config.require("servicePrincipalId");
  const template = findTemplateByFactoryTag(await getSynchronizationTemplates({ servicePrincipalId }), "CustomSCIM");

  const secrets = new SynchronizationSecrets("scim-credentials", {
    servicePrincipalId,
    credentials: {
      BaseAddress: config.require("scimBaseAddress"),
      SecretToken: config.requireSecret("scimToken"),
    },
    validateCredentials: true,
    templateId: template.id,
    provisioningScope: "assignedUsersAndGroups",
    notificationEmail: config.get("notificationEmail"),
    accidentalDeletionThreshold: config.getNumber("accidentalDeletionThreshold") ?? 500,
  });

  const restartTrigger = config.get("restartTrigger");
  const job = new SynchronizationJob(
    "scim-provisioning",
    {
      servicePrincipalId,
      templateId: template.id,
      enabled: config.getBoolean("enabled") ?? false,
      waitFor: "initialCycle",
      waitTimeoutSeconds: config.getNumber("waitTimeoutSeconds") ?? 600,
      restart: restartTrigger ? { trigger: restartTrigger, scope: ["Watermark", "Escrows", "QuarantineState"] } : undefined,
    },
    { dependsOn: [secrets] },
  );

  const pilotUserIds = config.getObject<string[]>("pilotUserIds") ?? [];
  const pilot =
    pilotUserIds.length > 0
      ? new ProvisionOnDemand("pilot-users", {
          servicePrincipalId,
          jobId: job.jobId,
          subjects: pilotUserIds.map((objectId) => ({ objectId, objectTypeName: "User" })),
        })
      : undefined;

  return {
    templateId: template.id,
    jobId: job.jobId,
    jobStatus: job.status.code,
    lastCycle: job.status.lastExecution,
    quarantine: job.status.quarantine,
    settingsKeys: secrets.keys,
    pilotResults: pilot?.results.apply((results) =>
      results.map((r) => `${r.reportableIdentifier ?? r.objectId}: ${r.result}${r.action ? ` (${r.action})` : ""}${r.errorCode ? ` [${r.errorCode}]` : ""}`),
    ),
  };
};
