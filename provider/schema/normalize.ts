/**
 * Normal forms for comparison: a schema without the members Graph rewrites on every save (`id`,
 * `version`, OData annotations), and customizations with expressions and operator names in
 * canonical spelling, so that equivalent programs diff as equal.
 */

import type { SynchronizationSchema } from "../graph/types";
import type { SchemaCustomizations } from "./customization";
import { canonicalExpression, parseExpression } from "./expression";
import { findFilterOperator } from "./filter-operators";

/**
 * Just the schema's content: directories and rules (Graph bumps `version` and owns `id`). Shares
 * the arrays with its argument: nothing in the provider mutates a schema it did not copy.
 */
export function normalizedSchema(schema: SynchronizationSchema | Record<string, unknown>): SynchronizationSchema {
  const s = schema as SynchronizationSchema;
  return { directories: s.directories ?? [], synchronizationRules: s.synchronizationRules ?? [] };
}

/** Customizations with expressions and operators canonicalized; the input is not modified. */
export function comparableCustomizations(c: SchemaCustomizations): SchemaCustomizations {
  const out = structuredClone(c);
  for (const om of Object.values(out.objectMappings ?? {})) {
    for (const m of Object.values(om.attributeMappings ?? {})) {
      if (typeof m.expression === "string" && parseExpression(m.expression).ok) m.expression = canonicalExpression(m.expression);
    }
    for (const clauses of Object.values(om.scope ?? {})) {
      for (const clause of clauses) clause.operator = findFilterOperator(clause.operator)?.name ?? clause.operator;
    }
  }
  return out;
}
