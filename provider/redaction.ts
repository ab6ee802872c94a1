/**
 * Redaction of credentials from text the provider passes on: Graph's error messages, job status
 * messages, provisionOnDemand results, progress lines and log lines. Everything that leaves the
 * provider process as a non-secret output, an error or a log line goes through here.
 *
 * Graph's messages about a provisioning target quote the URL it called, which is the app's
 * BaseAddress as the administrator wrote it: user name, password and query string included
 * (`https://user:pass@scim.example.com/scim?token=...`). So, in any text:
 *  - URLs keep scheme, host and path, and lose what may carry credentials: user info
 *    (`https://***@host/...`), query values (`?token=***&filter=***`, names kept) and fragment;
 *  - Authorization and cookie headers quoted in the text keep only their scheme;
 *  - credential values this provider process has been given (rememberSecretValues: the
 *    SynchronizationSecrets handler and validateCredentials register them) become "***" wherever
 *    they appear, e.g. a token a target echoes in its answer.
 * URL redaction stands on its own: a refresh may read a job's status in a process that has not
 * seen the credentials (no secrets resource in the stack, or read in another order).
 */

import { isUnknown } from "./validation";

export const REDACTED = "***";

/** Shorter values are not searched for: they would blank out ordinary words ("true", "admin"). */
const MIN_REMEMBERED_LENGTH = 6;

const remembered = new Set<string>();
/** The remembered values, longest first, so a value containing another is replaced whole. */
let byLength: string[] = [];

/**
 * Remember credential values, to redact them wherever they show up. Takes a map of credentials
 * (key -> value) or a list of values, as a handler receives them (unchecked); anything else, and
 * members that are not strings or are unknown (preview), is ignored. Of a URL only its credential
 * parts are remembered (user name, password, query values, fragment): scheme, host and path are
 * what makes a message useful.
 */
export function rememberSecretValues(values: unknown): void {
  if (!values || typeof values !== "object") return;
  const list = Array.isArray(values) ? values : Object.values(values);
  let added = false;
  for (const value of list) {
    if (typeof value !== "string" || isUnknown(value)) continue;
    for (const part of secretPartsOf(value)) {
      for (const form of spellingsOf(part)) {
        if (form.length >= MIN_REMEMBERED_LENGTH && !remembered.has(form)) {
          remembered.add(form);
          added = true;
        }
      }
    }
  }
  if (added) byLength = [...remembered].sort((a, b) => b.length - a.length);
}

/** For tests: forget every remembered value. */
export function forgetSecretValues(): void {
  remembered.clear();
  byLength = [];
}

/** The text with credentials replaced by "***" (see the module comment). */
export function redactText(text: string): string;
export function redactText(text: string | null): string | null;
export function redactText(text: string | null | undefined): string | null | undefined;
export function redactText(text: string | null | undefined): string | null | undefined {
  if (typeof text !== "string" || text === "") return text;
  let out = text;
  for (const value of byLength) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return redactHeaders(redactUrls(out));
}

/** Whether a name (JSON member, target attribute) says its value is a credential. */
export function isCredentialName(name: string): boolean {
  return /secret|token|password|credential/i.test(name);
}

/** A value named `name`: blanked whole when the name says it is a credential, else redacted text. */
export function redactNamed(name: string, value: string | null): string | null {
  if (value === null) return null;
  return isCredentialName(name) ? REDACTED : redactText(value);
}

/**
 * Every string in a JSON-like value redacted; members named like a credential replaced whole, and
 * `value` members too (the values of secret key/value pairs).
 */
export function redactBody(body: unknown): unknown {
  if (typeof body === "string") return redactText(body);
  if (Array.isArray(body)) return body.map(redactBody);
  if (body && typeof body === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      out[k] = typeof v === "string" && (isCredentialName(k) || /value$/i.test(k)) ? REDACTED : redactBody(v);
    }
    return out;
  }
  return body;
}

// --- URLs ---------------------------------------------------------------------------------------

/**
 * scheme://authority path ?query #fragment, as URLs appear in messages. Each part stops at
 * whitespace, quotes and angle brackets, so a URL inside JSON text or quotes ends where it should;
 * a query value may be a double-quoted word right after '=' or '+', as the provisioning service
 * prints filters (`?filter=userName+eq+"<guid>"`).
 */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>`/?#]*)([^\s"'<>`?#]*)(\?(?:[^\s"'<>`#]|(?<=[=+])"[^"\s]*")*)?(#[^\s"'<>`]*)?/gi;

function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (_match, scheme: string, authority: string, path: string, query?: string, fragment?: string) => {
    const at = authority.lastIndexOf("@");
    const host = at < 0 ? authority : `${REDACTED}@${authority.slice(at + 1)}`;
    return scheme + host + path + (query ? redactQuery(query) : "") + (fragment && fragment.length > 1 ? `#${REDACTED}` : (fragment ?? ""));
  });
}

/** `?a=1&b&c=` -> `?a=***&b&c=`: names stay (they say what was sent), values go. */
function redactQuery(query: string): string {
  const params = query
    .slice(1)
    .split("&")
    .map((param) => {
      const eq = param.indexOf("=");
      return eq < 0 || eq === param.length - 1 ? param : `${param.slice(0, eq)}=${REDACTED}`;
    });
  return `?${params.join("&")}`;
}

// --- headers quoted in text ---------------------------------------------------------------------

const AUTHORIZATION_HEADER = /\b((?:proxy-)?authorization\s*[:=]\s*)([A-Za-z][\w-]*)[ \t]+[^\s,;"']+/gi;
const COOKIE_HEADER = /\b((?:set-)?cookie\s*:[ \t]*)[^\r\n]+/gi;

function redactHeaders(text: string): string {
  return text.replace(AUTHORIZATION_HEADER, `$1$2 ${REDACTED}`).replace(COOKIE_HEADER, `$1${REDACTED}`);
}

// --- remembered values --------------------------------------------------------------------------

/** What of a credential value is secret: all of it, or for a URL its user info, query values and fragment. */
function secretPartsOf(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [value];
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [value];
  const parts = [url.username, url.password, url.hash.slice(1)];
  // Raw values as written, and decoded as URLSearchParams reads them.
  for (const param of url.search.slice(1).split("&")) {
    const eq = param.indexOf("=");
    if (eq >= 0) parts.push(param.slice(eq + 1));
  }
  for (const v of url.searchParams.values()) parts.push(v);
  return parts.filter((p) => p !== "");
}

/** A value as it may appear in text: as is, percent-decoded or -encoded, or escaped in JSON. */
function spellingsOf(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  try {
    forms.add(decodeURIComponent(value));
  } catch {
    // not percent-encoded
  }
  return [...forms];
}
