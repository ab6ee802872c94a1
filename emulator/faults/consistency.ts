/**
 * Eventual-consistency windows (docs/graph-behaviour.md §2): for a while after a write, reads
 * are served as a lagging replica would serve them.
 *
 *  - jobCreate: a new job is missing (GET -> 404, absent from the list);
 *  - jobDelete: a deleted job is still there (GET -> 200 with its last state, still listed);
 *  - secretsUpdate: GET secrets / GET synchronization return the secrets from before the PUT
 *    (404 if there were none yet).
 *
 * A window lasts N milliseconds or N reads, whichever the configuration gives. The routes tell
 * this layer about writes and ask it how to answer reads; the store itself always holds the truth,
 * so every write handler keeps working on the real state.
 */
import { systemClock } from "../core/clock";
import type { ConsistencySettings, ConsistencyWindow } from "./config";
import type { JobRecord, SecretPair } from "../tenant/store";

/** One open window; `observe` counts a read and says whether the window still applies to it. */
class OpenWindow {
  private readsLeft: number;
  private readonly untilMs: number;

  constructor(window: ConsistencyWindow, nowMs: number) {
    this.readsLeft = "reads" in window ? window.reads : Infinity;
    this.untilMs = "ms" in window ? nowMs + window.ms : Infinity;
  }

  observe(nowMs: number): boolean {
    if (nowMs >= this.untilMs || this.readsLeft <= 0) return false;
    this.readsLeft -= 1;
    return true;
  }
}

/** Objects a lagging replica still shows differently, with what it shows ("stale"). */
class LaggingReads<T> {
  private readonly entries = new Map<string, { window: OpenWindow; stale: T }>();

  open(key: string, window: ConsistencyWindow, stale: T, nowMs: number): void {
    this.entries.set(key, { window: new OpenWindow(window, nowMs), stale });
  }

  staleValue(key: string): { stale: T } | undefined {
    const entry = this.entries.get(key);
    return entry && { stale: entry.stale };
  }

  /** Counts a read: the stale value while the window is open; afterwards undefined (forgotten). */
  read(key: string, nowMs: number): { stale: T } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.window.observe(nowMs)) return { stale: entry.stale };
    this.entries.delete(key);
    return undefined;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

export class ConsistencyWindows {
  /** New jobs a reader does not see yet. */
  private readonly newJobs = new LaggingReads<undefined>();
  private readonly deletedJobs = new LaggingReads<JobRecord>();
  private readonly changedSecrets = new LaggingReads<SecretPair[] | null>();

  constructor(
    private readonly settings: () => ConsistencySettings,
    private readonly now: () => number = systemClock.now,
  ) {}

  // --- writes -------------------------------------------------------------------------------------

  jobCreated(servicePrincipalId: string, jobId: string): void {
    const window = this.settings().jobCreate;
    if (window) this.newJobs.open(jobKey(servicePrincipalId, jobId), window, undefined, this.now());
  }

  jobDeleted(servicePrincipalId: string, record: JobRecord): void {
    const key = jobKey(servicePrincipalId, record.job.id);
    this.newJobs.forget(key);
    const window = this.settings().jobDelete;
    if (window) this.deletedJobs.open(key, window, structuredClone(record), this.now());
  }

  /** Call with the secrets as they were before the PUT. */
  secretsChanged(servicePrincipalId: string, before: SecretPair[] | null): void {
    const window = this.settings().secretsUpdate;
    if (!window) return;
    // Several PUTs inside one window: readers keep seeing the state before the first one, until
    // the last one has "replicated".
    const open = this.changedSecrets.staleValue(servicePrincipalId);
    const stale = open ? open.stale : structuredClone(before);
    this.changedSecrets.open(servicePrincipalId, window, stale, this.now());
  }

  // --- reads (each call counts as one read of the objects it reports on) ------------------------

  /** The job a reader sees: undefined while it is new, the deleted record while it lingers. */
  readJob(servicePrincipalId: string, jobId: string, current: JobRecord | undefined): JobRecord | undefined {
    const key = jobKey(servicePrincipalId, jobId);
    if (!current) return this.deletedJobs.read(key, this.now())?.stale;
    return this.newJobs.read(key, this.now()) ? undefined : current;
  }

  /** The job list a reader sees: new jobs left out, lingering deleted jobs kept (at the end). */
  readJobs(servicePrincipalId: string, current: readonly JobRecord[]): JobRecord[] {
    const visible = current.filter((r) => !this.newJobs.read(jobKey(servicePrincipalId, r.job.id), this.now()));
    const prefix = jobKey(servicePrincipalId, "");
    for (const key of this.deletedJobs.keys()) {
      const ghost = key.startsWith(prefix) ? this.deletedJobs.read(key, this.now()) : undefined;
      if (ghost) visible.push(ghost.stale);
    }
    return visible;
  }

  readSecrets(servicePrincipalId: string, current: SecretPair[] | null): SecretPair[] | null {
    const lagging = this.changedSecrets.read(servicePrincipalId, this.now());
    return lagging ? lagging.stale : current;
  }

  clear(): void {
    this.newJobs.clear();
    this.deletedJobs.clear();
    this.changedSecrets.clear();
  }
}

function jobKey(servicePrincipalId: string, jobId: string): string {
  return `${servicePrincipalId.toLowerCase()}/${jobId}`;
}
