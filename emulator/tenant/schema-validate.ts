/**
 * Semantic checks on a synchronization schema sent with PUT .../schema [INFER from the resource
 * docs: rule directories must name directories in the schema; object mappings must name objects in
 * those directories; mapped target attributes must exist; one anchor per object]. The syntactic
 * checks (types, enums, unknown properties) happen earlier in schema-model.ts.
 */
import type { AttributeMappingSource, DirectoryDefinition, Filter, SynchronizationSchema } from "../../provider/graph/types";
import { regexProblem } from "../../provider/schema/expression/regex";
import { findFilterOperator, isRegexOperator } from "../../provider/schema/filter-operators";

/**
 * Source attributes the provisioning service computes rather than reads from the object
 * definition: Microsoft's own Salesforce schema maps `appRoleAssignments` without defining it
 * (seed/salesforce-schema.json, assembled from the docs' schema samples), and the
 * AppRoleAssignmentsComplex / SingleAppRoleAssignment functions take it as input.
 */
const COMPUTED_SOURCE_ATTRIBUTES = ["appRoleAssignments"];

/** Returns the problems found; empty when the schema is consistent. */
export function findSchemaProblems(schema: SynchronizationSchema): string[] {
  const problems: string[] = [];
  const directories = new Map<string, DirectoryDefinition>();
  for (const dir of schema.directories) {
    if (!dir.name) {
      problems.push("Every directory definition must have a name.");
      continue;
    }
    if (directories.has(dir.name)) problems.push(`Directory name '${dir.name}' is used more than once.`);
    directories.set(dir.name, dir);
    for (const obj of dir.objects) {
      const anchors = obj.attributes.filter((a) => a.anchor).length;
      if (anchors !== 1) {
        problems.push(`Object '${obj.name}' in directory '${dir.name}' must have exactly one anchor attribute (found ${anchors}).`);
      }
    }
  }
  for (const rule of schema.synchronizationRules) {
    const label = `Synchronization rule '${rule.name ?? rule.id}'`;
    const source = directories.get(rule.sourceDirectoryName ?? "");
    const target = directories.get(rule.targetDirectoryName ?? "");
    if (!source) problems.push(`${label}: source directory '${rule.sourceDirectoryName}' is not defined in the schema.`);
    if (!target) problems.push(`${label}: target directory '${rule.targetDirectoryName}' is not defined in the schema.`);
    for (const om of rule.objectMappings) {
      const sourceObject = source?.objects.find((o) => o.name === om.sourceObjectName);
      const targetObject = target?.objects.find((o) => o.name === om.targetObjectName);
      if (source && !sourceObject) {
        problems.push(`${label}, object mapping '${om.name}': source object '${om.sourceObjectName}' does not exist in directory '${source.name}'.`);
      }
      if (target && !targetObject) {
        problems.push(`${label}, object mapping '${om.name}': target object '${om.targetObjectName}' does not exist in directory '${target.name}'.`);
      }
      const where = `${label}, object mapping '${om.name}'`;
      if (sourceObject) {
        const known = new Set([...sourceObject.attributes.map((a) => a.name), ...COMPUTED_SOURCE_ATTRIBUTES]);
        const used = om.attributeMappings.flatMap((am) => attributeNames(am.source));
        for (const name of new Set([...used, ...filterOperands(om.scope)])) {
          if (!known.has(name)) problems.push(`${where}: source attribute '${name}' does not exist on object '${sourceObject.name}'.`);
        }
      }
      for (const group of om.scope?.groups ?? []) {
        for (const clause of group.clauses) {
          const operator = findFilterOperator(clause.operatorName);
          if (!operator) problems.push(`${where}: scoping filter operator '${clause.operatorName}' is not supported.`);
          // Patterns the linear-time engine cannot run are refused here rather than failing every cycle.
          const patterns = operator && isRegexOperator(operator.name) ? (clause.targetOperand?.values ?? []) : [];
          for (const problem of patterns.map(regexProblem).filter((p) => p !== undefined)) {
            problems.push(`${where}: scoping filter on '${clause.sourceOperandName}': ${problem}.`);
          }
        }
      }
      if (!targetObject) continue;
      for (const am of om.attributeMappings) {
        if (!targetObject.attributes.some((a) => a.name === am.targetAttributeName)) {
          problems.push(`${where}: target attribute '${am.targetAttributeName}' does not exist on object '${targetObject.name}'.`);
        }
      }
    }
  }
  return problems;
}

/** Source attributes a mapping reads: every Attribute node of its source tree. */
function attributeNames(source: AttributeMappingSource | null): string[] {
  if (!source) return [];
  if (source.type === "Attribute") return source.name ? [source.name] : [];
  return (source.parameters ?? []).flatMap((p) => attributeNames(p.value));
}

function filterOperands(scope: Filter | null): string[] {
  const groups = [...(scope?.groups ?? []), ...(scope?.inputFilterGroups ?? []), ...(scope?.categoryFilterGroups ?? [])];
  return groups.flatMap((g) => g.clauses.map((c) => c.sourceOperandName));
}
