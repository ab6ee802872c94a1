/**
 * Re-throttling: after a 429 the emulator remembers, per client, until when that client must wait.
 * Any request the client sends before then is answered 429 again (as Graph and Dev Proxy do), so
 * tests can catch clients that ignore Retry-After.
 *
 * A client is the token's application (appid/azp, else oid) or, without a readable token, the
 * caller's address. The token is only decoded, not verified: this is a key for bookkeeping, and
 * authentication still runs afterwards for requests that are not faulted.
 */
import { decodeJwt } from "jose";

export interface PendingThrottle {
  remainingMs: number;
  /** The 429 that started the wait used an emulator-only millisecond Retry-After. */
  exactMs: boolean;
}

export class ThrottledClients {
  private readonly waits = new Map<string, { untilMs: number; exactMs: boolean }>();

  throttle(client: string, untilMs: number, exactMs: boolean): void {
    this.waits.set(client, { untilMs, exactMs });
  }

  /** The wait this client still has to sit out at `nowMs`, if any. */
  pending(client: string, nowMs: number): PendingThrottle | undefined {
    const wait = this.waits.get(client);
    if (!wait) return undefined;
    if (nowMs >= wait.untilMs) {
      this.waits.delete(client);
      return undefined;
    }
    return { remainingMs: wait.untilMs - nowMs, exactMs: wait.exactMs };
  }

  clear(): void {
    this.waits.clear();
  }
}

export function throttleClientKey(authorization: string | undefined, remoteAddress: string | undefined): string {
  const bearer = /^Bearer\s+(\S+)/i.exec(authorization ?? "");
  if (bearer) {
    try {
      const claims = decodeJwt(bearer[1]);
      const app = claims.appid ?? claims.azp ?? claims.oid;
      if (typeof app === "string" && app !== "") return `app:${app}`;
    } catch {
      // Not a JWT: fall back to the address, like an unauthenticated caller.
    }
  }
  return `ip:${remoteAddress ?? "unknown"}`;
}
