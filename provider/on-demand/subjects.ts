/**
 * Checks of ProvisionOnDemand's subject list as a whole (each subject's own fields are checked by
 * the resource's check): how many, and no subject twice.
 */

import { type CheckFailure, isUnknown } from "../validation";

/**
 * The most subjects one ProvisionOnDemand provisions. Graph allows 5 provisionOnDemand requests
 * per 10 seconds (documented on the action), and each subject is one request: 50 subjects take at
 * least 90 seconds of `pulumi up`, while 10,000 would take more than 5 hours. Provisioning that
 * many is what the job's regular cycle is for (assign the users or groups to the app and let the
 * job run).
 */
export const MAX_ON_DEMAND_SUBJECTS = 50;

/**
 * Failures for a list of more than MAX_ON_DEMAND_SUBJECTS subjects, and for each subject that
 * repeats an earlier one, at the repeat's index (`subjects[3]`). Subjects are the same when
 * objectId and objectTypeName match without regard to case: object ids are GUIDs (or DNs), and
 * Graph and the job's schema spell object types both ways ("User" and "user"). One pass with a
 * map, so a long list costs linear time.
 */
export function checkSubjectList(property: string, subjects: readonly unknown[], failures: CheckFailure[]): void {
  if (subjects.length > MAX_ON_DEMAND_SUBJECTS) {
    failures.push({
      property,
      reason:
        `${property} lists ${subjects.length} subjects; at most ${MAX_ON_DEMAND_SUBJECTS} are provisioned on demand at once ` +
        `(Graph takes 5 provisionOnDemand requests per 10 seconds, one per subject): ` +
        `split the list, or assign the rest to the app and let the job's cycle provision them`,
    });
  }
  const firstIndex = new Map<string, number>();
  subjects.forEach((s, i) => {
    const { objectId, objectTypeName } = (s ?? {}) as Record<string, unknown>;
    // Unknown (preview) or malformed subjects cannot be compared; their own check reports them.
    if (typeof objectId !== "string" || typeof objectTypeName !== "string" || isUnknown(objectId) || isUnknown(objectTypeName)) return;
    const key = `${objectTypeName.toLowerCase()}\u0000${objectId.toLowerCase()}`;
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, i);
      return;
    }
    failures.push({
      property: `${property}[${i}]`,
      reason:
        `${property}[${i}] repeats ${property}[${first}] (${objectTypeName} ${objectId}): each subject is provisioned once per run; ` +
        `remove the repeat (for a group, list all its members in one entry)`,
    });
  });
}
