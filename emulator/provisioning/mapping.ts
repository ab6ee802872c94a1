/**
 * An object mapping applied to one source object: every enabled attribute mapping evaluated (with
 * the project's evaluator, see evaluate.ts), typed for the target attribute, and placed at its SCIM
 * path. Null results fall back to the mapping's defaultValue, else the attribute is not flowed
 * ("The provisioning service currently doesn't support provisioning null attributes" — On-demand
 * provisioning). References (manager, members) are translated to the target's ids of objects the
 * job has provisioned; references to objects it has not provisioned are left out
 * (exportMissingReferences is false in every template).
 */
import type { AttributeDefinition, AttributeMapping, ObjectDefinition, ObjectMapping } from "../../provider/graph/types";
import { evaluateMapping, type EvaluationContext, type SourceObject } from "./evaluate";
import { parseScimPath, type ScimAttributePath, type ScimValue } from "./scim-path";

export interface MappedValue {
  mapping: AttributeMapping;
  path: ScimAttributePath;
  value: ScimValue;
  /** The evaluated source value, as text, for reports. */
  sourceText: string;
}

export interface MappedObject {
  values: MappedValue[];
  /** Multi-valued reference `members`: the target ids of member objects (groups). */
  memberTargetIds: string[] | null;
  /** Mappings that could not be evaluated or placed. */
  errors: { targetAttributeName: string; message: string }[];
}

/** Looks up the target id of a provisioned source object (by source object id). */
type ReferenceResolver = (sourceId: string) => string | undefined;

export function mapObject(
  objectMapping: ObjectMapping,
  targetObject: ObjectDefinition | undefined,
  source: SourceObject,
  resolve: ReferenceResolver,
  context: EvaluationContext,
): MappedObject {
  const out: MappedObject = { values: [], memberTargetIds: null, errors: [] };
  for (const mapping of objectMapping.attributeMappings) {
    if (!mapping.source) continue;
    const definition = targetObject?.attributes.find((a) => a.name === mapping.targetAttributeName);
    const evaluation = evaluateMapping(mapping.source, source, context);
    if (!evaluation.ok) {
      out.errors.push({ targetAttributeName: mapping.targetAttributeName, message: evaluation.error });
      continue;
    }
    let value = evaluation.value;
    if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) value = mapping.defaultValue;
    if (value === null || value === undefined) continue;
    const sourceText = Array.isArray(value) ? value.join(";") : value;
    if (definition?.type === "Reference") {
      const ids = [value]
        .flat()
        .map(resolve)
        .filter((id): id is string => id !== undefined);
      if (mapping.targetAttributeName === "members") {
        out.memberTargetIds = ids;
        continue;
      }
      if (ids.length === 0) continue;
      const path = parseScimPath(mapping.targetAttributeName);
      if (!path) {
        out.errors.push({ targetAttributeName: mapping.targetAttributeName, message: "not a SCIM attribute path" });
        continue;
      }
      // A single-valued reference such as the enterprise extension's manager is {"value": id}.
      out.values.push({ mapping, path, value: definition.multivalued ? ids : { value: ids[0] }, sourceText });
      continue;
    }
    const path = parseScimPath(mapping.targetAttributeName);
    if (!path) {
      out.errors.push({ targetAttributeName: mapping.targetAttributeName, message: "not a SCIM attribute path" });
      continue;
    }
    const typed = typedValue(value, definition);
    if (typed === undefined) {
      out.errors.push({ targetAttributeName: mapping.targetAttributeName, message: `'${sourceText}' is not a valid ${definition?.type ?? "String"}` });
      continue;
    }
    out.values.push({ mapping, path, value: typed, sourceText });
  }
  return out;
}

/** The matching attributes of an object mapping, lowest matchingPriority first. */
export function matchingValues(mapped: MappedObject): MappedValue[] {
  return mapped.values
    .filter((v) => v.mapping.matchingPriority > 0 && typeof v.value === "string")
    .sort((a, b) => a.mapping.matchingPriority - b.mapping.matchingPriority);
}

/** The source attribute the first matching attribute reads (test connection queries it). */
export function matchingTargetAttribute(objectMapping: ObjectMapping | undefined): string {
  const first = [...(objectMapping?.attributeMappings ?? [])].filter((m) => m.matchingPriority > 0).sort((a, b) => a.matchingPriority - b.matchingPriority)[0];
  return first?.targetAttributeName ?? "userName";
}

/** Booleans and integers as JSON types (SCIM 2.0 compliant, not the legacy "True"/"False" strings). */
function typedValue(value: string | string[], definition: AttributeDefinition | undefined): ScimValue | undefined {
  if (definition?.multivalued) return [value].flat();
  const text = Array.isArray(value) ? value[0] : value;
  switch (definition?.type) {
    case "Boolean":
      if (/^true$/i.test(text)) return true;
      if (/^false$/i.test(text)) return false;
      return undefined;
    case "Integer": {
      const n = Number(text);
      return Number.isInteger(n) ? n : undefined;
    }
    default:
      return text;
  }
}
