/**
 * The request log the control plane exposes: one entry per Graph or OAuth request, without
 * bodies or headers (so no secret can end up in it). Bounded, oldest entries dropped first.
 */
export interface RequestLogEntry {
  kind: "graph" | "oauth";
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  startedAt: string;
  endedAt: string;
  requestId: string;
  clientRequestId: string;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
