/**
 * Why @azure/identity could not get an access token, in the terms a user can act on. Its errors
 * carry the token endpoint's answer only inside the message, in MSAL's layout:
 *   "invalid_client: Error(s): 7000215 - Timestamp: … - Description: AADSTS7000215: Invalid client
 *    secret provided. … Trace ID: … Correlation ID: … Timestamp: …"
 * so the pieces are read back from there. Unknown layouts keep the whole message.
 */

export interface TokenFailure {
  /** "AADSTS7000215", else the OAuth error ("invalid_client"), else the identity error's name. */
  code: string;
  /** The endpoint's description without its trace and correlation ids. */
  description: string;
  traceId?: string;
  correlationId?: string;
  hint: string;
}

export function explainTokenFailure(error: unknown): TokenFailure {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const aadsts = /\bAADSTS(\d+)\b/.exec(message)?.[1];
  const oauthError = /^([a-z_]+):/.exec(message)?.[1];
  const described = /Description:\s*(?:AADSTS\d+:\s*)?(.*?)(?=\s+Trace ID:|\s+-\s+Correlation ID:|$)/s.exec(message)?.[1];
  return {
    code: aadsts ? `AADSTS${aadsts}` : oauthError ?? name,
    description: (described ?? message).trim(),
    traceId: /Trace ID:\s*([0-9a-f-]{36})/i.exec(message)?.[1],
    correlationId: /Correlation ID:\s*([0-9a-f-]{36})/i.exec(message)?.[1],
    hint: tokenHint(aadsts, oauthError, message),
  };
}

const CREDENTIAL_SOURCES =
  "entra-sync:tenantId, clientId and clientSecret (or clientCertificatePath, or useOidc) in stack config, the same under azuread:, or ARM_* / AZURE_* environment variables";
const SECRET_SOURCES = "entra-sync:clientSecret, azuread:clientSecret, ARM_CLIENT_SECRET or AZURE_CLIENT_SECRET";

function tokenHint(aadsts: string | undefined, oauthError: string | undefined, message: string): string {
  switch (aadsts) {
    case "7000215":
      return `The client secret is wrong: set the secret's value, not its id, in ${SECRET_SOURCES}`;
    case "7000222":
      return `The client secret has expired: create a new one on the app registration and set it in ${SECRET_SOURCES}`;
    case "700016":
      return "No application with this client id exists in the tenant: check entra-sync:clientId and entra-sync:tenantId";
    case "90002":
    case "900023":
      return "The tenant was not found: check entra-sync:tenantId (the directory id, or a verified domain)";
    case "700027":
    case "700024":
      return "The client assertion (certificate or federated token) was rejected: check the certificate registered on the app, or the federated credential's issuer, subject and audience";
    case "70021":
      return "No federated credential matches the presented token: check the app registration's federated credentials (issuer, subject, audience)";
  }
  if (oauthError === "invalid_client") return `The client credentials were rejected: check ${CREDENTIAL_SOURCES}`;
  if (/endpoints_resolution_error|Endpoints cannot be resolved/i.test(message)) {
    return "The tenant's sign-in endpoints could not be reached: check entra-sync:tenantId and entra-sync:authorityHost (AZURE_AUTHORITY_HOST), and network access to them";
  }
  return `Check the credentials the provider uses: ${CREDENTIAL_SOURCES}`;
}
