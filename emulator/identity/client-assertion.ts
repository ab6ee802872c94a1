/**
 * Client assertions at the token endpoint (`client_assertion_type=
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer`), checked as Entra checks them:
 *
 *  - the app's own assertion (iss = sub = client id), signed with a certificate registered on the
 *    app registration and found by the x5t / x5t#S256 thumbprint in its header; its audience is
 *    this tenant's token endpoint (or issuer); it must be within its time range;
 *  - another issuer's token (workload identity federation): it must match one of the app's
 *    federated identity credentials by issuer, then subject (case-sensitively), then audience,
 *    be signed by the issuer's key and be within its time range.
 *
 * Failures carry the AADSTS codes and texts Entra answers with (see emulator/README.md).
 */
import type * as crypto from "node:crypto";
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import type { ClientCertificate } from "./client-certificate";
import type { GithubActionsIssuer } from "./github-actions";
import { GITHUB_ACTIONS_ISSUER } from "./seeded-identities";
import type { ClientApp } from "../tenant/store";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Entra accepts assertions a few minutes early or late (clock skew). */
const CLOCK_SKEW_SECONDS = 300;
const FEDERATION_DOCS = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

interface AssertionRejection {
  status: number;
  error: string;
  code: number;
  description: string;
}

interface AssertionContext {
  assertion: string;
  assertionType: string | null;
  client: ClientApp;
  tenantId: string;
  tenantDomain: string;
  /** The token endpoint's origin, as the client addressed it. */
  origin: string;
  certificate: ClientCertificate;
  actions: GithubActionsIssuer;
  /** The emulator's time, in seconds. */
  nowSeconds: number;
}

/** undefined when the assertion authenticates the client. */
export async function checkClientAssertion(ctx: AssertionContext): Promise<AssertionRejection | undefined> {
  if (ctx.assertionType !== JWT_BEARER) {
    return reject(
      400,
      "invalid_request",
      90014,
      ctx.assertionType === null
        ? "The required field 'client_assertion_type' is missing from the credential. Ensure that you have all the necessary parameters for the login request."
        : `The client_assertion_type '${ctx.assertionType}' is not supported; use '${JWT_BEARER}'.`,
    );
  }
  let payload: JWTPayload;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    payload = decodeJwt(ctx.assertion);
    header = decodeProtectedHeader(ctx.assertion);
  } catch {
    return reject(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
  }
  const now = ctx.nowSeconds;
  const issuer = typeof payload.iss === "string" ? payload.iss : "";
  if (issuer.toLowerCase() === ctx.client.clientId.toLowerCase()) return checkOwnAssertion(ctx, payload, header, now);
  if (/^https?:\/\//.test(issuer)) return checkFederatedAssertion(ctx, payload, now);
  return reject(
    401,
    "invalid_client",
    700021,
    "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
  );
}

async function checkOwnAssertion(
  ctx: AssertionContext,
  payload: JWTPayload,
  header: ReturnType<typeof decodeProtectedHeader>,
  now: number,
): Promise<AssertionRejection | undefined> {
  if (payload.sub !== payload.iss) return reject(401, "invalid_client", 50048, "Subject must match the issuer claim in the client assertion.");
  const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud === undefined ? [] : [payload.aud];
  if (audiences.length > 1) {
    return reject(
      401,
      "invalid_client",
      5002741,
      `Number of audience values in the provided client credential exceed maximum allowed. ${audiences.length} audience values provided, maximum allowed is 1.`,
    );
  }
  if (!acceptedAudiences(ctx).includes((audiences[0] ?? "").toLowerCase())) {
    return reject(401, "invalid_client", 50012, "Client assertion audience claim does not match Realm issuer.");
  }
  const timing = outsideTimeRange(payload, now, "https://learn.microsoft.com/entra/identity-platform/certificate-credentials");
  if (timing) return timing;

  const presented = (header["x5t#S256"] as string | undefined) ?? header.x5t;
  const thumbprint = presented ? Buffer.from(presented, "base64url").toString("hex").toUpperCase() : "(none)";
  const registered = ctx.client.certificate && (presented === ctx.certificate.x5tS256 || presented === ctx.certificate.x5t);
  if (!registered) {
    return reject(
      401,
      "invalid_client",
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${ctx.client.clientId}'. Review the documentation at https://learn.microsoft.com/graph/deployments to determine the corresponding service endpoint and https://learn.microsoft.com/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${ctx.client.clientId}']`,
    );
  }
  if (!(await signedBy(ctx.assertion, ctx.certificate.publicKey))) {
    const found = `Start=${ctx.certificate.notBefore.toISOString()}, End=${ctx.certificate.notAfter.toISOString()}`;
    return reject(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}', Found key '${found}']`,
    );
  }
  return undefined;
}

