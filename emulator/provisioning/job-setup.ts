/**
 * What a provisioning run of a job needs besides the objects themselves: the SCIM client built
 * from the saved secrets (BaseAddress, SecretToken), the scope settings (SyncAll,
 * SkipOutOfScopeDeletions) and, per object mapping of the job's schema, the entry context.
 */
import type { ObjectMapping, SynchronizationRule, SynchronizationSchema } from "../../provider/graph/types";
import type { Clock } from "../core/clock";
import type { ConnectorStore } from "../tenant/store";
import type { EntryContext } from "./entry";
import type { EvaluationContext } from "./evaluate";
import { matchingTargetAttribute } from "./mapping";
import { ScimClient } from "./scim-client";
import type { TargetHttp } from "./target-http";

export interface JobSetup {
  client: ScimClient;
  syncAll: boolean;
  skipOutOfScopeDeletions: boolean;
  evaluation: EvaluationContext;
  /** When each entry and step happened. */
  clock: Clock;
}

export function jobSetup(credentials: ReadonlyMap<string, string>, http: TargetHttp, evaluation: EvaluationContext, clock: Clock): JobSetup {
  const flag = (key: string) => (credentials.get(key) ?? "").trim().toLowerCase() === "true";
  return {
    client: new ScimClient(http, credentials.get("BaseAddress") ?? "", credentials.get("SecretToken") ?? ""),
    syncAll: flag("SyncAll"),
    skipOutOfScopeDeletions: flag("SkipOutOfScopeDeletions"),
    evaluation,
    clock,
  };
}

/** The schema's rules in priority order (lowest first). */
export function rulesInOrder(schema: SynchronizationSchema): SynchronizationRule[] {
  return [...schema.synchronizationRules].sort((a, b) => a.priority - b.priority);
}

export function entryContext(
  schema: SynchronizationSchema,
  rule: SynchronizationRule,
  objectMapping: ObjectMapping,
  setup: JobSetup,
  connector: ConnectorStore,
): EntryContext {
  const targetDirectory = schema.directories.find((d) => d.name === rule.targetDirectoryName);
  return {
    client: setup.client,
    objectMapping,
    targetObject: targetDirectory?.objects.find((o) => o.name === objectMapping.targetObjectName),
    sourceDirectoryName: rule.sourceDirectoryName,
    targetDirectoryName: rule.targetDirectoryName,
    connector,
    syncAll: setup.syncAll,
    skipOutOfScopeDeletions: setup.skipOutOfScopeDeletions,
    evaluation: setup.evaluation,
    clock: setup.clock,
  };
}

/** The attribute the test connection queries: the user mapping's first matching attribute. */
export function testConnectionAttribute(schema: SynchronizationSchema): string {
  const mappings = rulesInOrder(schema).flatMap((r) => r.objectMappings.filter((m) => m.enabled));
  return matchingTargetAttribute(mappings.find((m) => m.targetObjectName === "User") ?? mappings[0]);
}
