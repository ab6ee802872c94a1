/**
 * The serialized provider of every resource in this package.
 *
 * Pulumi stores a dynamic resource's provider as JavaScript text (`__provider`, twice per resource)
 * and runs that stored text for refresh and destroy. `pulumi.dynamic.Resource` produces it with the
 * closure serializer, whose wrapper per method alone costs over 2 KB for the seven methods. We write
 * the text ourselves instead: a factory whose methods `require` the package's state contract by
 * *package name* at call time and ask it for the handler of the resource's type (contract.ts). It
 * captures nothing (no credentials, no clients, no config), it is the same for every resource of a
 * type, an upgraded package is what refresh and destroy run, and the engine and the `pulumi-nodejs`
 * provider process treat it exactly as they treat dynamic.Resource's text
 * (`requireFromString(text).handler()`, see @pulumi/pulumi cmd/dynamic-provider).
 *
 * This module loads nothing: the program process builds the text here without loading the
 * contract or any handler.
 */

import type { StateTypeName } from "./contract";

/** Type tokens are `pulumi-nodejs:dynamic/entra-sync:<Type>`, as dynamic.Resource would build them. */
export const DYNAMIC_MODULE = "entra-sync";

/** The module every provider text written since the state contract requires (contract.ts). */
export const CONTRACT_MODULE = "pulumi-entra-sync/provider/state/contract";

/** The provider text of a resource of `type`: the contract's handler for that type name. */
export function providerText(type: StateTypeName): string {
  if (!/^[A-Za-z]+$/.test(type)) throw new Error(`a resource type name is letters only, got ${type}`);
  return shim(`require(${JSON.stringify(CONTRACT_MODULE)}).handlerOf(${JSON.stringify(type)})`);
}

/**
 * The provider text 0.1.0 (and the versions before the contract) wrote: the `handler` export of a
 * module by path, e.g. "pulumi-entra-sync/provider/resources/job". Stacks keep it until the
 * resource is next updated; the modules it names stay as entry points into the contract.
 */
export function legacyProviderText(handlerModule: string): string {
  if (!/^pulumi-entra-sync\/[A-Za-z0-9/_-]+$/.test(handlerModule)) {
    throw new Error(`handler module must be a path of the pulumi-entra-sync package, got ${handlerModule}`);
  }
  return shim(`require(${JSON.stringify(handlerModule)}).handler`);
}

/** The factory around an expression that yields the handler, evaluated at each call. */
function shim(handler: string): string {
  return [
    `exports.handler = function () {`,
    `  var h = function () { return ${handler}; };`,
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
