/**
 * Resource names for exported apps: from the enterprise application's display name, in Pulumi's
 * usual kebab case, stable (the same tenant gives the same names) and unique.
 */

/** "Contoso SCIM App (Prod)" -> "contoso-scim-app-prod". */
export function baseName(displayName: string): string {
  const name = displayName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return name === "" ? "app" : name;
}

/**
 * Unique names for items in the given order (the caller sorts them stably): the first to want a
 * name gets it, the next gets `-2`, `-3`, ...
 */
export function uniqueNames<T>(items: readonly T[], wanted: (item: T) => string): Map<T, string> {
  const taken = new Set<string>();
  const out = new Map<T, string>();
  for (const item of items) {
    const base = wanted(item);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    out.set(item, name);
  }
  return out;
}
