/**
 * The impact reports of a provider process as one JSON file (entra-sync:impactReport <path>), for a
 * pipeline to post to a pull request: `{ "version": 1, "reports": { "<servicePrincipalId>/<jobId>":
 * <ImpactReport> } }`. The first report a process writes replaces the file (a stale report of an
 * earlier preview is not kept); the next ones, for other schema resources of the same stack, are
 * added to it. Written synchronously, whole, through a temporary file and a rename, so parallel
 * checks of one process never interleave and a reader never sees half a file.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { IMPACT_REPORT_VERSION, type ImpactReport } from "./report";

interface ImpactReportFile {
  version: typeof IMPACT_REPORT_VERSION;
  reports: Record<string, ImpactReport>;
}

/** Paths this process has written already (added to, not replaced). */
const written = new Set<string>();

export function writeImpactReport(file: string, report: ImpactReport): void {
  const target = path.resolve(file);
  let doc: ImpactReportFile = { version: IMPACT_REPORT_VERSION, reports: {} };
  if (written.has(target)) {
    try {
      const existing = JSON.parse(fs.readFileSync(target, "utf8")) as ImpactReportFile;
      if (existing && typeof existing.reports === "object") doc = existing;
    } catch {
      // unreadable: start again
    }
  }
  doc.reports[`${report.servicePrincipalId}/${report.jobId}`] = report;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(doc, null, 2)}\n`);
  fs.renameSync(temporary, target);
  written.add(target);
}

/** For tests: forget which files this process wrote. */
export function forgetWrittenImpactReports(): void {
  written.clear();
}
