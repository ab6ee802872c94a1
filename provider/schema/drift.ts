/**
 * Drift: what the live schema differs in from what the last `pulumi up` wrote.
 *
 * Refresh reports drift twice: as `driftedPaths` (an output) and as inputs rebuilt from the live
 * schema, so that the next `pulumi preview` shows exactly the drifted properties being put back
 * (`objectMappings.User.attributeMappings.userName.expression: "<live>" => "<declared>"`).
 * Managed paths are the ones the program states; with `strict`, every mapping path counts, and
 * directory definitions are compared by digest.
 */

import type { AttributeDefinition, SynchronizationSchema } from "../graph/types";
import type { AttributeMappingCustomization, ExtensionAttribute, SchemaCustomizations } from "./customization";
import { effectiveMappings, type EffectiveAttributeMapping, type EffectiveMappings } from "./keyed";
import { propertyPath } from "./paths";
import { deepEqual, digest } from "./stable-json";

const SOURCE_KINDS = ["source", "constant", "expression"] as const;
const MAPPING_FIELDS = [...SOURCE_KINDS, "defaultValue", "flowType", "flowBehavior", "matchingPriority"] as const;

export interface ExpectedSchema {
  /** The effective mappings the last create/update wrote. */
  effective: EffectiveMappings;
  /** Digest per `directory/object` of the object definitions written (extension attributes excluded). */
  objectDigests: Record<string, string>;
}

interface DriftReport {
  driftedPaths: string[];
  /** The customizations that would produce the live schema: what refresh stores as inputs. */
  inputs: SchemaCustomizations;
}

/** Digests of every object definition, leaving out declared extension attributes (compared one by one). */
export function objectDigests(schema: SynchronizationSchema, c: SchemaCustomizations): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of schema.directories) {
    for (const o of d.objects) {
      const extensions = c.extensionAttributes?.[d.name]?.[o.name] ?? {};
      out[`${d.name}/${o.name}`] = digest({ ...o, attributes: o.attributes.filter((a) => !(a.name in extensions)) });
    }
  }
  return out;
}

export function detectDrift(live: SynchronizationSchema, expected: ExpectedSchema, c: SchemaCustomizations, strict: boolean): DriftReport {
  const paths: string[] = [];
  const inputs: SchemaCustomizations = structuredClone(c);
  const liveEffective = effectiveMappings(live);

  for (const key of union(Object.keys(expected.effective), Object.keys(liveEffective))) {
    const exp = expected.effective[key];
    const cur = liveEffective[key];
    const custom = c.objectMappings?.[key];
    if (!custom && !strict) continue;
    if (!exp || !cur) {
      paths.push(propertyPath("objectMappings", key));
      continue;
    }
    const rebuilt = () => ((inputs.objectMappings ??= {})[key] ??= {});
    if (exp.enabled !== cur.enabled && (strict || custom?.enabled !== undefined)) {
      paths.push(propertyPath("objectMappings", key, "enabled"));
      rebuilt().enabled = cur.enabled;
    }
    if (!deepEqual(exp.scope, cur.scope) && (strict || custom?.scope !== undefined)) {
      paths.push(propertyPath("objectMappings", key, "scope"));
      rebuilt().scope = cur.scope;
    }
    for (const target of union(Object.keys(exp.attributeMappings), Object.keys(cur.attributeMappings))) {
      const declared = custom?.attributeMappings?.[target];
      if (!declared && !strict) continue;
      const e = exp.attributeMappings[target];
      const l = cur.attributeMappings[target];
      if (e && l && sameMapping(e, l)) continue;
      const at = (...rest: string[]) => propertyPath("objectMappings", key, "attributeMappings", target, ...rest);
      const mappings = () => (rebuilt().attributeMappings ??= {});
      if (!l || !e) {
        paths.push(at());
        mappings()[target] = l ? customizationOf(l) : { remove: true };
        continue;
      }
      const fields = MAPPING_FIELDS.filter((f) => e[f] !== l[f]);
      paths.push(...fields.map((f) => at(f)));
      mappings()[target] = withLiveFields(declared, l, fields);
    }
  }

  for (const [dir, objects] of Object.entries(c.extensionAttributes ?? {})) {
    for (const [obj, attrs] of Object.entries(objects)) {
      const liveAttrs = live.directories.find((d) => d.name === dir)?.objects.find((o) => o.name === obj)?.attributes ?? [];
      for (const [name, def] of Object.entries(attrs)) {
        const found = liveAttrs.find((a) => a.name === name);
        const liveDef = found ? extensionOf(found) : undefined;
        if (liveDef && deepEqual(liveDef, withDefaults(def))) continue;
        paths.push(propertyPath("extensionAttributes", dir, obj, name));
        const rebuiltAttrs = inputs.extensionAttributes![dir][obj];
        if (liveDef) rebuiltAttrs[name] = liveDef;
        else delete rebuiltAttrs[name];
      }
    }
  }

  if (strict) {
    const current = objectDigests(live, c);
    for (const key of union(Object.keys(expected.objectDigests), Object.keys(current))) {
      if (expected.objectDigests[key] !== current[key]) {
        const [dir, obj] = splitObjectKey(key);
        paths.push(propertyPath("directories", dir, obj));
      }
    }
  }
  return { driftedPaths: paths, inputs };
}

