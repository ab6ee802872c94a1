/**
 * Options for a resource that a program-facing resource registers beside itself (same parent),
 * before itself: a claim or a revision record that the engine must save before the main
 * resource's create or update runs. It cannot be a child: a child needs its parent registered,
 * and the parent's inputs are waiting for the sibling's outputs.
 *
 * Renaming the main resource with an alias renames its sibling the same way, so an aliased rename
 * changes nothing in state; the sibling waits for what the main resource waits for, so what it
 * records is as fresh as possible.
 */

import * as pulumi from "@pulumi/pulumi";

export function siblingOptions(opts: pulumi.CustomResourceOptions | undefined, suffix: string): pulumi.CustomResourceOptions {
  const aliases = (opts?.aliases ?? []).flatMap((alias): pulumi.Input<pulumi.Alias | string>[] => {
    // URN aliases name the main resource's type; they cannot be carried over.
    if (typeof alias === "string" || pulumi.Output.isInstance(alias)) return [];
    const a = alias as pulumi.Alias;
    return typeof a.name === "string" ? [{ ...a, name: `${a.name}${suffix}` }] : [a];
  });
  return {
    parent: opts?.parent,
    dependsOn: opts?.dependsOn,
    ...(aliases.length > 0 ? { aliases } : {}),
  };
}
