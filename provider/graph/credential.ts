/**
 * Turns the sign-in settings (sign-in.ts) and the cloud (cloud.ts) into an @azure/identity
 * credential. Within the chosen source, methods are tried in azuread's order (go-azure-sdk's
 * NewAuthorizerFromCredentials): certificate, secret, OIDC (token, token file, GitHub Actions
 * request), managed identity, Azure CLI. A source that names a client id but nothing to sign in
 * with is an error, not a silent fall back to whatever else the machine has.
 *
 * Everything that can be checked without a network is checked here, so that a wrong setting is
 * reported by name before any request: files exist, certificates open, flags are consistent.
 */

import * as fs from "fs";
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { loadClientCertificate } from "./certificate";
import { type Cloud, isMicrosoftAuthority, type Named } from "./cloud";
import { githubActionsTokenReader } from "./github-oidc";
import { GITHUB_ACTIONS_REQUEST_TOKEN, GITHUB_ACTIONS_REQUEST_URL, SIGN_IN_SETTINGS, type SignInSettings, type SourceName } from "./sign-in";
import { ConfigurationError } from "./user-facing";

export function createCredential(s: SignInSettings, cloud: Cloud): TokenCredential {
  const options = {
    authorityHost: cloud.authorityHost,
    // MSAL asks login.microsoftonline.com about any other authority (an emulator, a proxy), which
    // fails offline; Microsoft's own clouds it knows.
    disableInstanceDiscovery: !isMicrosoftAuthority(cloud.authorityHost),
  };
  if (!s.source) return new DefaultAzureCredential({ tenantId: s.tenantId?.value, authorityHost: cloud.authorityHost });

  const source = s.source;
  const name = (key: keyof typeof SIGN_IN_SETTINGS) => settingName(source, key);
  const clientId = fromValueOrFile(s.clientId, s.clientIdFilePath, "client id");
  const tenantAndClient = (method: string): { tenantId: string; clientId: string } => {
    const missing = [!s.tenantId && name("tenantId"), !clientId && name("clientId")].filter((n): n is string => Boolean(n));
    if (missing.length > 0) throw new ConfigurationError(`${method} sign-in needs ${missing.join(" and ")} as well`);
    return { tenantId: s.tenantId!.value, clientId: clientId! };
  };

  if (s.clientCertificate || s.clientCertificatePath) {
    const ids = tenantAndClient("Client certificate");
    const certificate = loadClientCertificate({ base64: s.clientCertificate, path: s.clientCertificatePath, password: s.clientCertificatePassword });
    return new ClientCertificateCredential(ids.tenantId, ids.clientId, { certificate }, options);
  }
  const secret = fromValueOrFile(s.clientSecret, s.clientSecretFilePath, "client secret");
  if (secret) {
    const ids = tenantAndClient("Client secret");
    return new ClientSecretCredential(ids.tenantId, ids.clientId, secret, options);
  }
  if (s.useOidc?.value || s.useAksWorkloadIdentity?.value || (source === "AZURE" && s.federatedTokenFile)) {
    return federatedCredential(s, tenantAndClient, options);
  }
  if (s.useMsi?.value) {
    if (s.msiEndpoint) useManagedIdentityEndpoint(s.msiEndpoint);
    // A client id makes it the user-assigned identity with that id; without one, the system-assigned.
    return new ManagedIdentityCredential(clientId ? { clientId } : {});
  }
  if (s.useCli?.value) return new AzureCliCredential({ tenantId: s.tenantId?.value });
  if (source === "AZURE") {
    // As @azure/identity reads AZURE_*: a client id alone is a managed identity's, which
    // DefaultAzureCredential picks up from AZURE_CLIENT_ID itself.
    return new DefaultAzureCredential({ tenantId: s.tenantId?.value, authorityHost: cloud.authorityHost });
  }
  throw new ConfigurationError(
    `${s.clientId?.name ?? s.clientIdFilePath?.name} is set, but nothing to sign in with: set ${name("clientSecret")} (or ${name("clientSecretFilePath")}), ` +
      `${name("clientCertificatePath")} (or ${name("clientCertificate")}), ${name("useOidc")}, or ${name("useMsi")} for a user-assigned managed identity, ` +
      `in the same place as the client id`,
  );
}

type Options = { authorityHost: string; disableInstanceDiscovery: boolean };

