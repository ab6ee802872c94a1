/**
 * The provisioning impact of a schema change, from Graph: the job's provisioning scope (SyncAll,
 * SkipOutOfScopeDeletions), a sample of its source objects (sample.ts), and both schemas evaluated
 * on it (evaluate.ts). Never throws: what keeps the report from being made (a missing permission,
 * a failed read) is a note in it, so a preview never fails because of it.
 *
 * Graph calls for one report: 1 GET of the app's synchronization secrets (SyncAll), then the
 * sample's reads (sample.ts). The schemas are given (the caller read them for its own purposes:
 * the schema handler's check, or previewProvisioningImpact below, which reads 2: the template's
 * schema and the job's, 3 if the job id does not name its template).
 */

import { graphApi, type GraphApi } from "../graph/client";
import { connectionSettings, type ConnectionSettings, type ImpactSettings } from "../graph/connection";
import { isGraphRequestError, readOrGone } from "../graph/errors";
import { jobPath, jobSchemaPath, secretsPath, templateSchemaPath } from "../graph/paths";
import type { SynchronizationJob, SynchronizationSchema } from "../graph/types";
import type { SchemaCustomizations } from "../schema/customization";
import { normalizedSchema } from "../schema/normalize";
import { schemaToWrite } from "../schema/to-write";
import { attributesRead, evaluateImpact, locateMappings } from "./evaluate";
import { IMPACT_REPORT_VERSION, type ImpactReport } from "./report";
import { MissingPermissionError, readSample } from "./sample";
import { graphReadFor, type GraphRead, type SourceKind } from "./source-object";

