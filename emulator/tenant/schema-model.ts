/**
 * A small EDM model of the synchronizationSchema complex types (from the v1.0 CSDL/OpenAPI), used
 * to read a client's schema the way Graph's OData layer does: unknown properties are rejected,
 * non-nullable members cannot be null, enum members must be spelled exactly, and omitted members
 * get their server defaults (so every stored schema has the full CSDL shape).
 */

type FieldSpec =
  | { kind: "string"; nullable: boolean; default?: string | null }
  | { kind: "boolean"; default: boolean }
  | { kind: "int"; default: number }
  | { kind: "enum"; members: readonly string[]; default: string | null; nullable: boolean }
  | { kind: "flags"; members: readonly string[]; default: string }
  | { kind: "complex"; type: string; default: null }
  | { kind: "collection"; element: "string" | { type: string } };

const str = (def: string | null = null): FieldSpec => ({ kind: "string", nullable: true, default: def });
const bool = (def: boolean): FieldSpec => ({ kind: "boolean", default: def });
const int = (def: number): FieldSpec => ({ kind: "int", default: def });
const enumOf = (members: readonly string[], def: string | null, nullable = false): FieldSpec => ({
  kind: "enum",
  members,
  default: def,
  nullable,
});
const flagsOf = (members: readonly string[], def: string): FieldSpec => ({ kind: "flags", members, default: def });
const complex = (type: string): FieldSpec => ({ kind: "complex", type, default: null });
/** A collection of "string", or of the complex type named `element`. */
const listOf = (element: string): FieldSpec => ({
  kind: "collection",
  element: element === "string" ? "string" : { type: element },
});

const ATTRIBUTE_TYPES = ["String", "Integer", "Reference", "Binary", "Boolean", "DateTime"] as const;
const MUTABILITIES = ["ReadWrite", "ReadOnly", "Immutable", "WriteOnly"] as const;
const OBJECT_FLOW_TYPES = ["None", "Add", "Update", "Delete"] as const;
const DISCOVERABILITIES = ["None", "AttributeNames", "AttributeDataTypes", "AttributeReadOnly", "ReferenceAttributes", "UnknownFutureValue"] as const;

const MODEL: Record<string, Record<string, FieldSpec>> = {
  synchronizationSchema: {
    id: str(),
    version: str(),
    directories: listOf("directoryDefinition"),
    synchronizationRules: listOf("synchronizationRule"),
  },
  directoryDefinition: {
    id: str(),
    discoverabilities: flagsOf(DISCOVERABILITIES, "None"),
    discoveryDateTime: str(),
    name: str(),
    objects: listOf("objectDefinition"),
    readOnly: bool(false),
    version: str(),
  },
  objectDefinition: {
    attributes: listOf("attributeDefinition"),
    metadata: listOf("objectDefinitionMetadataEntry"),
    name: str(),
    supportedApis: listOf("string"),
  },
  attributeDefinition: {
    anchor: bool(false),
    apiExpressions: listOf("stringKeyStringValuePair"),
    caseExact: bool(false),
    defaultValue: str(),
    flowNullValues: bool(false),
    metadata: listOf("attributeDefinitionMetadataEntry"),
    multivalued: bool(false),
    mutability: enumOf(MUTABILITIES, "ReadWrite"),
    name: str(),
    referencedObjects: listOf("referencedObject"),
    required: bool(false),
    type: enumOf(ATTRIBUTE_TYPES, "String"),
  },
  referencedObject: { referencedObjectName: str(), referencedProperty: str() },
  attributeDefinitionMetadataEntry: {
    key: enumOf(
      [
        "BaseAttributeName",
        "ComplexObjectDefinition",
        "IsContainer",
        "IsCustomerDefined",
        "IsDomainQualified",
        "LinkPropertyNames",
        "LinkTypeName",
        "MaximumLength",
        "ReferencedProperty",
      ],
      null,
      true,
    ),
    value: str(),
  },
  objectDefinitionMetadataEntry: {
    key: enumOf(
      [
        "PropertyNameAccountEnabled",
        "PropertyNameSoftDeleted",
        "IsSoftDeletionSupported",
        "IsSynchronizeAllSupported",
        "ConnectorDataStorageRequired",
        "Extensions",
        "BaseObjectName",
      ],
      null,
      true,
    ),
    value: str(),
  },
  stringKeyStringValuePair: { key: str(), value: str() },
  synchronizationRule: {
    containerFilter: complex("containerFilter"),
    editable: bool(false),
    groupFilter: complex("groupFilter"),
    id: str(),
    metadata: listOf("stringKeyStringValuePair"),
    name: str(),
    objectMappings: listOf("objectMapping"),
    priority: int(0),
    sourceDirectoryName: str(),
    targetDirectoryName: str(),
  },
  containerFilter: { includedContainers: listOf("string") },
  groupFilter: { includedGroups: listOf("string") },
  objectMapping: {
    attributeMappings: listOf("attributeMapping"),
    enabled: bool(false),
    flowTypes: flagsOf(OBJECT_FLOW_TYPES, "Add, Update, Delete"),
    metadata: listOf("objectMappingMetadataEntry"),
    name: str(),
    scope: complex("filter"),
    sourceObjectName: str(),
    targetObjectName: str(),
  },
  objectMappingMetadataEntry: {
    key: enumOf(
      ["EscrowBehavior", "DisableMonitoringForChanges", "OriginalJoiningProperty", "Disposition", "IsCustomerDefined", "ExcludeFromReporting", "Unsynchronized"],
      null,
      true,
    ),
    value: str(),
  },
  attributeMapping: {
    defaultValue: str(),
    exportMissingReferences: bool(false),
    flowBehavior: enumOf(["FlowWhenChanged", "FlowAlways"], "FlowWhenChanged"),
    flowType: enumOf(["Always", "ObjectAddOnly", "MultiValueAddOnly", "ValueAddOnly", "AttributeAddOnly"], "Always"),
    matchingPriority: int(0),
    source: complex("attributeMappingSource"),
    targetAttributeName: str(),
  },
  attributeMappingSource: {
    expression: str(),
    name: str(),
    parameters: listOf("stringKeyAttributeMappingSourceValuePair"),
    type: enumOf(["Attribute", "Constant", "Function"], "Attribute"),
  },
  stringKeyAttributeMappingSourceValuePair: { key: str(), value: complex("attributeMappingSource") },
  filter: {
    categoryFilterGroups: listOf("filterGroup"),
    groups: listOf("filterGroup"),
    inputFilterGroups: listOf("filterGroup"),
  },
  filterGroup: { clauses: listOf("filterClause"), name: str() },
  filterClause: { operatorName: str(), sourceOperandName: str(), targetOperand: complex("filterOperand") },
  filterOperand: { values: listOf("string") },
};

