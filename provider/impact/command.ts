/**
 * `pulumi-entra-sync impact`: the provisioning impact of schema customizations on a job, outside a
 * stack (previewProvisioningImpact, preview.ts): the same report `pulumi preview` prints for a
 * SynchronizationSchema change, on stdout, and as JSON with --json. Reads only.
 *
 * It signs in as the provider does, from the environment (ARM_*, then AZURE_*, then
 * DefaultAzureCredential; ENTRA_SYNC_GRAPH_ENDPOINT for another Graph, e.g. the emulator).
 */

import * as fs from "node:fs";
import { connectionSettings } from "../graph/connection";
import { eachArgument, runSubcommand, UsageError } from "../subcommand";
import type { SchemaCustomizations } from "../schema/customization";
import { checkCustomizations } from "../schema/check";
import { previewProvisioningImpact } from "./preview";
import { renderImpact } from "./render";
import { writeImpactReport } from "./report-file";

const IMPACT_USAGE = `Usage: pulumi-entra-sync impact --service-principal <id> --job <id> --customizations <file.json> [options]

Predicts what the next provisioning cycle of a job does to a sample of its users and groups if the
schema customizations in <file.json> ({ "objectMappings": ..., "extensionAttributes": ... }, as a
SynchronizationSchema declares them) were applied. Reads only; writes nothing to the tenant.

  --service-principal <id>   the app's service principal object id
  --job <id>                 the synchronization job id
  --customizations <file>    the proposed customizations (JSON)
  --previous <file>          the customizations the last up wrote (non-strict: units no longer named go back to the template's)
  --template <id>            the template id (default: the job id's prefix)
  --strict                   as the resource's strict: the template plus the customizations, nothing else
  --sample-size <n>          users and groups sampled, each (default: 200)
  --detail compact|full      examples shown (default: compact)
  --redact                   counts only, no values
  --json <file>              also write the report as JSON
  -h, --help                 this help

Sign-in comes from the environment, as for the provider and export.`;

interface ImpactArgs {
  servicePrincipalId: string;
  jobId: string;
  customizations: SchemaCustomizations;
  previous?: SchemaCustomizations;
  templateId?: string;
  strict: boolean;
  sampleSize?: number;
  detail?: "compact" | "full";
  redact?: boolean;
  json?: string;
}

function readCustomizations(flag: string, file: string): SchemaCustomizations {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`${flag} ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const c = (doc ?? {}) as Record<string, unknown>;
  const failures = checkCustomizations(c.objectMappings, c.extensionAttributes);
  if (failures.length > 0) throw new UsageError(`${flag} ${file}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  const out: SchemaCustomizations = {};
  if (c.objectMappings !== undefined) out.objectMappings = c.objectMappings as SchemaCustomizations["objectMappings"];
  if (c.extensionAttributes !== undefined) out.extensionAttributes = c.extensionAttributes as SchemaCustomizations["extensionAttributes"];
  return out;
}

function parseImpactArgs(args: readonly string[]): ImpactArgs | "help" {
  const out: Partial<ImpactArgs> = { strict: false };
  const help = eachArgument(args, (arg, value) => {
    switch (arg) {
      case "-h":
      case "--help":
        return "help";
      case "--service-principal":
        out.servicePrincipalId = value();
        break;
      case "--job":
        out.jobId = value();
        break;
      case "--customizations":
        out.customizations = readCustomizations(arg, value());
        break;
      case "--previous":
        out.previous = readCustomizations(arg, value());
        break;
      case "--template":
        out.templateId = value();
        break;
      case "--strict":
        out.strict = true;
        break;
      case "--sample-size": {
        const n = value();
        if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > 100_000) throw new UsageError(`--sample-size must be a whole number from 1 to 100000, got "${n}"`);
        out.sampleSize = Number(n);
        break;
      }
      case "--detail": {
        const d = value();
        if (d !== "compact" && d !== "full") throw new UsageError(`--detail must be compact or full, got "${d}"`);
        out.detail = d;
        break;
      }
      case "--redact":
        out.redact = true;
        break;
      case "--json":
        out.json = value();
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  });
  if (help) return "help";
  if (!out.servicePrincipalId) throw new UsageError("--service-principal <id> is required");
  if (!out.jobId) throw new UsageError("--job <id> is required");
  if (!out.customizations) throw new UsageError("--customizations <file.json> is required");
  return out as ImpactArgs;
}

/** Runs the subcommand with its arguments (after `impact`); resolves to the process exit code. */
export async function runImpactCommand(args: string[]): Promise<number> {
  return runSubcommand("impact", IMPACT_USAGE, args, parseImpactArgs, async (options) => {
    const settings = connectionSettings();
    const report = await previewProvisioningImpact({
      servicePrincipalId: options.servicePrincipalId,
      jobId: options.jobId,
      ...options.customizations,
      strict: options.strict,
      ...(options.previous ? { previousCustomizations: options.previous } : {}),
      ...(options.templateId ? { templateId: options.templateId } : {}),
      ...(options.sampleSize !== undefined ? { sampleSize: options.sampleSize } : {}),
      ...(options.detail ? { detail: options.detail } : {}),
      ...(options.redact ? { redact: true } : {}),
      settings,
    });
    for (const line of renderImpact(report, options.detail ?? settings.impact.detail)) process.stdout.write(`${line}\n`);
    if (options.json) writeImpactReport(options.json, report);
    return report.mappings.length === 0 && report.notes.length > 0 ? 1 : 0;
  });
}
