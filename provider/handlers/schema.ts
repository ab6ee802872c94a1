/**
 * The handler of SynchronizationSchema (../program/schema.ts): a job's attribute mappings, scoping
 * filters and extension attributes, declared as customizations of the job's template schema (the
 * baseline).
 *
 * What is written (../schema/managed.ts): without `strict`, the live schema with the units the
 * program names (an object mapping's enabled or scope, an attribute mapping, an extension
 * attribute) set to the template's plus the customization, so edits made in the portal to anything
 * else are kept; with `strict`, the template's schema plus the customizations, nothing else.
 *
 * Graph calls: create/update = GET the template's schema + (without strict) GET the job's schema +
 * PUT the merged schema (Graph has no PATCH for schemas); read = GET the job's schema; delete =
 * without strict, GET both + PUT with the named units back at the template's; with strict (or
 * rawSchema), DELETE the job's schema, which Graph documents as a reset to the template's default.
 * diff makes none; check makes none unless the declaration changes or a schema is created on a job
 * that exists: then it reads the two schemas and the impact preview's sample (../impact/, which
 * lists its reads). With `rawSchema`, create/update is the PUT alone. A delete leaves the
 * schema alone when another resource of the same program declares a schema for the job (a rename,
 * a replacement), and a replacement deletes before it creates: a job has one schema.
 *
 * Names the customizations refer to are checked at preview, without Graph: on a create, by check,
 * against the catalog bundled for the template (if the template is known and bundled); later, by
 * diff, against the baseline the last up recorded, which is the tenant's real template and so wins.
 */

import { graphApi } from "../graph/client";
import { readOrGone } from "../graph/errors";
import { jobPath, jobSchemaPath, templateSchemaPath } from "../graph/paths";
import type { SynchronizationJob as GraphJob, SynchronizationSchema as GraphSchema } from "../graph/types";
import { catalogOf, checkReferences, type SchemaCatalog } from "../schema/catalog";
import { checkWithBundledCatalog } from "../schema/catalogs/check";
import { configureBundledCatalogs } from "../schema/catalogs/setting";
import { checkCustomizations } from "../schema/check";
import type { SchemaCustomizations } from "../schema/customization";
import { detectDrift, objectDigests } from "../schema/drift";
import { effectiveMappings, type EffectiveMappings } from "../schema/keyed";
import { SchemaMergeError } from "../schema/merge";
import { baselineFor, schemaToWrite, type Previously } from "../schema/to-write";
import { comparableCustomizations, normalizedSchema } from "../schema/normalize";
import { deepEqual } from "../schema/stable-json";
import { sameSchema } from "../schema/compare";
import { keepLiveSpelling } from "../schema/keep-live";
import { namesAnyUnit, withManagedUnitsFromTemplate } from "../schema/managed";
import { logLine } from "../graph/log";
import { connectionSettings } from "../graph/connection";
import { computeImpact } from "../impact/preview";
import { publishImpact } from "../impact/publish";
import { declareHeld, isHeldByProgram } from "../ownership/held-by-program";
import { type CheckFailure, checkIdentifier, checkObjectId, checkOptionalBoolean, describe, isUnknown } from "../validation";
import { type CheckResult, configureFromStack, GONE, rejectUnknownInputs, replacementsOf, type ResourceHandler, type Versioned } from "./handler";
import { justCreated, locateJob } from "./job-lookup";
import { reportProgress } from "./progress";
import { resourceIds } from "../state/ids";

export interface SchemaInputs extends SchemaCustomizations {
  servicePrincipalId: string;
  jobId: string;
  templateId?: string;
  strict: boolean;
  rawSchema?: GraphSchema;
}

export interface SchemaOutputs extends SchemaInputs, Versioned {
  /** The template whose schema is the baseline. */
  baselineTemplateId: string;
  /** Baseline merged with the customizations, in the inputs' keyed shape: what the last up wrote. */
  effectiveMappings: EffectiveMappings;
  /** Property paths where the live schema differed from the declared one at the last refresh. */
  driftedPaths: string[];
  /** Names the baseline defines, so preview can check references without calling Graph. */
  baselineCatalog: SchemaCatalog;
  /** Digest per `directory/object` of the definitions written, for strict drift detection. */
  objectDigests: Record<string, string>;
}

