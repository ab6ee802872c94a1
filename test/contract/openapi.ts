/**
 * Contract validator: checks one Graph exchange (request + response, as the emulator reports
 * them through onExchange) against Microsoft's published OpenAPI for the synchronization API
 * (openapi-synchronization-v1.0.json beside this file: Microsoft's OpenAPI from msgraph-sdk-powershell
 * @0539046d, Applications.yml, cut to the synchronization paths).
 *
 *   validateExchange(x) -> list of violations ([] = conforms)
 *
 * It is an oracle independent of the emulator's own routing code. Where the published OpenAPI is
 * known to be wrong or silent, the validator applies an explicit, named deviation (DEVIATIONS
 * below, mirrored in emulator/README.md) instead of quietly passing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { GraphExchange } from "../../emulator/index";

interface Deviation {
  id: string;
  /** What the validator does differently from a literal reading of the OpenAPI. */
  rule: string;
  /** Why (evidence). */
  reason: string;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: "nullable-complex-properties",
    rule: "A property whose schema is a bare $ref to a complex type also accepts null.",
    reason:
      "The PowerShell OpenAPI drops nullability on $ref properties; the CSDL declares every complex-typed property of these types nullable (only enums are Nullable=false), and Graph returns null (e.g. status.lastExecution, quarantine, objectMapping.scope, attributeMapping.source).",
  },
  {
    id: "closed-types",
    rule: "allOf inheritance is flattened; additionalProperties {type: object} is read as 'no undeclared properties' on types that declare properties, and as 'anything' on types that declare none (ODataErrors.InnerError) and on the CSDL's open types (stringKeyObjectValuePair, whose `value` is a dynamic property: parseExpression's testInputObject.properties).",
    reason:
      "The CSDL types are closed except those marked OpenType; the generator renders every type with additionalProperties {type: object}, which taken literally rejects every string-valued property that an allOf part does not itself declare.",
  },
  {
    id: "flags-enums",
    rule: "Enums marked x-ms-enum-flags isFlags accept comma+space joined member names.",
    reason: 'Graph serializes flags enums as "Add, Update, Delete" / "AttributeNames, AttributeDataTypes" (docs samples).',
  },
  {
    id: "instance-annotations",
    rule: "OData instance annotations (@odata.context, @odata.type, x@odata.type, ...) are ignored, except @odata.nextLink on collections.",
    reason: "Annotations are OData protocol, not model properties; the OpenAPI's additionalProperties {type: object} would otherwise reject every @odata.context string.",
  },
  {
    id: "204-without-body",
    rule: "A 204 response without body is accepted where the OpenAPI declares 2XX content (PUT secrets, PUT schema).",
    reason: "The docs document 204 No Content for these operations; the generated OpenAPI attaches a body to every 2XX.",
  },
  {
    id: "schema-put",
    rule: "PUT .../jobs/{id}/schema is validated with the request body of the OpenAPI's PATCH operation.",
    reason:
      "The docs and the service use PUT (full replacement); the OpenAPI lists PATCH, which the service answers with 404 (msgraph-metadata#676, msgraph-sdk-powershell#1134/#2643).",
  },
  {
    id: "secrets-get",
    rule: "GET .../synchronization/secrets is validated as {value: [synchronizationSecretKeyStringValuePair]}.",
    reason: "Used by clients (terraform-provider-azuread) but absent from the OpenAPI, which only lists GET secrets/$count and PUT secrets.",
  },
  {
    id: "directory-outside-subset",
    rule: "GET /users, /users/{id}, /users/{id}/manager, /groups, /groups/{id}, /groups/{id}/members (and its casts to microsoft.graph.user/group), /servicePrincipals/{id}/appRoleAssignedTo are outside the OpenAPI subset: besides the error shape and Graph headers, only @odata.context (and a value array on collections) is checked.",
    reason: "The committed OpenAPI subset covers synchronization and servicePrincipals (list/get) only.",
  },
  {
    id: "errors-for-undeclared-operations",
    rule: "An error response (4xx/5xx) to a method/path the OpenAPI does not declare is valid if it is an OData error.",
    reason: "Refusing an operation is how Graph answers undeclared operations (405/404/400/501).",
  },
  {
    id: "optional-action-bodies",
    rule: "Action requests without a body are accepted even when the OpenAPI marks the body required (restart, validateCredentials).",
    reason: "Graph treats absent action parameters as null/default (restart's criteria is optional per the docs).",
  },
  {
    id: "beta-against-v1",
    rule: "/beta exchanges are validated against the v1.0 OpenAPI.",
    reason: "The sync types are identical between v1.0 and beta except synchronizationMetadata casing (their OpenAPI and CSDL documents agree).",
  },
];

