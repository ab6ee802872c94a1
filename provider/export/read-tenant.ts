/**
 * Reading what export writes down: the chosen service principals (or every one that has
 * synchronization jobs), and for each its secrets, its jobs, and each job's schema beside its
 * template's. Reads only; runs as many service principals at once as `parallel` allows.
 *
 * Graph calls: choosing = GET the service principal by id, or a `$filter` on displayName, or (for
 * --all) the paged list of service principals; then per service principal GET jobs, and for one
 * with jobs GET secrets + per job GET schema and GET template schema.
 */

import type { GraphApi } from "../graph/client";
import { readOrGone } from "../graph/errors";
import { jobSchemaPath, jobsPath, secretsPath, servicePrincipalPath, templateSchemaPath } from "../graph/paths";
import type { SynchronizationJob, SynchronizationSchema } from "../graph/types";
import { UserFacingError } from "../graph/user-facing";

export interface ServicePrincipalRef {
  id: string;
  appId: string;
  displayName: string;
}

export interface ExportedJob {
  job: SynchronizationJob;
  schema: SynchronizationSchema;
  templateSchema: SynchronizationSchema;
}

export interface ExportedApp {
  servicePrincipal: ServicePrincipalRef;
  /** The secrets as Graph shows them (masked values as "*"); undefined when none were ever set. */
  secrets: Map<string, string> | undefined;
  jobs: ExportedJob[];
}

export type ExportScope = { all: true } | { servicePrincipals: string[] };

/** A choice of service principal that does not name exactly one. */
class ExportScopeError extends UserFacingError {
  override readonly name = "ExportScopeError";
  constructor(message: string) {
    super(message);
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SELECT = "$select=id,appId,displayName";

export async function chooseServicePrincipals(api: GraphApi, scope: ExportScope): Promise<ServicePrincipalRef[]> {
  if ("all" in scope) return api.list<ServicePrincipalRef>(`/servicePrincipals?${SELECT}`, "list service principals");
  const out: ServicePrincipalRef[] = [];
  for (const wanted of scope.servicePrincipals) {
    if (GUID.test(wanted)) {
      out.push(await api.get<ServicePrincipalRef>(`${servicePrincipalPath(wanted)}?${SELECT}`, `read service principal ${wanted}`));
      continue;
    }
    const filter = encodeURIComponent(`displayName eq '${wanted.replace(/'/g, "''")}'`);
    const found = await api.list<ServicePrincipalRef>(`/servicePrincipals?$filter=${filter}&${SELECT}`, `find service principal "${wanted}"`);
    if (found.length !== 1) {
      throw new ExportScopeError(
        `--service-principal "${wanted}": ${found.length === 0 ? "no service principal has this display name" : `${found.length} service principals have this display name (${found.map((s) => s.id).join(", ")}); name one by its object id`}`,
      );
    }
    out.push(found[0]);
  }
  return out;
}

/** The app's synchronization, or undefined when it has no jobs (nothing to export). */
export async function readApp(api: GraphApi, sp: ServicePrincipalRef): Promise<ExportedApp | undefined> {
  const jobs = await orEmpty(api.list<SynchronizationJob>(jobsPath(sp.id), `list the synchronization jobs of ${sp.displayName}`));
  if (jobs.length === 0) return undefined;
  const [secrets, exportedJobs] = await Promise.all([
    readSecrets(api, sp),
    Promise.all(
      jobs.map(async (job) => {
        const [schema, templateSchema] = await Promise.all([
          api.get<SynchronizationSchema>(jobSchemaPath(sp.id, job.id), `read the schema of job ${job.id}`),
          api.get<SynchronizationSchema>(templateSchemaPath(sp.id, job.templateId), `read the schema of template "${job.templateId}"`),
        ]);
        return { job, schema, templateSchema };
      }),
    ),
  ]);
  return { servicePrincipal: sp, secrets, jobs: exportedJobs.sort((a, b) => (a.job.id < b.job.id ? -1 : 1)) };
}

async function readSecrets(api: GraphApi, sp: ServicePrincipalRef): Promise<Map<string, string> | undefined> {
  const page = await readOrGone(() => api.get<{ value: { key: string; value: string | null }[] }>(secretsPath(sp.id), `read the secrets of ${sp.displayName}`));
  return page && new Map((page.value ?? []).map((p) => [p.key, p.value ?? ""]));
}

/** A service principal without synchronization answers 404 for its jobs: none. */
async function orEmpty<T>(list: Promise<T[]>): Promise<T[]> {
  return (await readOrGone(() => list)) ?? [];
}

/** Run `work` on every item, at most `parallel` at a time, results in the items' order. */
export async function inParallel<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}
