/**
 * The impact of a schema change on sampled source objects: each object evaluated under the current
 * and the proposed schema, the way a provisioning cycle processes an entry (the emulator's model of
 * it: emulator/provisioning/mapping.ts and entry.ts):
 *  - every attribute mapping with a source is evaluated with the package's evaluator; a null or
 *    empty result falls back to the mapping's defaultValue and, still null, does not flow; values
 *    are typed for the target attribute (Boolean, Integer, multi-valued); references (manager,
 *    members) are the referenced objects' source ids (the target gets its own ids for them);
 *  - an object with no value for any matching attribute is skipped;
 *  - it is in scope when active, assigned (or SyncAll) and passing the scoping filter;
 *  - in scope with a mapping that fails to evaluate, its entry fails (the target gets nothing);
 *  - entering scope it is created; leaving scope a user is disabled, a group deleted, unless
 *    SkipOutOfScopeDeletions is set or the mapping lacks the Delete flow;
 *  - in scope before and after, a value changes when the proposed schema flows a different one; a
 *    value that stops flowing is kept by the target; an ObjectAddOnly mapping does not change
 *    existing objects.
 * Now(), Guid() and RandomString() get the same clock and random stream per object under both
 * schemas, so an unchanged mapping that uses them does not read as a change. Pure: no I/O.
 */

import type { AttributeDefinition, AttributeMapping, ObjectDefinition, ObjectMapping, SynchronizationSchema } from "../graph/types";
import { isCredentialName, REDACTED } from "../redaction";
import { attributeReferences, evaluateExpression, mappingSourceToExpression, parseExpression, type EvaluationContext, type SourceObject } from "../schema/expression";
import { objectMappingKeys } from "../schema/keyed";
import { propertyPath } from "../schema/paths";
import { isInScope } from "../schema/scope";
import type { AttributeChange, EvaluationFailure, MappingImpact, ObjectAction, ObjectPrediction, ValueText } from "./report";
import type { SourceKind } from "./source-object";

/** One sampled user or group. */
export interface SampledObject {
  kind: SourceKind;
  id: string;
  /** userPrincipalName (users) or displayName (groups). */
  label: string;
  source: SourceObject;
  /** Assigned to the app (directly, or a user through an assigned group). */
  assigned: boolean;
  /** accountEnabled (users); groups always. */
  active: boolean;
}

interface EvaluateOptions {
  syncAll: boolean;
  skipOutOfScopeDeletions: boolean;
  /** Examples kept per attribute, entering/leaving and failure list. */
  examples: number;
  /** Mask every value (counts only). */
  redact: boolean;
  /** The clock for Now() (the same for both schemas). */
  now?: Date;
}

/** An enabled object mapping of a schema, with its key and the target object's definition. */
interface LocatedMapping {
  key: string;
  mapping: ObjectMapping;
  targetObject: ObjectDefinition | undefined;
}

/** The schema's object mappings by key (rules in priority order, as a cycle runs them). */
export function locateMappings(schema: SynchronizationSchema): LocatedMapping[] {
  const keys = objectMappingKeys(schema);
  const out = keys.map(({ key, ruleIndex, mappingIndex }) => {
    const rule = schema.synchronizationRules[ruleIndex];
    const mapping = rule.objectMappings[mappingIndex];
    const directory = schema.directories.find((d) => d.name === rule.targetDirectoryName);
    return { key, mapping, targetObject: directory?.objects.find((o) => o.name === mapping.targetObjectName), priority: rule.priority };
  });
  return out.sort((a, b) => a.priority - b.priority).map(({ priority: _p, ...rest }) => rest);
}

/** The expression text of a mapping's source ('' when there is none or it cannot be printed). */
function expressionOf(mapping: AttributeMapping): string | undefined {
  if (!mapping.source) return undefined;
  try {
    return mappingSourceToExpression(mapping.source);
  } catch {
    return undefined;
  }
}

/** Source attributes an object mapping reads: its mappings' references and its scoping clauses. */
export function attributesRead(mapping: ObjectMapping): string[] {
  const names = new Set<string>();
  for (const m of mapping.attributeMappings) {
    const expression = expressionOf(m);
    if (expression === undefined) continue;
    const parsed = parseExpression(expression);
    if (parsed.ok) for (const name of attributeReferences(parsed.ast)) names.add(name);
  }
  for (const group of mapping.scope?.groups ?? []) for (const clause of group.clauses ?? []) names.add(clause.sourceOperandName);
  return [...names];
}

interface Flowed {
  value: ValueText;
  mapping: AttributeMapping;
}

