/**
 * SCIM protocol errors (RFC 7644 §3.12) as SCIMMY raises and renders them. `scimType` is only
 * set for the cases the RFC names (uniqueness, invalidFilter, mutability, ...).
 */
import { Messages, Types } from "scimmy";

type ScimErrorType = "uniqueness" | "invalidFilter" | "invalidSyntax" | "invalidPath" | "noTarget" | "invalidValue" | "mutability";

export function scimError(status: number, scimType: ScimErrorType | undefined, detail: string): InstanceType<typeof Types.Error> {
  // SCIMMY's own code passes null for "no scimType"; its typings say string.
  return new Types.Error(status, scimType ?? (null as unknown as string), detail);
}

export function isScimError(err: unknown): err is InstanceType<typeof Types.Error> {
  return err instanceof Types.Error;
}

/** The urn:ietf:params:scim:api:messages:2.0:Error body for a SCIMMY error. */
export function scimErrorBody(err: InstanceType<typeof Types.Error>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(new Messages.ErrorResponse(err))) as Record<string, unknown>;
}