const INPUT_KEYS = ["servicePrincipalId", "jobId", "templateId", "strict", "objectMappings", "extensionAttributes", "rawSchema"];

/** Graph job ids are `<templateId>.<tenant hex>.<guid>`; older ones `<templateId>.<hex>`. */
function templateIdFromJobId(jobId: string): string | undefined {
  const parts = jobId.split(".");
  return parts.length >= 2 && parts[0] !== "" ? parts[0] : undefined;
}

/** The customization fields that are set: the engine's serializer rejects `undefined` values. */
function customizationsOf(i: SchemaInputs): SchemaCustomizations {
  const out: SchemaCustomizations = {};
  if (i.objectMappings !== undefined) out.objectMappings = i.objectMappings;
  if (i.extensionAttributes !== undefined) out.extensionAttributes = i.extensionAttributes;
  return out;
}

/** The schema of a job created a moment ago may answer 404 for a while: its writes wait that out. */
const jobJustCreated = (jobId: string) => ({ consistency: justCreated(jobId, [404]) });

function putSchema(sp: string, jobId: string, schema: GraphSchema): Promise<void> {
  return graphApi().put(jobSchemaPath(sp, jobId), schema, `update the schema of synchronization job ${jobId}`, jobJustCreated(jobId));
}

function getLiveSchema(sp: string, jobId: string): Promise<GraphSchema> {
  return graphApi().get<GraphSchema>(jobSchemaPath(sp, jobId), `read the schema of synchronization job ${jobId}`, jobJustCreated(jobId));
}

function getTemplateSchema(sp: string, templateId: string): Promise<GraphSchema> {
  return graphApi().get<GraphSchema>(templateSchemaPath(sp, templateId), `read the schema of synchronization template "${templateId}"`);
}

/** The template the inputs name, without asking Graph: `templateId`, else the job id's prefix; undefined while unknown. */
function declaredTemplateId(inputs: Pick<SchemaInputs, "templateId" | "jobId">): string | undefined {
  if (inputs.templateId !== undefined) return isUnknown(inputs.templateId) ? undefined : inputs.templateId;
  return isUnknown(inputs.jobId) ? undefined : templateIdFromJobId(inputs.jobId);
}

async function resolveTemplateId(inputs: SchemaInputs): Promise<string> {
  const known = declaredTemplateId(inputs);
  if (known) return known;
  const job = await graphApi().get<GraphJob>(jobPath(inputs.servicePrincipalId, inputs.jobId), `read synchronization job ${inputs.jobId}`);
  return job.templateId;
}

function baselineOf(inputs: SchemaInputs, template: GraphSchema, live: GraphSchema, previous: Previously): GraphSchema {
  return baselineFor(customizationsOf(inputs), inputs.strict, template, live, previous);
}

/**
 * Merge and PUT, unless the live schema says the same already (an adopted schema's first `up`
 * writes nothing); the outputs describe what the job's schema now is.
 */
async function write(inputs: SchemaInputs, previous?: Previously): Promise<SchemaOutputs> {
  const sp = inputs.servicePrincipalId;
  const templateId = await resolveTemplateId(inputs);
  let written: GraphSchema;
  let catalog: SchemaCatalog;
  let live: GraphSchema;
  if (inputs.rawSchema) {
    written = normalizedSchema(inputs.rawSchema);
    catalog = catalogOf(written);
    live = normalizedSchema(await getLiveSchema(sp, inputs.jobId));
  } else {
    const template = normalizedSchema(await getTemplateSchema(sp, templateId));
    live = normalizedSchema(await getLiveSchema(sp, inputs.jobId));
    // What means the same as the live schema is written as the live schema has it (../schema/to-write.ts).
    written = schemaToWrite(customizationsOf(inputs), inputs.strict, template, live, previous);
    catalog = catalogOf(baselineOf(inputs, template, live, previous));
  }
  if (sameSchema(written, live)) {
    logLine(`the schema of synchronization job ${inputs.jobId} says what the program declares already: not written`);
  } else {
    await putSchema(sp, inputs.jobId, written);
  }
  return {
    ...inputs,
    baselineTemplateId: templateId,
    effectiveMappings: effectiveMappings(written),
    driftedPaths: [],
    baselineCatalog: catalog,
    // Only strict mode compares directory definitions; turning it on is an update, which fills this in.
    objectDigests: inputs.strict ? objectDigests(written, customizationsOf(inputs)) : {},
  };
}