interface Outcome {
  entitled: boolean;
  /** No value for any matching attribute. */
  skipped: boolean;
  values: Map<string, Flowed>;
  errors: { property: string; message: string }[];
}

const NOT_PROVISIONED: Outcome = { entitled: false, skipped: false, values: new Map(), errors: [] };

/** Uniform in [0, 1), the same stream for the same seed (mulberry32 over a hash of the seed). */
function seededRandom(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The field of the input a mapping's value comes from: source, constant or expression. */
function sourceField(mapping: AttributeMapping): string {
  return mapping.source?.type === "Attribute" ? "source" : mapping.source?.type === "Constant" ? "constant" : "expression";
}

/** Booleans and integers as JSON types, lists for multi-valued attributes (mapping.ts's typedValue). */
function typed(value: string | string[], definition: AttributeDefinition | undefined): ValueText | undefined {
  if (definition?.multivalued) return [value].flat();
  const first = Array.isArray(value) ? value[0] : value;
  switch (definition?.type) {
    case "Boolean":
      return /^true$/i.test(first) ? true : /^false$/i.test(first) ? false : undefined;
    case "Integer": {
      const n = Number(first);
      return Number.isInteger(n) ? n : undefined;
    }
    default:
      return first;
  }
}

function outcomeOf(located: LocatedMapping | undefined, object: SampledObject, options: EvaluateOptions, context: () => EvaluationContext): Outcome {
  if (!located || !located.mapping.enabled) return NOT_PROVISIONED;
  const { key, mapping: om, targetObject } = located;
  const values = new Map<string, Flowed>();
  const errors: Outcome["errors"] = [];
  for (const mapping of om.attributeMappings) {
    if (!mapping.source) continue;
    const target = mapping.targetAttributeName;
    const at = propertyPath("objectMappings", key, "attributeMappings", target, sourceField(mapping));
    const expression = expressionOf(mapping);
    const evaluation =
      expression === undefined
        ? { ok: false as const, error: "the mapping's source cannot be read as an expression" }
        : evaluateExpression(expression, object.source, context());
    if (!evaluation.ok) {
      errors.push({ property: at, message: evaluation.error });
      continue;
    }
    let value = evaluation.value;
    if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) value = mapping.defaultValue;
    if (value === null || value === undefined) continue;
    const definition = targetObject?.attributes.find((a) => a.name === target);
    if (definition?.type === "Reference") {
      values.set(target, { value: { references: [value].flat() }, mapping });
      continue;
    }
    const v = typed(value, definition);
    if (v === undefined) {
      errors.push({ property: at, message: `'${Array.isArray(value) ? value.join(";") : value}' is not a valid ${definition?.type ?? "String"}` });
      continue;
    }
    values.set(target, { value: v, mapping });
  }
  const matching = [...values.values()].some((f) => f.mapping.matchingPriority > 0 && typeof f.value === "string");
  if (!matching) return { entitled: false, skipped: true, values, errors };
  let inScope: boolean;
  try {
    inScope = isInScope(om.scope, object.source);
  } catch (e) {
    errors.push({ property: propertyPath("objectMappings", key, "scope"), message: e instanceof Error ? e.message : String(e) });
    inScope = false;
  }
  const entitled = object.active && (options.syncAll || object.assigned) && inScope;
  return { entitled, skipped: false, values, errors };
}

