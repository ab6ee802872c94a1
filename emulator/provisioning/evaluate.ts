/**
 * The one place where provisioning calls the project's expression language: attribute-mapping
 * evaluation and scoping filters, shared with the provider (the emulator and the provider
 * share only Graph types and the expression evaluator).
 */
import type { AttributeMappingSource, Filter } from "../../provider/graph/types";
import { evaluateExpression, mappingSourceToExpression, type EvaluationContext, type SourceObject } from "../../provider/schema/expression";
import { isInScope as scopingFilterHolds } from "../../provider/schema/scope";

export type { EvaluationContext, SourceObject, SourceValue } from "../../provider/schema/expression";

type MappingEvaluation = { ok: true; value: string | string[] | null } | { ok: false; error: string };

/** Evaluate one attribute mapping's source (its expression, or the tree when Graph left it out). */
export function evaluateMapping(source: AttributeMappingSource, object: SourceObject, context: EvaluationContext): MappingEvaluation {
  let expression: string;
  try {
    expression = mappingSourceToExpression(source);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  return evaluateExpression(expression, object, context);
}

/**
 * An object mapping's scoping filter: OR across groups, AND across a group's clauses; no filter =
 * in scope. Throws for an operator Graph would have rejected when the schema was saved.
 */
export function isInScope(filter: Filter | null, object: SourceObject): boolean {
  return scopingFilterHolds(filter, object);
}
