/**
 * The request log the control plane exposes (GET /_emulator/requests): one entry per Graph or
 * OAuth request, so tests and the benchmark can count and time calls and see injected faults.
 * Entries hold no bodies, no query strings and no header values other than the request ids, so no
 * secret can end up in them. Bounded: the oldest entries are dropped first. Control-plane calls
 * are never logged.
 */
import type { FaultOutcome } from "../faults/config";

export interface RequestLogEntry {
  /** 1, 2, 3, … in arrival order; keeps counting across clear(), so `since=<seq>` stays valid. */
  seq: number;
  kind: "graph" | "oauth";
  method: string;
  /** The Host the request was sent to (the emulator answers as the cloud that host names: identity/clouds.ts). */
  host: string;
  /** Path without the query string. */
  path: string;
  /** The Graph route that matched, e.g. "servicePrincipals/:sp/synchronization/jobs/:job/start"; absent when none did (and for OAuth). */
  route?: string;
  /** 0 when the connection was dropped without a response. */
  status: number;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  requestId: string;
  clientRequestId: string;
  /** Injected latency, when there was any. */
  latencyMs?: number;
  /** The injected fault that answered this request, if any. */
  fault?: FaultOutcome;
  /** Arrived before a Retry-After given to the same client had expired (and was throttled again). */
  early?: true;
  /** The wait this response told the client to honour (Retry-After / retry-after-ms), in ms. */
  retryAfterMs?: number;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private lastSeq = 0;

  add(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const stored = { seq: ++this.lastSeq, ...entry };
    this.entries.push(stored);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return stored;
  }

  /** The seq of the latest entry ever added (0 before the first). */
  get latestSeq(): number {
    return this.lastSeq;
  }

  /**
   * Entries, optionally only those after a point: a number is a seq (entries with a greater seq),
   * a Date a time (entries that started at or after it).
   */
  list(since?: number | Date): RequestLogEntry[] {
    if (since === undefined) return [...this.entries];
    if (typeof since === "number") return this.entries.filter((e) => e.seq > since);
    const from = since.getTime();
    return this.entries.filter((e) => Date.parse(e.startedAt) >= from);
  }

  clear(): void {
    this.entries = [];
  }
}
