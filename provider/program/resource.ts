/**
 * The base class of every resource of this package, in the program process: a Pulumi custom
 * resource of type `pulumi-nodejs:dynamic/entra-sync:<Type>` whose serialized provider is the
 * text of ../state/shim.ts, which asks the state contract for the type's handler. Nothing here
 * loads handler or Graph code: the provider process loads that when the engine calls the text.
 */

import * as pulumi from "@pulumi/pulumi";
import type { StateTypeName } from "../state/contract";
import { DYNAMIC_MODULE, providerText } from "../state/shim";

/**
 * What to do instead of the `import` resource option, which cannot work for dynamic resources: the
 * engine reads an imported resource without its serialized provider (pulumi/pulumi#16175).
 */
const ADOPT_INSTEAD: Readonly<Partial<Record<StateTypeName, string>>> = {
  SynchronizationJob: "adopt the existing job with the jobId input (or adopt: true for the one job of templateId)",
  SynchronizationSecrets:
    "declare the keys the service principal already has: the first up compares what it can and writes only what differs " +
    "(adoptMaskedValues: true takes the values Graph masks as already right)",
  SynchronizationSchema: "declare the customizations on the job (as `pulumi-entra-sync export` writes them): the first up writes only what differs",
  ProvisionOnDemand: "declare it: it is an action, and there is nothing to import",
};

/** A dynamic resource of one of the types of the state contract. */
export abstract class EntraSyncResource extends pulumi.CustomResource {
  protected constructor(type: StateTypeName, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined) {
    if (opts?.import !== undefined) {
      // A RunError ends the program with this message and no stack trace, at preview already.
      throw new pulumi.RunError(
        `${type} "${name}": the import resource option does not work for dynamic resources (pulumi/pulumi#16175); ` +
          `${ADOPT_INSTEAD[type] ?? "declare the resource without it"}`,
      );
    }
    super(`pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${type}`, name, { ...props, __provider: providerText(type) }, opts);
  }
}