interface ImpactRequest {
  servicePrincipalId: string;
  jobId: string;
  /** The job's schema now (normalized). */
  current: SynchronizationSchema;
  /** The schema the next up writes (normalized). */
  proposed: SynchronizationSchema;
  settings: ImpactSettings;
  api?: GraphApi;
  /** The clock for Now() in expressions. */
  now?: Date;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Examples kept per list in the report (render.ts prints three of them unless the detail is full). */
const EXAMPLES = 10;

export async function computeImpact(request: ImpactRequest): Promise<ImpactReport> {
  const { servicePrincipalId: sp, jobId, current, proposed, settings } = request;
  const api = request.api ?? graphApi();
  const report: ImpactReport = {
    version: IMPACT_REPORT_VERSION,
    servicePrincipalId: sp,
    jobId,
    current: "live job schema",
    sample: { scope: "assignedUsersAndGroups", read: {}, limit: settings.sampleSize, truncated: {} },
    redacted: settings.redact,
    mappings: [],
    notes: [],
    graphCalls: 0,
  };
  const counter = { calls: 0 };
  try {
    counter.calls += 1;
    const secrets = await readOrGone(() =>
      api.get<{ value?: { key: string; value: string | null }[] }>(secretsPath(sp), `read the provisioning scope of service principal ${sp}`),
    );
    const flag = (key: string) => (secrets?.value ?? []).some((p) => p.key === key && (p.value ?? "").trim().toLowerCase() === "true");
    const syncAll = flag("SyncAll");
    report.sample.scope = syncAll ? "allUsersAndGroups" : "assignedUsersAndGroups";
    // What each kind of object is read with: the union of what both schemas' enabled mappings read.
    const names: Partial<Record<SourceKind, Set<string>>> = {};
    for (const schema of [current, proposed]) {
      for (const { mapping } of locateMappings(schema)) {
        const kind = mapping.sourceObjectName;
        if (!mapping.enabled || (kind !== "User" && kind !== "Group")) continue;
        const set = (names[kind] ??= new Set());
        for (const name of attributesRead(mapping)) set.add(name);
      }
    }
    const reads: Partial<Record<SourceKind, GraphRead>> = {};
    for (const [kind, set] of Object.entries(names) as [SourceKind, Set<string>][]) reads[kind] = graphReadFor(kind, set);
    const sample = await readSample({ api, servicePrincipalId: sp, syncAll, limit: settings.sampleSize, reads, counter });
    report.sample.read = sample.read;
    report.sample.truncated = sample.truncated;
    report.mappings = evaluateImpact(current, proposed, sample.objects, {
      syncAll,
      skipOutOfScopeDeletions: flag("SkipOutOfScopeDeletions"),
      examples: settings.detail === "full" ? Math.max(EXAMPLES, settings.sampleSize) : EXAMPLES,
      redact: settings.redact,
      now: request.now,
    });
    for (const m of report.mappings) {
      const read = reads[m.sourceObjectName as SourceKind];
      m.unreadable = read ? read.unreadable.filter((n) => attributesReadBy(proposed, m.key).includes(n)) : [];
    }
  } catch (e) {
    report.mappings = [];
    if (e instanceof MissingPermissionError) report.notes.push(`impact unavailable: ${e.message}`);
    else if (isGraphRequestError(e) && e.status === 403) report.notes.push(`impact unavailable: missing permission (${e.method} ${e.path} answered 403)`);
    else report.notes.push(`impact unavailable: ${message(e)}`);
  }
  report.graphCalls = counter.calls;
  return report;
}

function attributesReadBy(schema: SynchronizationSchema, key: string): string[] {
  const located = locateMappings(schema).find((m) => m.key === key);
  return located ? attributesRead(located.mapping) : [];
}

/** Options of previewProvisioningImpact. */
export interface ProvisioningImpactOptions extends SchemaCustomizations {
  servicePrincipalId: string;
  jobId: string;
  /** The template whose schema is the baseline; default: the job id's prefix, else the job's. */
  templateId?: string;
  /** As the SynchronizationSchema's `strict`. */
  strict?: boolean;
  /** For a non-strict schema: the customizations the last up wrote (units named then and not now go back to the template's). */
  previousCustomizations?: SchemaCustomizations;
  /** Users and groups sampled (each); default: the connection's impactSampleSize (200). */
  sampleSize?: number;
  /** Mask every value (counts only). */
  redact?: boolean;
  /** Examples: "compact" keeps 10 per list, "full" as many as sampled. */
  detail?: "compact" | "full";
  /** Default: the provider's settings from the environment. */
  settings?: ConnectionSettings;
}

/**
 * What the next provisioning cycle of a job would do to a sample of its users and groups if a
 * SynchronizationSchema with these customizations were applied: the same prediction `pulumi preview`
 * prints, outside a stack. Reads only: the template's and the job's schema, then the sample.
 */
export async function previewProvisioningImpact(options: ProvisioningImpactOptions): Promise<ImpactReport> {
  const settings = options.settings ?? connectionSettings();
  const api = graphApi(settings);
  const sp = options.servicePrincipalId;
  const jobId = options.jobId;
  const templateId =
    options.templateId ??
    (jobId.split(".").length >= 2 && jobId.split(".")[0] !== "" ? jobId.split(".")[0] : undefined) ??
    (await api.get<SynchronizationJob>(jobPath(sp, jobId), `read synchronization job ${jobId}`)).templateId;
  const [template, live] = await Promise.all([
    api.get<SynchronizationSchema>(templateSchemaPath(sp, templateId), `read the schema of synchronization template "${templateId}"`),
    api.get<SynchronizationSchema>(jobSchemaPath(sp, jobId), `read the schema of synchronization job ${jobId}`),
  ]);
  const current = normalizedSchema(live);
  const customizations: SchemaCustomizations = {};
  if (options.objectMappings) customizations.objectMappings = options.objectMappings;
  if (options.extensionAttributes) customizations.extensionAttributes = options.extensionAttributes;
  const proposed = schemaToWrite(customizations, options.strict ?? false, normalizedSchema(template), current, options.previousCustomizations);
  return computeImpact({
    servicePrincipalId: sp,
    jobId,
    current,
    proposed,
    api,
    settings: {
      ...settings.impact,
      ...(options.sampleSize !== undefined ? { sampleSize: options.sampleSize } : {}),
      ...(options.redact !== undefined ? { redact: options.redact } : {}),
      ...(options.detail !== undefined ? { detail: options.detail } : {}),
    },
  });
}
