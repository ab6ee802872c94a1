/**
 * GitHub Actions' OIDC tokens, for workload identity federation: the runner gives a job with
 * `permissions: id-token: write` a request URL and a bearer token (ACTIONS_ID_TOKEN_REQUEST_URL /
 * _TOKEN); a GET of the URL with an `audience` parameter answers `{"value": "<JWT>"}`. The JWT is
 * the client assertion Entra exchanges for an access token, if the app registration has a
 * federated credential for its issuer, subject and audience.
 *
 * The audience is the one azuread (go-azure-sdk) and azure/login ask for, and Entra's default for
 * federated credentials. A fresh token is requested for every exchange: they live minutes.
 */

import type { Named } from "./cloud";
import { ConfigurationError } from "./user-facing";

const FEDERATED_TOKEN_AUDIENCE = "api://AzureADTokenExchange";

export function githubActionsTokenReader(requestUrl: Named, requestToken: Named): () => Promise<string> {
  let url: URL;
  try {
    url = new URL(requestUrl.value);
  } catch {
    throw new ConfigurationError(`${requestUrl.name} must be the absolute URL GitHub Actions gives the job, got a value that is not a URL`);
  }
  url.searchParams.set("audience", FEDERATED_TOKEN_AUDIENCE);
  // The URL's query names the run; messages show where the request went, not that.
  const where = `${url.origin}${url.pathname}`;
  const settings = `${requestUrl.name} and ${requestToken.name}`;
  return async () => {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${requestToken.value}`, accept: "application/json; api-version=2.0" },
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ConfigurationError(`the OIDC token request to ${where} (${requestUrl.name}) failed: ${cause?.code ?? cause?.message ?? String(e)}`);
    }
    const body = await response.text();
    if (!response.ok) {
      throw new ConfigurationError(
        `the OIDC token request to ${where} answered ${response.status}: check ${settings} ` +
          "(GitHub sets them for jobs with `permissions: id-token: write`; they are valid only while the job runs)",
      );
    }
    let value: unknown;
    try {
      value = (JSON.parse(body) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== "string" || value.split(".").length !== 3) {
      throw new ConfigurationError(`the OIDC token request to ${where} (${requestUrl.name}) answered without a token in "value"`);
    }
    return value;
  };
}
