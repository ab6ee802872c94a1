/**
 * The handler of ProvisionOnDemand (../program/provision-on-demand.ts): provision chosen users or
 * groups through a job now, instead of waiting for the next cycle
 * (`POST .../jobs/{job}/provisionOnDemand`), and keep what happened as outputs.
 *
 * Like azuread's synchronization_job_provision_on_demand it is an action: it runs on create and
 * again whenever `subjects`, `ruleId` or `triggers` change; delete does nothing in Graph
 * (provisioned accounts stay, as when a job is deleted). Unlike azuread it
 *  - resolves the rule id from the job's schema when none is given (../on-demand/rule.ts),
 *  - keeps Graph's per-subject answer (result, action, steps, written attributes) as outputs
 *    (../on-demand/result.ts; azuread discards it),
 *  - fails the create/update with the failed step's message when provisioning failed. A subject
 *    that the service skips (out of scope, nothing to change) is a result, not an error.
 * One call per subject: Graph answers one result per call, and the 5-calls-per-10-seconds limit is
 * left to the client's throttling strategy (Retry-After).
 *
 * Graph calls: create/update = GET the job's schema (only without ruleId) + one POST per subject;
 * read = GET job (404 -> gone); delete = none.
 */

import { graphApi } from "../graph/client";
import { readOrGone } from "../graph/errors";
import { jobPath, jobProvisionOnDemandPath, jobSchemaPath } from "../graph/paths";
import { resourceIds } from "../state/ids";
import { withServicePrincipalLock } from "../graph/service-principal-lock";
import type { SynchronizationSchema as GraphSchema } from "../graph/types";
import { failureOf, type OnDemandSubjectResult, parseOnDemandResponse } from "../on-demand/result";
import type { OnDemandSubjectInput } from "../program/provision-on-demand";
import { resolveRuleId } from "../on-demand/rule";
import { checkSubjectList } from "../on-demand/subjects";
import { type CheckFailure, checkIdentifier, checkObjectId, describe, isUnknown } from "../validation";
import { declareHeld } from "../ownership/held-by-program";
import { changed, type CheckResult, configureFromStack, GONE, rejectUnknownInputs, replacementsOf, type ResourceHandler, type Versioned } from "./handler";
import { reportProgress } from "./progress";

export interface OnDemandInputs {
  servicePrincipalId: string;
  jobId: string;
  subjects: OnDemandSubjectInput[];
  ruleId?: string;
  triggers?: Record<string, string>;
}

export interface OnDemandOutputs extends OnDemandInputs, Versioned {
  /** One entry per subject, in the order of `subjects`. */
  results: OnDemandSubjectResult[];
}

const INPUT_KEYS = ["servicePrincipalId", "jobId", "subjects", "ruleId", "triggers"];

function checkSubjects(value: unknown, failures: CheckFailure[]): void {
  if (isUnknown(value)) return;
  if (!Array.isArray(value) || value.length === 0) {
    failures.push({ property: "subjects", reason: `subjects must list at least one { objectId, objectTypeName }, got ${describe(value)}` });
    return;
  }
  value.forEach((s, i) => {
    const at = `subjects[${i}]`;
    if (isUnknown(s)) return;
    if (!s || typeof s !== "object" || Array.isArray(s)) {
      failures.push({ property: at, reason: `${at} must be { objectId, objectTypeName }, got ${describe(s)}` });
      return;
    }
    const { objectId, objectTypeName, members, ...rest } = s as Record<string, unknown>;
    for (const k of Object.keys(rest)) failures.push({ property: `${at}.${k}`, reason: `${k} is not a field of a subject; use objectId, objectTypeName and members` });
    if (members !== undefined && members !== null && !isUnknown(members)) {
      if (!Array.isArray(members) || members.some((m) => !isUnknown(m) && (typeof m !== "string" || m === ""))) {
        failures.push({ property: `${at}.members`, reason: `${at}.members must be a list of member object ids, got ${describe(members)}` });
      } else if (members.length > 5) {
        failures.push({ property: `${at}.members`, reason: `${at}.members lists ${members.length} members; on-demand provisioning takes a group with up to five` });
      }
    }
    if (!isUnknown(objectId) && (typeof objectId !== "string" || objectId.trim() === "")) {
      failures.push({ property: `${at}.objectId`, reason: `${at}.objectId is required: the object's id in the source directory` });
    }
    if (!isUnknown(objectTypeName) && (typeof objectTypeName !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(objectTypeName))) {
      failures.push({
        property: `${at}.objectTypeName`,
        reason: `${at}.objectTypeName must name the source object type, e.g. "User" or "Group"; got ${describe(objectTypeName)}`,
      });
    }
  });
  checkSubjectList("subjects", value, failures);
}

function checkTriggers(value: unknown, failures: CheckFailure[]): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (typeof value !== "object" || Array.isArray(value)) {
    failures.push({ property: "triggers", reason: `triggers must be a map of name to string, got ${describe(value)}` });
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isUnknown(v) && typeof v !== "string") failures.push({ property: `triggers.${k}`, reason: `triggers.${k} must be a string, got ${describe(v)}` });
  }
}

