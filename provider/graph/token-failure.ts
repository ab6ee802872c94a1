/**
 * Why @azure/identity could not get an access token, in the terms a user can act on. Its errors
 * carry the token endpoint's answer only inside the message, in MSAL's layout:
 *   "invalid_client: Error(s): 7000215 - Timestamp: … - Description: AADSTS7000215: Invalid client
 *    secret provided. … Trace ID: … Correlation ID: … Timestamp: …"
 * so the pieces are read back from there. Unknown layouts keep the whole message.
 */

interface TokenFailure {
  /** "AADSTS7000215", else the OAuth error ("invalid_client"), else the identity error's name. */
  code: string;
  /** The endpoint's description without its trace and correlation ids. */
  description: string;
  traceId?: string;
  correlationId?: string;
  /** What to do; empty when the description says it already. */
  hint: string;
}

export function explainTokenFailure(error: unknown): TokenFailure {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const aadsts = /\bAADSTS(\d+)\b/.exec(message)?.[1];
  const oauthError = /^([a-z_]+):/.exec(message)?.[1];
  const described = /Description:\s*(?:AADSTS\d+:\s*)?(.*?)(?=\s+Trace ID:|\s+-\s+Correlation ID:|$)/s.exec(message)?.[1];
  return {
    code: aadsts ? `AADSTS${aadsts}` : (oauthError ?? name),
    description: (described ?? message).trim(),
    traceId: /Trace ID:\s*([0-9a-f-]{36})/i.exec(message)?.[1],
    correlationId: /Correlation ID:\s*([0-9a-f-]{36})/i.exec(message)?.[1],
    hint: tokenHint(aadsts, oauthError, message),
  };
}

const CREDENTIAL_SOURCES =
  "the sign-in settings (entra-sync:tenantId, clientId and clientSecret, clientCertificatePath, useOidc or useMsi in stack config, the same under azuread:, or ARM_* / AZURE_* environment variables; README: Pointing it at a real tenant)";
const SECRET_SOURCES = "entra-sync:clientSecret, azuread:clientSecret, ARM_CLIENT_SECRET (or ARM_CLIENT_SECRET_FILE_PATH) or AZURE_CLIENT_SECRET";
const FEDERATED =
  "check the app registration's federated credential (issuer, subject and audience api://AzureADTokenExchange, compared case-sensitively) against the token: in GitHub Actions the subject is repo:<owner>/<repo>:ref:refs/heads/<branch>, :pull_request or :environment:<name>";

function tokenHint(aadsts: string | undefined, oauthError: string | undefined, message: string): string {
  switch (aadsts) {
    case "7000215":
      return `The client secret is wrong: set the secret's value, not its id, in ${SECRET_SOURCES}`;
    case "7000222":
      return `The client secret has expired: create a new one on the app registration and set it in ${SECRET_SOURCES}`;
    case "700016":
      return "No application with this client id exists in the tenant: check the client id (entra-sync:clientId, ARM_CLIENT_ID, ...) and the tenant id";
    case "90002":
    case "900023":
      return "The tenant was not found: check the tenant id (entra-sync:tenantId, ARM_TENANT_ID, ...: the directory id, or a verified domain) and the cloud (entra-sync:environment, ARM_ENVIRONMENT)";
    case "700027":
      return "The certificate is not registered on the app registration, or does not match its key: upload the certificate's public part to the app registration (Certificates & secrets), or set the right one in entra-sync:clientCertificatePath / ARM_CLIENT_CERTIFICATE_PATH";
    case "700024":
      return "The client assertion has expired or is not valid yet: check the clock of this machine, and that the OIDC token is fresh (a token file the platform no longer refreshes, or an ARM_OIDC_TOKEN copied earlier)";
    case "700021":
    case "50012":
    case "50048":
      return "The client assertion was built for another application or tenant: check that the client id and tenant id belong to the certificate or token";
    case "70021":
    case "700211":
    case "700212":
    case "700213":
    case "7002138":
      return `No federated credential of the app matches the presented token: ${FEDERATED}`;
    case "500011":
      return "The token was asked for a Graph this authority does not know: the sign-in and Graph belong to different clouds; set entra-sync:environment (ARM_ENVIRONMENT) rather than separate endpoints";
  }
  // Our own explanation (a token request that failed, naming its settings) needs no second one.
  if (/the OIDC token request to /.test(message)) return "";
  if (/Identity not found/.test(message)) {
    return "This machine has no managed identity with that client id: set the client id of a user-assigned identity assigned to it (entra-sync:clientId, ARM_CLIENT_ID), or none for its system-assigned identity";
  }
  if (oauthError === "invalid_client") return `The client credentials were rejected: check ${CREDENTIAL_SOURCES}`;
  if (/endpoints_resolution_error|Endpoints cannot be resolved/i.test(message)) {
    return "The tenant's sign-in endpoints could not be reached: check the tenant id, the cloud (entra-sync:environment / ARM_ENVIRONMENT, entra-sync:authorityHost / AZURE_AUTHORITY_HOST), and network access to them";
  }
  return `Check the credentials the provider uses: ${CREDENTIAL_SOURCES}`;
}
