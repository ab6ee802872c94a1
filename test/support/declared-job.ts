/**
 * What the engine does for one `new SynchronizationJob(...)` in a program: create the job, then,
 * once it is saved, its SynchronizationJobActivation child. Provider-level tests use it to call
 * both handlers in that order, as the engine would.
 */

import type { JobOutputs } from "../../provider/handlers/job";
import type { ActivationInputs, ActivationOutputs } from "../../provider/handlers/job-activation";
import { handlerOf } from "../../provider/state/contract";

const jobHandler = handlerOf("SynchronizationJob");
const activationHandler = handlerOf("SynchronizationJobActivation");

export type DeclaredJob = { servicePrincipalId: string; templateId: string } & Partial<Omit<ActivationInputs, "servicePrincipalId" | "jobId">>;

interface CreatedDeclaredJob {
  job: { id: string; outs: JobOutputs };
  activation: { id: string; outs: ActivationOutputs };
}

export async function createDeclaredJob(declared: DeclaredJob): Promise<CreatedDeclaredJob> {
  const { servicePrincipalId, templateId, ...activation } = declared;
  const job = await jobHandler.create({ servicePrincipalId, templateId });
  const created = await activationHandler.create({ servicePrincipalId, jobId: job.outs.jobId, enabled: true, ...activation });
  return { job, activation: created };
}

/** The activation's inputs for a job, as a program would declare them (`enabled` defaults to true). */
export function activationInputs(servicePrincipalId: string, jobId: string, more: Partial<ActivationInputs> = {}): ActivationInputs {
  return { servicePrincipalId, jobId, enabled: true, ...more };
}
