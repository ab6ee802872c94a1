/**
 * SynchronizationSecrets: the provisioning credentials and settings stored on a service principal
 * (`PUT/GET .../synchronization/secrets`), e.g. BaseAddress + SecretToken of a SCIM target.
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
 * Graph calls: create/update = (POST validateCredentials when asked and the credentials change) +
 * PUT + GET until the keys read back; read = GET; delete = PUT of the managed keys with empty
 * values + GET until they are gone.
 */

import * as pulumi from "@pulumi/pulumi";
import { graphApi } from "../graph/client";
import { waitUntil } from "../graph/consistency";
import { isNotFound } from "../graph/errors";
import { secretsPath, servicePrincipalPath } from "../graph/paths";
import { withServicePrincipalLock } from "../graph/servicePrincipalLock";
import { SYNCHRONIZATION_SECRET_KEYS, SynchronizationSecretKeyStringValuePair } from "../graph/types";
import { rememberSecretValues } from "../redaction";
import {
  checkSettings,
  pickSettings,
  ProvisioningScope,
  ProvisioningSettings,
  SETTING_NAMES,
  settingsFromSecrets,
  settingsToSecrets,
} from "../settings/provisioning-settings";
import { CheckFailure, checkIdentifier, checkObjectId, checkOptionalBoolean, describe, didYouMean, isUnknown } from "../validation";
import { changed, CheckResult, configureFromStack, GONE, ResourceHandler } from "./handler";
import { EntraSyncResource } from "./shim";
import { validateCredentials } from "./validate-credentials";

export const SECRETS_STATE_VERSION = 1;

/** Keys a program may set: the synchronizationSecret enum, less its "None" placeholder. */
export const SECRET_KEYS: readonly string[] = SYNCHRONIZATION_SECRET_KEYS.filter((k) => k !== "None");

/**
 * Keys whose value is a JSON document. Graph rejects an empty value for them (so they cannot be
 * removed: terraform-provider-azuread#973), so removing one writes its neutral value instead.
 */
export const JSON_VALUED_KEYS: Readonly<Record<string, string>> = {
  SyncNotificationSettings: JSON.stringify({ Enabled: false, DeleteThresholdEnabled: false }),
};

export interface SynchronizationSecretsArgs {
  /** Object id of the service principal (enterprise application), not its appId. */
  servicePrincipalId: pulumi.Input<string>;
  /** Secret key -> value, e.g. { BaseAddress: "https://scim.example.com/scim", SecretToken: token }. */
  credentials?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** "assignedUsersAndGroups" (the portal's default) or "allUsersAndGroups": written as SyncAll. */
  provisioningScope?: pulumi.Input<ProvisioningScope>;
  /** Where failure and quarantine e-mails go (SyncNotificationSettings.Recipients). */
  notificationEmail?: pulumi.Input<string>;
  /** Send an e-mail when provisioning fails (SyncNotificationSettings.Enabled). Default: true when notificationEmail is set. */
  sendFailureEmails?: pulumi.Input<boolean>;
  /** Prevent accidental deletions above this many accounts per cycle (SyncNotificationSettings.DeleteThreshold*). */
  accidentalDeletionThreshold?: pulumi.Input<number>;
  /** Keep accounts that leave the scope enabled in the target (SkipOutOfScopeDeletions). */
  skipOutOfScopeDeletions?: pulumi.Input<boolean>;
  /**
   * Test the credentials against the target (Graph validateCredentials) before saving them; a
   * rejection fails the create/update with the target's error and leaves the saved ones alone.
   * Needs `templateId` (before a job exists) or `jobId`.
   */
  validateCredentials?: pulumi.Input<boolean>;
  /** The template the credentials are for, e.g. "scim"; used by validateCredentials. */
  templateId?: pulumi.Input<string>;
  /** A job of this service principal; validateCredentials then tests against it. */
  jobId?: pulumi.Input<string>;
}

export interface SecretsInputs extends ProvisioningSettings {
  servicePrincipalId: string;
  credentials: Record<string, string>;
  validateCredentials?: boolean;
  templateId?: string;
  jobId?: string;
}

const OPERATION_NAMES = ["validateCredentials", "templateId", "jobId"] as const;
const INPUT_KEYS: readonly string[] = ["servicePrincipalId", "credentials", ...SETTING_NAMES, ...OPERATION_NAMES];

export interface SecretsOutputs extends SecretsInputs {
  stateVersion: number;
  /** The managed keys, sorted. */
  keys: string[];
  /** Keys present on the service principal that this resource does not manage (last read). */
  unmanagedKeys: string[];
}

export class SynchronizationSecrets extends EntraSyncResource {
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly credentials: pulumi.Output<Record<string, string>>;
  declare readonly provisioningScope: pulumi.Output<ProvisioningScope | undefined>;
  declare readonly notificationEmail: pulumi.Output<string | undefined>;
  declare readonly sendFailureEmails: pulumi.Output<boolean | undefined>;
  declare readonly accidentalDeletionThreshold: pulumi.Output<number | undefined>;
  declare readonly skipOutOfScopeDeletions: pulumi.Output<boolean | undefined>;
  declare readonly validateCredentials: pulumi.Output<boolean | undefined>;
  declare readonly templateId: pulumi.Output<string | undefined>;
  declare readonly jobId: pulumi.Output<string | undefined>;
  /** Every secret key this resource writes (credentials and settings), sorted. */
  declare readonly keys: pulumi.Output<string[]>;
  declare readonly unmanagedKeys: pulumi.Output<string[]>;
  declare readonly stateVersion: pulumi.Output<number>;