/**
 * Before a schema resource's first `up` on a job that exists already (a job adopted, or set up in
 * the portal), say which paths of the live schema that up changes, keyed like the inputs, or that
 * it changes none. Two reads, at preview as at `up`; a job that does not exist yet (created by the
 * same up) or a failed read is said in one line, never an error: the preview is not at stake.
 */
async function reportFirstWrite(inputs: SchemaInputs): Promise<void> {
  const sp = inputs.servicePrincipalId;
  const jobId = inputs.jobId;
  try {
    const stored = await readOrGone(() => graphApi().get<GraphSchema>(jobSchemaPath(sp, jobId), `read the schema of synchronization job ${jobId}`));
    if (stored === undefined) return; // no job yet: the same up creates it
    const live = normalizedSchema(stored);
    const c = customizationsOf(inputs);
    let written: GraphSchema;
    if (inputs.rawSchema) written = normalizedSchema(inputs.rawSchema);
    else {
      const template = normalizedSchema(await getTemplateSchema(sp, await resolveTemplateId(inputs)));
      written = schemaToWrite(c, inputs.strict, template, live, undefined);
    }
    const paths = inputs.rawSchema
      ? rawDrift(live, written).driftedPaths
      : detectDrift(live, { effective: effectiveMappings(written), objectDigests: objectDigests(written, c) }, c, true).driftedPaths;
    reportProgress(
      paths.length === 0
        ? `schema of job ${jobId}: the live schema says what the program declares; the first up writes nothing`
        : `schema of job ${jobId}: the first up changes ${paths.length} path${paths.length === 1 ? "" : "s"} of the live schema: ${paths.join(", ")}`,
    );
    // The same two reads serve the impact of that first write on the job's users and groups.
    if (paths.length > 0) await reportImpact(inputs, live, written);
  } catch (e) {
    reportProgress(`schema of job ${jobId}: what the first up changes is not known: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The impact of writing `proposed` over `live` on a sample of the job's users and groups (../impact/), when turned on. */
async function reportImpact(inputs: SchemaInputs, live: GraphSchema, proposed: GraphSchema): Promise<void> {
  const settings = connectionSettings().impact;
  if (settings.sampleSize === 0) return;
  const report = await computeImpact({ servicePrincipalId: inputs.servicePrincipalId, jobId: inputs.jobId, current: live, proposed, settings });
  publishImpact(report, settings);
}

/** Whether an update changes what the schema resource declares (then check previews its impact). */
function declaresChange(olds: Partial<SchemaInputs>, news: SchemaInputs): boolean {
  return (
    (olds.templateId ?? null) !== (news.templateId ?? null) ||
    (olds.strict ?? false) !== (news.strict ?? false) ||
    !deepEqual(comparableCustomizations(customizationsOf(olds as SchemaInputs)), comparableCustomizations(customizationsOf(news))) ||
    !deepEqual(olds.rawSchema ? normalizedSchema(olds.rawSchema) : null, news.rawSchema ? normalizedSchema(news.rawSchema) : null)
  );
}

/**
 * Before an update that changes the declared schema: what the next provisioning cycle does to the
 * job's users and groups (../impact/). Reads the template's and the job's schema (as the up will),
 * then the sample; never fails the check: a failure is a line of the report.
 */
async function reportImpactOfChange(olds: Partial<SchemaInputs>, inputs: SchemaInputs): Promise<void> {
  const settings = connectionSettings().impact;
  if (settings.sampleSize === 0) return;
  const sp = inputs.servicePrincipalId;
  const jobId = inputs.jobId;
  try {
    const stored = await readOrGone(() => graphApi().get<GraphSchema>(jobSchemaPath(sp, jobId), `read the schema of synchronization job ${jobId}`));
    if (stored === undefined) {
      reportProgress(`impact on job ${jobId}: unavailable: the job does not exist`);
      return;
    }
    const live = normalizedSchema(stored);
    let proposed: GraphSchema;
    if (inputs.rawSchema) proposed = normalizedSchema(inputs.rawSchema);
    else {
      const template = normalizedSchema(await getTemplateSchema(sp, await resolveTemplateId(inputs)));
      const previous: Previously = olds.rawSchema ? "wholeSchema" : customizationsOf(olds as SchemaInputs);
      proposed = schemaToWrite(customizationsOf(inputs), inputs.strict, template, live, previous);
    }
    await reportImpact(inputs, live, proposed);
  } catch (e) {
    reportProgress(`impact on job ${jobId}: unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function inputsOf(outs: SchemaOutputs): SchemaInputs {
  const out: Record<string, unknown> = {};
  for (const k of INPUT_KEYS) if ((outs as unknown as Record<string, unknown>)[k] !== undefined) out[k] = (outs as unknown as Record<string, unknown>)[k];
  return out as unknown as SchemaInputs;
}

function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/**
 * A create's references, checked at its first preview against the template's bundled catalog: no
 * baseline is recorded yet. Check's `olds` are the stored inputs, which always hold a jobId, so
 * none means a create; an update's references are diff's to check, against the recorded baseline.
 */
function checkNewSchemaReferences(olds: Partial<SchemaInputs>, inputs: SchemaInputs): CheckFailure[] {
  const customizations = customizationsOf(inputs);
  const templateId = declaredTemplateId(inputs);
  if (olds.jobId !== undefined || templateId === undefined || containsUnknown(customizations)) return [];
  return checkWithBundledCatalog(templateId, customizations);
}

export const handler: ResourceHandler<SchemaInputs, SchemaOutputs> = {
  configure(config) {
    configureFromStack(config);
    configureBundledCatalogs(config);
  },

  async check(olds, news): Promise<CheckResult<SchemaInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkIdentifier("jobId", news.jobId, "synchronization job id", failures);
    if (news.templateId !== undefined) checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
    checkOptionalBoolean("strict", news.strict, failures);
    rejectUnknownInputs("SynchronizationSchema", INPUT_KEYS, news, failures);
    if (news.rawSchema !== undefined) {
      for (const k of ["objectMappings", "extensionAttributes"]) {
        if (news[k] !== undefined) {
          failures.push({ property: k, reason: `${k} cannot be combined with rawSchema: rawSchema is the whole schema document` });
        }
      }
      failures.push(...checkRawSchema(news.rawSchema));
    }
    failures.push(...checkCustomizations(news.objectMappings, news.extensionAttributes));
    if (failures.length > 0) return { failures };
    // The program declares this job's schema: no delete of this deployment resets it (a rename, a replacement).
    declareHeld("schema", news.servicePrincipalId, news.jobId);
    const checked: Record<string, unknown> = { strict: news.strict ?? false };
    for (const k of INPUT_KEYS) if (news[k] !== undefined && k !== "strict") checked[k] = news[k];
    const inputs = checked as unknown as SchemaInputs;
    const referenceFailures = checkNewSchemaReferences(olds, inputs);
    if (referenceFailures.length > 0) return { failures: referenceFailures };
    // A create on a job that exists (adoption): say which live paths the first up changes, and
    // what that does to the job's users and groups. An update that changes the declared schema:
    // what it does to them. An unchanged declaration (a no-op preview) makes no Graph call.
    if (!containsUnknown(inputs)) {
      if (olds.jobId === undefined) await reportFirstWrite(inputs);
      else if (declaresChange(olds, inputs)) await reportImpactOfChange(olds, inputs);
    } else if (olds.jobId === undefined && isUnknown(inputs.jobId) && connectionSettings().impact.sampleSize > 0) {
      reportProgress(`impact of the schema of a job this up creates: available once the job exists (the next preview of a change shows it)`);
    }
    return { inputs };
  },

  async diff(_id, olds, news) {
    const replaces = replacementsOf<SchemaInputs>(olds, news, ["jobId"]);
    // References are checked against the baseline recorded by the last up: no Graph call at preview.
    if (replaces.length === 0 && olds.baselineCatalog && !news.rawSchema && !containsUnknown(news)) {
      const failures = checkReferences(olds.baselineCatalog, customizationsOf(news));
      if (failures.length > 0) throw new SchemaMergeError(failures);
    }
    const declaredChanged =
      containsUnknown(news) ||
      (olds.templateId ?? null) !== (news.templateId ?? null) ||
      (olds.strict ?? false) !== (news.strict ?? false) ||
      !deepEqual(comparableCustomizations(customizationsOf(olds)), comparableCustomizations(customizationsOf(news))) ||
      !deepEqual(olds.rawSchema ? normalizedSchema(olds.rawSchema) : null, news.rawSchema ? normalizedSchema(news.rawSchema) : null);
    const drifted = (olds.driftedPaths ?? []).length > 0;
    // A job has one schema: a replacement resets (or leaves) the old one before writing the new one.
    return { changes: replaces.length > 0 || declaredChanged || drifted, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const outs = await write(inputs);
    return { id: resourceIds.schema(inputs.servicePrincipalId, inputs.jobId), outs };
  },

  async read(id, props) {
    const { sp, jobId } = locateJob(id, props);
    const live = await readOrGone(() => graphApi().get<GraphSchema>(jobSchemaPath(sp, jobId), `read the schema of synchronization job ${jobId}`));
    if (live === undefined) return GONE;
    const stored = { ...props, servicePrincipalId: sp, jobId, strict: props.strict ?? false };
    const report = stored.rawSchema
      ? rawDrift(normalizedSchema(live), normalizedSchema(stored.rawSchema))
      : detectDrift(
          normalizedSchema(live),
          { effective: stored.effectiveMappings ?? {}, objectDigests: stored.objectDigests ?? {} },
          customizationsOf(stored),
          stored.strict,
        );
    const driftedPaths = report.driftedPaths;
    const inputs = { ...inputsOf(stored), ...report.inputs };
    return {
      id: resourceIds.schema(sp, jobId),
      props: { ...stored, driftedPaths },
      inputs: inputs as SchemaOutputs,
    };
  },

  async update(_id, olds, news) {
    // Units the previous customizations named and these do not go back to the template's.
    return { outs: await write(news, olds.rawSchema ? "wholeSchema" : customizationsOf(olds)) };
  },

  async delete(id, props) {
    const { sp, jobId } = locateJob(id, props);
    if (isHeldByProgram("schema", sp, jobId)) {
      logLine(`not resetting the schema of synchronization job ${jobId}: another resource of this program declares it`);
      return;
    }
    // A job (and its schema) that is gone already leaves nothing to restore.
    await readOrGone(async () => {
      if (props.strict || props.rawSchema) {
        await graphApi().delete(jobSchemaPath(sp, jobId), `reset the schema of synchronization job ${jobId} to its template`);
      } else if (namesAnyUnit(customizationsOf(props))) {
        // Only what this resource managed goes back to the template's; edits made elsewhere stay.
        const templateId = props.baselineTemplateId ?? (await resolveTemplateId(props));
        const template = normalizedSchema(await getTemplateSchema(sp, templateId));
        const live = normalizedSchema(await graphApi().get<GraphSchema>(jobSchemaPath(sp, jobId), `read the schema of synchronization job ${jobId}`));
        const restored = keepLiveSpelling(withManagedUnitsFromTemplate(live, template, [customizationsOf(props)]), live);
        if (!sameSchema(restored, live)) {
          await graphApi().put(
            jobSchemaPath(sp, jobId),
            restored,
            `restore the schema of synchronization job ${jobId} to its template where this resource customized it`,
          );
        }
      }
    });
  },
};

function rawDrift(live: GraphSchema, declared: GraphSchema): { driftedPaths: string[]; inputs: Partial<SchemaInputs> } {
  const paths = (["directories", "synchronizationRules"] as const).filter((k) => !deepEqual(live[k], declared[k])).map((k) => `rawSchema.${k}`);
  return { driftedPaths: paths, inputs: paths.length > 0 ? { rawSchema: live } : {} };
}

function checkRawSchema(raw: unknown): CheckFailure[] {
  if (isUnknown(raw)) return [];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return [{ property: "rawSchema", reason: `rawSchema must be a schema document object, got ${describe(raw)}` }];
  }
  const doc = raw as Record<string, unknown>;
  const failures: CheckFailure[] = [];
  for (const k of ["directories", "synchronizationRules"]) {
    if (!isUnknown(doc[k]) && !Array.isArray(doc[k])) {
      failures.push({ property: `rawSchema.${k}`, reason: `rawSchema.${k} must be a list (as GET .../schema returns it), got ${describe(doc[k])}` });
    }
  }
  return failures;
}
