/**
 * The SCIM target's authentication: "Accept a single bearer token for authentication and
 * authorization of Microsoft Entra ID to your application" (Develop a SCIM endpoint,
 * requirements table). The Entra provisioning service sends the Secret Token as
 * `Authorization: Bearer <token>`.
 */
import { timingSafeEqual } from "node:crypto";

export function presentsBearerToken(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1], "utf8");
  const wanted = Buffer.from(expected, "utf8");
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** RFC 6750 §3: the challenge a protected resource sends with a 401. */
export const BEARER_CHALLENGE = 'Bearer realm="scim", error="invalid_token"';
