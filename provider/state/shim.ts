/**
 * The serialized provider of every resource in this package.
 *
 * Pulumi stores a dynamic resource's provider as JavaScript text (`__provider`, twice per resource)
 * and runs that stored text for refresh and destroy. `pulumi.dynamic.Resource` produces it with the
 * closure serializer, whose wrapper per method alone costs over 2 KB for the seven methods. We write
 * the text ourselves instead: a factory whose methods `require` the handler module by *package
 * name* at call time. It captures nothing (no credentials, no clients, no config), it is the same
 * for every resource of a type, an upgraded package is what refresh and destroy run, and the engine
 * and the `pulumi-nodejs` provider process treat it exactly as they treat dynamic.Resource's text
 * (`requireFromString(text).handler()`, see @pulumi/pulumi cmd/dynamic-provider).
 */

import * as pulumi from "@pulumi/pulumi";

/** Type tokens are `pulumi-nodejs:dynamic/entra-sync:<Type>`, as dynamic.Resource would build them. */
export const DYNAMIC_MODULE = "entra-sync";

/** The provider text for a handler module, e.g. "pulumi-entra-sync/provider/resources/job". */
export function shimSource(handlerModule: string): string {
  if (!/^pulumi-entra-sync\/[A-Za-z0-9/_-]+$/.test(handlerModule)) {
    throw new Error(`handler module must be a path of the pulumi-entra-sync package, got ${handlerModule}`);
  }
  const m = JSON.stringify(handlerModule);
  return [
    `exports.handler = function () {`,
    `  var h = function () { return require(${m}).handler; };`,
    `  return {`,
    `    configure: function (r) { return h().configure(r.config); },`,
    `    check: function (o, n) { return h().check(o, n); },`,
    `    diff: function (i, o, n) { return h().diff(i, o, n); },`,
    `    create: function (n) { return h().create(n); },`,
    `    read: function (i, p) { return h().read(i, p); },`,
    `    update: function (i, o, n) { return h().update(i, o, n); },`,
    `    delete: function (i, p) { return h().delete(i, p); },`,
    `  };`,
    `};`,
    ``,
  ].join("\n");
}

/**
 * What to do instead of the `import` resource option, which cannot work for dynamic resources: the
 * engine reads an imported resource without its serialized provider (pulumi/pulumi#16175).
 */
const ADOPT_INSTEAD: Readonly<Record<string, string>> = {
  SynchronizationJob: "adopt the existing job with the jobId input (or adopt: true for the one job of templateId)",
  SynchronizationSecrets:
    "declare the keys the service principal already has: the first up compares what it can and writes only what differs " +
    "(adoptMaskedValues: true takes the values Graph masks as already right)",
  SynchronizationSchema: "declare the customizations on the job (as `pulumi-entra-sync export` writes them): the first up writes only what differs",
  ProvisionOnDemand: "declare it: it is an action, and there is nothing to import",
};

/** A dynamic resource served by one of this package's handler modules. */
export abstract class EntraSyncResource extends pulumi.CustomResource {
  protected constructor(
    type: string,
    handlerModule: string,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    if (opts?.import !== undefined) {
      // A RunError ends the program with this message and no stack trace, at preview already.
      throw new pulumi.RunError(
        `${type} "${name}": the import resource option does not work for dynamic resources (pulumi/pulumi#16175); ` +
          `${ADOPT_INSTEAD[type] ?? "declare the resource without it"}`,
      );
    }
    super(`pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${type}`, name, { ...props, __provider: shimSource(handlerModule) }, opts);
  }
}
