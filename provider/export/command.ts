/**
 * `pulumi-entra-sync export`: read a tenant's provisioning (secrets, jobs, schema customizations)
 * and write a Pulumi TypeScript project that adopts it: its first `pulumi up` writes nothing.
 *
 * It signs in as the provider does, from the environment (`ARM_*`, then `AZURE_*`, then
 * DefaultAzureCredential; `ENTRA_SYNC_GRAPH_ENDPOINT` for another Graph), since stack config does
 * not exist outside a stack. It only reads: Synchronization.Read.All and Application.Read.All.
 */

import * as fs from "fs";
import * as path from "path";
import { graphApi } from "../graph/client";
import { connectionSettings } from "../graph/connection";
import { eachArgument, runSubcommand, UsageError } from "../subcommand";
import { renderProject } from "./program";
import { chooseServicePrincipals, type ExportScope, inParallel, readApp } from "./read-tenant";

export const EXPORT_USAGE = `Usage: pulumi-entra-sync export (--all | --service-principal <id or display name> ...) --out <dir> [options]

Reads the provisioning of the chosen enterprise applications (every one that has a provisioning
job, with --all) and writes a Pulumi TypeScript project that adopts it as it is.

  --all                          every service principal with synchronization jobs
  --service-principal <x>        a service principal's object id or display name (repeatable)
  --out <dir>                    where to write the project (must be empty, or use --force)
  --project <name>               Pulumi project name (default: entra-provisioning)
  --package-spec <spec>          how package.json depends on pulumi-entra-sync (default: ^<this version>)
  --parallel <n>                 service principals read at once (default: 8)
  --force                        write into a directory that has files already
  -h, --help                     this help

Sign-in comes from the environment, as for the provider: ARM_TENANT_ID, ARM_CLIENT_ID,
ARM_CLIENT_SECRET (or a certificate or OIDC), else AZURE_*, else DefaultAzureCredential;
ENTRA_SYNC_GRAPH_ENDPOINT for another Graph endpoint (e.g. the emulator).`;

export interface ExportOptions {
  scope: ExportScope;
  out: string;
  project: string;
  packageSpec: string;
  parallel: number;
  force: boolean;
}

export function parseExportArgs(args: readonly string[]): ExportOptions | "help" {
  const servicePrincipals: string[] = [];
  let all = false;
  let out: string | undefined;
  let project = "entra-provisioning";
  let packageSpec = `^${ownPackage().version}`;
  let parallel = 8;
  let force = false;
  const help = eachArgument(args, (arg, value) => {
    switch (arg) {
      case "-h":
      case "--help":
        return "help";
      case "--all":
        all = true;
        break;
      case "--service-principal":
        servicePrincipals.push(value());
        break;
      case "--out":
        out = value();
        break;
      case "--project":
        project = value();
        if (!/^[A-Za-z0-9_.-]+$/.test(project)) throw new UsageError(`--project must be letters, digits, '-', '_' or '.', got "${project}"`);
        break;
      case "--package-spec":
        packageSpec = value();
        break;
      case "--parallel":
        parallel = Number(value());
        if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new UsageError("--parallel must be a whole number from 1 to 64");
        break;
      case "--force":
        force = true;
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  });
  if (help) return "help";
  if (all === servicePrincipals.length > 0) throw new UsageError("name the apps to export: --all, or --service-principal (one or more)");
  if (!out) throw new UsageError("--out <dir> is required");
  return { scope: all ? { all: true } : { servicePrincipals }, out, project, packageSpec, parallel, force };
}

interface OwnPackage {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** This package's package.json: the nearest one above this file (sources and dist sit at different depths). */
function ownPackage(): OwnPackage {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as OwnPackage;
      if (pkg.name === "pulumi-entra-sync") return pkg;
    }
    if (path.dirname(dir) === dir) throw new Error("pulumi-entra-sync's package.json was not found above " + __dirname);
  }
}

/** The @pulumi/pulumi range this package declares, for the exported project. */
function pulumiSpec(): string {
  const own = ownPackage();
  const spec = own.peerDependencies?.["@pulumi/pulumi"] ?? own.dependencies?.["@pulumi/pulumi"] ?? "3";
  return /^\d/.test(spec) ? `^${spec}` : spec;
}

export interface ExportResult {
  written: string[];
  apps: ReturnType<typeof renderProject>["apps"];
}

export async function runExport(options: ExportOptions, log: (line: string) => void = () => undefined): Promise<ExportResult> {
  const out = path.resolve(options.out);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !options.force) {
    throw new UsageError(`--out ${options.out} has files already: choose an empty directory, or --force to write over them`);
  }
  const api = graphApi(connectionSettings());
  const chosen = await chooseServicePrincipals(api, options.scope);
  log(`reading ${chosen.length} service principal${chosen.length === 1 ? "" : "s"} from ${api.settings.graphEndpoint}`);
  const apps = (await inParallel(chosen, options.parallel, (sp) => readApp(api, sp))).filter((a) => a !== undefined);
  const project = renderProject(apps, { project: options.project, packageSpec: options.packageSpec, pulumiSpec: pulumiSpec() });
  for (const [file, text] of project.files) {
    const target = path.join(out, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return { written: [...project.files.keys()], apps: project.apps };
}

/** Runs the subcommand with its arguments (after `export`); resolves to the process exit code. */
export async function runExportCommand(args: string[]): Promise<number> {
  return runSubcommand("export", EXPORT_USAGE, args, parseExportArgs, async (options) => {
    const result = await runExport(options, (line) => process.stderr.write(`${line}\n`));
    for (const app of result.apps) {
      process.stdout.write(`${app.displayName} (${app.servicePrincipalId}) -> ${app.name}\n`);
      if (app.secretKeys.length > 0) process.stdout.write(`  secrets: ${app.secretKeys.join(", ")}\n`);
      for (const job of app.jobs) process.stdout.write(`  job ${job.jobId} (${job.enabled ? "running" : "paused"}): schema ${job.schema}\n`);
    }
    process.stdout.write(`wrote ${result.written.map((f) => path.join(options.out, f)).join(", ")}\n`);
    const secrets = result.apps.flatMap((a) => a.secretConfig);
    if (secrets.length > 0) {
      process.stdout.write(`next: set the masked secrets (see ${path.join(options.out, "README.md")}):\n`);
      for (const s of secrets) process.stdout.write(`  pulumi config set --secret ${s.configKey} <value>\n`);
    }
    return 0;
  });
}
