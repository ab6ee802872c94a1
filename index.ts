/**
 * The quickstart program: a non-gallery SCIM app's provisioning credentials and its job.
 *
 * `npm start` runs it with `pulumi up` on the embedded Graph emulator (scripts/demo.js sets the
 * config below). Against a real tenant, set the same config on your stack and the connection
 * settings described in README.md.
 */

import * as pulumi from "@pulumi/pulumi";
import { SynchronizationJob, SynchronizationSecrets } from "pulumi-entra-sync";

const config = new pulumi.Config();
// The enterprise application's service principal object id (not its appId).
const servicePrincipalId = config.require("servicePrincipalId");

const credentials = new SynchronizationSecrets("scim-credentials", {
  servicePrincipalId,
  credentials: {
    BaseAddress: config.require("scimBaseAddress"),
    SecretToken: config.requireSecret("scimToken"),
  },
});

const job = new SynchronizationJob(
  "scim-provisioning",
  {
    servicePrincipalId,
    templateId: config.get("templateId") ?? "scim",
    enabled: config.getBoolean("enabled") ?? true,
  },
  // Start the job only once it has credentials to connect with.
  { dependsOn: [credentials] },
);

export const jobId = job.jobId;
export const jobStatus = job.status.code;
export const jobSchedule = job.schedule.state;
export const managedSecretKeys = credentials.keys;
