/**
 * Catalogs of well-known templates, shipped with the provider, so that the first preview of a
 * schema (no baseline recorded in state yet) can check its names without calling Graph. Only
 * templates whose names Microsoft documents are bundled; a template that is not here is simply not
 * checked until the first `up` reads its real schema.
 */

import type { SchemaCatalog } from "../catalog";
import { SCIM_CATALOG } from "./scim";

export interface BundledCatalog {
  templateId: string;
  /** Where the names come from, for the failures they cause. */
  describedAs: string;
  catalog: SchemaCatalog;
}

// A Map, not an object literal: a template id such as "constructor" must not find Object's members.
const BUNDLED = new Map<string, BundledCatalog>([SCIM_CATALOG].map((c) => [c.templateId, c]));

/** The catalog bundled for a template id, if any. Compared exactly: an id spelled otherwise goes unchecked, the safe side. */
export function bundledCatalog(templateId: string): BundledCatalog | undefined {
  return BUNDLED.get(templateId);
}
