/**
 * Who is assigned to an application. With "Sync only assigned users and groups" (SyncAll not
 * "true") the provisioning service only provisions users and groups assigned to the app, and
 * users who are direct members of an assigned group; nested groups are not followed (How
 * provisioning works, "Assignment-based scoping").
 */
import type { TenantState } from "../tenant/store";

export interface Assignment {
  /** Assigned directly, or (users) through an assigned group. */
  assigned: boolean;
  /** Display names of the app roles held, e.g. ["User"]. */
  roleNames: string[];
}

export class AppAssignments {
  private readonly users = new Map<string, Set<string>>();
  private readonly groups = new Map<string, Set<string>>();

  constructor(state: TenantState, servicePrincipalId: string) {
    const app = state.servicePrincipals.find((sp) => sp.id === servicePrincipalId);
    const roles = new Map(((app?.appRoles ?? []) as { id: string; displayName: string }[]).map((r) => [r.id, r.displayName]));
    for (const a of state.appRoleAssignments ?? []) {
      if (a.resourceId !== servicePrincipalId) continue;
      const role = roles.get(a.appRoleId) ?? "Default Access";
      if (a.principalType === "User") add(this.users, a.principalId, role);
      else if (a.principalType === "Group") {
        add(this.groups, a.principalId, role);
        for (const member of state.groupMembers[a.principalId] ?? []) add(this.users, member, role);
      }
    }
  }

  forUser(userId: string): Assignment {
    const roles = this.users.get(userId);
    return { assigned: roles !== undefined, roleNames: [...(roles ?? [])] };
  }

  forGroup(groupId: string): Assignment {
    const roles = this.groups.get(groupId);
    return { assigned: roles !== undefined, roleNames: [...(roles ?? [])] };
  }

  assignedUserIds(): string[] {
    return [...this.users.keys()];
  }

  assignedGroupIds(): string[] {
    return [...this.groups.keys()];
  }
}

function add(map: Map<string, Set<string>>, id: string, role: string): void {
  const set = map.get(id) ?? new Set<string>();
  set.add(role);
  map.set(id, set);
}
