/**
 * Semantic checks on a synchronization schema sent with PUT .../schema [INFER from the resource
 * docs: rule directories must name directories in the schema; object mappings must name objects in
 * those directories; mapped target attributes must exist; one anchor per object]. The syntactic
 * checks (types, enums, unknown properties) happen earlier in schema-model.ts.
 */
import type { DirectoryDefinition, SynchronizationSchema } from "../provider/graph/types";

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
      if (!targetObject) continue;
      for (const am of om.attributeMappings) {
        if (!targetObject.attributes.some((a) => a.name === am.targetAttributeName)) {
          problems.push(
            `${label}, object mapping '${om.name}': target attribute '${am.targetAttributeName}' does not exist on object '${targetObject.name}'.`,
          );
        }
      }
    }
  }
  return problems;
}
