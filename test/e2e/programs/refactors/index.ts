/**
 * Test program for test/e2e/refactors.test.ts: one SCIM app's secrets, job and schema, with every
 * name and choice in stack config, so that a test can rename, replace or re-point each resource
 * the way a team refactors a program, and run a second stack beside the first.
 */

import * as pulumi from "@pulumi/pulumi";
import { SynchronizationJob, SynchronizationSchema, SynchronizationSecrets } from "pulumi-entra-sync";

const config = new pulumi.Config();
const servicePrincipalId = config.require("servicePrincipalId");
const templateId = "scim";

// The SCIM target's credentials (a second stack may declare none and manage settings only).
const withCredentials = config.getBoolean("withCredentials") ?? true;
const secrets = new SynchronizationSecrets(config.get("secretsName") ?? "credentials", {
  servicePrincipalId,
  credentials: withCredentials ? { BaseAddress: config.require("scimBaseAddress"), SecretToken: config.requireSecret("scimToken") } : {},
  notificationEmail: config.get("notificationEmail"),
});

const job = new SynchronizationJob(
  config.get("jobName") ?? "job",
  {
    servicePrincipalId,
    templateId,
    enabled: config.getBoolean("enabled") ?? true,
    // Set to take over an existing job explicitly (e.g. the job of a resource being renamed).
    jobId: config.get("adoptJobId"),
  },
  // Set to try Pulumi's import option, which cannot work for dynamic resources.
  { dependsOn: [secrets], ...(config.get("importJobId") ? { import: config.get("importJobId") } : {}) },
);

// A regular expression that takes exponential time on a backtracking engine: "(a+)+$".
const redos = config.getBoolean("redos") ?? false;
if (config.getBoolean("withSchema") || redos) {
  new SynchronizationSchema(config.get("schemaName") ?? "schema", {
    servicePrincipalId,
    jobId: job.jobId,
    templateId,
    strict: config.getBoolean("strict") ?? false,
    objectMappings: {
      User: {
        attributeMappings: {
          title: { constant: config.get("title") ?? "Employee" },
          ...(redos ? { nickName: { expression: 'Replace([mailNickname], , "(a+)+$", , "x", , )' } } : {}),
        },
        ...(redos ? { scope: { backtracking: [{ attribute: "mailNickname", operator: "NOT REGEX MATCH", values: ["(a+)+$"] }] } } : {}),
      },
    },
  });
}

export const jobId = job.jobId;
export const secretKeys = secrets.keys;
