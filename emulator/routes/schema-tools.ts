/**
 * The schema's helper operations, on job and template schemas alike [DOC: synchronizationschema
 * functions, filterOperators, parseExpression]. They share the provider's expression language, so
 * what `pulumi preview` accepts is what the emulator evaluates.
 */
import type { AttributeMappingSource } from "../../provider/graph/types";
import { evaluateExpression, parseExpression, toMappingSource, MAPPING_FUNCTIONS, type SourceObject, type SourceValue } from "../../provider/schema/expression";
import { validateTree } from "../../provider/schema/expression/validator";
import { FILTER_OPERATORS } from "../../provider/schema/filter-operators";
import { badRequestBody } from "../http/errors";
import { contextUrl, type GraphRequest, type GraphRoute } from "./route";
import { rejectUnsupportedOptions } from "../http/odata";
import type { Route } from "../http/router";
import { requireTemplate } from "./templates";

const BASES = ["servicePrincipals/:sp/synchronization/jobs/:job/schema", "servicePrincipals/:sp/synchronization/templates/:tpl/schema"];

/** 404s like the schema itself when the service principal, job or template does not exist. */
function requireSchemaOwner(req: GraphRequest): void {
  const sp = req.engine.requireServicePrincipal(req.params.sp);
  if (req.params.job !== undefined) req.engine.requireJob(sp.id, req.params.job);
  else requireTemplate(req, sp.id);
}

interface ParseExpressionBody {
  expression?: unknown;
  testInputObject?: { properties?: { key?: unknown; value?: unknown }[] | null } | null;
}

/** `testInputObject.properties` -> the evaluator's source object (multi-valued values arrive as arrays). */
function sourceObjectOf(body: ParseExpressionBody): SourceObject | undefined {
  const properties = body.testInputObject?.properties;
  if (!Array.isArray(properties)) return undefined;
  const out: Record<string, SourceValue> = {};
  for (const p of properties) {
    if (typeof p?.key !== "string") continue;
    const v = p.value;
    if (Array.isArray(v)) out[p.key] = v.map((x) => (typeof x === "string" || typeof x === "number" || typeof x === "boolean" ? x : JSON.stringify(x)));
    else if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[p.key] = v;
  }
  return out;
}

function parseExpressionResponse(body: ParseExpressionBody): Record<string, unknown> {
  if (typeof body.expression !== "string") throw badRequestBody("The 'expression' parameter is required and must be a string.");
  const parsed = parseExpression(body.expression);
  // Problems the static checks find (unknown functions, arities, a regular expression the linear-time
  // engine cannot run) are parse failures too: the expression has no tree to evaluate.
  const problems = parsed.ok ? validateTree(parsed.ast) : [parsed.error];
  if (!parsed.ok || problems.length > 0) {
    // Parse failures are reported in the body, not as an HTTP error [INFER from parseExpressionResponse].
    const message = problems.map((p) => `${p.message} (at position ${p.position})`).join("; ");
    return {
      error: { code: "ExpressionParsingFailed", message, details: [] },
      evaluationResult: [],
      evaluationSucceeded: false,
      parsedExpression: null,
      parsingSucceeded: false,
    };
  }
  const tree: AttributeMappingSource = toMappingSource(parsed.ast);
  const source = sourceObjectOf(body);
  if (!source) {
    return { error: null, evaluationResult: [], evaluationSucceeded: false, parsedExpression: tree, parsingSucceeded: true };
  }
  const result = evaluateExpression(parsed.ast, source);
  if (!result.ok) {
    return {
      error: { code: "ExpressionEvaluationFailed", message: result.error, details: [] },
      evaluationResult: [],
      evaluationSucceeded: false,
      parsedExpression: tree,
      parsingSucceeded: true,
    };
  }
  const values = result.value === null ? [] : Array.isArray(result.value) ? result.value : [result.value];
  return { error: null, evaluationResult: values, evaluationSucceeded: true, parsedExpression: tree, parsingSucceeded: true };
}

export const schemaToolRoutes: Route<GraphRoute>[] = BASES.flatMap((base): Route<GraphRoute>[] => [
  {
    method: "GET",
    pattern: `${base}/functions`,
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, []);
        requireSchemaOwner(req);
        return { status: 200, body: { "@odata.context": contextUrl(req, "functions"), value: structuredClone(MAPPING_FUNCTIONS) } };
      },
    },
  },
  {
    method: "GET",
    pattern: `${base}/filterOperators`,
    handler: {
      permission: "sync.read",
      handle: (req) => {
        rejectUnsupportedOptions(req.query, []);
        requireSchemaOwner(req);
        return { status: 200, body: { "@odata.context": contextUrl(req, "filterOperators"), value: structuredClone(FILTER_OPERATORS) } };
      },
    },
  },
  {
    method: "POST",
    pattern: `${base}/parseExpression`,
    handler: {
      permission: "sync.read",
      handle: (req) => {
        requireSchemaOwner(req);
        const body = (req.body ?? {}) as ParseExpressionBody;
        return {
          status: 200,
          body: { "@odata.context": contextUrl(req, "microsoft.graph.parseExpressionResponse"), ...parseExpressionResponse(body) },
        };
      },
    },
  },
]);
