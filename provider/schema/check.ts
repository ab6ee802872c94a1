/**
 * Preview-time validation of schema customizations that needs no baseline and no Graph call:
 * shapes and types, exactly one value source per mapping, enums, the expression language (with the
 * position of the error), filter operators and their operand counts, and matching priorities that
 * collide among the declared mappings. Names that only the baseline can confirm are checked by
 * catalog.ts.
 */

import { describe, didYouMean, isUnknown, type CheckFailure } from "../validation";
import { ATTRIBUTE_TYPES, FLOW_BEHAVIORS, FLOW_TYPES, MUTABILITIES, type AttributeMappingCustomization } from "./customization";
import { validateExpression } from "./expression";
import { checkFilterClause } from "./filter-operators";
import { propertyPath } from "./paths";

type Path = (string | number)[];

const MAPPING_FIELDS = ["source", "constant", "expression", "defaultValue", "flowType", "flowBehavior", "matchingPriority", "remove"];
const OBJECT_MAPPING_FIELDS = ["enabled", "attributeMappings", "scope"];
const CLAUSE_FIELDS = ["attribute", "operator", "values"];
const EXTENSION_FIELDS = ["type", "multivalued", "required", "caseExact", "mutability", "flowNullValues", "referencedObjects"];

class Checker {
  readonly failures: CheckFailure[] = [];

  fail(path: Path, reason: string): void {
    this.failures.push({ property: propertyPath(...path), reason });
  }

  /** A map input (keys are names); false when absent, unknown or not an object. */
  map(path: Path, value: unknown): value is Record<string, unknown> {
    if (value === undefined || isUnknown(value)) return false;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.fail(path, `${propertyPath(...path)} must be an object keyed by name, got ${describe(value)}`);
      return false;
    }
    return true;
  }

  knownFields(path: Path, value: Record<string, unknown>, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(value)) {
      if (allowed.includes(k)) continue;
      const hint = didYouMean(k, allowed);
      this.fail([...path, k], `'${k}' is not a field of ${what}${hint ? `; did you mean '${hint}'?` : ""} (known: ${allowed.join(", ")})`);
    }
  }

  string(path: Path, value: unknown, what: string, options: { nonEmpty?: boolean } = {}): value is string {
    if (value === undefined || isUnknown(value)) return false;
    if (typeof value !== "string") {
      this.fail(path, `${what} must be a string, got ${describe(value)}`);
      return false;
    }
    if (options.nonEmpty && value.trim() === "") {
      this.fail(path, `${what} must not be empty`);
      return false;
    }
    return true;
  }

  boolean(path: Path, value: unknown, what: string): void {
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "boolean") this.fail(path, `${what} must be true or false, got ${describe(value)}`);
  }

  oneOf(path: Path, value: unknown, allowed: readonly string[], what: string): void {
    if (value === undefined || isUnknown(value)) return;
    if (typeof value === "string" && allowed.includes(value)) return;
    const hint = typeof value === "string" ? didYouMean(value, allowed) : undefined;
    this.fail(path, `${what} must be one of ${allowed.join(", ")}, got ${describe(value)}${hint ? `; did you mean '${hint}'?` : ""}`);
  }
}

/** Failures for `objectMappings` and `extensionAttributes` (either may be absent). */
export function checkCustomizations(objectMappings: unknown, extensionAttributes: unknown): CheckFailure[] {
  const c = new Checker();
  if (c.map(["objectMappings"], objectMappings)) {
    for (const [key, om] of Object.entries(objectMappings)) checkObjectMapping(c, ["objectMappings", key], om);
  }
  if (c.map(["extensionAttributes"], extensionAttributes)) {
    for (const [dir, objects] of Object.entries(extensionAttributes)) {
      if (!c.map(["extensionAttributes", dir], objects)) continue;
      for (const [obj, attrs] of Object.entries(objects)) {
        if (!c.map(["extensionAttributes", dir, obj], attrs)) continue;
        for (const [name, def] of Object.entries(attrs)) checkExtensionAttribute(c, ["extensionAttributes", dir, obj, name], def);
      }
    }
  }
  return c.failures;
}

function checkObjectMapping(c: Checker, path: Path, om: unknown): void {
  if (!c.map(path, om)) return;
  c.knownFields(path, om, OBJECT_MAPPING_FIELDS, "an object mapping");
  c.boolean([...path, "enabled"], om.enabled, "enabled");
  const priorities = new Map<number, string>();
  if (c.map([...path, "attributeMappings"], om.attributeMappings)) {
    for (const [target, m] of Object.entries(om.attributeMappings)) {
      const at = [...path, "attributeMappings", target];
      if (target.trim() === "") c.fail(at, "a target attribute name must not be empty");
      checkAttributeMapping(c, at, m);
      const priority = (m as AttributeMappingCustomization | undefined)?.matchingPriority;
      if (typeof priority === "number" && priority > 0) {
        const other = priorities.get(priority);
        if (other !== undefined) {
          c.fail([...at, "matchingPriority"], `matching priority ${priority} is also used by '${other}'; each matching attribute needs its own priority`);
        } else priorities.set(priority, target);
      }
    }
  }
  if (c.map([...path, "scope"], om.scope)) {
    for (const [group, clauses] of Object.entries(om.scope)) {
      const at = [...path, "scope", group];
      if (isUnknown(clauses)) continue;
      if (!Array.isArray(clauses) || clauses.length === 0) {
        c.fail(at, `a scoping group must be a non-empty list of clauses (AND within a group), got ${describe(clauses)}`);
        continue;
      }
      clauses.forEach((clause, i) => checkClause(c, [...at, i], clause));
    }
  }
}

