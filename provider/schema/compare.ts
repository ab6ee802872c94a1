/**
 * Whether two schema documents say the same thing, as Graph's provisioning service reads them.
 *
 * Two writers may spell one schema differently: an attribute mapping's source as another tree
 * shape or expression text for the same expression, arrays in another order, members Graph
 * rewrites on every save (`id`, `version`). A write of a schema that already says the same thing
 * is skipped (an adoption's first `up` writes nothing), and `export` checks its typed
 * customizations by this comparison.
 */

import type { AttributeMapping, SynchronizationSchema } from "../graph/types";
import { normalizedSchema } from "./normalize";
import { sourceFields } from "./keyed";
import { stableStringify } from "./stable-json";

/** An attribute mapping with its source as the keyed form's canonical fields. */
function comparableMapping(m: AttributeMapping): unknown {
  const { source, ...rest } = m;
  return { ...rest, source: sourceFields(source) };
}

const byName =
  <T>(name: (x: T) => string) =>
  (a: T, b: T) =>
    name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0;

/** The schema in a form where equal meaning is equal text. */
function comparableSchema(schema: SynchronizationSchema): string {
  const s = normalizedSchema(schema);
  return stableStringify({
    directories: [...s.directories]
      .map((d) => ({
        ...d,
        id: undefined,
        version: undefined,
        discoveryDateTime: undefined,
        objects: [...d.objects].map((o) => ({ ...o, attributes: [...o.attributes].sort(byName((a) => a.name)) })).sort(byName((o) => o.name)),
      }))
      .sort(byName((d) => d.name)),
    synchronizationRules: [...s.synchronizationRules]
      .map((r) => ({
        ...r,
        objectMappings: r.objectMappings.map((om) => ({
          ...om,
          attributeMappings: om.attributeMappings.map(comparableMapping).sort(byName((m) => stableStringify(m))),
          // Scoping groups are ORed: their order says nothing.
          scope: om.scope ? { ...om.scope, groups: [...(om.scope.groups ?? [])].sort(byName((g) => stableStringify(g))) } : om.scope,
        })),
      }))
      .sort(byName((r) => `${r.id}|${r.name}`)),
  });
}

export function sameSchema(a: SynchronizationSchema, b: SynchronizationSchema): boolean {
  return comparableSchema(a) === comparableSchema(b);
}
