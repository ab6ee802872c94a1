/**
 * Redaction of secrets before anything leaves the tenant store: exchanges handed to listeners,
 * the control plane's state dump, log lines. Secret values are replaced by "***".
 */
import { isSecretKey } from "./secrets";
import type { TenantState } from "./store";

export const REDACTED = "***";

/** Authorization (bearer tokens) and cookies are credentials too. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === "authorization" || lower === "proxy-authorization") {
      const scheme = value.split(" ")[0];
      out[name] = value.includes(" ") ? `${scheme} ${REDACTED}` : REDACTED;
    } else if (lower === "cookie" || lower === "set-cookie") {
      out[name] = REDACTED;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Replace the value of every {key, value} pair whose key is a synchronizationSecret name
 * (secrets PUT/GET bodies, validateCredentials credentials, the synchronization object). The
 * masked "*" Graph returns is left as is. Returns a copy.
 */
export function redactBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactBody);
  if (body === null || typeof body !== "object") return body;
  const obj = body as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.includes("key") && keys.includes("value") && keys.length <= 3 && isSecretKey(obj.key)) {
    const value = obj.value;
    return { ...obj, value: typeof value === "string" && value !== "" && value !== "*" ? REDACTED : value };
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = redactBody(obj[k]);
  return out;
}

/** The tenant state without secret values (sync secrets and client secrets). */
export function redactState(state: TenantState): TenantState {
  const copy = structuredClone(state);
  for (const client of copy.clients) if (client.clientSecret !== undefined) client.clientSecret = REDACTED;
  for (const record of Object.values(copy.synchronization)) {
    if (record.secrets) record.secrets = record.secrets.map((p) => ({ key: p.key, value: REDACTED }));
  }
  return copy;
}