async function checkFederatedAssertion(ctx: AssertionContext, payload: JWTPayload, now: number): Promise<AssertionRejection | undefined> {
  const issuer = String(payload.iss);
  const subject = typeof payload.sub === "string" ? payload.sub : "";
  const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud === undefined ? [] : [payload.aud];
  const credentials = ctx.client.federatedIdentityCredentials ?? [];
  const check = " Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.";
  if (credentials.length === 0) {
    return reject(
      400,
      "invalid_request",
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audiences.join(",")}'. ${FEDERATION_DOCS}`,
    );
  }
  const byIssuer = credentials.filter((c) => c.issuer === issuer);
  if (byIssuer.length === 0) {
    return reject(400, "invalid_request", 700211, `No matching federated identity record found for presented assertion issuer '${issuer}'.${check} ${FEDERATION_DOCS}`);
  }
  const bySubject = byIssuer.filter((c) => c.subject === subject);
  if (bySubject.length === 0) {
    if (byIssuer.some((c) => c.subject.toLowerCase() === subject.toLowerCase())) {
      return reject(
        400,
        "invalid_request",
        7002138,
        `No matching federated identity record found for presented assertion subject '${subject}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison.${check} See documentation at: ${FEDERATION_DOCS}.`,
      );
    }
    return reject(400, "invalid_request", 700213, `No matching federated identity record found for presented assertion subject '${subject}'.${check} ${FEDERATION_DOCS}`);
  }
  if (!bySubject.some((c) => c.audiences.some((a) => audiences.includes(a)))) {
    return reject(
      400,
      "invalid_request",
      700212,
      `No matching federated identity record found for presented assertion audience '${audiences.join(",")}'.${check} ${FEDERATION_DOCS}`,
    );
  }
  // The emulator holds keys for one external issuer only: GitHub Actions', for which it signs.
  if (issuer !== GITHUB_ACTIONS_ISSUER) {
    return reject(400, "invalid_request", 50166, `Request to External OIDC endpoint failed. (The emulator can check tokens of ${GITHUB_ACTIONS_ISSUER} only.)`);
  }
  if (!(await ctx.actions.verifySignature(ctx.assertion))) {
    return reject(401, "invalid_client", 700027, "Client assertion failed signature validation.");
  }
  return outsideTimeRange(payload, now, FEDERATION_DOCS);
}

/** This tenant's token endpoints (v2, v1; by id or domain) and its issuer, as Entra accepts them. */
function acceptedAudiences(ctx: AssertionContext): string[] {
  return [ctx.tenantId, ctx.tenantDomain].flatMap((t) =>
    [`${ctx.origin}/${t}/oauth2/v2.0/token`, `${ctx.origin}/${t}/oauth2/token`, `${ctx.origin}/${t}/v2.0`].map((a) => a.toLowerCase()),
  );
}

function outsideTimeRange(payload: JWTPayload, now: number, docs: string): AssertionRejection | undefined {
  const exp = typeof payload.exp === "number" ? payload.exp : undefined;
  const nbf = typeof payload.nbf === "number" ? payload.nbf : undefined;
  if (exp !== undefined && exp + CLOCK_SKEW_SECONDS >= now && (nbf === undefined || nbf - CLOCK_SKEW_SECONDS <= now)) return undefined;
  const at = (s: number | undefined) => (s === undefined ? "(none)" : new Date(s * 1000).toISOString().replace(/\.\d+Z$/, ".0000000Z"));
  return reject(
    401,
    "invalid_client",
    700024,
    `Client assertion is not within its valid time range. Current time: ${at(now)}, assertion valid from ${at(nbf)}, expiry time of assertion ${at(exp)}. Review the documentation at ${docs} .`,
  );
}

async function signedBy(jwt: string, key: crypto.KeyObject): Promise<boolean> {
  try {
    await compactVerify(jwt, key, { algorithms: ["RS256", "PS256"] });
    return true;
  } catch {
    return false;
  }
}

function reject(status: number, error: string, code: number, description: string): AssertionRejection {
  return { status, error, code, description };
}
