/**
 * Whether a set of provisioning credentials would let the provisioning service reach the target
 * application. Used by validateCredentials and by every provisioning cycle.
 *
 * Today this is a static check of the secrets each template needs. It is the one place to replace
 * when the emulator talks to a real SCIM target (then: call BaseAddress with the SecretToken).
 */
import type { SynchronizationError } from "../provider/graph/types";

export type CredentialCheck = { ok: true } | { ok: false; error: SynchronizationError };

/** Error code the provisioning service reports for SCIM credential failures (seen in quarantine details). */
export const SCIM_CREDENTIAL_ERROR = "SystemForCrossDomainIdentityManagementCredentialValidationFailure";
/** The docs' job GET sample shows this code for a quarantined Salesforce job. */
export const SALESFORCE_CREDENTIAL_ERROR = "SalesforceInvalidCredentials";

export async function checkTargetCredentials(
  factoryTag: string,
  credentials: ReadonlyMap<string, string>,
): Promise<CredentialCheck> {
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
      return { ok: true };
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

function fail(code: string, message: string): CredentialCheck {
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
