/**
 * Turns connection settings into an @azure/identity credential. The choice follows what the
 * settings name, most specific first, and falls back to DefaultAzureCredential.
 */

import * as fs from "fs";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  TokenCredential,
} from "@azure/identity";
import { ConnectionSettings } from "./connection";
import { ConfigurationError } from "./user-facing";

/** Authority hosts of Microsoft's clouds; anything else (an emulator, a proxy) skips MSAL's instance discovery. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.microsoftonline.de",
]);

export function createCredential(s: ConnectionSettings): TokenCredential {
  const options = {
    authorityHost: s.authorityHost,
    disableInstanceDiscovery: s.authorityHost !== undefined && !MICROSOFT_AUTHORITY_HOSTS.has(new URL(s.authorityHost).hostname),
  };
  const needTenantAndClient = (kind: string): { tenantId: string; clientId: string } => {
    const missing = [!s.tenantId && "tenantId", !s.clientId && "clientId"].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigurationError(
        `${kind} authentication needs ${missing.join(" and ")}: set entra-sync:${missing[0]} in stack config ` +
          `(or azuread:${missing[0]}, ARM_TENANT_ID/ARM_CLIENT_ID, AZURE_TENANT_ID/AZURE_CLIENT_ID)`,
      );
    }
    return { tenantId: s.tenantId!, clientId: s.clientId! };
  };

  if (s.clientSecret) {
    const { tenantId, clientId } = needTenantAndClient("Client secret");
    return new ClientSecretCredential(tenantId, clientId, s.clientSecret, options);
  }
  if (s.clientCertificatePath) {
    const { tenantId, clientId } = needTenantAndClient("Client certificate");
    return new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificatePath: s.clientCertificatePath, certificatePassword: s.clientCertificatePassword },
      options,
    );
  }
  if (s.useOidc || s.oidcToken) {
    const { tenantId, clientId } = needTenantAndClient("OIDC (workload identity federation)");
    const tokenFile = s.oidcTokenFilePath;
    const inlineToken = s.oidcToken;
    const readAssertion = async (): Promise<string> => {
      if (inlineToken) return inlineToken;
      if (tokenFile) return (await fs.promises.readFile(tokenFile, "utf8")).trim();
      throw new ConfigurationError("OIDC authentication needs entra-sync:oidcToken, ARM_OIDC_TOKEN or a token file (ARM_OIDC_TOKEN_FILE_PATH / AZURE_FEDERATED_TOKEN_FILE)");
    };
    return new ClientAssertionCredential(tenantId, clientId, readAssertion, options);
  }
  return new DefaultAzureCredential({ tenantId: s.tenantId, authorityHost: s.authorityHost });
}

/** Graph's token scope: the endpoint's own for Microsoft clouds, Graph's global one for emulators. */
export function graphScope(graphEndpoint: string): string {
  const host = new URL(graphEndpoint).hostname;
  return /^(graph\.microsoft\.(com|us)|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn)$/.test(host)
    ? `${graphEndpoint}/.default`
    : "https://graph.microsoft.com/.default";
}
