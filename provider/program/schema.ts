/**
 * SynchronizationSchema: a job's attribute mappings, scoping filters and extension attributes,
 * declared as customizations of the job's template schema (the baseline), keyed by name so that a
 * preview shows one changed mapping as one changed property. What is written, what drift is and
 * the Graph calls: ../handlers/schema.ts.
 */

import type * as pulumi from "@pulumi/pulumi";
import type { ExtensionAttributes, ObjectMappingCustomization } from "../schema/customization";
import type { EffectiveMappings } from "../schema/keyed";
import { EntraSyncResource } from "./resource";

export interface SynchronizationSchemaArgs {
  /** Object id of the service principal (enterprise application). */
  servicePrincipalId: pulumi.Input<string>;
  /** Graph's job id, e.g. `job.jobId` of a SynchronizationJob. */
  jobId: pulumi.Input<string>;
  /** The job's template; by default taken from the job id (`<templateId>.<tenant>.<guid>`). */
  templateId?: pulumi.Input<string>;
  /**
   * Customized object mappings, keyed by the source object name ("User", "Group"), or
   * `Source->Target` when one source object feeds several targets.
   */
  objectMappings?: pulumi.Input<Record<string, pulumi.Input<ObjectMappingCustomization>>>;
  /** Attributes added to directory objects: directory name -> object name -> attribute name -> definition. */
  extensionAttributes?: pulumi.Input<ExtensionAttributes>;
  /** When true, any live difference from template + customizations is drift, not only the stated paths. */
  strict?: pulumi.Input<boolean>;
  /** Escape hatch: a whole schema document (directories + synchronizationRules) instead of customizations. */
  rawSchema?: pulumi.Input<Record<string, unknown>>;
}

export class SynchronizationSchema extends EntraSyncResource {
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly jobId: pulumi.Output<string>;
  declare readonly baselineTemplateId: pulumi.Output<string>;
  declare readonly strict: pulumi.Output<boolean>;
  declare readonly effectiveMappings: pulumi.Output<EffectiveMappings>;
  declare readonly driftedPaths: pulumi.Output<string[]>;
  declare readonly stateVersion: pulumi.Output<number>;

  constructor(name: string, args: SynchronizationSchemaArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "SynchronizationSchema",
      name,
      {
        ...args,
        stateVersion: undefined,
        baselineTemplateId: undefined,
        effectiveMappings: undefined,
        driftedPaths: undefined,
        baselineCatalog: undefined,
        objectDigests: undefined,
      },
      opts,
    );
  }
}
