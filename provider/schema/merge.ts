/**
 * baseline + customizations -> the complete schema to PUT. Graph has no PATCH for schemas (the
 * documented PUT replaces everything), so the provider always sends the whole document, and every
 * path a program does not mention keeps the baseline's value: the template's with `strict`, else
 * the live schema's with the units the program manages reset to the template's (managed.ts).
 */

import type { AttributeDefinition, AttributeMapping, AttributeMappingSource, Filter, ObjectMapping, SynchronizationSchema } from "../graph/types";
import type { AttributeMappingCustomization, ExtensionAttribute, ObjectMappingCustomization, SchemaCustomizations, ScopingFilter } from "./customization";
import { catalogOf, checkReferences } from "./catalog";
import { toMappingSource } from "./expression";
import { findFilterOperator } from "./filter-operators";
import { objectMappingKeys } from "./keyed";
import { UserFacingError } from "../graph/user-facing";
import type { CheckFailure } from "../validation";

/** A user's input that does not fit the template: no stack trace of ours in the CLI (see graph/user-facing.ts). */
export class SchemaMergeError extends UserFacingError {
  override readonly name = "SchemaMergeError";
  constructor(readonly failures: CheckFailure[]) {
    super(`the customizations do not fit the template schema:\n${failures.map((f) => `  ${f.property}: ${f.reason}`).join("\n")}`);
  }
}

/** The schema to PUT. Throws SchemaMergeError naming every property that does not fit the baseline. */
export function mergeSchema(baseline: SynchronizationSchema, c: SchemaCustomizations): SynchronizationSchema {
  const failures = checkReferences(catalogOf(baseline), c);
  if (failures.length > 0) throw new SchemaMergeError(failures);
  // Copy on write: only the directories, objects, rules and object mappings that change are
  // copied; the rest is shared with the baseline (a large gallery schema is ~1 MB, and a deep clone
  // of it costs more than the whole merge). Nothing here mutates the baseline.
  const schema: SynchronizationSchema = {
    directories: [...baseline.directories],
    synchronizationRules: [...baseline.synchronizationRules],
  };
  for (const [dir, objects] of Object.entries(c.extensionAttributes ?? {})) {
    const di = schema.directories.findIndex((d) => d.name === dir);
    const directory = (schema.directories[di] = { ...schema.directories[di], objects: [...schema.directories[di].objects] });
    for (const [obj, attrs] of Object.entries(objects)) {
      const oi = directory.objects.findIndex((o) => o.name === obj);
      const object = (directory.objects[oi] = { ...directory.objects[oi], attributes: [...directory.objects[oi].attributes] });
      for (const [name, def] of Object.entries(attrs)) {
        // A live schema may have it already (written by an earlier up): replace, never duplicate.
        const existing = object.attributes.findIndex((attribute) => attribute.name === name);
        if (existing >= 0) object.attributes[existing] = extensionAttributeDefinition(name, def);
        else object.attributes.push(extensionAttributeDefinition(name, def));
      }
    }
  }
  const copiedRules = new Set<number>();
  for (const loc of objectMappingKeys(schema)) {
    const custom = c.objectMappings?.[loc.key];
    if (!custom) continue;
    if (!copiedRules.has(loc.ruleIndex)) {
      const rule = schema.synchronizationRules[loc.ruleIndex];
      schema.synchronizationRules[loc.ruleIndex] = { ...rule, objectMappings: [...rule.objectMappings] };
      copiedRules.add(loc.ruleIndex);
    }
    const mappings = schema.synchronizationRules[loc.ruleIndex].objectMappings;
    mappings[loc.mappingIndex] = applyObjectMapping(mappings[loc.mappingIndex], custom);
  }
  return schema;
}

/** A changed copy of the object mapping. */
function applyObjectMapping(base: ObjectMapping, custom: ObjectMappingCustomization): ObjectMapping {
  const om: ObjectMapping = { ...base, attributeMappings: [...base.attributeMappings] };
  if (custom.enabled !== undefined) om.enabled = custom.enabled;
  for (const [target, m] of Object.entries(custom.attributeMappings ?? {})) {
    const index = om.attributeMappings.findIndex((a) => a.targetAttributeName === target);
    if (m.remove) {
      if (index >= 0) om.attributeMappings.splice(index, 1);
      continue;
    }
    if (index >= 0) om.attributeMappings[index] = applyAttributeMapping(om.attributeMappings[index], m);
    else om.attributeMappings.push(applyAttributeMapping(newAttributeMapping(target), m));
  }
  if (custom.scope !== undefined) om.scope = scopeFilter(custom.scope, om.scope);
  return om;
}

/** Graph's defaults for a mapping the template does not have (attributeMapping in the CSDL). */
function newAttributeMapping(targetAttributeName: string): AttributeMapping {
  return {
    defaultValue: null,
    exportMissingReferences: false,
    flowBehavior: "FlowWhenChanged",
    flowType: "Always",
    matchingPriority: 0,
    source: null,
    targetAttributeName,
  };
}

function applyAttributeMapping(base: AttributeMapping, m: AttributeMappingCustomization): AttributeMapping {
  const out = { ...base };
  const source = mappingSource(m);
  if (source) out.source = source;
  if (m.defaultValue !== undefined) out.defaultValue = m.defaultValue;
  if (m.flowType !== undefined) out.flowType = m.flowType;
  if (m.flowBehavior !== undefined) out.flowBehavior = m.flowBehavior;
  if (m.matchingPriority !== undefined) out.matchingPriority = m.matchingPriority;
  return out;
}

/** The Graph source tree for a customization (as the seed/template schemas and parseExpression write it). */
function mappingSource(m: Pick<AttributeMappingCustomization, "source" | "constant" | "expression">): AttributeMappingSource | undefined {
  if (m.source !== undefined) return { expression: `[${m.source}]`, name: m.source, parameters: [], type: "Attribute" };
  if (m.constant !== undefined) return { expression: JSON.stringify(m.constant), name: m.constant, parameters: [], type: "Constant" };
  if (m.expression !== undefined) return toMappingSource(m.expression);
  return undefined;
}

/** Groups keyed by name -> Graph's filter; the experimental input/category groups stay as the template has them. */
function scopeFilter(scope: ScopingFilter, base: Filter | null): Filter | null {
  const groups = Object.entries(scope).map(([name, clauses]) => ({
    name,
    clauses: clauses.map((clause) => ({
      sourceOperandName: clause.attribute,
      operatorName: findFilterOperator(clause.operator)?.name ?? clause.operator,
      targetOperand: { values: [...(clause.values ?? [])] },
    })),
  }));
  if (groups.length === 0 && !base) return null;
  return { categoryFilterGroups: base?.categoryFilterGroups ?? [], groups, inputFilterGroups: base?.inputFilterGroups ?? [] };
}

function extensionAttributeDefinition(name: string, def: ExtensionAttribute): AttributeDefinition {
  return {
    anchor: false,
    apiExpressions: [],
    caseExact: def.caseExact ?? false,
    defaultValue: null,
    flowNullValues: def.flowNullValues ?? false,
    metadata: [],
    multivalued: def.multivalued ?? false,
    mutability: def.mutability ?? "ReadWrite",
    name,
    referencedObjects: (def.referencedObjects ?? []).map((o) => ({ referencedObjectName: o, referencedProperty: null })),
    required: def.required ?? false,
    type: def.type ?? "String",
  };
}