/** OIDC: a token given inline, a token file (kept fresh by the platform), or GitHub Actions' token request. */
function federatedCredential(s: SignInSettings, tenantAndClient: (method: string) => { tenantId: string; clientId: string }, options: Options): TokenCredential {
  const source = s.source!;
  const ids = tenantAndClient(s.useAksWorkloadIdentity?.value ? "AKS workload identity" : "OIDC (workload identity federation)");
  const files = [s.oidcTokenFilePath, s.federatedTokenFile].filter((f): f is Named => Boolean(f));
  if (s.oidcToken) {
    if (files.length > 0) throw new ConfigurationError(`${s.oidcToken.name} and ${files[0].name} are both set: give the OIDC token once`);
    const token = s.oidcToken.value;
    return new ClientAssertionCredential(ids.tenantId, ids.clientId, async () => token, options);
  }
  if (files.length > 0) {
    const file = files[0];
    if (files.length > 1 && files[1].value !== file.value) {
      throw new ConfigurationError(`${files[0].name} and ${files[1].name} name different token files: remove one`);
    }
    try {
      fs.accessSync(file.value, fs.constants.R_OK);
    } catch (e) {
      throw new ConfigurationError(`${file.name}: cannot read the OIDC token file ${file.value} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    // Re-read as it changes (Kubernetes rotates projected tokens), which azuread does not.
    return new WorkloadIdentityCredential({ tenantId: ids.tenantId, clientId: ids.clientId, tokenFilePath: file.value, ...options });
  }
  if (s.oidcRequestUrl && s.oidcRequestToken) {
    return new ClientAssertionCredential(ids.tenantId, ids.clientId, githubActionsTokenReader(s.oidcRequestUrl, s.oidcRequestToken), options);
  }
  const flag = (s.useAksWorkloadIdentity?.value ? s.useAksWorkloadIdentity : s.useOidc)!.name;
  if (s.oidcRequestUrl || s.oidcRequestToken) {
    const missing = s.oidcRequestUrl
      ? `${settingName(source, "oidcRequestToken")} (or ${GITHUB_ACTIONS_REQUEST_TOKEN})`
      : `${settingName(source, "oidcRequestUrl")} (or ${GITHUB_ACTIONS_REQUEST_URL})`;
    throw new ConfigurationError(`${flag} is true and ${(s.oidcRequestUrl ?? s.oidcRequestToken)!.name} is set, but ${missing} is not`);
  }
  if (s.useAksWorkloadIdentity?.value) {
    throw new ConfigurationError(
      `${flag} is true, but AZURE_FEDERATED_TOKEN_FILE is not set: label the pod azure.workload.identity/use: "true", or set ${settingName(source, "oidcTokenFilePath")}`,
    );
  }
  throw new ConfigurationError(
    `${flag} is true, but there is no OIDC token: set ${settingName(source, "oidcToken")} or ${settingName(source, "oidcTokenFilePath")}, ` +
      `or ${settingName(source, "oidcRequestUrl")} and ${settingName(source, "oidcRequestToken")}; in GitHub Actions, give the job ` +
      `\`permissions: id-token: write\` and the runner sets ${GITHUB_ACTIONS_REQUEST_URL} and ${GITHUB_ACTIONS_REQUEST_TOKEN}`,
  );
}

/** The setting's name in the chosen source, for "set X" advice. */
function settingName(source: SourceName, key: keyof typeof SIGN_IN_SETTINGS): string {
  const names = SIGN_IN_SETTINGS[key];
  if (source === "entra-sync" || source === "azuread") return `${source}:${names.config ?? key}`;
  return (source === "AZURE" ? names.azure : undefined) ?? names.arm ?? key;
}

/** A value given inline or in a file (azuread's `*_file_path` settings); both given must agree. */
function fromValueOrFile(inline: Named | undefined, file: Named | undefined, what: string): string | undefined {
  if (!file) return inline?.value;
  let content: string;
  try {
    content = fs.readFileSync(file.value, "utf8").trim();
  } catch (e) {
    throw new ConfigurationError(`${file.name}: cannot read the ${what} file ${file.value} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (content === "") throw new ConfigurationError(`${file.name}: the ${what} file ${file.value} is empty`);
  if (inline && inline.value !== content) {
    throw new ConfigurationError(`${inline.name} and the ${what} in ${file.name} differ: remove one, or make them the same`);
  }
  return content;
}

/**
 * azuread's msi_endpoint is the whole IMDS token URL. @azure/identity (MSAL) takes the IMDS
 * location only from AZURE_POD_IDENTITY_AUTHORITY_HOST, read once per process, so the setting is
 * passed on there; the provider process is this stack's alone.
 */
function useManagedIdentityEndpoint(setting: Named): void {
  let url: URL;
  try {
    url = new URL(setting.value);
  } catch {
    throw new ConfigurationError(`${setting.name} must be the URL of the managed identity token endpoint, such as http://169.254.169.254/metadata/identity/oauth2/token`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path !== "" && path !== "/metadata/identity/oauth2/token") {
    throw new ConfigurationError(`${setting.name} must end in /metadata/identity/oauth2/token (the IMDS token path), got a URL with the path ${url.pathname}`);
  }
  const current = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  if (current && current.replace(/\/+$/, "") !== url.origin) {
    throw new ConfigurationError(`${setting.name} and AZURE_POD_IDENTITY_AUTHORITY_HOST name different managed identity endpoints: remove one`);
  }
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = url.origin;
}
