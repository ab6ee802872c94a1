/**
 * The schema an `up` of a SynchronizationSchema writes, from the template's and the live schema:
 * written once, for the handler's write (../handlers/schema.ts) and for what a preview predicts of
 * it (the first up's changed paths, the provisioning impact in ../impact/), so that a prediction is
 * about exactly the document the next up PUTs.
 *
 * With `strict`, or after a raw schema (which managed everything), the template plus the
 * customizations; otherwise the live schema with the units named now or by the previous
 * customizations set to the template's, plus the customizations (managed.ts); either way spelled as
 * the live schema spells what means the same (keep-live.ts).
 */

import type { SynchronizationSchema } from "../graph/types";
import type { SchemaCustomizations } from "./customization";
import { keepLiveSpelling } from "./keep-live";
import { withManagedUnitsFromTemplate } from "./managed";
import { mergeSchema } from "./merge";

/** What the resource managed before an update: some units, or (a raw schema) all of it. */
export type Previously = SchemaCustomizations | "wholeSchema" | undefined;

/** The schema the customizations apply to (see the module comment). */
export function baselineFor(
  customizations: SchemaCustomizations,
  strict: boolean,
  template: SynchronizationSchema,
  live: SynchronizationSchema,
  previous: Previously,
): SynchronizationSchema {
  if (strict || previous === "wholeSchema") return template;
  return withManagedUnitsFromTemplate(live, template, [customizations, ...(previous ? [previous] : [])]);
}

/** The schema document the next up writes (normalized inputs; throws SchemaMergeError like the up). */
export function schemaToWrite(
  customizations: SchemaCustomizations,
  strict: boolean,
  template: SynchronizationSchema,
  live: SynchronizationSchema,
  previous: Previously,
): SynchronizationSchema {
  return keepLiveSpelling(mergeSchema(baselineFor(customizations, strict, template, live, previous), customizations), live);
}
