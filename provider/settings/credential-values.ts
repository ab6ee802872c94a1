/**
 * Checks of credential values whose form is known, for SynchronizationSecrets' check. Credential
 * values are secret inputs: a failure says what is wrong with a value, never what the value is.
 */

import type { CheckFailure } from "../validation";

/**
 * `BaseAddress` is the target's URL (the portal's "Tenant URL"): the provisioning service sends
 * its requests there, so it must be an absolute http or https URL with a host. Anything else is
 * only found out by Graph at `pulumi up` (validateCredentials, or the job's first cycle).
 */
export function checkBaseAddress(property: string, value: string, failures: CheckFailure[]): void {
  const problem = baseAddressProblem(value);
  if (problem) {
    failures.push({
      property,
      reason: `${property} must be an absolute http or https URL with a host, e.g. https://scim.example.com/scim; ${problem}`,
    });
  }
}

function baseAddressProblem(value: string): string | undefined {
  // The URL parser would drop surrounding whitespace; a value pasted with a line break is a mistake.
  if (/\s/.test(value)) return "the value contains whitespace (a space or line break pasted with it?)";
  if (!/^https?:\/\//i.test(value)) return "the value does not start with http:// or https://";
  // The parser also reads "https:///path" as host "path": require the host right after "//".
  if (/^https?:\/\/[/?#]/i.test(value)) return "the value has no host after the scheme";
  try {
    new URL(value); // an http(s) URL that parses has a host: the parser rejects one without
    return undefined;
  } catch {
    return "the value is not a well-formed URL (check the host name and port)";
  }
}
