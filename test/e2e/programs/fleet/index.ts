/**
 * Test program for test/e2e/fault-matrix.test.ts: for each service principal in config, the
 * provisioning credentials, a running job and a schema customization — many resources updating in
 * parallel, so that throttling, transient failures and replication delays hit every kind of call.
 */

import * as pulumi from "@pulumi/pulumi";
import { SynchronizationJob, SynchronizationSchema, SynchronizationSecrets } from "pulumi-entra-sync";

const config = new pulumi.Config();
const servicePrincipalIds = config.requireObject<string[]>("servicePrincipalIds");
const baseAddress = config.require("baseAddress");
const token = config.requireSecret("token");
const templateId = "scim";

export const jobIds = servicePrincipalIds.map((servicePrincipalId, i) => {
  const credentials = new SynchronizationSecrets(`app-${i}-credentials`, {
    servicePrincipalId,
    credentials: { BaseAddress: baseAddress, SecretToken: token },
  });
  const job = new SynchronizationJob(`app-${i}-job`, { servicePrincipalId, templateId }, { dependsOn: [credentials] });
  new SynchronizationSchema(`app-${i}-schema`, {
    servicePrincipalId,
    jobId: job.jobId,
    // The job id is unknown at the first preview; the template lets that preview check the names.
    templateId,
    objectMappings: { User: { attributeMappings: { title: { constant: `App ${i}` } } } },
  });
  return job.jobId;
});
