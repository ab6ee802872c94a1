/**
 * Which fault rules apply to a request: kind (graph/oauth), method and a path pattern over the
 * request's segments. `:name` and `*` match one segment, `**` any number (also none); literal
 * segments compare case-insensitively, as Graph's segment names do.
 */
import type { FaultRule, FaultTargetKind } from "./config";

/** What the fault layer knows about a request when it decides. */
export interface FaultTarget {
  kind: FaultTargetKind;
  method: string;
  /** Graph: normalized segments after the version; OAuth: the path's segments. */
  segments: string[];
}

export function ruleMatches(rule: FaultRule, target: FaultTarget): boolean {
  if ((rule.kind ?? "graph") !== target.kind) return false;
  if (rule.method !== undefined && rule.method !== "*" && rule.method !== target.method) return false;
  return rule.path === undefined || pathPatternMatches(rule.path.split("/"), target.segments);
}

function pathPatternMatches(pattern: readonly string[], segments: readonly string[]): boolean {
  if (pattern.length === 0) return segments.length === 0;
  const [head, ...rest] = pattern;
  if (head === "**") {
    for (let skip = 0; skip <= segments.length; skip++) {
      if (pathPatternMatches(rest, segments.slice(skip))) return true;
    }
    return false;
  }
  if (segments.length === 0) return false;
  const anySegment = head === "*" || head.startsWith(":");
  if (!anySegment && head.toLowerCase() !== segments[0].toLowerCase()) return false;
  return pathPatternMatches(rest, segments.slice(1));
}
