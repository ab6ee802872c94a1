/**
 * The OData query options the emulator implements ($filter subset, $top, $skiptoken, $select,
 * $expand where a route reads it) and collection paging with @odata.nextLink.
 */
import { GraphErrorReply, unsupportedQuery } from "./errors";

/** Query options a route accepts; anything else starting with "$" is rejected, not ignored. */
type QueryOption = "$filter" | "$top" | "$skiptoken" | "$select" | "$expand";

export function rejectUnsupportedOptions(query: URLSearchParams, accepted: readonly QueryOption[]): void {
  for (const name of query.keys()) {
    if (name.startsWith("$") && !(accepted as readonly string[]).includes(name)) {
      throw unsupportedQuery(`The query option '${name}' is not supported on this resource by the Graph emulator.`);
    }
  }
}

// --- $filter ------------------------------------------------------------------------------------

type Literal = string | boolean | null;
type Clause = { op: "eq" | "startswith"; property: string; value: Literal } | { op: "in"; property: string; values: string[] };

const CLAUSE =
  /^\s*(?:startswith\(\s*([A-Za-z][A-Za-z0-9]*)\s*,\s*('(?:[^']|'')*')\s*\)|([A-Za-z][A-Za-z0-9]*)\s+eq\s+('(?:[^']|'')*'|true|false|null)|([A-Za-z][A-Za-z0-9]*)\s+in\s+\(\s*('(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*)\s*\))\s*/i;

/**
 * How many values one `in` may list on directory objects without the advanced query parameters
 * (Graph known issues, "Some limitations apply to query parameters": "the request is limited to
 * 15 expressions in the filter clause by default"). Graph expands `in` into `or` clauses, hence
 * the wording of its error (reported in microsoft-graph-docs#21098).
 */
const MAX_IN_VALUES = 15;

/**
 * Parse a `$filter` made of `prop eq 'value'` / `prop eq true|false|null` /
 * `startswith(prop,'value')` clauses joined by `and`. Properties outside `filterable` are
 * rejected the way the directory rejects them (Request_UnsupportedQuery).
 */
export function parseFilter(text: string, resourceName: string, filterable: readonly string[]): (item: Record<string, unknown>) => boolean {
  const clauses: Clause[] = [];
  let rest = text;
  for (;;) {
    const m = CLAUSE.exec(rest);
    if (!m) throw new GraphErrorReply(400, "BadRequest", `Invalid filter clause: '${text}' could not be parsed by the Graph emulator.`);
    const property = m[1] ?? m[3] ?? m[5];
    const known = filterable.find((p) => p.toLowerCase() === property.toLowerCase());
    if (!known) {
      throw unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property}' of resource '${resourceName}'.`);
    }
    if (m[5]) {
      const values = (m[6].match(/'(?:[^']|'')*'/g) ?? []).map((v) => v.slice(1, -1).replace(/''/g, "'"));
      if (values.length > MAX_IN_VALUES) {
        throw unsupportedQuery(
          `Too many child clauses specified in search filter expression containing 'OR' operators: ${values.length}. Max allowed: ${MAX_IN_VALUES}.`,
        );
      }
      clauses.push({ op: "in", property: known, values });
    } else {
      clauses.push({ op: m[1] ? "startswith" : "eq", property: known, value: parseLiteral(m[2] ?? m[4]) });
    }
    rest = rest.slice(m[0].length);
    if (rest === "") break;
    const and = /^and\s+/i.exec(rest);
    if (!and) throw unsupportedQuery(`Unsupported query: only 'and' is supported between filter clauses in '${text}'.`);
    rest = rest.slice(and[0].length);
  }
  return (item) => clauses.every((c) => clauseHolds(c, item[c.property]));
}

function parseLiteral(text: string): Literal {
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  return text.slice(1, -1).replace(/''/g, "'");
}

function clauseHolds(c: Clause, actual: unknown): boolean {
  // Directory string comparisons are case-insensitive.
  if (c.op === "in") return typeof actual === "string" && c.values.some((v) => v.toLowerCase() === actual.toLowerCase());
  if (c.op === "startswith") {
    return typeof actual === "string" && typeof c.value === "string" && actual.toLowerCase().startsWith(c.value.toLowerCase());
  }
  if (typeof actual === "string" && typeof c.value === "string") return actual.toLowerCase() === c.value.toLowerCase();
  return actual === c.value;
}

// --- $select ------------------------------------------------------------------------------------

export function parseSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get("$select");
  if (raw === null) return undefined;
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Keep only the selected properties (annotations are kept). Unknown names -> 400 like Graph. */
export function project<T extends Record<string, unknown>>(
  item: T,
  select: string[] | undefined,
  typeName: string,
  selectable: readonly string[],
): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(item)) if (key.startsWith("@odata.")) out[key] = item[key];
  for (const name of select) {
    const known = selectable.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!known) {
      throw new GraphErrorReply(400, "Request_BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
    }
    out[known] = item[known] ?? null;
  }
  return out;
}

// --- paging -------------------------------------------------------------------------------------

interface PageRequest {
  /** Absolute URL of the current request (origin + path incl. version + query). */
  url: URL;
  query: URLSearchParams;
  /** Server page-size limit (EmulatorOptions.pageSize). */
  pageSize: number;
}

interface Page<T> {
  value: T[];
  nextLink?: string;
}

const SKIPTOKEN_PREFIX = "emu1:";

/**
 * Cut one page. Page size = min($top, pageSize); when more items remain, nextLink repeats the
 * request with an opaque $skiptoken (clients must follow it verbatim).
 */
export function pageOf<T>(items: readonly T[], req: PageRequest): Page<T> {
  const offset = readSkipToken(req.query.get("$skiptoken"));
  const top = readTop(req.query.get("$top"));
  const size = Math.min(top ?? req.pageSize, req.pageSize);
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };
  const params: [string, string][] = [...req.query.entries()].filter(([k]) => k !== "$skiptoken");
  params.push(["$skiptoken", Buffer.from(`${SKIPTOKEN_PREFIX}${offset + size}`).toString("base64url")]);
  // Keep "$" literal in option names, as Graph's nextLinks do.
  const search = params.map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, "$")}=${encodeURIComponent(v).replace(/%2C/gi, ",")}`).join("&");
  return { value, nextLink: `${req.url.origin}${req.url.pathname}?${search}` };
}

function readTop(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 999) {
    throw new GraphErrorReply(400, "Request_BadRequest", `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`);
  }
  return n;
}

function readSkipToken(raw: string | null): number {
  if (raw === null) return 0;
  const decoded = Buffer.from(raw, "base64url").toString("utf8");
  const offset = decoded.startsWith(SKIPTOKEN_PREFIX) ? Number(decoded.slice(SKIPTOKEN_PREFIX.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new GraphErrorReply(400, "Request_BadRequest", `Invalid value for $skiptoken: '${raw}'.`);
  }
  return offset;
}

/** An OData collection response body: context, this page's items, and the next page's link. */
export function collectionBody<T>(context: string, page: Page<T>, view: (item: T) => unknown): Record<string, unknown> {
  const body: Record<string, unknown> = { "@odata.context": context, value: page.value.map(view) };
  if (page.nextLink) body["@odata.nextLink"] = page.nextLink;
  return body;
}
