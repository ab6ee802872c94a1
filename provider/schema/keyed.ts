/**
 * Graph's schema (arrays of rules, object mappings, attribute mappings and filter groups) seen as
 * maps keyed by stable names: the shape of the inputs, of the `effectiveMappings` output, and of
 * every comparison the provider makes. Comparing in this shape is what makes drift reports name
 * paths like `objectMappings.User.attributeMappings.userName.expression`.
 */

import type { AttributeMapping, AttributeMappingSource, Filter, ObjectMapping, SynchronizationSchema } from "../graph/types";
import type { FlowBehavior, FlowType, ScopingFilter } from "./customization";
import { canonicalExpression, mappingSourceToExpression } from "./expression";

/** An attribute mapping with every field spelled out (effective = baseline + customizations). */
export interface EffectiveAttributeMapping {
  source?: string;
  constant?: string;
  expression?: string;
  defaultValue: string | null;
  flowType: FlowType;
  flowBehavior: FlowBehavior;
  matchingPriority: number;
}

export interface EffectiveObjectMapping {
  /** The object mapping's display name in Graph, e.g. "Provision Microsoft Entra ID Users". */
  name: string;
  /** The synchronization rule (by name) the mapping belongs to. */
  rule: string;
  sourceObjectName: string;
  targetObjectName: string;
  enabled: boolean;
  flowTypes: string;
  attributeMappings: Record<string, EffectiveAttributeMapping>;
  scope: ScopingFilter;
}

export type EffectiveMappings = Record<string, EffectiveObjectMapping>;

/** Where an object mapping lives in the schema's arrays. */
interface ObjectMappingLocation {
  key: string;
  ruleIndex: number;
  mappingIndex: number;
}

/**
 * Readable, stable keys for every object mapping: the source object name when it is unique in the
 * schema, `Source->Target` when one source feeds several targets, and `Rule:Source->Target` if even
 * that repeats (several rules over the same objects).
 */
export function objectMappingKeys(schema: SynchronizationSchema): ObjectMappingLocation[] {
  const all = schema.synchronizationRules.flatMap((rule, ruleIndex) => rule.objectMappings.map((om, mappingIndex) => ({ rule: rule.name, om, ruleIndex, mappingIndex })));
  const count = (f: (x: (typeof all)[number]) => string) => {
    const counts = new Map<string, number>();
    for (const x of all) counts.set(f(x), (counts.get(f(x)) ?? 0) + 1);
    return (x: (typeof all)[number]) => counts.get(f(x)) ?? 0;
  };
  const bySource = count((x) => x.om.sourceObjectName);
  const pair = (x: (typeof all)[number]) => `${x.om.sourceObjectName}->${x.om.targetObjectName}`;
  const byPair = count(pair);
  return all.map((x) => ({
    key: bySource(x) === 1 ? x.om.sourceObjectName : byPair(x) === 1 ? pair(x) : `${x.rule}:${pair(x)}`,
    ruleIndex: x.ruleIndex,
    mappingIndex: x.mappingIndex,
  }));
}

/** Where a mapping's value comes from, in the keyed form: exactly one of source / constant / expression. */
export function sourceFields(source: AttributeMappingSource | null): Pick<EffectiveAttributeMapping, "source" | "constant" | "expression"> {
  if (!source) return {};
  switch (source.type) {
    case "Attribute":
      return { source: source.name ?? "" };
    case "Constant":
      return { constant: source.name ?? "" };
    default:
      return { expression: canonical(mappingSourceToExpression(source)) };
  }
}

/**
 * canonicalExpression, remembered: schemas repeat the same expressions many times, and the
 * provider process lives for one deployment, so a bounded cache is safe and saves most parsing.
 */
const canonicalCache = new Map<string, string>();
function canonical(text: string): string {
  let out = canonicalCache.get(text);
  if (out === undefined) {
    out = canonicalExpression(text);
    if (canonicalCache.size >= 50_000) canonicalCache.clear();
    canonicalCache.set(text, out);
  }
  return out;
}

export function keyedAttributeMapping(m: AttributeMapping): EffectiveAttributeMapping {
  return {
    ...sourceFields(m.source),
    defaultValue: m.defaultValue ?? null,
    flowType: m.flowType ?? "Always",
    flowBehavior: m.flowBehavior ?? "FlowWhenChanged",
    matchingPriority: m.matchingPriority ?? 0,
  };
}

/** The main scoping filter (`groups`) keyed by group name; groups without a name get `group<N>`. */
export function keyedScope(filter: Filter | null): ScopingFilter {
  const out: ScopingFilter = {};
  (filter?.groups ?? []).forEach((g, i) => {
    let name = g.name || `group${i + 1}`;
    while (name in out) name = `${name}#${i + 1}`;
    out[name] = g.clauses.map((c) => ({
      attribute: c.sourceOperandName,
      operator: c.operatorName,
      values: [...(c.targetOperand?.values ?? [])],
    }));
  });
  return out;
}

function keyedObjectMapping(om: ObjectMapping, rule: string): EffectiveObjectMapping {
  const attributeMappings: Record<string, EffectiveAttributeMapping> = {};
  for (const m of om.attributeMappings) {
    let key = m.targetAttributeName;
    // Graph does not forbid two mappings to one target; keep both visible rather than losing one.
    for (let n = 2; key in attributeMappings; n++) key = `${m.targetAttributeName}#${n}`;
    attributeMappings[key] = keyedAttributeMapping(m);
  }
  return {
    name: om.name,
    rule,
    sourceObjectName: om.sourceObjectName,
    targetObjectName: om.targetObjectName,
    enabled: om.enabled,
    flowTypes: om.flowTypes,
    attributeMappings,
    scope: keyedScope(om.scope),
  };
}

export function effectiveMappings(schema: SynchronizationSchema): EffectiveMappings {
  const out: EffectiveMappings = {};
  for (const loc of objectMappingKeys(schema)) {
    const rule = schema.synchronizationRules[loc.ruleIndex];
    out[loc.key] = keyedObjectMapping(rule.objectMappings[loc.mappingIndex], rule.name);
  }
  return out;
}
