/**
 * A schema to write, spelled as the live schema spells it wherever the two mean the same.
 *
 * Graph's schema PUT replaces the whole document, so whatever the provider writes becomes the
 * job's schema, down to array order and the shape of each mapping's source tree. Writing one
 * changed mapping must not rewrite the rest in the provider's own spelling: every attribute mapping,
 * attribute definition and scoping filter that says what the live one says is taken from the live
 * schema, and items keep the live order (new ones follow, in the order they were added).
 */

import type { AttributeMapping, SynchronizationSchema } from "../graph/types";
import { sourceFields } from "./keyed";
import { stableStringify } from "./stable-json";

const meaningOfMapping = (m: AttributeMapping) => stableStringify({ ...m, source: sourceFields(m.source) });
const meaningOfScope = (s: unknown) => {
  const scope = s as { groups?: unknown[] } | null;
  return stableStringify(scope ? { ...scope, groups: [...(scope.groups ?? [])].map((g) => stableStringify(g)).sort() } : scope);
};

/**
 * `items` with every item that has a live twin (same `key`) and the same meaning replaced by that
 * twin. Items with a twin take their places among themselves in the live order; the places of items
 * without one (new ones, restored ones) do not move.
 */
function likeLive<T>(items: readonly T[], live: readonly T[], key: (item: T) => string, meaning: (item: T) => string): T[] {
  const liveIndex = new Map(live.map((item, index) => [key(item), index] as const));
  const twinned = items
    .filter((item) => liveIndex.has(key(item)))
    .sort((a, b) => liveIndex.get(key(a))! - liveIndex.get(key(b))!)
    .map((item) => {
      const twin = live[liveIndex.get(key(item))!];
      return meaning(twin) === meaning(item) ? twin : item;
    });
  let next = 0;
  return items.map((item) => (liveIndex.has(key(item)) ? twinned[next++] : item));
}

export function keepLiveSpelling(desired: SynchronizationSchema, live: SynchronizationSchema): SynchronizationSchema {
  return {
    ...desired,
    directories: desired.directories.map((d) => {
      const liveDirectory = live.directories.find((l) => l.name === d.name);
      if (!liveDirectory) return d;
      return {
        ...d,
        objects: d.objects.map((o) => {
          const liveObject = liveDirectory.objects.find((l) => l.name === o.name);
          return liveObject ? { ...o, attributes: likeLive(o.attributes, liveObject.attributes, (a) => a.name, stableStringify) } : o;
        }),
      };
    }),
    synchronizationRules: desired.synchronizationRules.map((r) => {
      const liveRule = live.synchronizationRules.find((l) => l.id === r.id && l.name === r.name);
      if (!liveRule) return r;
      return {
        ...r,
        objectMappings: r.objectMappings.map((om) => {
          const liveMapping = liveRule.objectMappings.find(
            (l) => l.sourceObjectName === om.sourceObjectName && l.targetObjectName === om.targetObjectName && l.name === om.name,
          );
          if (!liveMapping) return om;
          return {
            ...om,
            scope: meaningOfScope(om.scope) === meaningOfScope(liveMapping.scope) ? liveMapping.scope : om.scope,
            attributeMappings: likeLive(om.attributeMappings, liveMapping.attributeMappings, (m) => m.targetAttributeName, meaningOfMapping),
          };
        }),
      };
    }),
  };
}
