/**
 * Small constructors for synchronization schema fragments, so seeded template schemas read as
 * lists of attribute names and mappings rather than walls of JSON. Every builder returns the full
 * CSDL shape (all non-nullable members present), as Graph serializes them.
 */
import type {
  AttributeDefinition,
  AttributeMapping,
  AttributeMappingSource,
  AttributeType,
  MetadataEntry,
  ObjectDefinition,
  ObjectMapping,
} from "../../provider/graph/types";

export function attr(
  name: string,
  options: Partial<Pick<AttributeDefinition, "anchor" | "multivalued" | "required" | "mutability" | "caseExact">> & {
    type?: AttributeType;
    references?: string[];
  } = {},
): AttributeDefinition {
  return {
    anchor: options.anchor ?? false,
    apiExpressions: [],
    caseExact: options.caseExact ?? false,
    defaultValue: null,
    flowNullValues: false,
    metadata: [],
    multivalued: options.multivalued ?? false,
    mutability: options.mutability ?? "ReadWrite",
    name,
    referencedObjects: (options.references ?? []).map((o) => ({ referencedObjectName: o, referencedProperty: null })),
    required: options.required ?? false,
    type: options.type ?? "String",
  };
}

export function objectDef(name: string, attributes: AttributeDefinition[], metadata: MetadataEntry[] = []): ObjectDefinition {
  return { attributes, metadata, name, supportedApis: [] };
}

/** `[name]` — an attribute of the source object. */
export function fromAttribute(name: string): AttributeMappingSource {
  return { expression: `[${name}]`, name, parameters: [], type: "Attribute" };
}

/** `"value"` — a constant. */
export function constant(value: string): AttributeMappingSource {
  return { expression: JSON.stringify(value), name: value, parameters: [], type: "Constant" };
}

/** `Name(arg, ...)` with named parameters (names as in the function schema). */
export function call(name: string, expression: string, params: [string, AttributeMappingSource][]): AttributeMappingSource {
  return {
    expression,
    name,
    parameters: params.map(([key, value]) => ({ key, value })),
    type: "Function",
  };
}

export function mapping(
  targetAttributeName: string,
  source: AttributeMappingSource | null,
  options: Partial<Pick<AttributeMapping, "matchingPriority" | "defaultValue" | "flowType" | "flowBehavior">> = {},
): AttributeMapping {
  return {
    defaultValue: options.defaultValue ?? null,
    exportMissingReferences: false,
    flowBehavior: options.flowBehavior ?? "FlowWhenChanged",
    flowType: options.flowType ?? "Always",
    matchingPriority: options.matchingPriority ?? 0,
    source,
    targetAttributeName,
  };
}

/** Object-mapping metadata as the docs' samples show it (some values are JSON-quoted). */
const DEFAULT_OBJECT_MAPPING_METADATA: MetadataEntry[] = [
  { key: "IsCustomerDefined", value: "false" },
  { key: "DisableMonitoringForChanges", value: "false" },
  { key: "Disposition", value: '"Normal"' },
  { key: "ExcludeFromReporting", value: "false" },
  { key: "EscrowBehavior", value: '"Default"' },
  { key: "Unsynchronized", value: "false" },
];

export function objectMapping(name: string, sourceObjectName: string, targetObjectName: string, attributeMappings: AttributeMapping[]): ObjectMapping {
  return {
    attributeMappings,
    enabled: true,
    flowTypes: "Add, Update, Delete",
    metadata: DEFAULT_OBJECT_MAPPING_METADATA.map((m) => ({ ...m })),
    name,
    scope: null,
    sourceObjectName,
    targetObjectName,
  };
}
