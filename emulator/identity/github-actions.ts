/**
 * A GitHub-Actions-style OIDC issuer, so that workload identity federation from a workflow can be
 * run for real without GitHub. A job that has `permissions: id-token: write` gets
 * ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN; a GET of the URL with the
 * request token as bearer and an `audience` parameter answers `{"value": "<JWT>"}`, an ID token
 * whose `sub` names the repository and what triggered the run:
 *
 *   repo:<owner>/<repo>:environment:<name>   a job with an environment
 *   repo:<owner>/<repo>:pull_request         a pull_request event
 *   repo:<owner>/<repo>:ref:<ref>            anything else (push, schedule, workflow_dispatch)
 *
 * Here the request URL is `<origin>/github-actions/idtoken?api-version=2.0` and the request token
 * is a signed description of the run (repository, ref, event, environment): the emulator's first
 * stdout line carries one for a push to main of the seeded repository, and
 * `POST /_emulator/github-actions/runs` makes others. The tokens carry GitHub's issuer,
 * `https://token.actions.githubusercontent.com`, signed with a key of the emulator's home; the
 * token endpoint checks them with that key (it stands in for GitHub's JWKS). The issuer's
 * discovery document and keys are served under `<origin>/github-actions/.well-known/`.
 */
import * as crypto from "node:crypto";
import { jwtVerify, SignJWT, type JWK, type KeyLike } from "jose";
import { systemClock, type Clock } from "../core/clock";
import { loadSigningKey } from "./signing-key";
import { GITHUB_ACTIONS_ISSUER, SEEDED_REPOSITORY } from "./seeded-identities";

export const ACTIONS_PATH_PREFIX = "/github-actions";
/** GitHub's ID tokens are short-lived; clients fetch a new one for each exchange. */
const ID_TOKEN_LIFETIME_SECONDS = 300;
/** A request token lasts as long as a job may (GitHub's limit is 6 hours). */
const REQUEST_TOKEN_LIFETIME_SECONDS = 6 * 3600;
const REQUEST_TOKEN_AUDIENCE = "urn:entra-sync-emulator:github-actions:id-token-request";

export interface ActionsRun {
  /** "owner/repo"; default the seeded repository. */
  repository?: string;
  /** Default "refs/heads/main". */
  ref?: string;
  /** "push" (default), "pull_request", "schedule", "workflow_dispatch", ... */
  eventName?: string;
  /** A deployment environment the job runs in. */
  environment?: string;
}

export interface ActionsRequest {
  requestUrl: string;
  requestToken: string;
  /** The `sub` its ID tokens carry. */
  subject: string;
}

export class GithubActionsIssuer {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicKey: crypto.KeyObject,
    private readonly publicJwk: JWK & { kid: string },
    /** What tokens are dated and checked by. */
    private readonly clock: Clock,
  ) {}

  static async load(home: string, clock: Clock = systemClock): Promise<GithubActionsIssuer> {
    const key = await loadSigningKey(home, "github-actions-signing-key.pem");
    return new GithubActionsIssuer(key.privateKey, key.publicKey, key.publicJwk, clock);
  }

  /** ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN for a run, as the runner would set them. */
  async requestFor(origin: string, run: ActionsRun = {}): Promise<ActionsRequest> {
    const claims = runClaims(run);
    const now = Math.floor(this.clock.now() / 1000);
    const requestToken = await new SignJWT({ run: claims })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.publicJwk.kid })
      .setAudience(REQUEST_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + REQUEST_TOKEN_LIFETIME_SECONDS)
      .sign(this.privateKey);
    return { requestUrl: `${origin}${ACTIONS_PATH_PREFIX}/idtoken?api-version=2.0`, requestToken, subject: subjectOf(claims) };
  }

  /** The ID token for a request token, or undefined when the request token is not one of ours (or expired). */
  async idTokenFor(requestToken: string, audience: string | undefined): Promise<string | undefined> {
    let run: RunClaims;
    try {
      const { payload } = await jwtVerify(requestToken, this.publicKey, {
        algorithms: ["RS256"],
        audience: REQUEST_TOKEN_AUDIENCE,
        currentDate: new Date(this.clock.now()),
      });
      run = payload.run as RunClaims;
    } catch {
      return undefined;
    }
    const now = Math.floor(this.clock.now() / 1000);
    const [owner] = run.repository.split("/");
    return (
      new SignJWT({
        ref: run.ref,
        sha: crypto.createHash("sha1").update(`${run.repository}@${run.ref}`).digest("hex"),
        repository: run.repository,
        repository_owner: owner,
        run_id: String(now),
        run_attempt: "1",
        event_name: run.eventName,
        ref_type: run.ref.startsWith("refs/tags/") ? "tag" : "branch",
        workflow: "provisioning",
        job_workflow_ref: `${run.repository}/.github/workflows/provisioning.yml@${run.ref}`,
        ...(run.environment ? { environment: run.environment } : {}),
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.publicJwk.kid })
        .setIssuer(GITHUB_ACTIONS_ISSUER)
        .setSubject(subjectOf(run))
        // Without an audience parameter GitHub uses the repository owner's URL.
        .setAudience(audience ?? `https://github.com/${owner}`)
        .setJti(crypto.randomUUID())
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + ID_TOKEN_LIFETIME_SECONDS)
        .sign(this.privateKey)
    );
  }

  /** Verify an ID token's signature (the federated credential decides the rest: see client-assertion.ts). */
  async verifySignature(token: string): Promise<boolean> {
    try {
      await jwtVerify(token, this.publicKey, { algorithms: ["RS256"], issuer: GITHUB_ACTIONS_ISSUER, clockTolerance: Infinity });
      return true;
    } catch {
      return false;
    }
  }

  openIdConfiguration(origin: string): Record<string, unknown> {
    return {
      issuer: GITHUB_ACTIONS_ISSUER,
      jwks_uri: `${origin}${ACTIONS_PATH_PREFIX}/.well-known/jwks`,
      subject_types_supported: ["public", "pairwise"],
      response_types_supported: ["id_token"],
      claims_supported: [
        "sub",
        "aud",
        "exp",
        "iat",
        "iss",
        "jti",
        "nbf",
        "ref",
        "sha",
        "repository",
        "repository_owner",
        "run_id",
        "run_attempt",
        "event_name",
        "ref_type",
        "workflow",
        "job_workflow_ref",
        "environment",
      ],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid"],
    };
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }
}

interface RunClaims {
  repository: string;
  ref: string;
  eventName: string;
  environment?: string;
}

function runClaims(run: ActionsRun): RunClaims {
  const repository = run.repository ?? SEEDED_REPOSITORY;
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) throw new RangeError(`repository must be "owner/name", got "${repository}"`);
  const ref = run.ref ?? "refs/heads/main";
  if (!ref.startsWith("refs/")) throw new RangeError(`ref must start with refs/, got "${ref}"`);
  return { repository, ref, eventName: run.eventName ?? "push", ...(run.environment ? { environment: run.environment } : {}) };
}

/** How GitHub builds the subject claim (its default template). */
function subjectOf(run: RunClaims): string {
  if (run.environment) return `repo:${run.repository}:environment:${run.environment}`;
  if (run.eventName === "pull_request" || run.eventName === "pull_request_target") return `repo:${run.repository}:pull_request`;
  return `repo:${run.repository}:ref:${run.ref}`;
}
