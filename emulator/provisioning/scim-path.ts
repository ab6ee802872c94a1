/**
 * SCIM attribute paths as target attribute names use them (RFC 7644 §3.10 path grammar, the subset
 * provisioning schemas use): `userName`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`. Reads a value at such a
 * path from a SCIM resource, writes one into a resource being built, and turns a change into the
 * PATCH operation Entra's SCIM client would send.
 */

export interface ScimAttributePath {
  /** The full name as written in the schema. */
  name: string;
  /** Extension schema URN, or null for the resource's core schema. */
  schema: string | null;
  attribute: string;
  /** `[type eq "work"]` */
  valueFilter: { attribute: string; value: string } | null;
  subAttribute: string | null;
}

export type ScimValue = string | number | boolean | string[] | { value: string };

export interface ScimPatchOperation {
  op: "Add" | "Replace" | "Remove";
  path?: string;
  value?: unknown;
}

export const CORE_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

const PATH = /^([A-Za-z$][\w$-]*)(?:\[\s*([A-Za-z][\w-]*)\s+eq\s+"([^"]*)"\s*\])?(?:\.([A-Za-z$][\w$-]*))?$/;

export function parseScimPath(name: string): ScimAttributePath | undefined {
  let schema: string | null = null;
  let rest = name;
  if (/^urn:/i.test(name)) {
    const cut = name.lastIndexOf(":");
    schema = name.slice(0, cut);
    rest = name.slice(cut + 1);
  }
  const match = PATH.exec(rest);
  if (!match) return undefined;
  const [, attribute, filterAttribute, filterValue, subAttribute] = match;
  return {
    name,
    schema,
    attribute,
    valueFilter: filterAttribute ? { attribute: filterAttribute, value: filterValue } : null,
    subAttribute: subAttribute ?? null,
  };
}

/** The value at `path` in `resource`, or undefined when absent. */
export function readScimValue(resource: Record<string, unknown>, path: ScimAttributePath): unknown {
  const container = path.schema ? asRecord(resource[path.schema]) : resource;
  if (!container) return undefined;
  const attribute = container[path.attribute];
  if (path.valueFilter) {
    if (!Array.isArray(attribute)) return undefined;
    const element = attribute.map(asRecord).find((e) => e && e[path.valueFilter!.attribute] === path.valueFilter!.value);
    return element ? element[path.subAttribute ?? "value"] : undefined;
  }
  if (path.subAttribute) return asRecord(attribute)?.[path.subAttribute];
  return attribute;
}

/** Write `value` at `path` into a resource under construction (creating containers as needed). */
export function writeScimValue(resource: Record<string, unknown>, path: ScimAttributePath, value: ScimValue): void {
  let container = resource;
  if (path.schema) {
    container = asRecord(resource[path.schema]) ?? {};
    resource[path.schema] = container;
    const schemas = Array.isArray(resource.schemas) ? (resource.schemas as string[]) : [];
    if (!schemas.includes(path.schema)) resource.schemas = [...schemas, path.schema];
  }
  if (path.valueFilter) {
    const list = Array.isArray(container[path.attribute]) ? (container[path.attribute] as Record<string, unknown>[]) : [];
    let element = list.find((e) => e[path.valueFilter!.attribute] === path.valueFilter!.value);
    if (!element) {
      element = newMultiValuedElement(path);
      list.push(element);
    }
    element[path.subAttribute ?? "value"] = value;
    container[path.attribute] = list;
    return;
  }
  if (path.subAttribute) {
    const complex = asRecord(container[path.attribute]) ?? {};
    complex[path.subAttribute] = value;
    container[path.attribute] = complex;
    return;
  }
  container[path.attribute] = value;
}

/**
 * The PATCH operation that sets `path` to `value` on a resource whose current value is `current`:
 * Replace when there is a value, Add otherwise. A typed multi-valued entry that does not exist yet
 * is added as a whole element, since a filtered path that matches nothing is a "noTarget" error
 * (RFC 7644 §3.5.2.3).
 */
export function setOperation(resource: Record<string, unknown>, path: ScimAttributePath, value: ScimValue): ScimPatchOperation {
  const current = readScimValue(resource, path);
  if (current !== undefined && current !== null) return { op: "Replace", path: path.name, value };
  if (path.valueFilter && !hasFilteredElement(resource, path)) {
    const element = newMultiValuedElement(path);
    element[path.subAttribute ?? "value"] = value;
    const attributePath = path.schema ? `${path.schema}:${path.attribute}` : path.attribute;
    return { op: "Add", path: attributePath, value: [element] };
  }
  return { op: "Add", path: path.name, value };
}

/** Whether two values are the same as far as provisioning is concerned (string forms, lists as sets). */
export function sameScimValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): string => {
    if (Array.isArray(v)) return JSON.stringify(v.map(norm).sort());
    if (v !== null && typeof v === "object") return norm((v as { value?: unknown }).value);
    return v === undefined || v === null ? "" : String(v);
  };
  return norm(a) === norm(b);
}

function hasFilteredElement(resource: Record<string, unknown>, path: ScimAttributePath): boolean {
  const container = path.schema ? asRecord(resource[path.schema]) : resource;
  const list = container?.[path.attribute];
  return Array.isArray(list) && list.some((e) => asRecord(e)?.[path.valueFilter!.attribute] === path.valueFilter!.value);
}

/** Entra marks the work e-mail and work address primary (Create User sample in "Develop a SCIM endpoint"). */
function newMultiValuedElement(path: ScimAttributePath): Record<string, unknown> {
  const element: Record<string, unknown> = { [path.valueFilter!.attribute]: path.valueFilter!.value };
  const primaryWork = path.valueFilter!.attribute === "type" && path.valueFilter!.value === "work" && (path.attribute === "emails" || path.attribute === "addresses");
  if (primaryWork) element.primary = true;
  return element;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
