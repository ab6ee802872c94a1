/**
 * Where an impact report goes in a preview: its lines to the provider's diagnostics (the progress
 * lines of ../handlers/progress.ts, which the engine shows under the resource while the preview
 * runs and again under "Diagnostics"), and the JSON file when entra-sync:impactReport names one.
 * Never throws: a file that cannot be written is a line too.
 */

import type { ImpactSettings } from "../graph/connection";
import { reportProgress } from "../handlers/progress";
import { renderImpact } from "./render";
import type { ImpactReport } from "./report";
import { writeImpactReport } from "./report-file";

export function publishImpact(report: ImpactReport, settings: ImpactSettings): void {
  for (const line of renderImpact(report, settings.detail)) reportProgress(line);
  if (settings.reportPath === undefined) return;
  try {
    writeImpactReport(settings.reportPath, report);
  } catch (e) {
    reportProgress(`impact on job ${report.jobId}: the report could not be written to ${settings.reportPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
