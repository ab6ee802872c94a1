/**
 * What a Graph route is: the permission it needs and its handler, and the request a handler gets
 * (the matched route's parameters, the caller's claims, the engine and the consistency windows
 * reads go through).
 */
import type { EmulatorEngine } from "../provisioning/engine";
import type { ConsistencyWindows } from "../faults/consistency";
import type { Permission } from "../identity/permissions";
import type { AccessTokenClaims } from "../identity/tokens";

export interface GraphRequest {
  method: string;
  /** Normalized path segments after the version (see http/router.ts). */
  segments: string[];
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  /** Absolute URL of this request on the emulator's origin. */
  url: URL;
  apiVersion: "v1.0" | "beta";
  caller: AccessTokenClaims;
  engine: EmulatorEngine;
  /** Reads of just-written objects go through it (eventual-consistency faults). */
  consistency: ConsistencyWindows;
}

export interface GraphResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GraphRoute {
  /** Permission the caller's token must carry (checked before the handler runs). */
  permission: Permission;
  handle(req: GraphRequest): GraphResponse | Promise<GraphResponse>;
}

/** `https://host/v1.0/$metadata#<fragment>` */
export function contextUrl(req: GraphRequest, fragment: string): string {
  return `${req.url.origin}/${req.apiVersion}/$metadata#${fragment}`;
}