const same = (a: ValueText | undefined, b: ValueText | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether a value may be shown: not when redacted, nor for a credential-like target or source. */
function shown(target: string, mapping: AttributeMapping | undefined, options: EvaluateOptions): boolean {
  if (options.redact || isCredentialName(target)) return false;
  const expression = mapping ? expressionOf(mapping) : undefined;
  if (expression) {
    const parsed = parseExpression(expression);
    if (parsed.ok && attributeReferences(parsed.ast).some(isCredentialName)) return false;
  }
  return true;
}

const mask = (v: ValueText, visible: boolean): ValueText => (visible || v === null ? v : REDACTED);

/** The impact of replacing `current` by `proposed` on the sampled objects, per object mapping of `proposed`. */
export function evaluateImpact(
  current: SynchronizationSchema,
  proposed: SynchronizationSchema,
  objects: readonly SampledObject[],
  options: EvaluateOptions,
): MappingImpact[] {
  const before = new Map(locateMappings(current).map((m) => [m.key, m]));
  const now = options.now ?? new Date();
  const impacts: MappingImpact[] = [];
  for (const located of locateMappings(proposed)) {
    const previous = before.get(located.key);
    if (!located.mapping.enabled && !previous?.mapping.enabled) continue;
    const om = located.mapping;
    const flows = (flow: string) =>
      om.flowTypes
        .split(",")
        .map((f) => f.trim())
        .includes(flow);
    const impact: MappingImpact = {
      key: located.key,
      name: om.name,
      sourceObjectName: om.sourceObjectName,
      targetObjectName: om.targetObjectName,
      sampled: 0,
      inScopeBefore: 0,
      inScopeAfter: 0,
      entering: [],
      leaving: [],
      enteringCount: 0,
      leavingCount: 0,
      failing: 0,
      skipped: 0,
      attributes: [],
      failures: [],
      unreadable: [],
      objects: [],
    };
    const changes = new Map<string, AttributeChange>();
    const failures = new Map<string, EvaluationFailure>();
    const changeOf = (target: string, mapping: AttributeMapping | undefined): AttributeChange => {
      let c = changes.get(target);
      if (!c) {
        c = { targetAttribute: target, changed: 0, stopsFlowing: 0, addOnly: 0, sensitive: !shown(target, mapping, { ...options, redact: false }), examples: [] };
        changes.set(target, c);
      }
      return c;
    };
    const keep = <T>(list: T[], item: T) => {
      if (list.length < options.examples) list.push(item);
    };
    for (const object of objects) {
      if (object.kind !== om.sourceObjectName) continue;
      impact.sampled += 1;
      // The same clock and random stream for both schemas: Now() and Guid() do not read as changes.
      const context = () => ({ now: () => now, random: seededRandom(object.id) });
      const was = previous?.mapping.sourceObjectName === om.sourceObjectName ? outcomeOf(previous, object, options, context) : NOT_PROVISIONED;
      const will = outcomeOf(located, object, options, context);
      if (was.entitled) impact.inScopeBefore += 1;
      if (will.entitled) impact.inScopeAfter += 1;
      let action: ObjectAction;
      if (will.skipped) action = "skip";
      else if (!will.entitled) action = was.entitled ? (flows("Delete") && !options.skipOutOfScopeDeletions ? "deprovision" : "leaveAsIs") : "outOfScope";
      else if (will.errors.length > 0) action = "fail";
      else if (!was.entitled) action = "create";
      else action = "unchanged";

      if (action === "skip") impact.skipped += 1;
      if (action === "create") {
        impact.enteringCount += 1;
        keep(impact.entering, object.label);
      }
      if (action === "deprovision" || action === "leaveAsIs") {
        impact.leavingCount += 1;
        keep(impact.leaving, object.label);
      }
      if (action === "fail" || (will.entitled && will.errors.length > 0)) {
        impact.failing += 1;
        for (const e of will.errors) {
          // One entry per property and kind of error: the quoted values (people's data) differ per object.
          const shape = e.message.replace(/'[^']*'|"[^"]*"/g, "…");
          const message = options.redact ? e.message.replace(/'[^']*'/g, `'${REDACTED}'`).replace(/"[^"]*"/g, `"${REDACTED}"`) : e.message;
          const k = `${e.property}\u0000${shape}`;
          const f = failures.get(k) ?? { property: e.property, message, count: 0, objects: [] };
          f.count += 1;
          keep(f.objects, object.label);
          failures.set(k, f);
        }
      }
      if (action === "unchanged") {
        for (const target of new Set([...was.values.keys(), ...will.values.keys()])) {
          const a = was.values.get(target);
          const b = will.values.get(target);
          if (same(a?.value, b?.value)) continue;
          const c = changeOf(target, b?.mapping ?? a?.mapping);
          const visible = !c.sensitive && !options.redact;
          if (b === undefined) {
            c.stopsFlowing += 1;
            continue;
          }
          if (b.mapping.flowType === "ObjectAddOnly") {
            c.addOnly += 1;
            continue;
          }
          c.changed += 1;
          action = "update";
          keep(c.examples, { object: object.label, before: mask(a?.value ?? null, visible), after: mask(b.value, visible) });
        }
      }
      const valuesOf = (o: Outcome): Record<string, ValueText> =>
        Object.fromEntries([...o.values].map(([target, f]) => [target, mask(f.value, shown(target, f.mapping, options))]));
      const prediction: ObjectPrediction = {
        id: object.id,
        label: object.label,
        action,
        inScopeBefore: was.entitled,
        inScopeAfter: will.entitled,
        before: valuesOf(was),
        after: will.entitled ? valuesOf(will) : {},
      };
      impact.objects.push(prediction);
    }
    impact.attributes = [...changes.values()].sort((a, b) => (a.targetAttribute < b.targetAttribute ? -1 : 1));
    impact.failures = [...failures.values()];
    impacts.push(impact);
  }
  return impacts;
}
