/**
 * The source side of a provisioning job: the tenant's users and groups as provisioning entries
 * (source object, assignment to the app, active flag, fingerprint), looked up by object
 * definition name ("User", "Group") and id.
 */
import type { TenantState } from "../tenant/store";
import { AppAssignments } from "./assignments";
import { fingerprint } from "./connector-store";
import type { SourceEntry } from "./entry";
import { groupSourceObject, userSourceObject } from "./source-object";

export class SourceDirectory {
  private readonly assignments: AppAssignments;

  constructor(
    private readonly state: TenantState,
    servicePrincipalId: string,
    private readonly syncAll: boolean,
  ) {
    this.assignments = new AppAssignments(state, servicePrincipalId);
  }

  entry(objectName: string, id: string): SourceEntry | undefined {
    const lower = id.toLowerCase();
    if (objectName === "User") {
      const user = this.state.users.find((u) => u.id.toLowerCase() === lower);
      if (!user) return undefined;
      const assignment = this.assignments.forUser(user.id);
      const object = userSourceObject(user, assignment.roleNames, this.state);
      const active = user.accountEnabled !== false;
      return this.finish({ id: user.id, objectName, reportableIdentifier: user.userPrincipalName, object, assignment, active });
    }
    if (objectName === "Group") {
      const group = this.state.groups.find((g) => g.id.toLowerCase() === lower);
      if (!group) return undefined;
      const assignment = this.assignments.forGroup(group.id);
      const object = groupSourceObject(group, this.state.groupMembers[group.id] ?? []);
      return this.finish({ id: group.id, objectName, reportableIdentifier: group.displayName, object, assignment, active: true });
    }
    return undefined;
  }

  /** Every object of that kind in the tenant. */
  allIds(objectName: string): string[] {
    if (objectName === "User") return this.state.users.map((u) => u.id);
    if (objectName === "Group") return this.state.groups.map((g) => g.id);
    return [];
  }

  /** The objects the job has to evaluate: all of them with SyncAll, else the assigned ones. */
  scopeIds(objectName: string): string[] {
    if (this.syncAll) return this.allIds(objectName);
    const assigned = new Set(objectName === "User" ? this.assignments.assignedUserIds() : objectName === "Group" ? this.assignments.assignedGroupIds() : []);
    return this.allIds(objectName).filter((id) => assigned.has(id));
  }

  private finish(entry: Omit<SourceEntry, "fingerprint">): SourceEntry {
    return { ...entry, fingerprint: fingerprint({ object: entry.object, assignment: entry.assignment, active: entry.active, syncAll: this.syncAll }) };
  }
}