  constructor(name: string, args: SynchronizationSecretsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "SynchronizationSecrets",
      "pulumi-entra-sync/provider/resources/secrets",
      name,
      {
        servicePrincipalId: args.servicePrincipalId,
        // Secret even when the program passes plain strings: these are credentials.
        credentials: pulumi.secret(args.credentials ?? {}),
        provisioningScope: args.provisioningScope,
        notificationEmail: args.notificationEmail,
        sendFailureEmails: args.sendFailureEmails,
        accidentalDeletionThreshold: args.accidentalDeletionThreshold,
        skipOutOfScopeDeletions: args.skipOutOfScopeDeletions,
        validateCredentials: args.validateCredentials,
        templateId: args.templateId,
        jobId: args.jobId,
        keys: undefined,
        unmanagedKeys: undefined,
        stateVersion: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["credentials"] }),
    );
  }
}

// --- handler (runs in the provider process) -----------------------------------------------------

/** Graph answers "*" (or another run of asterisks) for values it will not reveal. */
const isMasked = (v: string | null | undefined) => v === null || v === undefined || /^\*+$/.test(v);

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
    if (key in settings) {
      failures.push({ property: `credentials.${key}`, reason: `${key} is also written by the typed settings; set it in one place only` });
      continue;
    }
    const property = `credentials.${key}`;
    if (!SECRET_KEYS.includes(key)) {
      const suggestion = didYouMean(key, SECRET_KEYS);
      failures.push({
        property,
        reason:
          `"${key}" is not a synchronization secret key` +
          (suggestion ? `; did you mean "${suggestion}"?` : `; valid keys: ${SECRET_KEYS.join(", ")}`),
      });
      continue;
    }
    if (isUnknown(v)) continue;
    // Never echo a value in a failure: it is a secret.
    if (typeof v !== "string") {
      failures.push({ property, reason: `${property} must be a string (got a ${Array.isArray(v) ? "array" : typeof v})` });
    } else if (v === "") {
      failures.push({ property, reason: `${property} must not be empty (remove the key from the map to stop managing it)` });
    } else if (key in JSON_VALUED_KEYS && !isJsonObject(v)) {
      failures.push({ property, reason: `${property} must be a JSON object, e.g. ${JSON_VALUED_KEYS[key]}` });
    }
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function checkValidation(news: Record<string, unknown>, failures: CheckFailure[]): void {
  checkOptionalBoolean("validateCredentials", news.validateCredentials, failures);
  if (news.templateId !== undefined && news.templateId !== null) checkIdentifier("templateId", news.templateId, "synchronization template id", failures);
  if (news.jobId !== undefined && news.jobId !== null) checkIdentifier("jobId", news.jobId, "synchronization job id", failures);
  const absent = (v: unknown) => v === undefined || v === null;
  if (news.validateCredentials === true && absent(news.templateId) && absent(news.jobId)) {
    failures.push({
      property: "validateCredentials",
      reason: "validateCredentials needs templateId (e.g. \"scim\") or jobId, to know which application to test the credentials against",
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
  try {
    const page = await graphApi().get<{ value: SynchronizationSecretKeyStringValuePair[] }>(
      secretsPath(sp),
      "read synchronization secrets",
    );
    return new Map((page.value ?? []).map((p) => [p.key, p.value]));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Write `set` and remove `remove`, then wait until a read shows exactly that for those keys. */
async function writeSecrets(sp: string, set: Record<string, string>, remove: string[]): Promise<Map<string, string>> {
  const value = [
    ...Object.entries(set).map(([key, v]) => ({ key, value: v })),
    ...remove.map((key) => ({ key, value: JSON_VALUED_KEYS[key] ?? "" })),
  ];
  if (value.length === 0) return (await readLiveSecrets(sp)) ?? new Map();
  await graphApi().put(secretsPath(sp), { value }, "write synchronization secrets");
  // Wait on the keys themselves, never on a count (terraform-provider-azuread#1013 hangs on counts).
  const removable = remove.filter((k) => !(k in JSON_VALUED_KEYS));
  let live = new Map<string, string>();
  await waitUntil(
    async () => {
      live = (await readLiveSecrets(sp)) ?? new Map();
      return Object.keys(set).every((k) => live.has(k)) && removable.every((k) => !live.has(k));
    },
    { description: "synchronization secrets to read back as written", timeoutMs: graphApi().settings.consistencyTimeoutMs },
  );
  return live;
}

function outputsOf(inputs: SecretsInputs, live: Map<string, string>): SecretsOutputs {
  const managed = managedSecrets(inputs);
  return {
    stateVersion: SECRETS_STATE_VERSION,
    servicePrincipalId: inputs.servicePrincipalId,
    credentials: inputs.credentials,
    ...pickSettings(inputs),
    ...operationsOf(inputs),
    keys: Object.keys(managed).sort(),
    unmanagedKeys: [...live.keys()].filter((k) => !(k in managed)).sort(),
  };
}

/** Validate before writing, when asked to and when there are credentials to validate. */
async function validateIfAsked(inputs: SecretsInputs): Promise<void> {
  if (!inputs.validateCredentials || Object.keys(inputs.credentials).length === 0) return;
  await validateCredentials(inputs.servicePrincipalId, inputs.credentials, { jobId: inputs.jobId, templateId: inputs.templateId });
}

const secretsResourceId = (sp: string) => `/servicePrincipals/${sp}/synchronization/secrets`;

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
    for (const k of Object.keys(news).filter((k) => !k.startsWith("__"))) {
      if (!INPUT_KEYS.includes(k)) failures.push({ property: k, reason: `${k} is not an input of SynchronizationSecrets` });
    }
    if (failures.length > 0) return { failures };
    return {
      inputs: {
        servicePrincipalId: news.servicePrincipalId as string,
        credentials: (news.credentials ?? {}) as Record<string, string>,
        ...settings,
        ...operationsOf(news as Partial<SecretsInputs>),
      },
    };
  },

  async diff(_id, olds, news) {
    const replaces = isUnknown(news.servicePrincipalId) || olds.servicePrincipalId !== news.servicePrincipalId ? ["servicePrincipalId"] : [];
    const credentialsChanged = isUnknown(news.credentials) || changed(sorted(olds.credentials), sorted(news.credentials));
    const settingsChanged = SETTING_NAMES.some((k) => isUnknown(news[k]) || changed(olds[k], news[k]));
    // validateCredentials, templateId and jobId change in place and only matter for later writes.
    const operationsChanged = changed(operationsOf(olds), operationsOf(news));
    return { changes: replaces.length > 0 || credentialsChanged || settingsChanged || operationsChanged, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    const live = await withServicePrincipalLock(sp, async () => {
      await validateIfAsked(inputs);
      return writeSecrets(sp, managedSecrets(inputs), []);
    });
    return { id: secretsResourceId(sp), outs: outputsOf(inputs, live) };
  },

  async read(id, props) {
    rememberSecretValues(props.credentials); // refresh runs no check: the stored values, for redaction
    const sp = props.servicePrincipalId;
    const live = await readLiveSecrets(sp);
    if (!live) {
      // No secrets at all: either none are set any more, or the service principal is gone.
      try {
        await graphApi().get(servicePrincipalPath(sp), "read service principal");
      } catch (e) {
        if (isNotFound(e)) return GONE;
        throw e;
      }
    }
    const credentials: Record<string, string> = {};
    for (const [key, known] of Object.entries(props.credentials ?? {})) {
      const liveValue = live?.get(key);
      if (liveValue === undefined) continue; // removed out of band: drift
      credentials[key] = isMasked(liveValue) ? known : liveValue;
    }
    // Settings read back from their keys: a value changed in the portal shows as a setting change.
    const settings = settingsFromSecrets(live ?? new Map(), pickSettings(props));
    const inputs: SecretsInputs = { servicePrincipalId: sp, credentials, ...settings, ...operationsOf(props) };
    return { id, props: outputsOf(inputs, live ?? new Map()), inputs: inputs as SecretsOutputs };
  },

  async update(_id, olds, news) {
    const sp = news.servicePrincipalId;
    const before = managedSecrets(olds);
    const after = managedSecrets(news);
    const set = Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v));
    const remove = Object.keys(before).filter((k) => !(k in after));
    const credentialsChanged = changed(sorted(olds.credentials), sorted(news.credentials));
    const live = await withServicePrincipalLock(sp, async () => {
      if (credentialsChanged) await validateIfAsked(news);
      return writeSecrets(sp, set, remove);
    });
    return { outs: outputsOf(news, live) };
  },

  async delete(_id, props) {
    const sp = props.servicePrincipalId;
    await withServicePrincipalLock(sp, async () => {
      try {
        await writeSecrets(sp, {}, Object.keys(managedSecrets(props)));
      } catch (e) {
        if (!isNotFound(e)) throw e; // the service principal is gone, and its secrets with it
      }
    });
  },
};

function sorted(record: Record<string, string> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
