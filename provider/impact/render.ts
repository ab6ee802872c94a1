/**
 * The impact report as text lines for the `pulumi preview` output (the provider's stderr
 * diagnostics, ../graph/log.ts). Compact by default: per object mapping one summary line, one line
 * per changed attribute with up to three examples, one per failing expression; `full` lists every
 * example the report kept and who enters and leaves scope. Pure.
 */

import type { ImpactReport, MappingImpact, ValueText } from "./report";

export type ImpactDetail = "compact" | "full";

const COMPACT_EXAMPLES = 3;

/** A value as the report prints it: text quoted, lists in brackets, references as ids, none as (none). */
function valueText(v: ValueText): string {
  if (v === null) return "(none)";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
  if (typeof v === "object") return `-> ${v.references.join(", ")}`;
  return String(v);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function list(items: string[], total: number, limit: number): string {
  const shown = items.slice(0, limit);
  return `${shown.join(", ")}${total > shown.length ? `, ... (${total - shown.length} more)` : ""}`;
}

function mappingLines(m: MappingImpact, detail: ImpactDetail, prefix: string): string[] {
  const limit = detail === "full" ? Number.MAX_SAFE_INTEGER : COMPACT_EXAMPLES;
  const lines: string[] = [];
  const changed = m.objects.filter((o) => o.action === "update").length;
  const parts = [
    `${plural(m.sampled, m.sourceObjectName.toLowerCase())} sampled`,
    `in scope ${m.inScopeBefore} -> ${m.inScopeAfter}`,
    `${changed} updated`,
    `${m.enteringCount} entering`,
    `${m.leavingCount} leaving`,
  ];
  if (m.failing > 0) parts.push(`${m.failing} failing`);
  if (m.skipped > 0) parts.push(`${m.skipped} skipped (no matching value)`);
  lines.push(`${prefix}${m.key} (${m.name}): ${parts.join(", ")}`);
  for (const a of m.attributes) {
    const counts = [
      ...(a.changed > 0 ? [`${a.changed} change`] : []),
      ...(a.stopsFlowing > 0 ? [`${a.stopsFlowing} stop flowing (the target keeps its value)`] : []),
      ...(a.addOnly > 0 ? [`${a.addOnly} not applied to existing objects (ObjectAddOnly)`] : []),
    ];
    const examples = a.sensitive
      ? " (values not shown: sensitive attribute)"
      : a.examples.length > 0
        ? `: ${a.examples
            .slice(0, limit)
            .map((e) => `${e.object} -> ${valueText(e.before)} => ${valueText(e.after)}`)
            .join("; ")}${a.changed > Math.min(limit, a.examples.length) ? "; ..." : ""}`
        : "";
    lines.push(`${prefix}  ${a.targetAttribute}: ${counts.join(", ")}${examples}`);
  }
  if (m.enteringCount > 0) lines.push(`${prefix}  entering scope: ${list(m.entering, m.enteringCount, limit)}`);
  if (m.leavingCount > 0) {
    const kept = m.objects.filter((o) => o.action === "leaveAsIs").length;
    const what = m.targetObjectName === "Group" ? "deleted" : "disabled";
    lines.push(`${prefix}  leaving scope (${kept > 0 ? `${m.leavingCount - kept} ${what}, ${kept} left as they are` : what}): ${list(m.leaving, m.leavingCount, limit)}`);
  }
  for (const f of m.failures) {
    lines.push(
      `${prefix}  evaluation error at ${f.property}: ${f.message}${f.count > 1 ? " (and alike)" : ""}; fails for ${plural(f.count, "object")}: ${list(f.objects, f.count, limit)}`,
    );
  }
  if (m.unreadable.length > 0) lines.push(`${prefix}  read as null (not available from Graph): ${m.unreadable.join(", ")}`);
  return lines;
}

/** The report as lines, each starting "impact of job <id>:" so they read apart from other resources' lines. */
export function renderImpact(report: ImpactReport, detail: ImpactDetail): string[] {
  const prefix = `impact on job ${report.jobId}: `;
  // Nothing was predicted (a missing permission, a failed read): the reason is the report.
  if (report.mappings.length === 0 && report.notes.length > 0) return report.notes.map((note) => `${prefix}${note}`);
  const read = Object.entries(report.sample.read)
    .map(([kind, n]) => `${n}${report.sample.truncated[kind] ? "+" : ""} ${kind.toLowerCase()}${n === 1 ? "" : "s"}`)
    .join(", ");
  const scope = report.sample.scope === "allUsersAndGroups" ? "all users and groups (SyncAll)" : "assigned users and groups";
  const lines = [
    `${prefix}the next provisioning cycle, predicted on a sample of ${read || "no objects"} (${scope}, up to ${report.sample.limit} each), current = ${report.current}${report.redacted ? ", values redacted" : ""}; ${plural(report.graphCalls, "Graph read")}`,
  ];
  for (const note of report.notes) lines.push(`${prefix}${note}`);
  for (const m of report.mappings) lines.push(...mappingLines(m, detail, prefix));
  return lines;
}
