/**
 * A job's live schema as customizations of its template's: what `export` writes into a
 * SynchronizationSchema, so that the program states exactly what was changed in the portal.
 *
 * The typed form says: an object mapping's `enabled` and `scope`, its attribute mappings by target
 * (source, constant or expression, default value, flow type and behaviour, matching priority, or
 * removed), and attributes added to a directory object (extension attributes). Anything else that
 * differs (a rule, an object mapping or a directory object added or removed, a changed template
 * attribute, members the typed form has no field for) can only be said as the whole schema
 * (`rawSchema`), with the reasons listed so the program can say why.
 *
 * The result is checked, not trusted: the template merged with the customizations must say what
 * the live schema says (compare.ts); otherwise the whole schema is exported instead.
 */

import type { AttributeDefinition, AttributeMapping, ObjectMapping, SynchronizationSchema } from "../graph/types";
import { sameSchema } from "../schema/compare";
import type { AttributeMappingCustomization, ExtensionAttribute, ObjectMappingCustomization, SchemaCustomizations } from "../schema/customization";
import { withDefaults } from "../schema/drift";
import { keyedAttributeMapping, keyedScope, objectMappingKeys } from "../schema/keyed";
import { mergeSchema, SchemaMergeError } from "../schema/merge";
import { normalizedSchema } from "../schema/normalize";
import { stableStringify } from "../schema/stable-json";

export type SchemaDifference = { kind: "customizations"; customizations: SchemaCustomizations } | { kind: "raw"; rawSchema: SynchronizationSchema; reasons: string[] };

const same = (a: unknown, b: unknown) => stableStringify(a) === stableStringify(b);

/** The members of an object compared as they are, leaving out `omit`. */
function without<T extends object>(value: T, omit: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !omit.includes(k)));
}

export function schemaDifference(templateSchema: SynchronizationSchema, liveSchema: SynchronizationSchema): SchemaDifference {
  const template = normalizedSchema(templateSchema);
  const live = normalizedSchema(liveSchema);
  const reasons: string[] = [];
  const customizations: SchemaCustomizations = {};
  const extensions = extensionAttributes(template, live, reasons);
  if (Object.keys(extensions).length > 0) customizations.extensionAttributes = extensions;
  const mappings = objectMappings(template, live, reasons);
  if (Object.keys(mappings).length > 0) customizations.objectMappings = mappings;

  if (reasons.length === 0) {
    try {
      if (sameSchema(mergeSchema(template, customizations), live)) return { kind: "customizations", customizations };
      reasons.push("the customizations found do not reproduce the live schema exactly (e.g. an unnamed scoping group, or an order the typed form cannot keep)");
    } catch (e) {
      if (!(e instanceof SchemaMergeError)) throw e;
      reasons.push(...e.failures.map((f) => `${f.property}: ${f.reason}`));
    }
  }
  return { kind: "raw", rawSchema: live, reasons };
}

/** Attributes the live schema adds to a template object, as extension attributes. */
function extensionAttributes(template: SynchronizationSchema, live: SynchronizationSchema, reasons: string[]): NonNullable<SchemaCustomizations["extensionAttributes"]> {
  const out: NonNullable<SchemaCustomizations["extensionAttributes"]> = {};
  const names = (xs: { name: string }[]) => xs.map((x) => x.name).sort();
  if (!same(names(template.directories), names(live.directories))) {
    reasons.push(`directories differ: template ${names(template.directories).join(", ")}; live ${names(live.directories).join(", ")}`);
    return out;
  }
  for (const liveDirectory of live.directories) {
    const templateDirectory = template.directories.find((d) => d.name === liveDirectory.name)!;
    const ignored = ["id", "version", "discoveryDateTime", "objects"];
    if (!same(without(liveDirectory, ignored), without(templateDirectory, ignored))) reasons.push(`directory ${liveDirectory.name}: its settings differ`);
    if (!same(names(templateDirectory.objects), names(liveDirectory.objects))) {
      reasons.push(`directory ${liveDirectory.name}: objects added or removed`);
      continue;
    }
    for (const liveObject of liveDirectory.objects) {
      const templateObject = templateDirectory.objects.find((o) => o.name === liveObject.name)!;
      if (!same(without(liveObject, ["attributes"]), without(templateObject, ["attributes"]))) {
        reasons.push(`${liveDirectory.name}.${liveObject.name}: the object's metadata or APIs differ`);
      }
      for (const original of templateObject.attributes) {
        const current = liveObject.attributes.find((a) => a.name === original.name);
        if (!current) reasons.push(`${liveDirectory.name}.${liveObject.name}.${original.name}: a template attribute was removed`);
        else if (!same(current, original)) reasons.push(`${liveDirectory.name}.${liveObject.name}.${original.name}: a template attribute was changed`);
      }
      for (const added of liveObject.attributes.filter((a) => !templateObject.attributes.some((t) => t.name === a.name))) {
        const extension = asExtensionAttribute(added);
        if (!extension) {
          reasons.push(
            `${liveDirectory.name}.${liveObject.name}.${added.name}: an added attribute with members an extension attribute cannot state (anchor, default value, metadata, API expressions)`,
          );
          continue;
        }
        ((out[liveDirectory.name] ??= {})[liveObject.name] ??= {})[added.name] = extension;
      }
    }
  }
  return out;
}

