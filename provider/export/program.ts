/**
 * The Pulumi TypeScript project export writes for a tenant: a program that adopts every exported
 * job (with `protect: true`), declares each app's secrets as they are (masked values from secret
 * config, adopted as Graph holds them), and each job's schema as the difference from its template.
 * Its first `pulumi up` writes nothing to Graph; `pulumi preview` after that shows no change.
 *
 * The output depends only on what was read (sorted, no dates, no absolute paths), so the same
 * tenant gives the same files.
 */

import type { SchemaCustomizations } from "../schema/customization";
import { baseName, uniqueNames } from "./names";
import type { ExportedApp, ExportedJob } from "./read-tenant";
import { schemaDifference, type SchemaDifference } from "./schema-diff";
import { exportedSecrets, type ExportedSecrets } from "./secrets";
import { Code, identifier, literal } from "./typescript";
import { isRunning as jobIsRunning } from "../handlers/job-status";

/** What the job's activation records at adoption: the same reading, so the first preview shows no change. */
const isRunning = (j: ExportedJob) => jobIsRunning(j.job);

interface ProjectOptions {
  /** Pulumi project name. */
  project: string;
  /** How package.json depends on this package, e.g. "^0.2.0" or "file:../pulumi-entra-sync-0.2.0.tgz". */
  packageSpec: string;
  /** The @pulumi/pulumi range for package.json. */
  pulumiSpec: string;
}

/** What export found per app, for its report and the README. */
interface AppSummary {
  name: string;
  displayName: string;
  servicePrincipalId: string;
  secretKeys: string[];
  /** Secret config keys the user must set: `pulumi config set --secret <key> <value>`. */
  secretConfig: { configKey: string; secretKey: string }[];
  jobs: { name: string; jobId: string; templateId: string; enabled: boolean; schema: string }[];
}

interface ExportedProject {
  /** Relative path -> contents. */
  files: Map<string, string>;
  apps: AppSummary[];
}

