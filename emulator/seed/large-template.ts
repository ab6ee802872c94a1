/**
 * A synthetic schema of about 1 MB, the size of the largest gallery apps' schemas (many target
 * objects, hundreds of attributes, expressions): what the schema merge and drift code must handle
 * quickly. Deterministic, so the benchmark and the tests measure the same document.
 */
import type { AttributeMapping, ObjectDefinition, SynchronizationSchema } from "../../provider/graph/types";
import type { SchemaCustomizations } from "../../provider/schema/customization";
import { ENTRA_DIRECTORY_NAME, entraDirectory } from "./entra-source";
import { attr, call, constant, fromAttribute, mapping, objectDef, objectMapping } from "./schema-builders";

const LARGE_TARGET_DIRECTORY_NAME = "LargeGalleryApp";

const SOURCE_ATTRIBUTES = ["displayName", "givenName", "surname", "mail", "department", "jobTitle", "city", "country", "employeeId", "mailNickname"];

/** The name of attribute `i` of target object `index`. */
export function largeTargetAttribute(index: number, i: number): string {
  return `urn:example:gallery:2.0:Object${index}:attribute${i}`;
}

function targetObject(index: number, attributes: number): ObjectDefinition {
  return objectDef(`Object${index}`, [
    attr("id", { anchor: true, mutability: "ReadOnly", caseExact: true }),
    ...Array.from({ length: attributes }, (_, i) => attr(largeTargetAttribute(index, i), { required: i === 0 })),
  ]);
}

function attributeMappings(index: number, count: number): AttributeMapping[] {
  return Array.from({ length: count }, (_, i) => {
    const target = largeTargetAttribute(index, i);
    const source = SOURCE_ATTRIBUTES[i % SOURCE_ATTRIBUTES.length];
    switch (i % 3) {
      case 0:
        return mapping(target, fromAttribute(source), { matchingPriority: i === 0 ? 1 : 0 });
      case 1:
        return mapping(
          target,
          call("Join", `Join(" ", [${source}], [surname])`, [
            ["separator", constant(" ")],
            ["source", fromAttribute(source)],
            ["source", fromAttribute("surname")],
          ]),
        );
      default:
        return mapping(target, constant(`value-${index}-${i}`));
    }
  });
}

/** `objects` target objects with `attributes` attributes each, every one mapped from the Entra User. */
export function largeTemplateSchema(objects = 12, attributes = 120): SynchronizationSchema {
  return {
    directories: [
      entraDirectory("large-source"),
      {
        id: "large-target",
        discoverabilities: "AttributeNames, AttributeDataTypes",
        discoveryDateTime: null,
        name: LARGE_TARGET_DIRECTORY_NAME,
        objects: Array.from({ length: objects }, (_, i) => targetObject(i, attributes)),
        readOnly: false,
        version: null,
      },
    ],
    synchronizationRules: [
      {
        containerFilter: null,
        editable: true,
        groupFilter: null,
        id: "large-rule",
        metadata: [],
        name: "USER_OUTBOUND_LARGE",
        objectMappings: Array.from({ length: objects }, (_, i) => objectMapping(`Provision users as Object${i}`, "User", `Object${i}`, attributeMappings(i, attributes))),
        priority: 1,
        sourceDirectoryName: ENTRA_DIRECTORY_NAME,
        targetDirectoryName: LARGE_TARGET_DIRECTORY_NAME,
      },
    ],
  };
}

/** A typical customization of the large schema: an expression, a removal and a scoping filter. */
export function largeTemplateCustomizations(): SchemaCustomizations {
  return {
    objectMappings: {
      "User->Object3": {
        attributeMappings: {
          [largeTargetAttribute(3, 5)]: { expression: 'Append([mail], "-x")' },
          [largeTargetAttribute(3, 6)]: { remove: true },
        },
        scope: { g: [{ attribute: "department", operator: "EQUALS", values: ["Sales"] }] },
      },
    },
  };
}