/** Complex types the CSDL declares OpenType="true": they carry dynamic properties such as `value`. */
const OPEN_TYPES = ["microsoft.graph.stringKeyObjectValuePair"];

type JsonObject = Record<string, any>;

const OPENAPI_FILE = path.join(__dirname, "openapi-synchronization-v1.0.json");
const DOC_ID = "graph";

const ACTIONS = new Set(["start", "pause", "restart", "validateCredentials", "provisionOnDemand", "acquireAccessToken", "discover", "parseExpression", "instantiate"]);
const FUNCTIONS = new Set(["functions", "filterOperators", "Ping"]);

interface Loaded {
  doc: JsonObject;
  ajv: Ajv;
  templates: { template: string; method: string; regex: RegExp; params: number }[];
  cache: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const doc = prepareDocument(JSON.parse(fs.readFileSync(OPENAPI_FILE, "utf8")) as JsonObject);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
  ajv.addFormat("base64url", /^[A-Za-z0-9_-]*={0,2}$/);
  ajv.addFormat("binary", true);
  // Edm.Duration: fractional seconds allowed (ajv-formats' ISO 8601 "duration" rejects "5.4775807S").
  ajv.addFormat("duration", /^-?P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/);
  ajv.addSchema(doc, DOC_ID);
  const templates: Loaded["templates"] = [];
  for (const [template, item] of Object.entries(doc.paths as JsonObject)) {
    for (const method of Object.keys(item)) {
      if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
      const regex = new RegExp(
        "^" +
          template
            .split(/\{[^}]+\}/)
            .map(escapeRegex)
            .join("[^/]+") +
          "$",
      );
      templates.push({ template, method: method.toUpperCase(), regex, params: (template.match(/\{/g) ?? []).length });
    }
  }
  loaded = { doc, ajv, templates, cache: new Map() };
  return loaded;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Apply the schema-level deviations (flattened inheritance, closed types, nullable refs, flags
 * enums) and make every $ref absolute so inline operation schemas compile on their own.
 */
function prepareDocument(doc: JsonObject): JsonObject {
  const schemas = doc.components.schemas as JsonObject;
  const nameOf = (ref: string) => ref.replace("#/components/schemas/", "");

  // Deviation "closed-types": flatten allOf inheritance (entity -> directoryObject -> ...) so
  // every type lists all its properties in one place.
  const flattened = new Map<string, JsonObject>();
  const flatten = (name: string): JsonObject => {
    const cached = flattened.get(name);
    if (cached) return cached;
    const schema = schemas[name] as JsonObject;
    if (!Array.isArray(schema.allOf)) {
      flattened.set(name, schema);
      return schema;
    }
    const merged: JsonObject = { type: "object", properties: {}, additionalProperties: { type: "object" } };
    for (const part of schema.allOf as JsonObject[]) {
      const base = typeof part.$ref === "string" ? flatten(nameOf(part.$ref)) : part;
      Object.assign(merged.properties, base.properties ?? {});
      if (base.title) merged.title = base.title;
    }
    flattened.set(name, merged);
    return merged;
  };
  for (const name of Object.keys(schemas)) schemas[name] = flatten(name);
  // The CSDL's open types (OpenType="true") among these schemas: dynamic properties are allowed.
  for (const name of OPEN_TYPES) if (schemas[name]) schemas[name] = { ...schemas[name], additionalProperties: true };

  const isEnum = (ref: string) => Array.isArray(schemas[nameOf(ref)]?.enum);
  const isErrorType = (ref: string) => nameOf(ref).startsWith("microsoft.graph.ODataErrors.");
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== "object") return node;
    const source = node as JsonObject;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(source)) out[k] = visit(v);
    if (typeof out.$ref === "string" && out.$ref.startsWith("#/")) out.$ref = `${DOC_ID}${out.$ref}`;
    // Deviation "flags-enums".
    if (out["x-ms-enum-flags"]?.isFlags && Array.isArray(out.enum)) {
      const member = `(?:${(out.enum as string[]).map(escapeRegex).join("|")})`;
      out.pattern = `^${member}(?:, ${member})*$`;
      delete out.enum;
    }
    // Deviation "closed-types": additionalProperties {type: object} is the generator's rendering
    // of "more properties may exist"; the CSDL types are closed. Types that declare properties
    // reject undeclared ones; types that declare none (InnerError) accept anything.
    if (out.additionalProperties && typeof out.additionalProperties === "object" && out.additionalProperties.type === "object") {
      if (out.properties && Object.keys(out.properties).length > 0) out.additionalProperties = false;
      else delete out.additionalProperties;
    }
    // Deviation "nullable-complex-properties".
    if (source.properties && typeof source.properties === "object") {
      for (const [name, prop] of Object.entries(source.properties as JsonObject)) {
        const ref = (prop as JsonObject).$ref as string | undefined;
        if (ref && !isEnum(ref) && !isErrorType(ref)) {
          out.properties[name] = { anyOf: [{ $ref: `${DOC_ID}${ref}` }, { type: "null" }] };
        }
      }
    }
    return out;
  };
  return visit(doc) as JsonObject;
}