export function renderProject(apps: readonly ExportedApp[], options: ProjectOptions): ExportedProject {
  const ordered = [...apps].sort((a, b) =>
    a.servicePrincipal.displayName === b.servicePrincipal.displayName
      ? a.servicePrincipal.id < b.servicePrincipal.id
        ? -1
        : 1
      : a.servicePrincipal.displayName < b.servicePrincipal.displayName
        ? -1
        : 1,
  );
  const names = uniqueNames(ordered, (a) => baseName(a.servicePrincipal.displayName));
  const files = new Map<string, string>();
  const summaries: AppSummary[] = [];
  const blocks: string[] = [];
  const outputs: string[] = [];
  for (const app of ordered) {
    const { code, summary, schemaFiles, jobOutputs } = renderApp(app, names.get(app)!);
    blocks.push(code);
    summaries.push(summary);
    outputs.push(...jobOutputs);
    for (const [path, text] of schemaFiles) files.set(path, text);
  }
  files.set("index.ts", indexTs(blocks, outputs, files.size > 0));
  files.set("Pulumi.yaml", pulumiYaml(options.project));
  files.set("package.json", `${JSON.stringify(packageJson(options), null, 2)}\n`);
  files.set("tsconfig.json", `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  files.set("README.md", readme(options.project, summaries));
  files.set(".gitignore", "node_modules/\nbin/\n");
  return { files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))), apps: summaries };
}

function renderApp(app: ExportedApp, name: string) {
  const sp = app.servicePrincipal;
  const lines: string[] = [`// ${sp.displayName} (service principal ${sp.id}, application ${sp.appId})`];
  const summary: AppSummary = { name, displayName: sp.displayName, servicePrincipalId: sp.id, secretKeys: [], secretConfig: [], jobs: [] };
  const schemaFiles = new Map<string, string>();
  const jobOutputs: string[] = [];
  const spVar = `${identifier(name)}ServicePrincipalId`;
  lines.push(`const ${spVar} = ${JSON.stringify(sp.id)};`);

  let secretsVar: string | undefined;
  if (app.secrets && app.secrets.size > 0) {
    const secrets = exportedSecrets(app.secrets);
    secretsVar = `${identifier(name)}Secrets`;
    lines.push(secretsDeclaration(secretsVar, `${name}-secrets`, spVar, secrets, name, summary));
  }

  const jobNames = uniqueNames(app.jobs, (j) => (app.jobs.length === 1 ? `${name}-job` : `${name}-${baseName(j.job.templateId)}-job`));
  for (const exported of app.jobs) {
    const jobName = jobNames.get(exported)!;
    const jobVar = identifier(jobName);
    const job = exported.job;
    if (job.status?.code === "Quarantine") {
      lines.push(`// Quarantined when exported (${job.status.quarantine?.reason ?? "no reason given"}): enabled follows; a restart trigger lifts the quarantine.`);
    }
    lines.push(
      `const ${jobVar} = new SynchronizationJob(${JSON.stringify(jobName)}, ${literal({
        servicePrincipalId: new Code(spVar),
        templateId: job.templateId,
        // Adopted: the first up reads it and writes nothing.
        jobId: job.id,
        enabled: isRunning(exported),
      })}, { protect: true${secretsVar ? `, dependsOn: [${secretsVar}]` : ""} });`,
    );
    jobOutputs.push(`  ${JSON.stringify(jobName)}: ${jobVar}.jobId,`);
    const difference = schemaDifference(exported.templateSchema, exported.schema);
    const schemaName = jobName.replace(/-job$/, "-schema");
    const described = schemaDeclaration(difference, schemaName, spVar, job, jobVar, schemaFiles);
    if (described.code) lines.push(described.code);
    summary.jobs.push({ name: jobName, jobId: job.id, templateId: job.templateId, enabled: isRunning(exported), schema: described.summary });
  }
  return { code: lines.join("\n"), summary, schemaFiles, jobOutputs };
}

function secretsDeclaration(variable: string, resourceName: string, spVar: string, secrets: ExportedSecrets, app: string, summary: AppSummary): string {
  const credentials: Record<string, unknown> = {};
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(secrets.plain)) {
    if (value === "") skipped.push(key);
    else credentials[key] = value;
  }
  for (const key of secrets.masked) {
    const configKey = `${app}-${key}`;
    credentials[key] = new Code(`config.requireSecret(${JSON.stringify(configKey)})`);
    summary.secretConfig.push({ configKey, secretKey: key });
  }
  summary.secretKeys = [...Object.keys(credentials), ...Object.keys(secrets.settings)].sort();
  const args: Record<string, unknown> = { servicePrincipalId: new Code(spVar), credentials, ...secrets.settings };
  if (secrets.masked.length > 0) args.adoptMaskedValues = true;
  const comments: string[] = [];
  if (secrets.masked.length > 0) {
    comments.push(
      `// Graph masks ${secrets.masked.join(", ")}: set them with \`pulumi config set --secret\` (see README.md).`,
      "// adoptMaskedValues: the first up takes the values Graph holds as right and writes none of them.",
    );
  }
  if (skipped.length > 0) comments.push(`// Left out: ${skipped.join(", ")} (empty in Graph; a declared key needs a value).`);
  return [...comments, `const ${variable} = new SynchronizationSecrets(${JSON.stringify(resourceName)}, ${literal(args)});`].join("\n");
}

function schemaDeclaration(
  difference: SchemaDifference,
  resourceName: string,
  spVar: string,
  job: ExportedJob["job"],
  jobVar: string,
  schemaFiles: Map<string, string>,
): { code?: string; summary: string } {
  const base = { servicePrincipalId: new Code(spVar), jobId: job.id, templateId: job.templateId };
  const options = `{ dependsOn: [${jobVar}] }`;
  if (difference.kind === "customizations") {
    const c = difference.customizations;
    if (!c.objectMappings && !c.extensionAttributes) return { summary: "as its template" };
    const count = countCustomizations(c);
    return {
      code: `new SynchronizationSchema(${JSON.stringify(resourceName)}, ${literal({ ...base, ...c })}, ${options});`,
      summary: `${count} customization${count === 1 ? "" : "s"} of its template`,
    };
  }
  const file = `schemas/${resourceName}.json`;
  schemaFiles.set(file, `${JSON.stringify(difference.rawSchema, null, 2)}\n`);
  const why = difference.reasons.map((r) => `//   - ${r}`).join("\n");
  return {
    code:
      `// The whole schema, because the typed form cannot say everything that differs from the template:\n${why}\n` +
      `new SynchronizationSchema(${JSON.stringify(resourceName)}, ${literal({ ...base, rawSchema: new Code(`rawSchema(${JSON.stringify(file)})`) })}, ${options});`,
    summary: `the whole schema (${file}): ${difference.reasons.length} difference${difference.reasons.length === 1 ? "" : "s"} the typed form cannot state`,
  };
}

