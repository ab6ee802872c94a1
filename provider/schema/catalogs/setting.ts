/**
 * Stack config `entra-sync:bundledCatalogs` (default true): whether the first preview of a schema
 * checks its names against the catalog bundled for its template.
 *
 * A bundled catalog is what Microsoft documents; a tenant's template may be newer and define names
 * the catalog lacks. Rejecting a valid program is worse than missing a typo, so this is the way out:
 * `pulumi config set entra-sync:bundledCatalogs false`. Nothing goes unchecked for long: the first
 * `up` checks every name against the tenant's real template before writing, and later previews
 * check against the template recorded in state by that `up`, whatever this setting says.
 */

import type { ConfigSource } from "../../graph/connection";
import { ConfigurationError } from "../../graph/user-facing";

export const BUNDLED_CATALOGS_KEY = "entra-sync:bundledCatalogs";

let enabled = true;

/** Read the setting from the stack config; no config (e.g. tests calling handlers) means the default. */
export function configureBundledCatalogs(config: ConfigSource | undefined): void {
  const value = config?.get(BUNDLED_CATALOGS_KEY)?.trim() ?? "";
  if (value !== "" && !/^(true|false)$/i.test(value)) {
    throw new ConfigurationError(`${BUNDLED_CATALOGS_KEY} must be true or false, got "${value}"`);
  }
  enabled = value.toLowerCase() !== "false";
}

export function bundledCatalogsEnabled(): boolean {
  return enabled;
}