function checkAttributeMapping(c: Checker, path: Path, m: unknown): void {
  if (isUnknown(m)) return;
  if (m === null || typeof m !== "object" || Array.isArray(m)) {
    c.fail(path, `an attribute mapping must be an object such as { source: "mail" }, got ${describe(m)}`);
    return;
  }
  const mapping = m as Record<string, unknown>;
  c.knownFields(path, mapping, MAPPING_FIELDS, "an attribute mapping");
  const stated = ["source", "constant", "expression"].filter((k) => mapping[k] !== undefined);
  if (mapping.remove !== undefined) {
    if (mapping.remove !== true && !isUnknown(mapping.remove))
      c.fail([...path, "remove"], `remove must be true (leave it out to keep the mapping), got ${describe(mapping.remove)}`);
    const others = Object.keys(mapping).filter((k) => k !== "remove");
    if (others.length > 0) c.fail(path, `remove: true cannot be combined with ${others.join(", ")}`);
    return;
  }
  if (stated.length > 1) c.fail(path, `state exactly one of source, constant or expression (got ${stated.join(" and ")})`);
  if (c.string([...path, "source"], mapping.source, "source", { nonEmpty: true })) {
    if (/[[\]()"]/.test(mapping.source)) {
      c.fail([...path, "source"], `source is a source attribute name such as "mail"; for an expression use expression: ${JSON.stringify(mapping.source)}`);
    }
  }
  c.string([...path, "constant"], mapping.constant, "constant");
  if (c.string([...path, "expression"], mapping.expression, "expression", { nonEmpty: true })) {
    for (const e of validateExpression(mapping.expression).errors) {
      c.fail([...path, "expression"], `${e.message} (at position ${e.position} of ${JSON.stringify(mapping.expression)})`);
    }
  }
  c.string([...path, "defaultValue"], mapping.defaultValue, "defaultValue");
  c.oneOf([...path, "flowType"], mapping.flowType, FLOW_TYPES, "flowType");
  c.oneOf([...path, "flowBehavior"], mapping.flowBehavior, FLOW_BEHAVIORS, "flowBehavior");
  const p = mapping.matchingPriority;
  if (p !== undefined && !isUnknown(p) && (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p > 2147483647)) {
    c.fail([...path, "matchingPriority"], `matchingPriority must be a whole number >= 0 (0 = not a matching attribute), got ${describe(p)}`);
  }
}

function checkClause(c: Checker, path: Path, clause: unknown): void {
  if (!c.map(path, clause)) return;
  c.knownFields(path, clause, CLAUSE_FIELDS, "a scoping clause");
  c.string([...path, "attribute"], clause.attribute, "attribute", { nonEmpty: true });
  if (clause.attribute === undefined) c.fail([...path, "attribute"], "attribute is required: the source attribute the clause tests");
  if (clause.operator === undefined) c.fail([...path, "operator"], "operator is required, e.g. EQUALS");
  const values = clause.values;
  if (values !== undefined && !isUnknown(values) && (!Array.isArray(values) || values.some((v) => typeof v !== "string" && !isUnknown(v)))) {
    c.fail([...path, "values"], `values must be a list of strings, got ${describe(values)}`);
    return;
  }
  if (!c.string([...path, "operator"], clause.operator, "operator", { nonEmpty: true }) || isUnknown(values)) return;
  const problems = checkFilterClause({
    sourceOperandName: typeof clause.attribute === "string" ? clause.attribute : "",
    operatorName: clause.operator,
    targetOperand: { values: (values as string[] | undefined) ?? [] },
  });
  for (const problem of problems) c.fail([...path, "operator"], problem);
}

function checkExtensionAttribute(c: Checker, path: Path, def: unknown): void {
  if (!c.map(path, def)) return;
  c.knownFields(path, def, EXTENSION_FIELDS, "an extension attribute");
  c.oneOf([...path, "type"], def.type, ATTRIBUTE_TYPES, "type");
  c.oneOf([...path, "mutability"], def.mutability, MUTABILITIES, "mutability");
  for (const flag of ["multivalued", "required", "caseExact", "flowNullValues"]) c.boolean([...path, flag], def[flag], flag);
  const refs = def.referencedObjects;
  if (refs !== undefined && !isUnknown(refs)) {
    if (!Array.isArray(refs) || refs.some((r) => typeof r !== "string" || r === "")) {
      c.fail([...path, "referencedObjects"], `referencedObjects must be a list of object names, got ${describe(refs)}`);
    } else if (refs.length > 0 && def.type !== "Reference") {
      c.fail([...path, "referencedObjects"], `referencedObjects only applies to attributes of type Reference`);
    }
  }
  if (def.type === "Reference" && (refs === undefined || (Array.isArray(refs) && refs.length === 0))) {
    c.fail([...path, "referencedObjects"], `a Reference attribute must name the objects it refers to, e.g. ["User"]`);
  }
}
