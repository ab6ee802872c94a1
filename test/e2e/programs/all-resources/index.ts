/**
 * Test program with every resource type: credentials with several secret values, a job and a schema
 * customization. test/e2e/secret-hygiene.test.ts looks for the secret values everywhere they could
 * leak; test/e2e/out-of-band.test.ts deletes things behind the program's back.
 */

import * as pulumi from "@pulumi/pulumi";
import { SynchronizationJob, SynchronizationSchema, SynchronizationSecrets } from "pulumi-entra-sync";

const config = new pulumi.Config();
const servicePrincipalId = config.require("servicePrincipalId");

const credentials = new SynchronizationSecrets("hygiene-credentials", {
  servicePrincipalId,
  credentials: {
    BaseAddress: config.require("baseAddress"),
    SecretToken: config.requireSecret("secretToken"),
    Password: config.requireSecret("password"),
  },
});

const templateId = "scim";
const job = new SynchronizationJob("hygiene-job", { servicePrincipalId, templateId, enabled: false }, { dependsOn: [credentials] });

new SynchronizationSchema("hygiene-schema", {
  servicePrincipalId,
  jobId: job.jobId,
  // The job id is unknown at the first preview; the template lets that preview check the names.
  templateId,
  objectMappings: { User: { attributeMappings: { title: { constant: config.get("title") ?? "Employee" } } } },
});

export const jobId = job.jobId;