/** The declared inputs without undefined members: what state holds and diffs compare. */
function inputsOf(source: Partial<OnDemandInputs>): OnDemandInputs {
  const inputs: OnDemandInputs = {
    servicePrincipalId: source.servicePrincipalId as string,
    jobId: source.jobId as string,
    subjects: (source.subjects ?? []).map((s) => ({
      objectId: s.objectId,
      objectTypeName: s.objectTypeName,
      ...(s.members && s.members.length > 0 ? { members: s.members } : {}),
    })),
  };
  if (source.ruleId !== undefined && source.ruleId !== null) inputs.ruleId = source.ruleId;
  if (source.triggers !== undefined && source.triggers !== null) inputs.triggers = source.triggers;
  return inputs;
}

/** A synchronizationJobSubject; group members go in `links.members` as users. */
function graphSubject(s: OnDemandSubjectInput): Record<string, unknown> {
  const subject: Record<string, unknown> = { objectId: s.objectId, objectTypeName: s.objectTypeName };
  if (s.members && s.members.length > 0) subject.links = { members: s.members.map((objectId) => ({ objectId, objectTypeName: "User" })) };
  return subject;
}

/** Provision every subject, one call each; throws with the failed step's message. */
async function provisionAll(inputs: OnDemandInputs): Promise<OnDemandSubjectResult[]> {
  const { servicePrincipalId: sp, jobId } = inputs;
  let schema: GraphSchema | undefined;
  const ruleFor = async (subject: OnDemandSubjectInput): Promise<string> => {
    if (inputs.ruleId) return inputs.ruleId;
    schema ??= await graphApi().get<GraphSchema>(jobSchemaPath(sp, jobId), `read the schema of synchronization job ${jobId}`);
    const resolved = resolveRuleId(schema, subject.objectTypeName);
    if ("error" in resolved) throw new Error(`cannot provision ${subject.objectTypeName} ${subject.objectId} on demand: ${resolved.error}`);
    return resolved.ruleId;
  };
  const results: OnDemandSubjectResult[] = [];
  for (const subject of inputs.subjects) {
    const ruleId = await ruleFor(subject);
    const response = await graphApi().post<{ key?: string; value?: string }>(
      jobProvisionOnDemandPath(sp, jobId),
      { parameters: [{ ruleId, subjects: [graphSubject(subject)] }] },
      `provision ${subject.objectTypeName} ${subject.objectId} on demand`,
    );
    const result = parseOnDemandResponse(subject, ruleId, response);
    const failure = failureOf(result);
    if (failure) throw new Error(failure);
    reportProgress(
      `job ${jobId}: on-demand ${result.objectTypeName} ${result.reportableIdentifier ?? result.objectId}: ${result.result}` +
        (result.action ? ` (${result.action})` : "") +
        (result.errorCode ? ` [${result.errorCode}]` : ""),
    );
    results.push(result);
  }
  return results;
}

async function run(inputs: OnDemandInputs): Promise<OnDemandOutputs> {
  const results = await withServicePrincipalLock(inputs.servicePrincipalId, () => provisionAll(inputs));
  return { ...inputsOf(inputs), results };
}

export const handler: ResourceHandler<OnDemandInputs, OnDemandOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<OnDemandInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkIdentifier("jobId", news.jobId, "synchronization job id", failures);
    checkSubjects(news.subjects, failures);
    if (news.ruleId !== undefined && news.ruleId !== null) checkIdentifier("ruleId", news.ruleId, "synchronization rule id", failures);
    checkTriggers(news.triggers, failures);
    rejectUnknownInputs("ProvisionOnDemand", INPUT_KEYS, news, failures);
    if (failures.length > 0) return { failures };
    // The job it provisions through is held by the program: no delete of this deployment removes it.
    declareHeld("job", news.servicePrincipalId, news.jobId);
    return { inputs: isUnknown(news.subjects) ? (news as unknown as OnDemandInputs) : inputsOf(news) };
  },

  async diff(_id, olds, news) {
    const replaces = replacementsOf<OnDemandInputs>(olds, news, ["jobId"]);
    // Anything else provisions the subjects again, in place.
    const rerun = (["subjects", "ruleId", "triggers"] as const).some((k) => isUnknown(news[k]) || changed(olds[k], news[k]));
    return { changes: replaces.length > 0 || rerun, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    return { id: resourceIds.onDemand(inputs.servicePrincipalId, inputs.jobId), outs: await run(inputs) };
  },

  async read(id, props) {
    // Nothing to read back for an action; the job it ran on is what can disappear.
    const job = await readOrGone(() => graphApi().get(jobPath(props.servicePrincipalId, props.jobId), `read synchronization job ${props.jobId}`));
    if (job === undefined) return GONE;
    // Results that 0.1.0 stored unredacted were redacted by the state contract's upgrade.
    return { id, props, inputs: inputsOf(props) as OnDemandOutputs };
  },

  async update(_id, _olds, news) {
    return { outs: await run(news) };
  },

  async delete() {
    // Provisioned accounts stay in the target, as Graph leaves them when a job is deleted.
  },
};
