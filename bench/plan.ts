/**
 * What the benchmark's Pulumi program (bench/program/index.ts) declares, passed as its stack
 * config `plan`, and the minimum number of Graph calls each operation needs.
 */

export type BenchKind = "secrets" | "job" | "schema" | "provisionOnDemand";
export const BENCH_KINDS: readonly BenchKind[] = ["secrets", "job", "schema", "provisionOnDemand"];

/** The program's stack config `plan` (JSON). One "app" = one service principal. */
export interface BenchPlan {
  /** One app per service principal: its secrets, one job, its schema customization, ... */
  servicePrincipalIds: string[];
  /** Which resources each app declares. */
  kinds: BenchKind[];
  /** Existing job ids (one per service principal) for schema/provisionOnDemand without a job resource. */
  jobIds?: string[];
  /** SynchronizationSecrets BaseAddress; "{i}" is replaced by the app's index. */
  baseAddress: string;
  /** SynchronizationJob.enabled. */
  enabled: boolean;
  /** SynchronizationJob.restart.trigger, when set. */
  restartTrigger?: string;
  /** The constant the schema customization maps to the target's `title`. */
  title: string;
  /** The user ProvisionOnDemand provisions. */
  onDemandUserId?: string;
  /** ProvisionOnDemand.triggers.run: a change provisions again. */
  onDemandTrigger: string;
}

/** Resource type tokens, as in state: pulumi-nodejs:dynamic/entra-sync:<Type>. */
export const TYPE_OF: Record<BenchKind, string> = {
  secrets: "SynchronizationSecrets",
  job: "SynchronizationJob",
  schema: "SynchronizationSchema",
  provisionOnDemand: "ProvisionOnDemand",
};

/**
 * Minimum Graph calls per resource and operation that the API allows on a healthy tenant, with the
 * reason. Previews need no Graph (check/diff work from state), except a schema's when it changes:
 * the impact preview reads the schemas and a sample of the job's users and groups.
 */
export const MINIMUM_CALLS: Record<BenchKind, Record<string, { calls: number; why: string }>> = {
  secrets: {
    create: { calls: 1, why: "PUT secrets" },
    update: { calls: 1, why: "PUT secrets (the changed key)" },
    refresh: { calls: 1, why: "GET secrets" },
    delete: { calls: 1, why: "PUT secrets with the managed keys emptied" },
  },
  job: {
    create: { calls: 2, why: "POST jobs + POST start (the POST's answer is the job)" },
    "update: enabled": { calls: 1, why: "POST pause" },
    "update: restart trigger": { calls: 1, why: "POST restart" },
    refresh: { calls: 1, why: "GET job" },
    delete: { calls: 1, why: "DELETE job" },
  },
  schema: {
    "preview (create)": {
      calls: 2,
      why: "GET job schema + GET template schema, on a job that exists: the live paths the first up changes (+ the impact preview's reads when it changes any: see preview (change))",
    },
    "preview (change)": {
      calls: 4,
      why: "impact preview: GET job schema + GET template schema (what the up writes) + GET secrets (SyncAll) + GET appRoleAssignedTo; + GET members per assigned group, + GET users/groups per 15 assigned (0 for an app nobody is assigned to)",
    },
    create: { calls: 3, why: "GET template schema + GET job schema (edits made elsewhere are kept) + PUT schema (no PATCH in Graph)" },
    update: { calls: 3, why: "GET template schema + GET job schema + PUT schema" },
    refresh: { calls: 1, why: "GET schema" },
    delete: { calls: 3, why: "GET template and job schema + PUT with the customized units back at the template's (strict: 1 DELETE)" },
  },
  provisionOnDemand: {
    create: { calls: 1, why: "POST provisionOnDemand per subject (1 subject; +1 GET schema only without ruleId)" },
    update: { calls: 1, why: "POST provisionOnDemand per subject" },
    refresh: { calls: 1, why: "GET job (is the job still there?)" },
    delete: { calls: 0, why: "nothing to undo in Graph" },
  },
};

/** Per app of the scale stack (secrets + job + schema): minimum calls, and the dependency chain's minimum depth in calls. */
export const SCALE_KINDS: BenchKind[] = ["secrets", "job", "schema"];
/**
 * Resources in state per declared resource: SynchronizationSecrets is the secrets and their
 * revision record; a SynchronizationJob is its claim, the job and its activation child.
 */
export const STATE_RESOURCES: Record<BenchKind, number> = { secrets: 2, job: 3, schema: 1, provisionOnDemand: 1 };
export const SCALE_MINIMUM: Record<string, { callsPerApp: number; depth: number; why: string }> = {
  preview: { callsPerApp: 0, depth: 0, why: "check/diff only" },
  up: { callsPerApp: 6, depth: 6, why: "secrets 1 -> job 2 -> schema 3 (dependsOn / jobId chain)" },
  "preview (no-op)": { callsPerApp: 0, depth: 0, why: "nothing changed" },
  refresh: { callsPerApp: 3, depth: 1, why: "one GET per resource, all independent" },
  destroy: { callsPerApp: 5, depth: 5, why: "schema 3 -> job 1 -> secrets 1 (reverse dependencies)" },
};
