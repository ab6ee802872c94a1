/**
 * The impact preview as the package entry exports it. A program loads the entry too, and must load
 * nothing of the provider side (no Graph client, no @azure/identity): the work is loaded on the
 * first call.
 */

import type { ProvisioningImpactOptions } from "./preview";
import type { ImpactReport } from "./report";

export type { ProvisioningImpactOptions } from "./preview";

/**
 * What the next provisioning cycle of a job would do to a sample of its users and groups if a
 * SynchronizationSchema with these customizations were applied: the same prediction `pulumi
 * preview` prints, outside a stack. Reads only: the template's and the job's schema, then the
 * sample (see the README, "Impact preview").
 */
export async function previewProvisioningImpact(options: ProvisioningImpactOptions): Promise<ImpactReport> {
  const { previewProvisioningImpact: preview } = await import("./preview");
  return preview(options);
}