function compile(key: string, schema: JsonObject): ValidateFunction {
  const l = load();
  let fn = l.cache.get(key);
  if (!fn) {
    fn = l.ajv.compile(schema);
    l.cache.set(key, fn);
  }
  return fn;
}

function componentSchema(name: string): JsonObject {
  return { $ref: `${DOC_ID}#/components/schemas/${name}` };
}

/** Drop OData instance annotations (deviation "instance-annotations"). */
function stripAnnotations(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => stripAnnotations(v, false));
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value as JsonObject)) {
    if (k.includes("@odata.") && !(top && k === "@odata.nextLink")) continue;
    out[k] = stripAnnotations(v, false);
  }
  return out;
}

function check(key: string, schema: JsonObject, value: unknown, where: string): string[] {
  const fn = compile(key, schema);
  if (fn(stripAnnotations(value))) return [];
  // A nullable property that fails reports three errors (branch, "must be null", "anyOf"); keep
  // the informative one.
  const errors = (fn.errors ?? []).filter((e) => e.keyword !== "anyOf" && !(e.keyword === "type" && (e.params as JsonObject).type === "null"));
  return errors.map((e) => {
    const p = e.params as JsonObject;
    const detail = p.allowedValues ? ` (${(p.allowedValues as string[]).join(", ")})` : p.additionalProperty ? ` ('${p.additionalProperty}')` : "";
    return `${where}${e.instancePath || "/"} ${e.message ?? "is invalid"}${detail}`;
  });
}

