/**
 * The attribute-mapping expression language of Microsoft Entra provisioning: parse, validate,
 * print, evaluate, and convert to and from Graph's attributeMappingSource trees. Pure functions,
 * no I/O; shared by the provider (checks and diffs at preview time) and the emulator (provisioning).
 */
export type {
  Argument,
  AttributeReference,
  Comparison,
  ComparisonOperator,
  Expr,
  FunctionCall,
  NameLiteral,
  NumberLiteral,
  OmittedArgument,
  StringLiteral,
} from "./ast";
export { FUNCTION_NAMES, MAPPING_FUNCTIONS, findFunction, type FunctionSignature, type ParameterSignature } from "./catalog";
export { InvalidExpressionError, type ExpressionError } from "./errors";
export { evaluateExpression, type EvaluationContext, type EvaluationResult } from "./evaluator";
export { mappingSourceToExpression, toMappingSource } from "./graph-tree";
export { MAX_NESTING_DEPTH, parseExpression, type ParseResult } from "./parser";
export { canonicalExpression, printExpression, quoteString } from "./printer";
export { attributeReferences, validateExpression, type ValidationOptions, type ValidationResult } from "./validator";
export type { SourceObject, SourceValue } from "./values";
