/**
 * What a customization may refer to: the baseline's directories, objects and attribute names, and
 * its object mappings with the targets they map. Small enough to keep in state (the full baseline
 * is not), so `pulumi preview` can check references against the baseline recorded by the last
 * `pulumi up` without calling Graph; and small enough to ship for well-known templates (catalogs/),
 * for the first preview, before any `up` has recorded one.
 */

import type { SynchronizationSchema } from "../graph/types";
import { didYouMean, type CheckFailure } from "../validation";
import type { SchemaCustomizations } from "./customization";
import { validateExpression } from "./expression";
import { objectMappingKeys } from "./keyed";
import { propertyPath } from "./paths";

export interface CatalogObjectMapping {
  sourceDirectory: string;
  sourceObject: string;
  targetDirectory: string;
  targetObject: string;
  /** Target attribute -> matching priority of the baseline's mapping to it. */
  mapped: Record<string, number>;
}

export interface SchemaCatalog {
  /** directory name -> object name -> attribute names. */
  directories: Record<string, Record<string, string[]>>;
  objectMappings: Record<string, CatalogObjectMapping>;
}

export function catalogOf(schema: SynchronizationSchema): SchemaCatalog {
  const directories: SchemaCatalog["directories"] = {};
  for (const d of schema.directories) {
    directories[d.name] = {};
    for (const o of d.objects) directories[d.name][o.name] = o.attributes.map((a) => a.name);
  }
  const objectMappings: SchemaCatalog["objectMappings"] = {};
  for (const loc of objectMappingKeys(schema)) {
    const rule = schema.synchronizationRules[loc.ruleIndex];
    const om = rule.objectMappings[loc.mappingIndex];
    const mapped: Record<string, number> = {};
    for (const m of om.attributeMappings) mapped[m.targetAttributeName] = m.matchingPriority ?? 0;
    objectMappings[loc.key] = {
      sourceDirectory: rule.sourceDirectoryName,
      sourceObject: om.sourceObjectName,
      targetDirectory: rule.targetDirectoryName,
      targetObject: om.targetObjectName,
      mapped,
    };
  }
  return { directories, objectMappings };
}

function notFound(kind: string, name: string, where: string, candidates: readonly string[]): string {
  const hint = didYouMean(name, candidates);
  return `${kind} '${name}' is not defined ${where}${hint ? `; did you mean '${hint}'?` : ""}`;
}

/**
 * Failures for every name a customization uses that the baseline (plus the declared extension
 * attributes) does not define, with did-you-mean, and for matching priorities that collide once
 * merged with the baseline's.
 */
export function checkReferences(catalog: SchemaCatalog, c: SchemaCustomizations): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const attributes = (dir: string, obj: string) => new Set(catalog.directories[dir]?.[obj] ?? []);
  const extended = new Map<string, Set<string>>();
  const attributesWithExtensions = (dir: string, obj: string) => {
    const key = `${dir}\u0000${obj}`;
    if (!extended.has(key)) {
      const names = attributes(dir, obj);
      for (const a of Object.keys(c.extensionAttributes?.[dir]?.[obj] ?? {})) names.add(a);
      extended.set(key, names);
    }
    return extended.get(key)!;
  };

  for (const [dir, objects] of Object.entries(c.extensionAttributes ?? {})) {
    const known = catalog.directories[dir];
    if (!known) {
      failures.push({
        property: propertyPath("extensionAttributes", dir),
        reason: notFound("directory", dir, "in the schema", Object.keys(catalog.directories)),
      });
      continue;
    }
    for (const [obj, attrs] of Object.entries(objects ?? {})) {
      if (!known[obj]) {
        failures.push({
          property: propertyPath("extensionAttributes", dir, obj),
          reason: notFound("object", obj, `in directory '${dir}'`, Object.keys(known)),
        });
        continue;
      }
      for (const name of Object.keys(attrs ?? {})) {
        if (known[obj].includes(name)) {
          failures.push({
            property: propertyPath("extensionAttributes", dir, obj, name),
            reason: `attribute '${name}' already exists on ${dir}.${obj} in the template; an extension attribute must be new`,
          });
        }
      }
    }
  }

  for (const [key, om] of Object.entries(c.objectMappings ?? {})) {
    const base = catalog.objectMappings[key];
    const omPath = (...rest: (string | number)[]) => propertyPath("objectMappings", key, ...rest);
    if (!base) {
      failures.push({
        property: omPath(),
        reason: notFound("object mapping", key, "in the template schema", Object.keys(catalog.objectMappings)),
      });
      continue;
    }
    const sources = attributesWithExtensions(base.sourceDirectory, base.sourceObject);
    const targets = attributesWithExtensions(base.targetDirectory, base.targetObject);
    const checkSource = (property: string, name: string) => {
      if (!sources.has(name)) {
        failures.push({ property, reason: notFound("source attribute", name, `on ${base.sourceDirectory}.${base.sourceObject}`, [...sources]) });
      }
    };
    const priorities = new Map<number, string>();
    for (const [target, p] of Object.entries(base.mapped)) if (p > 0 && !(target in (om.attributeMappings ?? {}))) priorities.set(p, target);

    for (const [target, m] of Object.entries(om.attributeMappings ?? {})) {
      if (!m || typeof m !== "object") continue;
      const path = (...rest: string[]) => omPath("attributeMappings", target, ...rest);
      if (!targets.has(target)) {
        failures.push({
          property: path(),
          reason: notFound("target attribute", target, `on ${base.targetDirectory}.${base.targetObject}`, [...targets]),
        });
      }
      if (m.remove === true) {
        if (!(target in base.mapped)) {
          failures.push({ property: path("remove"), reason: `the template does not map '${target}', so there is no mapping to remove` });
        }
        continue;
      }
      if (typeof m.source === "string") checkSource(path("source"), m.source);
      if (typeof m.expression === "string") {
        for (const name of validateExpression(m.expression).attributes) checkSource(path("expression"), name);
      }
      const priority = m.matchingPriority ?? base.mapped[target] ?? 0;
      if (typeof priority === "number" && priority > 0) {
        const other = priorities.get(priority);
        if (other !== undefined) {
          failures.push({
            property: path("matchingPriority"),
            reason: `matching priority ${priority} is also used by '${other}'; each matching attribute needs its own priority`,
          });
        } else priorities.set(priority, target);
      }
    }
    for (const [group, clauses] of Object.entries(om.scope ?? {})) {
      (Array.isArray(clauses) ? clauses : []).forEach((clause, i) => {
        if (clause && typeof clause.attribute === "string") checkSource(omPath("scope", group, i, "attribute"), clause.attribute);
      });
    }
  }
  return failures;
}