/** The attribute as an extension attribute, with only the members that differ from Graph's defaults; undefined if it cannot be one. */
function asExtensionAttribute(a: AttributeDefinition): ExtensionAttribute | undefined {
  const expressible =
    !a.anchor &&
    a.defaultValue === null &&
    (a.metadata ?? []).length === 0 &&
    (a.apiExpressions ?? []).length === 0 &&
    (a.referencedObjects ?? []).every((r) => r.referencedProperty === null && typeof r.referencedObjectName === "string");
  if (!expressible) return undefined;
  const full = withDefaults({
    type: a.type,
    multivalued: a.multivalued,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    flowNullValues: a.flowNullValues,
    referencedObjects: (a.referencedObjects ?? []).map((r) => r.referencedObjectName as string),
  });
  const defaults = withDefaults({});
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) if (!same(v, defaults[k as keyof typeof defaults])) out[k] = v;
  return out;
}

function objectMappings(template: SynchronizationSchema, live: SynchronizationSchema, reasons: string[]): Record<string, ObjectMappingCustomization> {
  const out: Record<string, ObjectMappingCustomization> = {};
  const ruleShape = (s: SynchronizationSchema) => s.synchronizationRules.map((r) => without(r, ["objectMappings"]));
  if (!same(ruleShape(template), ruleShape(live))) {
    reasons.push("synchronization rules differ from the template's (added, removed or changed)");
    return out;
  }
  const located = (s: SynchronizationSchema) =>
    new Map(objectMappingKeys(s).map((loc) => [loc.key, s.synchronizationRules[loc.ruleIndex].objectMappings[loc.mappingIndex]] as const));
  const templateMappings = located(template);
  const liveMappings = located(live);
  if (!same([...templateMappings.keys()].sort(), [...liveMappings.keys()].sort())) {
    reasons.push("object mappings were added or removed");
    return out;
  }
  for (const [key, current] of liveMappings) {
    const original = templateMappings.get(key)!;
    const custom = objectMappingDifference(key, original, current, reasons);
    if (Object.keys(custom).length > 0) out[key] = custom;
  }
  return out;
}

function objectMappingDifference(key: string, original: ObjectMapping, current: ObjectMapping, reasons: string[]): ObjectMappingCustomization {
  const custom: ObjectMappingCustomization = {};
  const fixed = ["attributeMappings", "enabled", "scope"];
  if (!same(without(current, fixed), without(original, fixed))) reasons.push(`objectMappings.${key}: its name, flow types, objects or metadata differ`);
  if (current.enabled !== original.enabled) custom.enabled = current.enabled;
  if (!same(current.scope, original.scope)) custom.scope = keyedScope(current.scope);
  const targets = (ms: AttributeMapping[]) => ms.map((m) => m.targetAttributeName);
  for (const ms of [original.attributeMappings, current.attributeMappings]) {
    if (new Set(targets(ms)).size !== ms.length) reasons.push(`objectMappings.${key}: two attribute mappings share a target attribute`);
  }
  const attributeMappings: Record<string, AttributeMappingCustomization> = {};
  for (const m of current.attributeMappings) {
    const before = original.attributeMappings.find((o) => o.targetAttributeName === m.targetAttributeName);
    const difference = attributeMappingDifference(before, m);
    if (difference === "inexpressible") reasons.push(`objectMappings.${key}.attributeMappings.${m.targetAttributeName}: a member the typed form cannot state`);
    else if (difference) attributeMappings[m.targetAttributeName] = difference;
  }
  for (const o of original.attributeMappings) {
    if (!current.attributeMappings.some((m) => m.targetAttributeName === o.targetAttributeName)) attributeMappings[o.targetAttributeName] = { remove: true };
  }
  if (Object.keys(attributeMappings).length > 0) custom.attributeMappings = attributeMappings;
  return custom;
}

/** A new mapping's defaults in Graph (what the merge writes for members a customization leaves out). */
const NEW_MAPPING = { defaultValue: null, flowType: "Always", flowBehavior: "FlowWhenChanged", matchingPriority: 0 } as const;

function attributeMappingDifference(before: AttributeMapping | undefined, current: AttributeMapping): AttributeMappingCustomization | "inexpressible" | undefined {
  // A customization can set a source, not take one away; nor set exportMissingReferences.
  if (current.source === null && (before === undefined || before.source !== null)) return "inexpressible";
  if ((current.exportMissingReferences ?? false) !== (before?.exportMissingReferences ?? false)) return "inexpressible";
  const now = keyedAttributeMapping(current);
  const then = before ? keyedAttributeMapping(before) : { ...NEW_MAPPING };
  const out: AttributeMappingCustomization = {};
  const sourceOf = (k: typeof now) => stableStringify({ source: k.source, constant: k.constant, expression: k.expression });
  if (!before || sourceOf(now) !== sourceOf(then)) {
    if (now.source !== undefined) out.source = now.source;
    else if (now.constant !== undefined) out.constant = now.constant;
    else if (now.expression !== undefined) out.expression = now.expression;
  }
  if (now.defaultValue !== then.defaultValue) {
    if (now.defaultValue === null) return "inexpressible"; // a customization cannot clear a default value
    out.defaultValue = now.defaultValue;
  }
  if (now.flowType !== then.flowType) out.flowType = now.flowType;
  if (now.flowBehavior !== then.flowBehavior) out.flowBehavior = now.flowBehavior;
  if (now.matchingPriority !== then.matchingPriority) out.matchingPriority = now.matchingPriority;
  return Object.keys(out).length > 0 ? out : undefined;
}
