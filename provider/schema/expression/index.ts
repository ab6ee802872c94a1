/**
 * The attribute-mapping expression language of Microsoft Entra provisioning: parse, validate,
 * print, evaluate, and convert to and from Graph's attributeMappingSource trees. Pure functions,
 * no I/O; shared by the provider (checks and diffs at preview time) and the emulator (provisioning).
 */
export type { Expr } from "./ast";
export { FUNCTION_NAMES, MAPPING_FUNCTIONS, findFunction } from "./catalog";
export { InvalidExpressionError } from "./errors";
export { evaluateExpression, type EvaluationContext, type EvaluationResult } from "./evaluator";
export { mappingSourceToExpression, toMappingSource } from "./graph-tree";
export { MAX_NESTING_DEPTH, parseExpression } from "./parser";
export { canonicalExpression, printExpression, quoteString } from "./printer";
export { attributeReferences, validateExpression } from "./validator";
export type { SourceObject, SourceValue } from "./values";
