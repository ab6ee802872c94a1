/**
 * The quickstart program: a non-gallery SCIM app's provisioning credentials and settings, and its
 * job.
 *
 * `npm start` runs it with `pulumi up` on the embedded Graph emulator and its SCIM application
 * (scripts/demo.js sets the config below): the credentials are tested against the app before they
 * are saved, and `up` waits for the job's first cycle, which provisions the users and groups
 * assigned to the app. Against a real tenant, set the same config on your stack and the connection
 * settings described in README.md.
 */

import * as pulumi from "@pulumi/pulumi";
import { type ProvisioningScope, SynchronizationJob, SynchronizationSecrets, type WaitFor } from "pulumi-entra-sync";

const config = new pulumi.Config();
// The enterprise application's service principal object id (not its appId).
const servicePrincipalId = config.require("servicePrincipalId");
const templateId = config.get("templateId") ?? "scim";
// Optional: test the credentials against the app before saving them (POST validateCredentials).
const validateCredentials = config.getBoolean("validateCredentials") ?? false;
const scimBaseAddress = config.require("scimBaseAddress");

const credentials = new SynchronizationSecrets("scim-credentials", {
  servicePrincipalId,
  credentials: {
    BaseAddress: scimBaseAddress,
    SecretToken: config.requireSecret("scimToken"),
  },
  // Optional typed settings: "assignedUsersAndGroups" (the default in Entra) or "allUsersAndGroups".
  provisioningScope: config.get<ProvisioningScope>("provisioningScope"),
  notificationEmail: config.get("notificationEmail"),
  validateCredentials,
  templateId: validateCredentials ? templateId : undefined,
});

const job = new SynchronizationJob(
  "scim-provisioning",
  {
    servicePrincipalId,
    templateId,
    enabled: config.getBoolean("enabled") ?? true,
    // A new Tenant URL is a new target: restart the job (a full cycle) when it changes.
    restart: { trigger: scimBaseAddress },
    // Optional: "initialCycle" makes `pulumi up` wait (printing progress) until the cycle it started ends.
    waitFor: config.get<WaitFor>("waitFor"),
  },
  // Start the job only once it has credentials to connect with.
  { dependsOn: [credentials] },
);

export const jobId = job.jobId;
export const jobStatus = job.status.code;
export const jobSchedule = job.schedule.state;
export const managedSecretKeys = credentials.keys;
/** The last provisioning cycle: state and counts (imported, exported, escrowed, ...). */
export const lastCycle = job.status.lastExecution;
