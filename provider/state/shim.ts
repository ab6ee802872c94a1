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
