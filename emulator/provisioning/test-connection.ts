/**
 * The provisioning service's test connection: whether a set of provisioning credentials lets it
 * reach the target application. The single place that decides it, used by validateCredentials,
 * provisionOnDemand and every provisioning cycle. (Not to be confused with the provider's
 * credential, provider/graph/credential.ts: how a program signs in to Graph.)
 *
 * For SCIM apps (factoryTag CustomSCIM) it does what the provisioning service's test connection
 * does: query the target for a user that cannot exist, `GET {BaseAddress}/Users?filter=userName eq
 * "<random GUID>"` with `Authorization: Bearer {SecretToken}` ("Microsoft Entra ID makes requests
 * to fetch a random user ... to ensure that the endpoint and the credentials are valid" — Develop a
 * SCIM endpoint; the matching attribute is queried, per On-demand provisioning, step 1), and
 * expects a ListResponse. Failures carry the codes and message layouts seen from the real service:
 *  - SystemForCrossDomainIdentityManagementCredentialValidationFailure: the target answered 4xx
 *    (401 observed in Broadcom KB 430118 with this message layout; 400 in a quarantine example);
 *  - SystemForCrossDomainIdentityManagementCredentialValidationUnavailable: the target answered 5xx
 *    (ECMA host troubleshooting page, InternalServerError) or could not be reached ("An error
 *    occurred while sending the request", "We are not able to connect to your application ...").
 * Other factories keep a static check of the secrets they need (no target to call).
 */
import type { SynchronizationError } from "../../provider/graph/types";
import { filterExpression, targetUrl } from "./scim-client";
import { TargetUnreachableError, type TargetHttp, type TargetResponse } from "./target-http";

export type ConnectionTestResult = { ok: true } | { ok: false; error: SynchronizationError };

/** The target refused the credentials or answered the test query with a client error. */
const SCIM_CREDENTIAL_ERROR = "SystemForCrossDomainIdentityManagementCredentialValidationFailure";
/** The target could not be reached, or failed on its side. */
const SCIM_CREDENTIAL_UNAVAILABLE = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable";
/** The docs' job GET sample shows this code for a quarantined Salesforce job. */
const SALESFORCE_CREDENTIAL_ERROR = "SalesforceInvalidCredentials";

export interface TargetProbe {
  http: TargetHttp;
  /** The attribute the test query filters on: the user mapping's first matching attribute. */
  matchingAttribute: string;
  /** A value no user has (a fresh GUID). */
  probeValue: string;
}

export async function testConnection(factoryTag: string, credentials: ReadonlyMap<string, string>, probe: TargetProbe): Promise<ConnectionTestResult> {
  const has = (key: string) => (credentials.get(key) ?? "").trim() !== "";
  switch (factoryTag) {
    case "CustomSCIM": {
      const base = credentials.get("BaseAddress") ?? "";
      if (!isAbsoluteHttpUrl(base) || !has("SecretToken")) {
        return fail(
          SCIM_CREDENTIAL_ERROR,
          "You appear to have entered invalid credentials. The Tenant URL (BaseAddress) must be an absolute http(s) URL and the Secret Token (SecretToken) must not be empty.",
        );
      }
      return testScimConnection(base, credentials.get("SecretToken") ?? "", probe);
    }
    case "salesforce":
      if (!has("UserName") || !has("Password") || !has("SecretToken")) {
        return fail(
          SALESFORCE_CREDENTIAL_ERROR,
          "Your Salesforce.com credentials are invalid.  Please obtain a current Salesforce.com administrative user name, password and security token, and enter those in the screen for configuring user provisioning",
        );
      }
      return { ok: true };
    default:
      return fail("CredentialValidationUnavailable", `Credential validation is not available for factory '${factoryTag}'.`);
  }
}

async function testScimConnection(baseAddress: string, token: string, probe: TargetProbe): Promise<ConnectionTestResult> {
  const url = targetUrl(baseAddress, "Users", `filter=${filterExpression(probe.matchingAttribute, probe.probeValue)}`);
  // How the service prints the resource it called (quotes and '+' as in the observed messages).
  const shown = targetUrl(baseAddress, "Users", `filter=${probe.matchingAttribute.replace(/ /g, "+")}+eq+"${probe.probeValue}"`);
  let response: TargetResponse;
  try {
    response = await probe.http.request("GET", url, token);
  } catch (err) {
    if (!(err instanceof TargetUnreachableError)) throw err;
    return fail(
      SCIM_CREDENTIAL_UNAVAILABLE,
      "We are not able to connect to your application while attempting to validate our authorization to access your application. " +
        "Please ensure that you have provided valid credentials to the application and reach out to the application developer to diagnose why the authorization is failing. " +
        `An error occurred while sending the request: ${err.code} (${err.message})\r\n   Resource: ${shown}\r\n   Operation: GET `,
    );
  }
  if (response.status >= 200 && response.status < 300 && Array.isArray((response.json as { Resources?: unknown } | undefined)?.Resources)) {
    return { ok: true };
  }
  if (response.status >= 500) {
    return fail(SCIM_CREDENTIAL_UNAVAILABLE, `We received this unexpected response from your application: ${describeResponse(shown, response)}`);
  }
  return fail(
    SCIM_CREDENTIAL_ERROR,
    `While attempting to validate our authorization to access your application, we received this unexpected response:\r\n\r\n${describeResponse(shown, response)}`,
  );
}

/** "Received response from Web resource. Resource: ... Operation: GET ..." as the service reports it. */
function describeResponse(resource: string, response: TargetResponse): string {
  const headers = Object.entries(response.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n");
  return [
    "Received response from Web resource.",
    `   Resource: ${resource}`,
    "   Operation: GET ",
    `   Response Status Code: ${response.statusName}`,
    `   Response Headers: ${headers}`,
    `   Response Content: ${response.text.slice(0, 2000)}`,
  ].join("\r\n");
}

function fail(code: string, message: string): ConnectionTestResult {
  return { ok: false, error: { code, message, tenantActionable: true } };
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}
