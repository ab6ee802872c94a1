/**
 * Provisioning for several SCIM apps at once, the way a platform team keeps them in Git: one stack
 * config entry per app, each with its SCIM endpoint, its token (a stack secret) and whether it runs.
 *
 *   pulumi config set --path 'apps.hr-portal.servicePrincipalId' 00000000-0000-0000-0000-000000000000
 *   pulumi config set --path 'apps.hr-portal.baseAddress' https://hr.example.com/scim/v2
 *   pulumi config set --secret 'tokens.hr-portal' <bearer token issued by the app>
 *   pulumi config set --path 'apps.hr-portal.enabled' false      # optional: keep it paused
 *
 * Run it with `npm run -s pulumi -- up --cwd examples/scim-apps` (connection settings: README.md).
 */

import * as pulumi from "@pulumi/pulumi";
import { SynchronizationJob, SynchronizationSecrets } from "pulumi-entra-sync";

interface AppConfig {
  servicePrincipalId: string;
  baseAddress: string;
  templateId?: string;
  enabled?: boolean;
}

const config = new pulumi.Config();
const apps = config.requireObject<Record<string, AppConfig>>("apps");
const tokens = config.requireSecretObject<Record<string, string>>("tokens");

export const jobs: Record<string, pulumi.Output<string>> = {};
for (const [name, app] of Object.entries(apps)) {
  const secrets = new SynchronizationSecrets(`${name}-credentials`, {
    servicePrincipalId: app.servicePrincipalId,
    credentials: {
      BaseAddress: app.baseAddress,
      SecretToken: tokens.apply((t) => {
        if (!t[name]) throw new Error(`missing stack secret tokens.${name}`);
        return t[name];
      }),
    },
  });
  const job = new SynchronizationJob(
    `${name}-provisioning`,
    { servicePrincipalId: app.servicePrincipalId, templateId: app.templateId ?? "scim", enabled: app.enabled ?? true },
    { dependsOn: [secrets] },
  );
  jobs[name] = pulumi.interpolate`${job.jobId}: ${job.status.code}`;
}
