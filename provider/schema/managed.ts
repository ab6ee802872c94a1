/**
 * What a SynchronizationSchema without `strict` manages, and how it leaves everything else alone.
 *
 * A non-strict resource manages the units its customizations name: an object mapping's `enabled`,
 * its `scope`, each attribute mapping (by target attribute) and each extension attribute. A
 * managed unit is the template's, with the program's customization on top; everything else is the
 * live schema as it is, so an edit made in the portal to a mapping the program does not name is
 * kept, as SynchronizationSecrets keeps keys it does not manage. A unit the program named before
 * and no longer names goes back to the template's (or away, if the template does not have it).
 *
 * (`strict` is the other choice: the whole schema is the template plus the customizations, and
 * any other live difference is drift that the next up puts back.)
 */

import type { AttributeDefinition, ObjectMapping, SynchronizationSchema } from "../graph/types";
import type { SchemaCustomizations } from "./customization";
import { objectMappingKeys } from "./keyed";

/** A copy of `live` in which every unit named by any of `customizations` is the template's. */
export function withManagedUnitsFromTemplate(
  live: SynchronizationSchema,
  template: SynchronizationSchema,
  customizations: readonly SchemaCustomizations[],
): SynchronizationSchema {
  const schema = structuredClone(live);
  const liveMappings = locateObjectMappings(schema);
  const templateMappings = locateObjectMappings(template);
  for (const c of customizations) {
    for (const [key, custom] of Object.entries(c.objectMappings ?? {})) {
      const target = liveMappings.get(key);
      const origin = templateMappings.get(key);
      if (!target || !origin) continue; // a mapping the schema lacks is reported by the merge
      if (custom.enabled !== undefined) target.enabled = origin.enabled;
      if (custom.scope !== undefined) target.scope = structuredClone(origin.scope);
      for (const name of Object.keys(custom.attributeMappings ?? {})) {
        restoreItem(target.attributeMappings, origin.attributeMappings, (m) => m.targetAttributeName === name);
      }
    }
    for (const [dir, objects] of Object.entries(c.extensionAttributes ?? {})) {
      for (const [obj, attrs] of Object.entries(objects)) {
        const attributes = objectAttributes(schema, dir, obj);
        if (!attributes) continue;
        const originals = objectAttributes(template, dir, obj) ?? [];
        for (const name of Object.keys(attrs)) restoreItem(attributes, originals, (a) => a.name === name);
      }
    }
  }
  return schema;
}

/**
 * Make the item `matches` finds in `items` the template's: replaced in place, put back where the
 * template has it (so that a schema restored in full equals the template), or removed.
 */
function restoreItem<T>(items: T[], originals: readonly T[], matches: (item: T) => boolean): void {
  const index = items.findIndex(matches);
  const originalIndex = originals.findIndex(matches);
  if (originalIndex < 0) {
    if (index >= 0) items.splice(index, 1);
    return;
  }
  const original = structuredClone(originals[originalIndex]);
  if (index >= 0) items[index] = original;
  else items.splice(Math.min(originalIndex, items.length), 0, original);
}

/** True when any of the customizations names a unit (something to restore on delete). */
export function namesAnyUnit(c: SchemaCustomizations): boolean {
  const mappings = Object.values(c.objectMappings ?? {}).some(
    (om) => om.enabled !== undefined || om.scope !== undefined || Object.keys(om.attributeMappings ?? {}).length > 0,
  );
  const extensions = Object.values(c.extensionAttributes ?? {}).some((objects) => Object.values(objects).some((a) => Object.keys(a).length > 0));
  return mappings || extensions;
}

function locateObjectMappings(schema: SynchronizationSchema): Map<string, ObjectMapping> {
  const out = new Map<string, ObjectMapping>();
  for (const loc of objectMappingKeys(schema)) out.set(loc.key, schema.synchronizationRules[loc.ruleIndex].objectMappings[loc.mappingIndex]);
  return out;
}

function objectAttributes(schema: SynchronizationSchema, dir: string, obj: string): AttributeDefinition[] | undefined {
  return schema.directories.find((d) => d.name === dir)?.objects.find((o) => o.name === obj)?.attributes;
}
