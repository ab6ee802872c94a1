/**
 * How the provider signs in, read as one coherent set from one source. Sources, in order:
 *   1. stack config `entra-sync:*`
 *   2. stack config `azuread:*` (the names @pulumi/azuread uses, so such a stack needs nothing)
 *   3. environment `ARM_*` (as azuread and Terraform read it)
 *   4. environment `AZURE_*` (as @azure/identity's EnvironmentCredential and
 *      WorkloadIdentityCredential read it)
 *   5. none of them: DefaultAzureCredential decides.
 * The first source that names a client id (or turns on a managed identity, the Azure CLI or AKS
 * workload identity) supplies the tenant, the client id and the credential: a client id from stack
 * config is never combined with another application's ARM_CLIENT_SECRET. Settings of a source
 * before the chosen one that the chosen one does not repeat are an error rather than ignored.
 *
 * Besides the sources, two values come from the platform the program runs on, whatever the source:
 * the GitHub Actions runner's `ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN` (for `useOidc`) and the AKS
 * webhook's `AZURE_FEDERATED_TOKEN_FILE` (for `useAksWorkloadIdentity`).
 */

import type { Named } from "./cloud";
import { ConfigurationError } from "./user-facing";

export type SourceName = "entra-sync" | "azuread" | "ARM" | "AZURE";

type Env = Record<string, string | undefined>;

export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Everything a source can say about signing in; each value keeps the name it was given under. */
interface SignInValues {
  tenantId?: Named;
  clientId?: Named;
  clientIdFilePath?: Named;
  clientSecret?: Named;
  clientSecretFilePath?: Named;
  /** Base64 of a PKCS#12 bundle (or of a PEM file). */
  clientCertificate?: Named;
  clientCertificatePath?: Named;
  clientCertificatePassword?: Named;
  useOidc?: Named<boolean>;
  oidcToken?: Named;
  oidcTokenFilePath?: Named;
  oidcRequestUrl?: Named;
  oidcRequestToken?: Named;
  useAksWorkloadIdentity?: Named<boolean>;
  /** The AZURE_* source's AZURE_FEDERATED_TOKEN_FILE (workload identity, as @azure/identity reads it). */
  federatedTokenFile?: Named;
  useMsi?: Named<boolean>;
  msiEndpoint?: Named;
  useCli?: Named<boolean>;
}

export interface SignInSettings extends SignInValues {
  /** Where the values come from; undefined when no source names a sign-in (DefaultAzureCredential). */
  source?: SourceName;
}

type Key = keyof SignInValues;

interface SettingNames {
  /** The config key under `entra-sync:` and `azuread:`; absent: not a config setting. */
  config?: string;
  arm?: string;
  azure?: string;
  boolean?: true;
}

