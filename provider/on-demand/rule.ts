/**
 * Which synchronization rule provisions a subject on demand.
 *
 * provisionOnDemand needs `ruleId`, an id that exists only in the job's schema
 * (`synchronizationRules[].id`, possibly with a suffix such as "#V2"): sending "" or a made-up id
 * fails (microsoft-graph-docs#10716, #16806; the gap terraform-provider-azuread leaves; docs/graph-behaviour.md §6). A rule fits
 * a subject when one of its enabled object mappings reads the subject's object type
 * (`sourceObjectName`, compared without case: "User" and "user" both occur). Rules whose metadata
 * says `supportsProvisionOnDemand` = "true" are preferred; rules that say "false" are never chosen.
 * More than one fit is an error that lists them: guessing would provision with the wrong rule.
 */

import type { SynchronizationRule, SynchronizationSchema } from "../graph/types";

type RuleResolution = { ruleId: string } | { error: string };

function onDemandFlag(rule: SynchronizationRule): boolean | undefined {
  const entry = (rule.metadata ?? []).find((m) => (m.key ?? "").toLowerCase() === "supportsprovisionondemand");
  if (!entry) return undefined;
  return (entry.value ?? "").toLowerCase() === "true";
}

function readsObject(rule: SynchronizationRule, objectTypeName: string): boolean {
  const wanted = objectTypeName.toLowerCase();
  return (rule.objectMappings ?? []).some((m) => m.enabled !== false && (m.sourceObjectName ?? "").toLowerCase() === wanted);
}

export function resolveRuleId(schema: SynchronizationSchema, objectTypeName: string): RuleResolution {
  const rules = schema.synchronizationRules ?? [];
  const fitting = rules.filter((r) => readsObject(r, objectTypeName) && onDemandFlag(r) !== false);
  const flagged = fitting.filter((r) => onDemandFlag(r) === true);
  const candidates = flagged.length > 0 ? flagged : fitting;
  if (candidates.length === 1) return { ruleId: candidates[0].id };
  const listed = (rs: SynchronizationRule[]) => rs.map((r) => `${r.id} (${r.name})`).join(", ");
  if (candidates.length === 0) {
    return {
      error:
        `no synchronization rule of the job provisions ${objectTypeName} objects on demand` +
        (rules.length > 0 ? ` (rules: ${listed(rules)})` : " (the job's schema has no rules)") +
        `; check objectTypeName or set ruleId`,
    };
  }
  return { error: `several synchronization rules provision ${objectTypeName} objects: ${listed(candidates)}; set ruleId to choose one` };
}
