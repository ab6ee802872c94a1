/**
 * The benchmark's program (`npm run bench`, bench/run.ts): per service principal in the `plan`
 * config, the resources `plan.kinds` names — the SCIM credentials (SynchronizationSecrets), one job
 * started after them, a schema customization of that job, an on-demand provisioning. It makes no
 * Graph calls itself: everything the request log shows during an operation is the provider's.
 */

import * as pulumi from "@pulumi/pulumi";
import { ProvisionOnDemand, SynchronizationJob, SynchronizationSchema, SynchronizationSecrets } from "pulumi-entra-sync";
import type { BenchPlan } from "../plan";

const config = new pulumi.Config();
const plan = config.requireObject<BenchPlan>("plan");
const token = config.requireSecret("scimToken");
const has = (kind: BenchPlan["kinds"][number]) => plan.kinds.includes(kind);

plan.servicePrincipalIds.forEach((servicePrincipalId, i) => {
  const name = `app-${String(i).padStart(4, "0")}`;
  const secrets = has("secrets")
    ? new SynchronizationSecrets(`${name}-secrets`, {
        servicePrincipalId,
        credentials: { BaseAddress: plan.baseAddress.replace("{i}", String(i)), SecretToken: token },
      })
    : undefined;
  const job = has("job")
    ? new SynchronizationJob(
        `${name}-job`,
        {
          servicePrincipalId,
          templateId: "scim",
          enabled: plan.enabled,
          restart: plan.restartTrigger ? { trigger: plan.restartTrigger } : undefined,
        },
        { dependsOn: secrets ? [secrets] : [] },
      )
    : undefined;
  const jobId = job ? job.jobId : plan.jobIds?.[i];
  if (!jobId) {
    if (has("schema") || has("provisionOnDemand")) throw new Error(`plan.jobIds[${i}] is needed without a job resource`);
    return;
  }
  if (has("schema")) {
    new SynchronizationSchema(`${name}-schema`, {
      servicePrincipalId,
      jobId,
      objectMappings: {
        User: {
          attributeMappings: {
            displayName: { expression: 'Join(" ", [givenName], [surname])' },
            title: { constant: plan.title },
          },
        },
      },
    });
  }
  if (has("provisionOnDemand")) {
    if (!plan.onDemandUserId) throw new Error("plan.onDemandUserId is needed for provisionOnDemand");
    new ProvisionOnDemand(`${name}-on-demand`, {
      servicePrincipalId,
      jobId,
      subjects: [{ objectId: plan.onDemandUserId, objectTypeName: "User" }],
      triggers: { run: plan.onDemandTrigger },
    });
  }
});
