/**
 * The emulated SCIM target application as the rest of the emulator (and tests) see it: where it
 * listens, its bearer token, what it holds, and the failure switch. Its data lives in the tenant
 * state (`scimTarget`), so it is persisted with the state file and reset with the tenant.
 */
import type { Clock } from "../core/clock";
import type { ScimResourceRecord, ScimTargetState, Store } from "../tenant/store";
import type { ScimFailureMode } from "./failure-mode";
import { ScimServer } from "./server";
import { emptyScimTargetState, scimTargetToken } from "./state";
import { ScimStore } from "./store";

export interface ScimTargetOptions {
  tenant: Store;
  tls: { key: string; cert: string };
  host: string;
  /** 0 = the port of the previous run if the state file remembers one and it is free, else ephemeral. */
  port: number;
  log?: (line: string) => void;
  /** The emulator's clock (meta times of the resources). */
  clock: Clock;
}

/** What RunningEmulator.scimTarget exposes. */
export interface ScimTargetInfo {
  /** The non-gallery app's BaseAddress ("Tenant URL"): https://127.0.0.1:PORT/scim/v2 */
  readonly baseAddress: string;
  /** The app's SecretToken, to be sent as a bearer token. */
  readonly token: string;
  readonly failureMode: ScimFailureMode;
  /** The provisioned users, as the application stores them (SCIM JSON). */
  listUsers(): ScimResourceRecord[];
  listGroups(): ScimResourceRecord[];
  /** Forget every provisioned user and group and stop failing. */
  reset(): void;
  setFailureMode(mode: ScimFailureMode): void;
}

export class ScimTarget implements ScimTargetInfo {
  private constructor(
    private readonly server: ScimServer,
    private readonly store: ScimStore,
    readonly token: string,
  ) {}

  static async start(options: ScimTargetOptions): Promise<ScimTarget> {
    const { tenant } = options;
    const state = (): ScimTargetState => (tenant.state.scimTarget ??= emptyScimTargetState(tenant.state.seed));
    const store = new ScimStore(state, () => tenant.persist(), options.clock);
    const token = scimTargetToken(tenant.state.seed);
    const server = new ScimServer(store, token, options.tls, options.log);
    const remembered = state().lastPort;
    let port: number;
    if (options.port === 0 && remembered) {
      // Reuse the previous run's port so a BaseAddress saved in the tenant (demo) still answers.
      port = await server.listen(remembered, options.host).catch(() => server.listen(0, options.host));
    } else {
      port = await server.listen(options.port, options.host);
    }
    tenant.mutate(() => {
      state().lastPort = port;
    });
    return new ScimTarget(server, store, token);
  }

  get baseAddress(): string {
    return this.server.baseAddress;
  }

  get failureMode(): ScimFailureMode {
    return this.server.failureMode;
  }

  listUsers(): ScimResourceRecord[] {
    return this.snapshot(this.store.list("User"));
  }

  listGroups(): ScimResourceRecord[] {
    return this.snapshot(this.store.list("Group"));
  }

  reset(): void {
    this.store.clear();
    this.server.failureMode = "none";
  }

  setFailureMode(mode: ScimFailureMode): void {
    this.server.failureMode = mode;
  }

  stop(): Promise<void> {
    return this.server.close();
  }

  private snapshot(records: ScimResourceRecord[]): ScimResourceRecord[] {
    return records.map((r) => {
      const copy = JSON.parse(JSON.stringify(r)) as ScimResourceRecord;
      const collection = r.meta.resourceType === "User" ? "Users" : "Groups";
      return { ...copy, meta: { ...copy.meta, location: `${this.baseAddress}/${collection}/${r.id}` } } as ScimResourceRecord;
    });
  }
}
