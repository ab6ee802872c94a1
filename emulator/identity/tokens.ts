/**
 * Access tokens: RS256 JWTs shaped like the v1 tokens Entra issues for Microsoft Graph with the
 * client-credentials flow. The signing key lives in the emulator home so tokens stay valid across
 * emulator restarts (with the same home).
 */
import type * as crypto from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import type { JWK, KeyLike } from "jose";
import { systemClock, type Clock } from "../core/clock";
import { loadSigningKey } from "./signing-key";

const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Seconds; Entra answers client-credentials requests with expires_in 3599. */
export const TOKEN_LIFETIME_SECONDS = 3599;

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  appid: string;
  azp: string;
  oid: string;
  sub: string;
  roles: string[];
  idtyp: "app";
  ver: "1.0";
}

interface TokenSubject {
  tenantId: string;
  clientId: string;
  /** Object id of the client's service principal (Entra puts it in oid and sub). */
  servicePrincipalId: string;
  roles: string[];
  /** The resource the token was asked for; default Graph's global one. */
  audience?: string;
  /** The cloud's STS (clouds.ts); default the global `https://sts.windows.net/`. */
  issuerPrefix?: string;
  /** Seconds; default TOKEN_LIFETIME_SECONDS (managed identity tokens live a day). */
  lifetimeSeconds?: number;
}

/** What Graph at the host a request reached accepts (clouds.ts); default the global cloud. */
interface TokenExpectations {
  audiences?: string[];
  issuerPrefix?: string;
}

type TokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: "malformed" | "signature" | "lifetime" | "audience" | "issuer" };

export class TokenService {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicJwk: JWK & { kid: string },
    private readonly publicKey: crypto.KeyObject,
    /** What tokens are dated and checked by. */
    private readonly clock: Clock,
  ) {}

  static async load(home: string, clock: Clock = systemClock): Promise<TokenService> {
    const key = await loadSigningKey(home, "signing-key.pem");
    return new TokenService(key.privateKey, key.publicJwk, key.publicKey, clock);
  }

  /** The JWKS document served at /{tenant}/discovery/v2.0/keys. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issue(subject: TokenSubject, nowSeconds = Math.floor(this.clock.now() / 1000)): Promise<string> {
    return new SignJWT({
      tid: subject.tenantId,
      appid: subject.clientId,
      azp: subject.clientId,
      appidacr: "1",
      oid: subject.servicePrincipalId,
      sub: subject.servicePrincipalId,
      roles: subject.roles,
      idtyp: "app",
      ver: "1.0",
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.publicJwk.kid })
      .setAudience(subject.audience ?? GRAPH_RESOURCE)
      .setIssuer(issuerFor(subject.tenantId, subject.issuerPrefix))
      .setIssuedAt(nowSeconds)
      .setNotBefore(nowSeconds)
      .setExpirationTime(nowSeconds + (subject.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS))
      .sign(this.privateKey);
  }

  async verify(token: string, tenantId: string, expect: TokenExpectations = {}): Promise<TokenCheck> {
    if (token.split(".").length !== 3) return { ok: false, reason: "malformed" };
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ["RS256"],
        audience: [...(expect.audiences ?? [GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`]), GRAPH_APP_ID],
        issuer: issuerFor(tenantId, expect.issuerPrefix),
        currentDate: new Date(this.clock.now()),
      });
      return { ok: true, claims: payload as unknown as AccessTokenClaims };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, reason: "lifetime" };
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        return { ok: false, reason: err.claim === "aud" ? "audience" : err.claim === "iss" ? "issuer" : "lifetime" };
      }
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: "signature" };
      return { ok: false, reason: "malformed" };
    }
  }
}

function issuerFor(tenantId: string, prefix = "https://sts.windows.net/"): string {
  return `${prefix}${tenantId}/`;
}
