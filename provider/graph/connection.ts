/**
 * Connection settings, resolved in the provider process (never passed as resource inputs and never
 * captured in the serialized provider):
 *   - how to sign in: one coherent set from the first source that names one (sign-in.ts);
 *   - which cloud: `environment` / `metadataHost`, or explicit endpoints (cloud.ts);
 *   - the Graph API version and the retry and consistency bounds (retryDeadlineSeconds,
 *     maxRetries, consistencyTimeoutSeconds; see retry/policy.ts).
 * Settings that are not credentials are read one by one, first hit wins: stack config
 * `entra-sync:<name>`, then `azuread:<name>` for the names azuread has, then the environment.
 */

import { chooseCloud, type CloudChoice, type CloudSettings, type Named } from "./cloud";
import { type ConfigSource, resolveSignIn, type SignInSettings } from "./sign-in";
import { ConfigurationError } from "./user-facing";

export type { ConfigSource } from "./sign-in";

export interface ConnectionSettings {
  /** How to sign in (see sign-in.ts); its tenant and client id are repeated below. */
  signIn: SignInSettings;
  tenantId?: string;
  clientId?: string;
  /** The cloud: known now, or read from a metadata host before the first request (cloud.ts). */
  cloud: CloudChoice;
  /**
   * Where Graph requests go. For a cloud read from a metadata host it is not known yet: then this
   * is the metadata service's address, which tells tenants apart just as well (ownership keys).
   */
  graphEndpoint: string;
  graphApiVersion: "v1.0" | "beta";
  /** Deadline for waiting out eventual consistency (new jobs, secrets, deletes). */
  consistencyTimeoutMs: number;
  /** How long one Graph call may keep retrying throttling and transient failures. */
  retryDeadlineMs: number;
  /** How many times one Graph call is sent again after throttling or transient failures. */
  maxRetries: number;
}

type Env = Record<string, string | undefined>;

interface SettingSource {
  /** Config key name under `entra-sync:`. */
  config: string;
  /** Whether azuread has the same key (then `azuread:<config>` is read too). */
  azuread?: true;
  /** Environment variables, in order. */
  env: string[];
}

const SOURCES = {
  environment: { config: "environment", azuread: true, env: ["ARM_ENVIRONMENT"] },
  metadataHost: { config: "metadataHost", azuread: true, env: ["ARM_METADATA_HOSTNAME"] },
  authorityHost: { config: "authorityHost", env: ["AZURE_AUTHORITY_HOST"] },
  graphEndpoint: { config: "graphEndpoint", env: ["ENTRA_SYNC_GRAPH_ENDPOINT"] },
  graphApiVersion: { config: "graphApiVersion", env: ["ENTRA_SYNC_GRAPH_API_VERSION"] },
  consistencyTimeoutSeconds: { config: "consistencyTimeoutSeconds", env: ["ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS"] },
  retryDeadlineSeconds: { config: "retryDeadlineSeconds", env: ["ENTRA_SYNC_RETRY_DEADLINE_SECONDS"] },
  maxRetries: { config: "maxRetries", env: ["ENTRA_SYNC_MAX_RETRIES"] },
} satisfies Record<string, SettingSource>;

const DEFAULT_CONSISTENCY_TIMEOUT_MS = 5 * 60_000;
/** Long enough for a few Retry-After waits of real Graph throttling, short enough to fail a run visibly. */
export const DEFAULT_RETRY_DEADLINE_MS = 2 * 60_000;
/** As many as Graph's own SDK allows (3) plus room for a throttled burst. */
export const DEFAULT_MAX_RETRIES = 5;

export function resolveConnectionSettings(config: ConfigSource | undefined, env: Env = process.env): ConnectionSettings {
  const pick = (source: SettingSource): Named | undefined => {
    for (const ns of source.azuread ? ["entra-sync", "azuread"] : ["entra-sync"]) {
      const name = `${ns}:${source.config}`;
      const v = config?.get(name);
      if (v !== undefined && v.trim() !== "") return { value: v.trim(), name };
    }
    for (const name of source.env) {
      const v = env[name];
      if (v !== undefined && v.trim() !== "") return { value: v.trim(), name };
    }
    return undefined;
  };
  const versionSetting = pick(SOURCES.graphApiVersion);
  const version = versionSetting?.value ?? "v1.0";
  if (version !== "v1.0" && version !== "beta") {
    throw new ConfigurationError(`${versionSetting!.name} must be "v1.0" or "beta", got "${version}"`);
  }
  // Number() reads "Infinity" and "1e400" as Infinity: a bound that never ends is refused too.
  const timeout = pick(SOURCES.consistencyTimeoutSeconds);
  if (timeout && !(Number(timeout.value) > 0 && Number.isFinite(Number(timeout.value)))) {
    throw new ConfigurationError(`${timeout.name} must be a positive number of seconds, got "${timeout.value}"`);
  }
  const retryDeadline = pick(SOURCES.retryDeadlineSeconds);
  if (retryDeadline && !(Number(retryDeadline.value) >= 0 && Number.isFinite(Number(retryDeadline.value)))) {
    throw new ConfigurationError(`${retryDeadline.name} must be a number of seconds (0 or more), got "${retryDeadline.value}"`);
  }
  const maxRetries = pick(SOURCES.maxRetries);
  if (maxRetries && !(/^\d+$/.test(maxRetries.value) && Number.isSafeInteger(Number(maxRetries.value)))) {
    throw new ConfigurationError(`${maxRetries.name} must be a whole number (0 or more), got "${maxRetries.value}"`);
  }
  const cloudSettings: CloudSettings = {
    environment: pick(SOURCES.environment),
    metadataHost: pick(SOURCES.metadataHost),
    authorityHost: pick(SOURCES.authorityHost),
    graphEndpoint: pick(SOURCES.graphEndpoint),
  };
  const cloud = chooseCloud(cloudSettings);
  const signIn = resolveSignIn(config, env);
  return {
    signIn,
    tenantId: signIn.tenantId?.value,
    clientId: signIn.clientId?.value,
    cloud,
    graphEndpoint: cloud.kind === "known" ? cloud.cloud.graphEndpoint : `https://${cloud.metadataHost.value}`,
    graphApiVersion: version,
    consistencyTimeoutMs: timeout ? Number(timeout.value) * 1000 : DEFAULT_CONSISTENCY_TIMEOUT_MS,
    retryDeadlineMs: retryDeadline ? Number(retryDeadline.value) * 1000 : DEFAULT_RETRY_DEADLINE_MS,
    maxRetries: maxRetries ? Number(maxRetries.value) : DEFAULT_MAX_RETRIES,
  };
}

/**
 * The settings of this provider process. `configure()` of every resource's shim sets them from the
 * stack config; until then (e.g. tests calling handlers directly) the environment alone is used.
 */
let current: ConnectionSettings | undefined;

export function configureConnection(config: ConfigSource | undefined): void {
  current = resolveConnectionSettings(config);
}

export function connectionSettings(): ConnectionSettings {
  return current ?? resolveConnectionSettings(undefined);
}

/** For tests: forget what configure() set, so the environment is read again. */
export function resetConnectionSettings(): void {
  current = undefined;
}