/** Mappings in keyed form hold only scalars, so field-by-field identity is equality. */
function sameMapping(a: EffectiveAttributeMapping, b: EffectiveAttributeMapping): boolean {
  return MAPPING_FIELDS.every((f) => a[f] === b[f]);
}

function splitObjectKey(key: string): [string, string] {
  const i = key.lastIndexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** A live mapping the baseline does not have, written as a customization. */
function customizationOf(l: EffectiveAttributeMapping): AttributeMappingCustomization {
  const out: AttributeMappingCustomization = {};
  for (const f of SOURCE_KINDS) if (l[f] !== undefined) out[f] = l[f];
  if (l.defaultValue !== null) out.defaultValue = l.defaultValue;
  out.flowType = l.flowType;
  out.flowBehavior = l.flowBehavior;
  out.matchingPriority = l.matchingPriority;
  return out;
}

/** The declared customization with the drifted fields replaced by their live values. */
function withLiveFields(
  declared: AttributeMappingCustomization | undefined,
  l: EffectiveAttributeMapping,
  fields: readonly (typeof MAPPING_FIELDS)[number][],
): AttributeMappingCustomization {
  const out: AttributeMappingCustomization = { ...(declared ?? {}) };
  delete out.remove;
  if (fields.some((f) => (SOURCE_KINDS as readonly string[]).includes(f))) {
    for (const f of SOURCE_KINDS) delete out[f];
    for (const f of SOURCE_KINDS) if (l[f] !== undefined) out[f] = l[f];
  }
  for (const f of fields) {
    if (f === "defaultValue") {
      if (l.defaultValue === null) delete out.defaultValue;
      else out.defaultValue = l.defaultValue;
    } else if (f === "flowType") out.flowType = l.flowType;
    else if (f === "flowBehavior") out.flowBehavior = l.flowBehavior;
    else if (f === "matchingPriority") out.matchingPriority = l.matchingPriority;
  }
  return out;
}

/** Every field of an extension attribute, with Graph's defaults filled in. */
export function withDefaults(def: ExtensionAttribute): Required<ExtensionAttribute> {
  return {
    type: def.type ?? "String",
    multivalued: def.multivalued ?? false,
    required: def.required ?? false,
    caseExact: def.caseExact ?? false,
    mutability: def.mutability ?? "ReadWrite",
    flowNullValues: def.flowNullValues ?? false,
    referencedObjects: [...(def.referencedObjects ?? [])],
  };
}

function extensionOf(a: AttributeDefinition): Required<ExtensionAttribute> {
  return withDefaults({
    type: a.type,
    multivalued: a.multivalued,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    flowNullValues: a.flowNullValues,
    referencedObjects: (a.referencedObjects ?? []).map((r) => r.referencedObjectName ?? "").filter((n) => n !== ""),
  });
}
