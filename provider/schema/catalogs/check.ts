/**
 * References checked against a bundled catalog, for a schema whose template's real schema the
 * provider has not read yet. Each failure says which catalog it came from and how to turn the
 * check off, since the tenant's template may define names the catalog does not.
 */

import type { CheckFailure } from "../../validation";
import { checkReferences } from "../catalog";
import type { SchemaCustomizations } from "../customization";
import { bundledCatalog } from "./bundled";
import { BUNDLED_CATALOGS_KEY, bundledCatalogsEnabled } from "./setting";

/** Failures for the names the template's bundled catalog does not define; none when there is no such catalog or the check is off. */
export function checkWithBundledCatalog(templateId: string, customizations: SchemaCustomizations): CheckFailure[] {
  const bundled = bundledCatalog(templateId);
  if (!bundled || !bundledCatalogsEnabled()) return [];
  const origin =
    `checked against pulumi-entra-sync's bundled catalog of template "${bundled.templateId}", ${bundled.describedAs}; ` +
    `if your tenant's template differs, set ${BUNDLED_CATALOGS_KEY} to false`;
  return checkReferences(bundled.catalog, customizations).map((f) => ({ property: f.property, reason: `${f.reason} (${origin})` }));
}