export class EdmReadError extends Error {}

/**
 * Read `value` as an instance of complex type `typeName`: returns a new object with every member
 * of the type present (defaults filled in), or throws EdmReadError with an OData-style message.
 * Instance annotations (`@odata.*`, `x@odata.type`) are dropped, as OData readers do.
 */
export function readComplex(value: unknown, typeName: string, at = typeName): Record<string, unknown> {
  const spec = MODEL[typeName];
  if (!spec) throw new Error(`no EDM model for ${typeName}`);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new EdmReadError(`Cannot read the value at '${at}': expected a JSON object of type 'microsoft.graph.${typeName}'.`);
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (key.includes("@odata.")) continue;
    if (!(key in spec)) {
      throw new EdmReadError(
        `The property '${key}' does not exist on type 'microsoft.graph.${typeName}'. Make sure to only use property names that are defined by the type.`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec)) {
    out[name] = readField(input[name], field, `${at}.${name}`, typeName, name);
  }
  return out;
}

function readField(raw: unknown, field: FieldSpec, at: string, owner: string, name: string): unknown {
  const nullNotAllowed = (): never => {
    throw new EdmReadError(
      `A null value was found for the property named '${name}', which has the expected type '${edmTypeName(field)}[Nullable=False]'. The expected type '${edmTypeName(field)}[Nullable=False]' does not allow null values.`,
    );
  };
  const wrongType = (expected: string): never => {
    throw new EdmReadError(`Cannot convert the value at '${at}' to the expected type '${expected}'.`);
  };
  switch (field.kind) {
    case "string":
      if (raw === undefined) return field.default ?? null;
      if (raw === null) return null;
      if (typeof raw !== "string") wrongType("Edm.String");
      return raw;
    case "boolean":
      if (raw === undefined) return field.default;
      if (raw === null) nullNotAllowed();
      if (typeof raw !== "boolean") wrongType("Edm.Boolean");
      return raw;
    case "int":
      if (raw === undefined) return field.default;
      if (raw === null) nullNotAllowed();
      if (typeof raw !== "number" || !Number.isInteger(raw)) wrongType("Edm.Int32");
      return raw;
    case "enum":
      if (raw === undefined) return field.default;
      if (raw === null) {
        if (field.nullable) return null;
        nullNotAllowed();
      }
      if (typeof raw !== "string" || !field.members.includes(raw)) {
        throw new EdmReadError(
          `The value '${String(raw)}' at '${at}' is not a member of enum type '${edmTypeName(field)}' (${owner}.${name}). Valid values: ${field.members.join(", ")}.`,
        );
      }
      return raw;
    case "flags": {
      if (raw === undefined) return field.default;
      if (raw === null) nullNotAllowed();
      if (typeof raw !== "string") wrongType("flags enum string");
      const parts = (raw as string).split(",").map((p) => p.trim());
      if (parts.some((p) => !field.members.includes(p))) {
        throw new EdmReadError(`The value '${raw as string}' at '${at}' is not a valid combination of the flags ${field.members.join(", ")}.`);
      }
      // Graph serializes flags as member names joined by ", ".
      return parts.join(", ");
    }
    case "complex":
      if (raw === undefined || raw === null) return null;
      return readComplex(raw, field.type, at);
    case "collection": {
      if (raw === undefined || raw === null) return [];
      if (!Array.isArray(raw)) wrongType("Collection");
      return (raw as unknown[]).map((item, i) => {
        if (field.element === "string") {
          if (typeof item !== "string") wrongType("Edm.String");
          return item;
        }
        return readComplex(item, field.element.type, `${at}[${i}]`);
      });
    }
  }
}

function edmTypeName(field: FieldSpec): string {
  switch (field.kind) {
    case "boolean":
      return "Edm.Boolean";
    case "int":
      return "Edm.Int32";
    case "string":
      return "Edm.String";
    default:
      return "microsoft.graph.enum";
  }
}
