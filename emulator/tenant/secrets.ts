/**
 * Synchronization secrets (provisioning credentials and settings stored per service principal):
 * reading a PUT body, merging it into the stored set, and masking values on read.
 */
import { SYNCHRONIZATION_SECRET_KEYS, type SynchronizationSecretKey } from "../../provider/graph/types";
import { badRequestBody, syncfabricError, SyncErrorCode } from "../http/errors";
import type { SecretPair } from "./store";

/**
 * Keys whose values GET returns as "*" [OBS terraform: "sensitive values read back as *"]. Which
 * keys count as sensitive is not documented; the emulator masks everything that is a password,
 * token, key or connection string and returns settings and addresses in plain text [INFER].
 */
const MASKED_SECRET_KEYS: ReadonlySet<SynchronizationSecretKey> = new Set<SynchronizationSecretKey>([
  "Password",
  "SecretToken",
  "AppKey",
  "ClientSecret",
  "ConsumerKey",
  "ConsumerSecret",
  "TokenKey",
  "Oauth2AccessToken",
  "Oauth2RefreshToken",
  "Oauth2ClientSecret",
  "Oauth2AuthorizationCode",
  "ConnectionString",
  "SyncAgentCompatibilityKey",
]);

/**
 * Keys whose value is a JSON document. Graph rejects "" for them (400, InvalidNotificationSettings
 * wrapped in UnknownError) instead of deleting the key; "{}" is accepted and kept
 * [OBS msgraph-metadata#347, terraform-provider-azuread#973]. So such a key cannot be removed
 * through the API once set; clients must write a default document instead.
 */
const JSON_VALUED_SECRET_KEYS: ReadonlySet<SynchronizationSecretKey> = new Set<SynchronizationSecretKey>(["SyncNotificationSettings"]);

export function isSecretKey(key: unknown): key is SynchronizationSecretKey {
  return typeof key === "string" && (SYNCHRONIZATION_SECRET_KEYS as readonly string[]).includes(key);
}

/** A key/value pair as sent by a client; a null or "" value means "remove this key". */
interface SecretUpdate {
  key: SynchronizationSecretKey;
  value: string | null;
}

/** Read an array of synchronizationSecretKeyStringValuePair, as Graph's OData reader would. */
export function readSecretPairs(items: unknown, property: string): SecretUpdate[] {
  if (!Array.isArray(items)) {
    throw badRequestBody(`The property '${property}' must be a collection of microsoft.graph.synchronizationSecretKeyStringValuePair.`);
  }
  return items.map((item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw badRequestBody(`Each item of '${property}' must be an object with 'key' and 'value'.`);
    }
    for (const name of Object.keys(item as object)) {
      if (name !== "key" && name !== "value" && !name.includes("@odata.")) {
        throw badRequestBody(
          `The property '${name}' does not exist on type 'microsoft.graph.synchronizationSecretKeyStringValuePair'. Make sure to only use property names that are defined by the type.`,
        );
      }
    }
    const { key, value } = item as { key?: unknown; value?: unknown };
    if (!isSecretKey(key)) {
      throw badRequestBody(`The value '${String(key)}' is not a member of the enum type 'microsoft.graph.synchronizationSecret'.`);
    }
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw badRequestBody(`Cannot convert the value of '${key}' to the expected type 'Edm.String'.`);
    }
    return { key, value: value ?? null };
  });
}

/** Read the body of PUT .../synchronization/secrets: {"value":[{key,value}...]}. */
export function readSecretsPutBody(body: unknown): SecretUpdate[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequestBody("The request body must be a JSON object with a 'value' collection.");
  }
  for (const name of Object.keys(body)) {
    if (name !== "value" && !name.includes("@odata.")) {
      throw badRequestBody(`The property '${name}' does not exist on the request body. Expected only 'value'.`);
    }
  }
  return readSecretPairs((body as { value?: unknown }).value, "value");
}

/**
 * Merge updates into the stored secrets [OBS terraform]: keys are set or replaced, "" or null
 * removes a key, keys not mentioned are kept. All-or-nothing: the whole request is checked first.
 */
export function mergeSecrets(current: SecretPair[] | null, updates: SecretUpdate[]): SecretPair[] {
  for (const u of updates) {
    if (!JSON_VALUED_SECRET_KEYS.has(u.key)) continue;
    if (!isJsonObjectText(u.value)) {
      throw syncfabricError(400, SyncErrorCode.invalidNotificationSettings, null);
    }
  }
  const next = (current ?? []).map((p) => ({ ...p }));
  for (const u of updates) {
    const index = next.findIndex((p) => p.key === u.key);
    if (u.value === null || u.value === "") {
      if (index >= 0) next.splice(index, 1);
    } else if (index >= 0) {
      next[index].value = u.value;
    } else {
      next.push({ key: u.key, value: u.value });
    }
  }
  return next;
}

/** What GET returns for a stored pair. */
export function maskSecret(pair: SecretPair): SecretPair {
  return { key: pair.key, value: MASKED_SECRET_KEYS.has(pair.key) ? "*" : pair.value };
}

export function secretsAsMap(pairs: SecretPair[] | null): Map<string, string> {
  return new Map((pairs ?? []).map((p) => [p.key, p.value]));
}

function isJsonObjectText(value: string | null): boolean {
  if (value === null || value === "") return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
