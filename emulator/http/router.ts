/**
 * Graph URL normalization and route matching.
 *
 * Graph accepts several spellings of the same resource; the emulator maps them to one canonical
 * segment list before matching:
 *  - bound operations with or without the namespace: `start` == `microsoft.graph.start`;
 *  - functions with or without parentheses: `functions` == `microsoft.graph.functions()`;
 *  - OData key syntax: `jobs('id')` == `jobs/id`; alternate keys such as
 *    `servicePrincipals(appId='...')` become the segment `(appId='...')` for the resolver;
 *  - a trailing slash; segment names are case-insensitive (ids are compared as given).
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Route<H> {
  method: HttpMethod;
  /** e.g. "servicePrincipals/:sp/synchronization/jobs/:job/start" */
  pattern: string;
  handler: H;
}

type RouteMatch<H> = { kind: "found"; route: Route<H>; params: Record<string, string> } | { kind: "methodNotAllowed"; allowed: HttpMethod[] } | { kind: "notFound" };

const NAMESPACE = "microsoft.graph.";

export function normalizeSegments(pathAfterVersion: string): string[] {
  const out: string[] = [];
  for (const rawSegment of pathAfterVersion.split("/")) {
    if (rawSegment === "") continue;
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      segment = rawSegment;
    }
    if (segment.toLowerCase().startsWith(NAMESPACE)) segment = segment.slice(NAMESPACE.length);
    if (segment.endsWith("()")) {
      out.push(segment.slice(0, -2));
      continue;
    }
    const keyed = /^([A-Za-z$][A-Za-z0-9$]*)\((.+)\)$/.exec(segment);
    if (keyed) {
      const [, name, key] = keyed;
      const quoted = /^'(.*)'$/.exec(key);
      out.push(name, quoted ? quoted[1].replace(/''/g, "'") : `(${key})`);
      continue;
    }
    out.push(segment);
  }
  return out;
}

export function matchRoute<H>(routes: readonly Route<H>[], method: string, segments: string[]): RouteMatch<H> {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method) return { kind: "found", route, params };
    if (!allowed.includes(route.method)) allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: "methodNotAllowed", allowed } : { kind: "notFound" };
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split("/");
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith(":")) {
      params[part.slice(1)] = segments[i];
    } else if (part.toLowerCase() !== segments[i].toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

/** Collections whose next segment is a key, for rendering syncfabric-style URIs. */
const KEYED_COLLECTIONS = new Set(["serviceprincipals", "jobs", "templates", "directories", "applications"]);

/**
 * Render segments as the synchronization backend's URI path, e.g.
 * servicePrincipals('<sp>')/synchronization/jobs('<job>')/schema.
 */
export function syncfabricPath(segments: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (KEYED_COLLECTIONS.has(s.toLowerCase()) && i + 1 < segments.length) {
      out.push(`${s}('${segments[i + 1]}')`);
      i++;
    } else {
      out.push(s);
    }
  }
  return out.join("/");
}
