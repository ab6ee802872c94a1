/**
 * Test program whose provisioning target rejects the credentials: test/e2e/secret-hygiene.test.ts
 * puts a distinct secret value in every credential (and in BaseAddress's user name, password and
 * query string), lets a cycle, an on-demand request, a wait and a credential validation fail, and
 * looks for each value wherever the failures are reported.
 */

import * as pulumi from "@pulumi/pulumi";
import { ProvisionOnDemand, SynchronizationJob, SynchronizationSecrets, type WaitFor } from "pulumi-entra-sync";

const config = new pulumi.Config();
const servicePrincipalId = config.require("servicePrincipalId");

const credentials = new SynchronizationSecrets("failing-credentials", {
  servicePrincipalId,
  credentials: config.requireSecretObject<Record<string, string>>("credentials"),
  validateCredentials: config.getBoolean("validateCredentials") ?? false,
  templateId: "scim",
});

const job = new SynchronizationJob(
  "failing-job",
  {
    servicePrincipalId,
    templateId: "scim",
    waitFor: config.get<WaitFor>("waitFor") ?? "none",
    waitTimeoutSeconds: 120,
    restart: { trigger: config.get("restartTrigger") ?? "first" },
  },
  { dependsOn: [credentials] },
);

new ProvisionOnDemand("failing-on-demand", {
  servicePrincipalId,
  jobId: job.jobId,
  subjects: [{ objectId: config.require("userId"), objectTypeName: "User" }],
});

export const jobStatus = job.status;
