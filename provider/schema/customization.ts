/**
 * The shape of a schema customization, as programs write it and as `pulumi preview` shows it.
 *
 * Everything is a map keyed by a stable, readable name (an object mapping's key, a target attribute
 * name, a scoping group's name, a directory/object/attribute name) rather than an array, because the
 * engine renders a diff of inputs and cannot show a detailed diff for dynamic resources: a change to
 * one mapping must read as `objectMappings.User.attributeMappings.userName.expression`, not as a
 * rewritten array (docs/pulumi-dynamic-providers.md, Diff).
 */

import type { AttributeType, Mutability } from "../graph/types";

export const FLOW_TYPES = ["Always", "ObjectAddOnly", "MultiValueAddOnly", "ValueAddOnly", "AttributeAddOnly"] as const;
export const FLOW_BEHAVIORS = ["FlowWhenChanged", "FlowAlways"] as const;
export const ATTRIBUTE_TYPES = ["String", "Integer", "Reference", "Binary", "Boolean", "DateTime"] as const;
export const MUTABILITIES = ["ReadWrite", "ReadOnly", "Immutable", "WriteOnly"] as const;

export type FlowType = (typeof FLOW_TYPES)[number];
export type FlowBehavior = (typeof FLOW_BEHAVIORS)[number];

/**
 * One attribute mapping, keyed by its target attribute name. Exactly one of `source`, `constant` and
 * `expression` says where the value comes from; fields left out keep the baseline mapping's value
 * (or Graph's default for a mapping the baseline does not have). `remove: true` deletes a baseline
 * mapping and cannot be combined with anything else.
 */
export interface AttributeMappingCustomization {
  /** A source attribute, e.g. "mail" (the expression `[mail]`). */
  source?: string;
  /** A constant value. */
  constant?: string;
  /** A mapping expression, e.g. `Join(" ", [givenName], [surname])`. */
  expression?: string;
  /** Used when the source evaluates to null. */
  defaultValue?: string;
  flowType?: FlowType;
  flowBehavior?: FlowBehavior;
  /** > 0 makes this a matching attribute; lowest is tried first. 0 = not used for matching. */
  matchingPriority?: number;
  remove?: boolean;
}

/** One clause of a scoping-filter group: `<attribute> <operator> <values>`. */
export interface ScopingClause {
  attribute: string;
  operator: string;
  /** Operand values; none for unary operators such as IS TRUE. */
  values?: string[];
}

/** Scoping filter: groups keyed by name; AND within a group, OR across groups. */
export type ScopingFilter = Record<string, ScopingClause[]>;

export interface ObjectMappingCustomization {
  enabled?: boolean;
  /** Keyed by target attribute name. */
  attributeMappings?: Record<string, AttributeMappingCustomization>;
  /** Replaces the baseline's scoping filter; `{}` removes it (everything in scope). */
  scope?: ScopingFilter;
}

/** An attribute added to a directory's object definition (e.g. a custom SCIM extension attribute). */
export interface ExtensionAttribute {
  type?: AttributeType;
  multivalued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: Mutability;
  flowNullValues?: boolean;
  /** For Reference attributes: the object names it may point at. */
  referencedObjects?: string[];
}

/** directory name -> object name -> attribute name -> definition. */
export type ExtensionAttributes = Record<string, Record<string, Record<string, ExtensionAttribute>>>;

/** Everything a program states about a schema beyond its template baseline. */
export interface SchemaCustomizations {
  /** Keyed by object mapping key: the source object name, or `Source->Target` when one source feeds several targets. */
  objectMappings?: Record<string, ObjectMappingCustomization>;
  extensionAttributes?: ExtensionAttributes;
}
