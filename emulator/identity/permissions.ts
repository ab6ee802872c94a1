/**
 * Application permissions (the `roles` claim) each kind of Graph call needs. Sources: the
 * permission tables of the sync API pages (read: Synchronization.Read.All or ReadWrite.All;
 * write: Synchronization.ReadWrite.All) and the directory list/get pages.
 * Application.ReadWrite.OwnedBy ("apps the caller owns") is not modelled: ownership does not exist
 * in the emulator.
 */
export type Permission = "sync.read" | "sync.write" | "application.read" | "user.read" | "group.read";

const GRANTED_BY: Record<Permission, readonly string[]> = {
  "sync.read": ["Synchronization.Read.All", "Synchronization.ReadWrite.All"],
  "sync.write": ["Synchronization.ReadWrite.All"],
  "application.read": ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "user.read": ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "group.read": ["GroupMember.Read.All", "GroupMember.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
};

export function hasPermission(roles: readonly string[] | undefined, needed: Permission): boolean {
  return (roles ?? []).some((r) => GRANTED_BY[needed].includes(r));
}