/** Names as terraform-provider-azuread / pulumi-azuread spell them, and @azure/identity's AZURE_* names. */
export const SIGN_IN_SETTINGS: Readonly<Record<Key, SettingNames>> = {
  tenantId: { config: "tenantId", arm: "ARM_TENANT_ID", azure: "AZURE_TENANT_ID" },
  clientId: { config: "clientId", arm: "ARM_CLIENT_ID", azure: "AZURE_CLIENT_ID" },
  clientIdFilePath: { config: "clientIdFilePath", arm: "ARM_CLIENT_ID_FILE_PATH" },
  clientSecret: { config: "clientSecret", arm: "ARM_CLIENT_SECRET", azure: "AZURE_CLIENT_SECRET" },
  clientSecretFilePath: { config: "clientSecretFilePath", arm: "ARM_CLIENT_SECRET_FILE_PATH" },
  clientCertificate: { config: "clientCertificate", arm: "ARM_CLIENT_CERTIFICATE" },
  clientCertificatePath: { config: "clientCertificatePath", arm: "ARM_CLIENT_CERTIFICATE_PATH", azure: "AZURE_CLIENT_CERTIFICATE_PATH" },
  clientCertificatePassword: {
    config: "clientCertificatePassword",
    arm: "ARM_CLIENT_CERTIFICATE_PASSWORD",
    azure: "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  },
  useOidc: { config: "useOidc", arm: "ARM_USE_OIDC", boolean: true },
  oidcToken: { config: "oidcToken", arm: "ARM_OIDC_TOKEN" },
  oidcTokenFilePath: { config: "oidcTokenFilePath", arm: "ARM_OIDC_TOKEN_FILE_PATH" },
  oidcRequestUrl: { config: "oidcRequestUrl", arm: "ARM_OIDC_REQUEST_URL" },
  oidcRequestToken: { config: "oidcRequestToken", arm: "ARM_OIDC_REQUEST_TOKEN" },
  useAksWorkloadIdentity: { config: "useAksWorkloadIdentity", arm: "ARM_USE_AKS_WORKLOAD_IDENTITY", boolean: true },
  federatedTokenFile: { azure: "AZURE_FEDERATED_TOKEN_FILE" },
  useMsi: { config: "useMsi", arm: "ARM_USE_MSI", boolean: true },
  msiEndpoint: { config: "msiEndpoint", arm: "ARM_MSI_ENDPOINT" },
  useCli: { config: "useCli", arm: "ARM_USE_CLI", boolean: true },
};

/** Set by the GitHub Actions runner for jobs with `permissions: id-token: write`. */
export const GITHUB_ACTIONS_REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
export const GITHUB_ACTIONS_REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
/** Set by the AKS workload identity webhook in labelled pods. */
const AKS_FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";

const SOURCES: readonly SourceName[] = ["entra-sync", "azuread", "ARM", "AZURE"];

export function resolveSignIn(config: ConfigSource | undefined, env: Env): SignInSettings {
  const read = SOURCES.map((source) => ({ source, values: readSource(source, config, env) }));
  const chosenIndex = read.findIndex(({ values }) => namesASignIn(values));
  if (chosenIndex < 0) {
    // Nothing names a sign-in: DefaultAzureCredential, with a tenant if one was given.
    const tenant = read.find(({ values }) => values.tenantId)?.values.tenantId;
    return tenant ? { tenantId: tenant } : {};
  }
  const chosen = read[chosenIndex];
  for (const earlier of read.slice(0, chosenIndex)) refuseMixing(earlier.values, chosen.source, chosen.values);
  return { source: chosen.source, ...withPlatformValues(chosen.values, env) };
}

/** A source takes over when it names who signs in: a client id, or a method that brings its own. */
function namesASignIn(v: SignInValues): boolean {
  return Boolean(v.clientId || v.clientIdFilePath || v.useMsi?.value || v.useCli?.value || v.useAksWorkloadIdentity?.value);
}

function readSource(source: SourceName, config: ConfigSource | undefined, env: Env): SignInValues {
  const values: SignInValues = {};
  for (const [key, names] of Object.entries(SIGN_IN_SETTINGS) as [Key, SettingNames][]) {
    let name: string | undefined;
    let raw: string | undefined;
    if (source === "entra-sync" || source === "azuread") {
      if (!names.config) continue;
      name = `${source}:${names.config}`;
      raw = config?.get(name);
    } else {
      name = source === "ARM" ? names.arm : names.azure;
      if (!name) continue;
      raw = env[name];
    }
    const value = raw?.trim();
    if (value === undefined || value === "") continue;
    const slot = values as Record<Key, Named<string | boolean>>;
    slot[key] = names.boolean ? { value: parseBoolean(value, name), name } : { value, name };
  }
  return values;
}

/** As Terraform reads booleans (strconv.ParseBool), which is also what `pulumi config set` writes. */
function parseBoolean(value: string, name: string): boolean {
  if (/^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  throw new ConfigurationError(`${name} must be true or false, got "${value}"`);
}

/**
 * A source before the chosen one that sets sign-in values the chosen one does not repeat would be
 * silently ignored (or, worse, combined): refuse, naming both.
 */
function refuseMixing(earlier: SignInValues, chosenSource: SourceName, chosen: SignInValues): void {
  const stray = (Object.entries(earlier) as [Key, Named<string | boolean>][]).filter(([key, v]) => {
    if (typeof v.value === "boolean" && !v.value) return false; // a method turned off says nothing
    return chosen[key]?.value !== v.value;
  });
  if (stray.length === 0) return;
  const clientIdName = chosen.clientId?.name ?? chosen.clientIdFilePath?.name;
  const by = clientIdName ? `the client id comes from ${clientIdName}` : `the sign-in comes from ${describe(chosenSource)}`;
  const first = stray[0][1].name;
  const ns = first.includes(":") ? first.slice(0, first.indexOf(":") + 1) : undefined;
  throw new ConfigurationError(
    `${stray.map(([, v]) => v.name).join(", ")} ${stray.length === 1 ? "is" : "are"} set, but ${by}: ` +
      `a sign-in is read from one place only (stack config entra-sync:, stack config azuread:, ARM_* or AZURE_* environment variables), ` +
      `so ${first} would not be used. ` +
      (ns ? `Set ${ns}clientId (and its credential) too, or remove ${stray.map(([, v]) => v.name).join(", ")}` : `Remove ${stray.map(([, v]) => v.name).join(", ")}`),
  );
}

function describe(source: SourceName): string {
  return source === "ARM" ? "ARM_* environment variables" : source === "AZURE" ? "AZURE_* environment variables" : `stack config ${source}:`;
}

/** Add what the runner or the pod provides for the methods the source turns on. */
function withPlatformValues(v: SignInValues, env: Env): SignInValues {
  const out = { ...v };
  const platform = (name: string): Named | undefined => {
    const value = env[name]?.trim();
    return value ? { value, name } : undefined;
  };
  if (v.useOidc?.value) {
    out.oidcRequestUrl ??= platform(GITHUB_ACTIONS_REQUEST_URL);
    out.oidcRequestToken ??= platform(GITHUB_ACTIONS_REQUEST_TOKEN);
  }
  if (v.useAksWorkloadIdentity?.value) {
    // The webhook injects the identity's client id, tenant and token file; azuread reconciles
    // them with what is configured rather than letting either win silently.
    out.federatedTokenFile ??= platform(AKS_FEDERATED_TOKEN_FILE);
    out.clientId = reconcile(out.clientId, platform("AZURE_CLIENT_ID"));
    out.tenantId = reconcile(out.tenantId, platform("AZURE_TENANT_ID"));
  }
  return out;
}

function reconcile(configured: Named | undefined, injected: Named | undefined): Named | undefined {
  if (!configured || !injected) return configured ?? injected;
  if (configured.value.toLowerCase() !== injected.value.toLowerCase()) {
    throw new ConfigurationError(`${configured.name} and ${injected.name} (set by AKS workload identity) differ: remove ${configured.name}, or make them the same`);
  }
  return configured;
}
