/**
 * The handler of SynchronizationSecrets (../program/secrets.ts): the provisioning credentials and
 * settings stored on a service principal (`PUT/GET .../synchronization/secrets`), e.g. BaseAddress
 * + SecretToken of a SCIM target.
 *
 * Provisioning settings (scope, notification e-mail, accidental-deletion threshold, ...) live in
 * the same key/value store; they are declared as typed inputs and written to their keys by
 * ../settings/provisioning-settings.ts.
 *
 * Only the keys the program declares are managed: keys written by the portal or another tool are
 * left alone (and reported in `unmanagedKeys`). Graph masks sensitive values on read, so drift is
 * detected by key presence, plus by value for keys Graph returns unmasked. Credential values are
 * Pulumi secrets in the program and in state; settings are not secret.
 *
 * Ownership (README "Ownership"): keys another resource of the same program declares are never
 * removed by this one's update or delete (a rename, a replacement), a replacement deletes the old
 * resource before it creates the new one (the secrets of a service principal are one set), and a
 * write that a killed `pulumi up` left unfinished is done again (secrets-revision.ts).
 *
 * Graph calls: create/update = (POST validateCredentials when asked and the credentials change) +
 * PUT + GET until the keys read back; read = GET (+ POST validateCredentials with the saved
 * credentials when `validateCredentials` is on); delete = PUT of the managed keys with empty
 * values + GET until they are gone.
 */

import { graphApi } from "../graph/client";
import { waitUntil } from "../graph/wait";
import { readOrGone } from "../graph/errors";
import { secretsPath, servicePrincipalPath } from "../graph/paths";
import { withServicePrincipalLock } from "../graph/service-principal-lock";
import type { SynchronizationSecretKeyStringValuePair } from "../graph/types";
import { SECRET_KEYS } from "../program/secrets";
import { rememberSecretValues } from "../redaction";
import { resourceIds } from "../state/ids";
import { checkSettings, pickSettings, type ProvisioningSettings, SETTING_NAMES, settingsFromSecrets, settingsToSecrets } from "../settings/provisioning-settings";
import { declareHeld, isHeldByProgram } from "../ownership/held-by-program";
import { checkBaseAddress } from "../settings/credential-values";
import { type CheckFailure, checkIdentifier, checkObjectId, checkOptionalBoolean, describe, didYouMean, isUnknown } from "../validation";
import { changed, type CheckResult, configureFromStack, GONE, rejectUnknownInputs, replacementsOf, type ResourceHandler, type Versioned } from "./handler";
import { logLine } from "../graph/log";
import { deepEqual } from "../schema/stable-json";
import { savedCredentialsRejection, validateCredentials } from "./validate-credentials";

/**
 * Keys whose value is a JSON document. Graph rejects an empty value for them (so they cannot be
 * removed: terraform-provider-azuread#973), so removing one writes its neutral value instead.
 */
const JSON_VALUED_KEYS: Readonly<Record<string, string>> = {
  SyncNotificationSettings: JSON.stringify({ Enabled: false, DeleteThresholdEnabled: false }),
};

export interface SecretsInputs extends ProvisioningSettings {
  servicePrincipalId: string;
  credentials: Record<string, string>;
  validateCredentials?: boolean;
  templateId?: string;
  jobId?: string;
  adoptMaskedValues?: boolean;
  /** The SynchronizationSecretsRevision's revision: the write the program asks for. */
  revision?: number;
}

const OPERATION_NAMES = ["validateCredentials", "templateId", "jobId", "adoptMaskedValues"] as const;
const INPUT_KEYS: readonly string[] = ["servicePrincipalId", "credentials", ...SETTING_NAMES, ...OPERATION_NAMES, "revision"];

export interface SecretsOutputs extends SecretsInputs, Versioned {
  /** The managed keys, sorted. */
  keys: string[];
  /** Keys present on the service principal that this resource does not manage (last read). */
  unmanagedKeys: string[];
}

/** Graph answers "*" (or another run of asterisks) for values it will not reveal. */
export const isMasked = (v: string | null | undefined) => v === null || v === undefined || /^\*+$/.test(v);