/** Canonical OpenAPI path for an exchange path (without version), or undefined for non-Graph paths. */
export function canonicalPath(pathAfterVersion: string): string {
  const segments: string[] = [];
  for (const raw of pathAfterVersion.split("/").filter((s) => s !== "")) {
    let s = decodeURIComponent(raw);
    const bare = s.replace(/^microsoft\.graph\./i, "").replace(/\(\)$/, "");
    if (ACTIONS.has(bare)) {
      segments.push(`microsoft.graph.${bare}`);
      continue;
    }
    if (FUNCTIONS.has(bare)) {
      segments.push(`microsoft.graph.${bare}()`);
      continue;
    }
    const keyed = /^([A-Za-z]+)\('(.*)'\)$/.exec(s);
    if (keyed) {
      segments.push(keyed[1], keyed[2]);
      continue;
    }
    s = s.replace(/^microsoft\.graph\./i, "");
    segments.push(s);
  }
  // servicePrincipals(appId='x') addresses the entity itself; below it, it acts as an id.
  if (segments.length > 1 && /^servicePrincipals\(appId=/.test(segments[0])) {
    segments.splice(0, 1, "servicePrincipals", segments[0]);
  }
  return "/" + segments.join("/");
}

export function validateExchange(x: GraphExchange): string[] {
  const l = load();
  const violations: string[] = [];
  const version = /^\/(v1\.0|beta)(\/.*)?$/i.exec(x.path);
  if (!version) return [`${x.method} ${x.path}: not a Graph path (expected /v1.0/... or /beta/...)`];
  const canonical = canonicalPath(version[2] ?? "");
  const label = `${x.method} ${canonical} -> ${x.status}`;

  // Graph conventions on every response.
  if (!x.responseHeaders["request-id"]) violations.push(`${label}: response lacks the request-id header`);
  if (!x.responseHeaders["client-request-id"]) violations.push(`${label}: response lacks the client-request-id header`);
  const clientRequestId = x.requestHeaders["client-request-id"];
  if (clientRequestId && x.responseHeaders["client-request-id"] !== clientRequestId) {
    violations.push(`${label}: client-request-id was not echoed`);
  }
  if (x.responseBody !== undefined && !(x.responseHeaders["content-type"] ?? "").startsWith("application/json")) {
    violations.push(`${label}: body without a JSON content type`);
  }

  if (x.status >= 400) {
    violations.push(...check("ODataError", componentSchema("microsoft.graph.ODataErrors.ODataError"), x.responseBody, `${label} error body`));
    const inner = (x.responseBody as JsonObject | undefined)?.error?.innerError as JsonObject | undefined;
    if (!inner?.["request-id"] || !inner?.date) violations.push(`${label}: error.innerError lacks request-id/date`);
    return violations;
  }

  // Deviation "directory-outside-subset".
  const directoryCollection = /^\/(users|groups|groups\/[^/]+\/members(\/(microsoft\.graph\.)?(user|group))?|servicePrincipals\/[^/]+\/appRoleAssignedTo)$/i.test(
    canonical,
  );
  if (directoryCollection || /^\/(users\/[^/]+(\/manager)?|groups\/[^/]+)$/i.test(canonical)) {
    const body = x.responseBody as JsonObject | undefined;
    if (typeof body?.["@odata.context"] !== "string") violations.push(`${label}: no @odata.context`);
    if (directoryCollection && !Array.isArray(body?.value)) violations.push(`${label}: a collection without a value array`);
    return violations;
  }

  // Deviation "secrets-get".
  if (x.method === "GET" && /^\/servicePrincipals\/[^/]+\/synchronization\/secrets$/.test(canonical)) {
    const schema = {
      type: "object",
      required: ["value"],
      properties: { value: { type: "array", items: componentSchema("microsoft.graph.synchronizationSecretKeyStringValuePair") } },
    };
    return [...violations, ...check("secrets-get", schema, x.responseBody, `${label} response body`)];
  }

  // Deviation "schema-put": validate PUT schema as the PATCH operation.
  const lookupMethod = x.method === "PUT" && /\/jobs\/[^/]+\/schema$/.test(canonical) ? "PATCH" : x.method;
  const candidates = l.templates.filter((t) => t.method === lookupMethod && t.regex.test(canonical)).sort((a, b) => a.params - b.params);
  const op = candidates[0];
  if (!op) return [...violations, `${label}: no ${x.method} operation for this path in the OpenAPI`];
  const operation = l.doc.paths[op.template][op.method.toLowerCase()] as JsonObject;
  const opKey = `${op.method} ${op.template}`;

  // Request body.
  const requestSchema = operation.requestBody?.content?.["application/json"]?.schema as JsonObject | undefined;
  if (x.requestBody !== undefined) {
    if (requestSchema) {
      violations.push(...check(`${opKey} request`, requestSchema, x.requestBody, `${label} request body`));
    } else if (!(typeof x.requestBody === "object" && x.requestBody !== null && Object.keys(x.requestBody).length === 0)) {
      violations.push(`${label}: the operation takes no request body`);
    }
  }

  // Response body.
  let response = (operation.responses[String(x.status)] ?? operation.responses["2XX"]) as JsonObject | undefined;
  if (response?.$ref) {
    response = l.doc.components.responses[(response.$ref as string).split("/").pop() as string] as JsonObject;
  }
  if (!response) return [...violations, `${label}: status ${x.status} is not declared`];
  const responseSchema = response.content?.["application/json"]?.schema as JsonObject | undefined;
  if (x.responseBody === undefined) {
    if (responseSchema && x.status !== 204) violations.push(`${label}: response body missing`);
  } else if (!responseSchema) {
    violations.push(`${label}: the operation declares no response body`);
  } else {
    violations.push(...check(`${opKey} response`, responseSchema, x.responseBody, `${label} response body`));
  }
  return violations;
}