function countCustomizations(c: SchemaCustomizations): number {
  let n = 0;
  for (const om of Object.values(c.objectMappings ?? {})) {
    n += (om.enabled !== undefined ? 1 : 0) + (om.scope !== undefined ? 1 : 0) + Object.keys(om.attributeMappings ?? {}).length;
  }
  for (const objects of Object.values(c.extensionAttributes ?? {})) for (const attrs of Object.values(objects)) n += Object.keys(attrs).length;
  return n;
}

function indexTs(blocks: string[], outputs: string[], usesRawSchema: boolean): string {
  const header = [
    "// Written by `pulumi-entra-sync export`: the tenant's provisioning as it was, as a program.",
    "// Jobs are adopted (jobId) and protected; the first `pulumi up` writes nothing to Graph.",
    "",
    ...(usesRawSchema ? ['import * as fs from "fs";', 'import * as path from "path";'] : []),
    'import * as pulumi from "@pulumi/pulumi";',
    'import { SynchronizationJob, SynchronizationSchema, SynchronizationSecrets } from "pulumi-entra-sync";',
    "",
    "const config = new pulumi.Config();",
  ];
  if (usesRawSchema) {
    header.push(
      "",
      "/** A whole schema document kept beside the program (what the typed form cannot say). */",
      "function rawSchema(file: string): Record<string, unknown> {",
      '  return JSON.parse(fs.readFileSync(path.join(__dirname, file), "utf8")) as Record<string, unknown>;',
      "}",
    );
  }
  return [...header, "", blocks.join("\n\n"), "", "export const jobIds = {", ...outputs, "};", ""].join("\n");
}

function pulumiYaml(project: string): string {
  return [
    `name: ${project}`,
    "description: Entra ID application provisioning, exported by pulumi-entra-sync",
    "main: index.ts",
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    typescript: true",
    "",
  ].join("\n");
}

function packageJson(options: ProjectOptions) {
  return {
    name: options.project,
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": options.pulumiSpec, "pulumi-entra-sync": options.packageSpec },
    devDependencies: { "@types/node": "^20.0.0", typescript: "^5.0.0" },
  };
}

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: "commonjs",
    moduleResolution: "node",
    esModuleInterop: true,
    outDir: "bin",
    noEmit: true,
  },
  files: ["index.ts"],
};

function readme(project: string, apps: AppSummary[]): string {
  const secretLines = apps.flatMap((a) => a.secretConfig.map((s) => `pulumi config set --secret ${s.configKey} '<${a.displayName}: ${s.secretKey}>'`));
  const appLines = apps.flatMap((a) => [
    `- **${a.displayName}** (\`${a.servicePrincipalId}\`): ${a.secretKeys.length > 0 ? `secrets ${a.secretKeys.join(", ")}` : "no secrets"}`,
    ...a.jobs.map((j) => `  - job \`${j.jobId}\` (template \`${j.templateId}\`, ${j.enabled ? "running" : "paused"}): schema ${j.schema}`),
  ]);
  return [
    `# ${project}`,
    "",
    "The provisioning of an Entra ID tenant, written by `pulumi-entra-sync export` as it was when exported.",
    "",
    "## Apps",
    "",
    ...appLines,
    "",
    "## Before the first `pulumi up`",
    "",
    "```sh",
    "npm install",
    "pulumi stack init <stack>",
    ...(secretLines.length > 0 ? secretLines : ["# no masked secrets to set"]),
    "pulumi preview",
    "```",
    "",
    "Graph never shows masked secret values (tokens, passwords), so export cannot write them: set",
    "each one above (the value the app really uses; `adoptMaskedValues` makes the first `up` take the",
    "value Graph holds as right instead of writing yours, and later changes of your value are written).",
    "",
    "The first `pulumi up` adopts every job (`jobId`, with `protect: true`) and writes nothing to Graph;",
    "`pulumi preview` then shows no change. Sign in as the provider does (`ARM_*`/`AZURE_*` variables, or",
    "`entra-sync:*` / `azuread:*` stack config).",
    "",
    "`pulumi destroy` would delete adopted jobs and remove the declared secrets: jobs are protected, so",
    "destroy refuses until `protect` is removed. Use `retainOnDelete: true` to let Pulumi forget a job",
    "without deleting it.",
    "",
  ].join("\n");
}