function checkCredentials(value: unknown, settings: Record<string, string>, failures: CheckFailure[]): void {
  if (isUnknown(value)) return;
  if (value === undefined || value === null) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    failures.push({ property: "credentials", reason: `credentials must be a map of secret key to value, got ${describe(value)}` });
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 && Object.keys(settings).length === 0) {
    failures.push({
      property: "credentials",
      reason: "credentials must name at least one secret key, e.g. BaseAddress and SecretToken (or declare a provisioning setting)",
    });
  }
  for (const [key, v] of entries) {
    // Own properties only: `in` also finds Object.prototype's members, so "__proto__" or
    // "constructor" passed for a key written by the typed settings.
    if (Object.hasOwn(settings, key)) {
      failures.push({ property: `credentials.${key}`, reason: `${key} is also written by the typed settings; set it in one place only` });
      continue;
    }
    const property = `credentials.${key}`;
    if (!SECRET_KEYS.includes(key)) {
      const suggestion = didYouMean(key, SECRET_KEYS);
      failures.push({
        property,
        reason: `"${key}" is not a synchronization secret key` + (suggestion ? `; did you mean "${suggestion}"?` : `; valid keys: ${SECRET_KEYS.join(", ")}`),
      });
      continue;
    }
    if (isUnknown(v)) continue;
    // Never echo a value in a failure: it is a secret.
    if (typeof v !== "string") {
      failures.push({ property, reason: `${property} must be a string (got a ${Array.isArray(v) ? "array" : typeof v})` });
    } else if (v === "") {
      failures.push({ property, reason: `${property} must not be empty (remove the key from the map to stop managing it)` });
    } else if (Object.hasOwn(JSON_VALUED_KEYS, key) && !isJsonObject(v)) {
      failures.push({ property, reason: `${property} must be a JSON object, e.g. ${JSON_VALUED_KEYS[key]}` });
    } else if (key === "BaseAddress") {
      checkBaseAddress(property, v, failures);
    }
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function checkValidation(news: Record<string, unknown>, failures: CheckFailure[]): void {
  checkOptionalBoolean("validateCredentials", news.validateCredentials, failures);
  checkOptionalBoolean("adoptMaskedValues", news.adoptMaskedValues, failures);
  if (news.templateId !== undefined && news.templateId !== null) checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
  if (news.jobId !== undefined && news.jobId !== null) checkIdentifier("jobId", news.jobId, "synchronization job id", failures);
  const absent = (v: unknown) => v === undefined || v === null;
  if (news.validateCredentials === true && absent(news.templateId) && absent(news.jobId)) {
    failures.push({
      property: "validateCredentials",
      reason: 'validateCredentials needs templateId (e.g. "scim") or jobId, to know which application to test the credentials against',
    });
  }
}

/** The declared operation inputs, without undefined members. */
function operationsOf(source: Partial<SecretsInputs>): Pick<SecretsInputs, (typeof OPERATION_NAMES)[number]> {
  const out: Record<string, unknown> = {};
  for (const k of OPERATION_NAMES) if (source[k] !== undefined && source[k] !== null) out[k] = source[k];
  return out;
}

/** Every key this resource writes, with its value: the credentials and the typed settings. */
export function managedSecrets(inputs: Partial<SecretsInputs>): Record<string, string> {
  return { ...(inputs.credentials ?? {}), ...settingsToSecrets(pickSettings(inputs)) };
}

async function readLiveSecrets(sp: string): Promise<Map<string, string> | undefined> {
  const page = await readOrGone(() => graphApi().get<{ value: SynchronizationSecretKeyStringValuePair[] }>(secretsPath(sp), "read synchronization secrets"));
  return page && new Map((page.value ?? []).map((p) => [p.key, p.value]));
}

/** Write `set` and remove `remove`, then wait until a read shows exactly that for those keys. */
async function writeSecrets(sp: string, set: Record<string, string>, remove: string[]): Promise<Map<string, string>> {
  const value = [...Object.entries(set).map(([key, v]) => ({ key, value: v })), ...remove.map((key) => ({ key, value: JSON_VALUED_KEYS[key] ?? "" }))];
  if (value.length === 0) return (await readLiveSecrets(sp)) ?? new Map();
  await graphApi().put(secretsPath(sp), { value }, "write synchronization secrets");
  // Wait on the keys themselves, never on a count (terraform-provider-azuread#1013 hangs on counts).
  const removable = remove.filter((k) => !(k in JSON_VALUED_KEYS));
  let live = new Map<string, string>();
  await waitUntil(
    async () => {
      live = (await readLiveSecrets(sp)) ?? new Map<string, string>();
      return Object.keys(set).every((k) => live.has(k)) && removable.every((k) => !live.has(k));
    },
    { description: "synchronization secrets to read back as written", timeoutMs: graphApi().settings.consistencyTimeoutMs },
  );
  return live;
}

function outputsOf(inputs: SecretsInputs, live: Map<string, string>): SecretsOutputs {
  const managed = managedSecrets(inputs);
  return {
    servicePrincipalId: inputs.servicePrincipalId,
    credentials: inputs.credentials,
    ...pickSettings(inputs),
    ...operationsOf(inputs),
    ...(inputs.revision !== undefined ? { revision: inputs.revision } : {}),
    keys: Object.keys(managed).sort(),
    unmanagedKeys: [...live.keys()].filter((k) => !Object.hasOwn(managed, k)).sort(),
  };
}

/** Validate before writing, when asked to and when there are credentials to validate. */
async function validateIfAsked(inputs: SecretsInputs): Promise<void> {
  if (!inputs.validateCredentials || Object.keys(inputs.credentials).length === 0) return;
  await validateCredentials(inputs.servicePrincipalId, inputs.credentials, { jobId: inputs.jobId, templateId: inputs.templateId });
}

/**
 * True when the program asks for a write the stored outputs do not record: the revision moved
 * since the last write that completed, so a write may have been cut off half way (or a new value
 * is declared). (Outputs stored before revisions existed get theirs from the state contract.)
 */
function revisionAhead(olds: Partial<SecretsOutputs>, news: Partial<SecretsInputs>): boolean {
  if (isUnknown(news.revision)) return true;
  return news.revision !== undefined && olds.revision !== news.revision;
}

/** Keys to remove from Graph, less those another resource of the program declares (a rename, a replacement). */
function keysToRemove(sp: string, keys: string[]): string[] {
  return keys.filter((key) => {
    if (!isHeldByProgram("secretKey", sp, key)) return true;
    logLine(`not removing synchronization secret ${key} of service principal ${sp}: another resource of this program declares it`);
    return false;
  });
}

/**
 * True when Graph holds the key with the declared value already. A masked value cannot be
 * compared: it counts as held only when the program says so (`adoptMaskedValues`).
 */
export function alreadyHeld(key: string, declared: string, live: string | undefined, adoptMasked: boolean): boolean {
  if (live === undefined) return false;
  if (isMasked(live)) return adoptMasked;
  if (Object.hasOwn(JSON_VALUED_KEYS, key) && isJsonObject(live) && isJsonObject(declared)) return deepEqual(JSON.parse(live), JSON.parse(declared));
  return live === declared;
}

/** Placeholder that refresh stores for a credential the application rejected: the next diff sees a change. */
const REJECTED_AT_REFRESH = "(rejected by the application at the last refresh)";

export const handler: ResourceHandler<SecretsInputs, SecretsOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<SecretsInputs>> {
    rememberSecretValues(news.credentials); // redacted wherever Graph echoes them
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkSettings(news, failures);
    const settings = pickSettings(news);
    // Unknown settings (preview) still name their keys, so conflicts are found before the values are.
    checkCredentials(news.credentials, settingsToSecrets(settings), failures);
    checkValidation(news, failures);
    if (news.revision !== undefined && !isUnknown(news.revision) && !(Number.isSafeInteger(news.revision) && (news.revision as number) >= 1)) {
      failures.push({ property: "revision", reason: "revision is set by SynchronizationSecrets itself: a positive whole number" });
    }
    rejectUnknownInputs("SynchronizationSecrets", INPUT_KEYS, news, failures);
    if (failures.length > 0) return { failures };
    const inputs: SecretsInputs = {
      servicePrincipalId: news.servicePrincipalId as string,
      credentials: (news.credentials ?? {}) as Record<string, string>,
      ...settings,
      ...operationsOf(news),
      ...(news.revision !== undefined ? { revision: news.revision as number } : {}),
    };
    // The program holds these keys: no other resource's delete of this deployment removes them.
    for (const key of Object.keys(managedSecrets(inputs))) declareHeld("secretKey", inputs.servicePrincipalId, key);
    return { inputs };
  },

  async diff(_id, olds, news) {
    const replaces = replacementsOf<SecretsInputs>(olds, news);
    const credentialsChanged = isUnknown(news.credentials) || changed(sorted(olds.credentials), sorted(news.credentials));
    const settingsChanged = SETTING_NAMES.some((k) => isUnknown(news[k]) || changed(olds[k], news[k]));
    // validateCredentials, templateId and jobId change in place and only matter for later writes.
    const operationsChanged = changed(operationsOf(olds), operationsOf(news));
    const changes = replaces.length > 0 || credentialsChanged || settingsChanged || operationsChanged || revisionAhead(olds, news);
    // One set of secrets per service principal: a replacement removes the old keys before writing the new.
    return { changes, replaces, deleteBeforeReplace: true };
  },

  /** Writes what the service principal does not hold already: secrets that exist are adopted. */
  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    const live = await withServicePrincipalLock(sp, async () => {
      const existing = (await readLiveSecrets(sp)) ?? new Map<string, string>();
      const set = Object.fromEntries(
        Object.entries(managedSecrets(inputs)).filter(([key, value]) => !alreadyHeld(key, value, existing.get(key), inputs.adoptMaskedValues === true)),
      );
      if (Object.keys(set).length === 0) {
        logLine(`synchronization secrets of service principal ${sp}: every declared key is there already; nothing written`);
        return existing;
      }
      await validateIfAsked(inputs);
      return writeSecrets(sp, set, []);
    });
    return { id: resourceIds.secrets(sp), outs: outputsOf(inputs, live) };
  },

  async read(id, props) {
    rememberSecretValues(props.credentials); // refresh runs no check: the stored values, for redaction
    const sp = props.servicePrincipalId;
    const live = await readLiveSecrets(sp);
    if (!live) {
      // No secrets at all: either none are set any more, or the service principal is gone.
      const servicePrincipal = await readOrGone(() => graphApi().get(servicePrincipalPath(sp), "read service principal"));
      if (servicePrincipal === undefined) return GONE;
    }
    const credentials: Record<string, string> = {};
    for (const [key, known] of Object.entries(props.credentials ?? {})) {
      const liveValue = live?.get(key);
      if (liveValue === undefined) continue; // removed out of band: drift
      credentials[key] = isMasked(liveValue) ? known : liveValue;
    }
    // Masked values cannot be compared. When the resource validates credentials, the saved ones are
    // tested as they are: if the application rejects them, they are not the ones declared (a write
    // cut off half way, a change in the portal), and the next up writes them again.
    if (props.validateCredentials && live && Object.keys(credentials).length > 0) {
      const rejection = await savedCredentialsRejection(sp, { jobId: props.jobId, templateId: props.templateId });
      if (rejection) {
        logLine(
          `synchronization secrets of service principal ${sp}: the application rejected the saved credentials (${rejection}); ` +
            `they may differ from the declared ones, and the next pulumi up writes them again`,
        );
        for (const key of Object.keys(credentials)) if (isMasked(live.get(key))) credentials[key] = REJECTED_AT_REFRESH;
      }
    }
    // Settings read back from their keys: a value changed in the portal shows as a setting change.
    const settings = settingsFromSecrets(live ?? new Map(), pickSettings(props));
    const inputs: SecretsInputs = {
      servicePrincipalId: sp,
      credentials,
      ...settings,
      ...operationsOf(props),
      ...(props.revision !== undefined ? { revision: props.revision } : {}),
    };
    return { id, props: outputsOf(inputs, live ?? new Map<string, string>()), inputs: inputs as SecretsOutputs };
  },

  async update(_id, olds, news) {
    const sp = news.servicePrincipalId;
    const before = managedSecrets(olds);
    const after = managedSecrets(news);
    // After an unfinished write nobody knows which values Graph holds: write them all again.
    const rewriteAll = revisionAhead(olds, news);
    const set = Object.fromEntries(Object.entries(after).filter(([k, v]) => rewriteAll || before[k] !== v));
    const remove = keysToRemove(
      sp,
      Object.keys(before).filter((k) => !Object.hasOwn(after, k)),
    );
    const credentialsChanged = rewriteAll || changed(sorted(olds.credentials), sorted(news.credentials));
    const live = await withServicePrincipalLock(sp, async () => {
      if (credentialsChanged) await validateIfAsked(news);
      return writeSecrets(sp, set, remove);
    });
    return { outs: outputsOf(news, live) };
  },

  async delete(_id, props) {
    const sp = props.servicePrincipalId;
    const remove = keysToRemove(sp, Object.keys(managedSecrets(props)));
    await withServicePrincipalLock(sp, async () => {
      // A service principal that is gone took its secrets with it.
      await readOrGone(() => writeSecrets(sp, {}, remove));
    });
  },
};

function sorted(record: Record<string, string> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
