/**
 * SynchronizationSecrets: the provisioning credentials and settings stored on a service principal
 * (`PUT/GET .../synchronization/secrets`), e.g. BaseAddress + SecretToken of a SCIM target.
 *
 * Only the keys the program declares are managed: keys written by the portal or another tool are
 * left alone (and reported in `unmanagedKeys`). Graph masks sensitive values on read, so drift is
 * detected by key presence, plus by value for keys Graph returns unmasked. Values are Pulumi
 * secrets in the program and in state.
 *
 * Graph calls: create/update = PUT + GET until the keys read back; read = GET; delete = PUT of the
 * managed keys with empty values + GET until they are gone.
 */

import * as pulumi from "@pulumi/pulumi";
import { graphApi } from "../graph/client";
import { waitUntil } from "../graph/consistency";
import { isNotFound } from "../graph/errors";
import { secretsPath, servicePrincipalPath } from "../graph/paths";
import { withServicePrincipalLock } from "../graph/servicePrincipalLock";
import { SYNCHRONIZATION_SECRET_KEYS, SynchronizationSecretKeyStringValuePair } from "../graph/types";
import { CheckFailure, checkObjectId, describe, didYouMean, isUnknown } from "../validation";
import { changed, CheckResult, configureFromStack, GONE, ResourceHandler } from "./handler";
import { EntraSyncResource } from "./shim";

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
  credentials: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface SecretsInputs {
  servicePrincipalId: string;
  credentials: Record<string, string>;
}

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
        credentials: pulumi.secret(args.credentials),
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

function checkCredentials(value: unknown, failures: CheckFailure[]): void {
  if (isUnknown(value)) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    failures.push({ property: "credentials", reason: `credentials must be a map of secret key to value, got ${describe(value)}` });
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) {
    failures.push({ property: "credentials", reason: "credentials must name at least one secret key, e.g. BaseAddress and SecretToken" });
  }
  for (const [key, v] of entries) {
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

function outputsOf(sp: string, credentials: Record<string, string>, live: Map<string, string>): SecretsOutputs {
  const keys = Object.keys(credentials).sort();
  return {
    stateVersion: SECRETS_STATE_VERSION,
    servicePrincipalId: sp,
    credentials,
    keys,
    unmanagedKeys: [...live.keys()].filter((k) => !(k in credentials)).sort(),
  };
}

const secretsResourceId = (sp: string) => `/servicePrincipals/${sp}/synchronization/secrets`;

export const handler: ResourceHandler<SecretsInputs, SecretsOutputs> = {
  configure: configureFromStack,

  async check(_olds, news): Promise<CheckResult<SecretsInputs>> {
    const failures: CheckFailure[] = [];
    checkObjectId("servicePrincipalId", news.servicePrincipalId, "service principal", failures);
    checkCredentials(news.credentials, failures);
    if (failures.length > 0) return { failures };
    return {
      inputs: {
        servicePrincipalId: news.servicePrincipalId as string,
        credentials: news.credentials as Record<string, string>,
      },
    };
  },

  async diff(_id, olds, news) {
    const replaces = isUnknown(news.servicePrincipalId) || olds.servicePrincipalId !== news.servicePrincipalId ? ["servicePrincipalId"] : [];
    const credentialsChanged = isUnknown(news.credentials) || changed(sorted(olds.credentials), sorted(news.credentials));
    return { changes: replaces.length > 0 || credentialsChanged, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const sp = inputs.servicePrincipalId;
    const live = await withServicePrincipalLock(sp, () => writeSecrets(sp, inputs.credentials, []));
    return { id: secretsResourceId(sp), outs: outputsOf(sp, inputs.credentials, live) };
  },

  async read(id, props) {
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
    const outs = outputsOf(sp, credentials, live ?? new Map());
    return { id, props: outs, inputs: { servicePrincipalId: sp, credentials } as SecretsOutputs };
  },

  async update(_id, olds, news) {
    const sp = news.servicePrincipalId;
    const set = Object.fromEntries(
      Object.entries(news.credentials).filter(([k, v]) => olds.credentials?.[k] !== v),
    );
    const remove = Object.keys(olds.credentials ?? {}).filter((k) => !(k in news.credentials));
    const live = await withServicePrincipalLock(sp, () => writeSecrets(sp, set, remove));
    return { outs: outputsOf(sp, news.credentials, live) };
  },

  async delete(_id, props) {
    const sp = props.servicePrincipalId;
    await withServicePrincipalLock(sp, async () => {
      try {
        await writeSecrets(sp, {}, Object.keys(props.credentials ?? {}));
      } catch (e) {
        if (!isNotFound(e)) throw e; // the service principal is gone, and its secrets with it
      }
    });
  },
};

function sorted(record: Record<string, string> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
