/**
 * Connection settings, resolved in the provider process (never passed as resource inputs and never
 * captured in the serialized provider). Order, first hit wins for each setting:
 *   1. stack config `entra-sync:<name>`
 *   2. stack config `azuread:<name>` (a stack that already configures @pulumi/azuread needs nothing)
 *   3. environment `ARM_*` (as @pulumi/azuread and Terraform read it), then `AZURE_*` (as
 *      @azure/identity reads it), plus ENTRA_SYNC_GRAPH_ENDPOINT
 *   4. nothing: DefaultAzureCredential decides.
 * The same resolution gives the retry and consistency bounds (retryDeadlineSeconds, maxRetries,
 * consistencyTimeoutSeconds; see retry/policy.ts).
 */

import { ConfigurationError } from "./user-facing";

export interface ConnectionSettings {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  clientCertificatePath?: string;
  clientCertificatePassword?: string;
  useOidc?: boolean;
  oidcToken?: string;
  oidcTokenFilePath?: string;
  authorityHost?: string;
  graphEndpoint: string;
  graphApiVersion: "v1.0" | "beta";
  /** Deadline for waiting out eventual consistency (new jobs, secrets, deletes). */
  consistencyTimeoutMs: number;
  /** How long one Graph call may keep retrying throttling and transient failures. */
  retryDeadlineMs: number;
  /** How many times one Graph call is sent again after throttling or transient failures. */
  maxRetries: number;
}

/** The subset of Pulumi's configure() request we read: `get` with a fully qualified key. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

type Env = Record<string, string | undefined>;

interface SettingSource {
  /** Config key name under `entra-sync:` and `azuread:`. */
  config: string;
  /** Environment variables, in order. */
  env: string[];
}

type NumericSetting = "consistencyTimeoutMs" | "retryDeadlineMs" | "maxRetries";

const SOURCES: Record<Exclude<keyof ConnectionSettings, "graphEndpoint" | "graphApiVersion" | NumericSetting>, SettingSource> & {
  graphEndpoint: SettingSource;
  graphApiVersion: SettingSource;
  consistencyTimeoutSeconds: SettingSource;
  retryDeadlineSeconds: SettingSource;
  maxRetries: SettingSource;
} = {
  tenantId: { config: "tenantId", env: ["ARM_TENANT_ID", "AZURE_TENANT_ID"] },
  clientId: { config: "clientId", env: ["ARM_CLIENT_ID", "AZURE_CLIENT_ID"] },
  clientSecret: { config: "clientSecret", env: ["ARM_CLIENT_SECRET", "AZURE_CLIENT_SECRET"] },
  clientCertificatePath: {
    config: "clientCertificatePath",
    env: ["ARM_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"],
  },
  clientCertificatePassword: {
    config: "clientCertificatePassword",
    env: ["ARM_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"],
  },
  useOidc: { config: "useOidc", env: ["ARM_USE_OIDC"] },
  oidcToken: { config: "oidcToken", env: ["ARM_OIDC_TOKEN"] },
  oidcTokenFilePath: { config: "oidcTokenFilePath", env: ["ARM_OIDC_TOKEN_FILE_PATH", "AZURE_FEDERATED_TOKEN_FILE"] },
  authorityHost: { config: "authorityHost", env: ["AZURE_AUTHORITY_HOST"] },
  graphEndpoint: { config: "graphEndpoint", env: ["ENTRA_SYNC_GRAPH_ENDPOINT"] },
  graphApiVersion: { config: "graphApiVersion", env: ["ENTRA_SYNC_GRAPH_API_VERSION"] },
  consistencyTimeoutSeconds: { config: "consistencyTimeoutSeconds", env: ["ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS"] },
  retryDeadlineSeconds: { config: "retryDeadlineSeconds", env: ["ENTRA_SYNC_RETRY_DEADLINE_SECONDS"] },
  maxRetries: { config: "maxRetries", env: ["ENTRA_SYNC_MAX_RETRIES"] },
};

export const DEFAULT_GRAPH_ENDPOINT = "https://graph.microsoft.com";
export const DEFAULT_CONSISTENCY_TIMEOUT_MS = 5 * 60_000;
/** Long enough for a few Retry-After waits of real Graph throttling, short enough to fail a run visibly. */
export const DEFAULT_RETRY_DEADLINE_MS = 2 * 60_000;
/** As many as Graph's own SDK allows (3) plus room for a throttled burst. */
export const DEFAULT_MAX_RETRIES = 5;

export function resolveConnectionSettings(config: ConfigSource | undefined, env: Env = process.env): ConnectionSettings {
  const pick = (source: SettingSource): string | undefined => {
    for (const ns of ["entra-sync", "azuread"]) {
      const v = config?.get(`${ns}:${source.config}`);
      if (v !== undefined && v !== "") return v;
    }
    for (const name of source.env) {
      const v = env[name];
      if (v !== undefined && v !== "") return v;
    }
    return undefined;
  };
  const version = pick(SOURCES.graphApiVersion) ?? "v1.0";
  if (version !== "v1.0" && version !== "beta") {
    throw new ConfigurationError(`entra-sync:graphApiVersion must be "v1.0" or "beta", got "${version}"`);
  }
  const useOidc = pick(SOURCES.useOidc);
  // Number() reads "Infinity" and "1e400" as Infinity: a bound that never ends is refused too.
  const timeout = pick(SOURCES.consistencyTimeoutSeconds);
  if (timeout !== undefined && !(Number(timeout) > 0 && Number.isFinite(Number(timeout)))) {
    throw new ConfigurationError(`entra-sync:consistencyTimeoutSeconds must be a positive number of seconds, got "${timeout}"`);
  }
  const retryDeadline = pick(SOURCES.retryDeadlineSeconds);
  if (retryDeadline !== undefined && !(Number(retryDeadline) >= 0 && Number.isFinite(Number(retryDeadline)))) {
    throw new ConfigurationError(`entra-sync:retryDeadlineSeconds must be a number of seconds (0 or more), got "${retryDeadline}"`);
  }
  const maxRetries = pick(SOURCES.maxRetries);
  if (maxRetries !== undefined && !(/^\d+$/.test(maxRetries.trim()) && Number.isSafeInteger(Number(maxRetries)))) {
    throw new ConfigurationError(`entra-sync:maxRetries must be a whole number (0 or more), got "${maxRetries}"`);
  }
  return {
    tenantId: pick(SOURCES.tenantId),
    clientId: pick(SOURCES.clientId),
    clientSecret: pick(SOURCES.clientSecret),
    clientCertificatePath: pick(SOURCES.clientCertificatePath),
    clientCertificatePassword: pick(SOURCES.clientCertificatePassword),
    useOidc: useOidc === undefined ? undefined : /^(true|1|yes)$/i.test(useOidc),
    oidcToken: pick(SOURCES.oidcToken),
    oidcTokenFilePath: pick(SOURCES.oidcTokenFilePath),
    authorityHost: pick(SOURCES.authorityHost),
    graphEndpoint: (pick(SOURCES.graphEndpoint) ?? DEFAULT_GRAPH_ENDPOINT).replace(/\/+$/, ""),
    graphApiVersion: version,
    consistencyTimeoutMs: timeout === undefined ? DEFAULT_CONSISTENCY_TIMEOUT_MS : Number(timeout) * 1000,
    retryDeadlineMs: retryDeadline === undefined ? DEFAULT_RETRY_DEADLINE_MS : Number(retryDeadline) * 1000,
    maxRetries: maxRetries === undefined ? DEFAULT_MAX_RETRIES : Number(maxRetries),
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
