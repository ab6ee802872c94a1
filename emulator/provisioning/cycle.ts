/**
 * One provisioning cycle's export work for a SCIM job ("How provisioning works", Provisioning
 * cycles: initial and incremental):
 *  - initial cycle (first run, after restart with Watermark, after a schema change): every object
 *    in scope is evaluated — all users and groups with SyncAll, else the ones assigned to the app
 *    (users also through assigned groups) — plus every object the job provisioned earlier, so that
 *    objects that left scope are disabled; users before groups, so members resolve;
 *  - incremental cycle: only objects whose source, assignment or scope inputs changed since the
 *    job last processed them, and escrowed entries (failed before), are evaluated again.
 * A target that stops answering mid-cycle ends the cycle (the caller quarantines the job).
 */
import type { StringKeyLongValuePair, SynchronizationError, SynchronizationSchema } from "../../provider/graph/types";
import type { CycleCounts } from "../tenant/jobs";
import type { ConnectorStore, TenantState } from "../tenant/store";
import { connectorKey } from "./connector-store";
import { provisionEntry } from "./entry";
import { entryContext, rulesInOrder, type JobSetup } from "./job-setup";
import { SourceDirectory } from "./source-directory";

export interface ExportCycleInput {
  state: TenantState;
  servicePrincipalId: string;
  schema: SynchronizationSchema;
  connector: ConnectorStore;
  setup: JobSetup;
  initial: boolean;
}

export interface ExportCycleResult {
  counts: CycleCounts;
  /** Entry failures of this cycle by error code, most frequent first. */
  failures: { code: string; count: number; message: string }[];
  /** The target could not be reached during the cycle. */
  unreachable: SynchronizationError | null;
  /** Provisioned objects by target object name, from the connector store. */
  entryCountByType: StringKeyLongValuePair[];
  /** Entries evaluated out of those the cycle had to consider. */
  progress: { completed: number; total: number };
}

export async function runExportCycle(input: ExportCycleInput): Promise<ExportCycleResult> {
  const { connector, setup, initial } = input;
  const directory = new SourceDirectory(input.state, input.servicePrincipalId, setup.syncAll);
  const counts: CycleCounts = { entitled: 0, imported: 0, importedDeltas: 0, exports: 0, exported: 0, escrowed: 0 };
  const failures = new Map<string, { count: number; message: string }>();
  let total = 0;
  let completed = 0;
  const result = (unreachable: SynchronizationError | null): ExportCycleResult => ({
    counts,
    failures: [...failures.entries()].map(([code, f]) => ({ code, ...f })).sort((a, b) => b.count - a.count),
    unreachable,
    entryCountByType: entryCountByType(connector),
    progress: { completed, total },
  });

  for (const rule of rulesInOrder(input.schema)) {
    for (const objectMapping of rule.objectMappings.filter((m) => m.enabled)) {
      const ctx = entryContext(input.schema, rule, objectMapping, setup, connector);
      const objectName = objectMapping.sourceObjectName;
      const previouslyProvisioned = Object.values(connector.entries)
        .filter((e) => e.sourceObjectName === objectName && e.provisioned)
        .map((e) => e.sourceId);
      const candidates = [...new Set([...directory.scopeIds(objectName), ...previouslyProvisioned])];
      for (const id of candidates) {
        const entry = directory.entry(objectName, id);
        if (!entry) continue;
        const key = connectorKey(objectName, id);
        const changed = initial || connector.entries[key]?.sourceFingerprint !== entry.fingerprint || key in connector.escrows;
        total += 1;
        if (!changed) {
          completed += 1;
          continue;
        }
        counts.imported += 1;
        if (!initial) counts.importedDeltas += 1;
        const report = await provisionEntry(entry, ctx);
        if (report.targetUnreachable) {
          return result({ code: report.errorCode, message: report.errorMessage, tenantActionable: true });
        }
        completed += 1;
        if (report.entitled) counts.entitled += 1;
        if (report.exportAttempted) counts.exports += 1;
        if (report.exportSucceeded) counts.exported += 1;
        if (report.status === "Failure") {
          counts.escrowed += 1;
          const code = report.errorCode ?? "Unknown";
          const previous = connector.escrows[key];
          connector.escrows[key] = {
            code,
            message: report.errorMessage ?? "",
            attempts: (previous?.attempts ?? 0) + 1,
            firstFailed: previous?.firstFailed ?? report.endTime,
          };
          const f = failures.get(code) ?? { count: 0, message: report.errorMessage ?? "" };
          f.count += 1;
          failures.set(code, f);
        } else {
          delete connector.escrows[key];
        }
      }
    }
  }
  return result(null);
}

/** Provisioned objects per target object type ("User", "Group"). */
function entryCountByType(connector: ConnectorStore): StringKeyLongValuePair[] {
  const byType = new Map<string, number>();
  for (const e of Object.values(connector.entries)) {
    if (e.provisioned) byType.set(e.targetObjectName, (byType.get(e.targetObjectName) ?? 0) + 1);
  }
  return [...byType.entries()].map(([key, value]) => ({ key, value }));
}
