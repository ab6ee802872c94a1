/**
 * Public programmatic API of the Graph synchronization emulator.
 *
 *   const emu = await startEmulator({ stateFile: "tenant.json" });
 *   // point any Graph client at emu.env (AZURE_* + ENTRA_SYNC_GRAPH_ENDPOINT + NODE_EXTRA_CA_CERTS)
 *   await emu.stop();
 */
import * as os from "node:os";
import * as path from "node:path";
import { ensureCaFiles, loadServerTls } from "./ca";
import { EmulatorEngine } from "./engine";
import { buildSeedTenant, SALESFORCE_TEMPLATE_ID, SCIM_TEMPLATE_ID } from "./seed";
import { EmulatorServer, type GraphExchange } from "./server";
import { loadStateFile, Store } from "./store";
import { TokenService } from "./tokens";

export type { GraphExchange } from "./server";

export interface EmulatorOptions {
  /** Default 0 = ephemeral. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** If set: loaded at start when it exists, saved after every mutation. */
  stateFile?: string;
  /** Default 1; the tenant and the ids it mints are a function of the seed. */
  seed?: number;
  /** Where the CA, server certificate and token signing key live. */
  home?: string;
  /** Delay between start (or restart) and the first provisioning cycle. Default 1500. */
  cycleDelayMs?: number;
  /** Delay between subsequent cycles of a running job. Default 60000. */
  cycleIntervalMs?: number;
  /** Max items per collection page before @odata.nextLink. Default 100. */
  pageSize?: number;
}

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  displayName: string;
  roles: string[];
}

export interface EmulatorEnv {
  AZURE_TENANT_ID: string;
  AZURE_CLIENT_ID: string;
  AZURE_CLIENT_SECRET: string;
  AZURE_AUTHORITY_HOST: string;
  ENTRA_SYNC_GRAPH_ENDPOINT: string;
  NODE_EXTRA_CA_CERTS: string;
}

export interface RunningEmulator {
  /** "https://127.0.0.1:PORT" (Graph paths are /v1.0/... and /beta/...). */
  graphEndpoint: string;
  /** Same origin; token endpoint https://127.0.0.1:PORT/{tenantId}/oauth2/v2.0/token. */
  authorityHost: string;
  tenantId: string;
  caCertPath: string;
  /** The admin client's credentials. */
  env: EmulatorEnv;
  clients: { admin: EmulatorClient; noRole: EmulatorClient };
  seeded: {
    scimServicePrincipalId: string;
    galleryServicePrincipalId: string;
    scimTemplateId: "scim";
    galleryTemplateId: string;
    userIds: string[];
    groupIds: string[];
  };
  /** Every Graph request/response (not control plane, not OAuth), secrets redacted. Returns unsubscribe. */
  onExchange(listener: (x: GraphExchange) => void): () => void;
  stop(): Promise<void>;
}

export const DEFAULTS = {
  port: 0,
  host: "127.0.0.1",
  seed: 1,
  cycleDelayMs: 1500,
  cycleIntervalMs: 60_000,
  pageSize: 100,
} as const;

export function defaultHome(): string {
  return process.env.ENTRA_SYNC_EMULATOR_HOME || path.join(os.homedir(), ".cache", "pulumi-entra-sync", "emulator");
}

/** Make sure the emulator CA exists (synchronous, idempotent). */
export function ensureCa(home?: string): { caCertPath: string } {
  return { caCertPath: ensureCaFiles(home ?? defaultHome()).caCertPath };
}

/** Hooks for the CLI; not part of the stable API. */
export interface EmulatorHooks {
  log?: (line: string) => void;
}

export function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulatorWithHooks(opts, {});
}

export async function startEmulatorWithHooks(opts: EmulatorOptions, hooks: EmulatorHooks): Promise<RunningEmulator> {
  const home = opts.home ?? defaultHome();
  const host = opts.host ?? DEFAULTS.host;
  const log = hooks.log ?? (() => undefined);
  const tls = loadServerTls(home);
  const tokens = await TokenService.load(home);

  const loaded = opts.stateFile ? loadStateFile(opts.stateFile) : undefined;
  const store = new Store(loaded ?? buildSeedTenant(opts.seed ?? DEFAULTS.seed), opts.stateFile);
  store.persist();
  const engine = new EmulatorEngine(
    store,
    {
      cycleDelayMs: opts.cycleDelayMs ?? DEFAULTS.cycleDelayMs,
      cycleIntervalMs: opts.cycleIntervalMs ?? DEFAULTS.cycleIntervalMs,
      pageSize: opts.pageSize ?? DEFAULTS.pageSize,
    },
    log,
  );
  const server = new EmulatorServer(engine, tokens, tls, log);
  const port = await server.listen(opts.port ?? DEFAULTS.port, host);
  engine.armRunningJobs();

  const originHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const origin = `https://${originHost}:${port}`;
  const state = store.state;
  const client = (handle: "admin" | "noRole") => {
    const c = state.clients.find((x) => x.handle === handle);
    if (!c) throw new Error(`tenant state has no ${handle} client`);
    return { clientId: c.clientId, clientSecret: c.clientSecret, displayName: c.displayName, roles: [...c.roles] };
  };
  const admin = client("admin");
  const spWithTemplate = (templateId: string) => {
    const entry = Object.entries(state.synchronization).find(([, r]) => r.templates.some((t) => t.template.id === templateId));
    if (!entry) throw new Error(`tenant state has no service principal with template ${templateId}`);
    return entry[0];
  };

  let stopped = false;
  return {
    graphEndpoint: origin,
    authorityHost: origin,
    tenantId: state.tenantId,
    caCertPath: tls.caCertPath,
    env: {
      AZURE_TENANT_ID: state.tenantId,
      AZURE_CLIENT_ID: admin.clientId,
      AZURE_CLIENT_SECRET: admin.clientSecret,
      AZURE_AUTHORITY_HOST: origin,
      ENTRA_SYNC_GRAPH_ENDPOINT: origin,
      NODE_EXTRA_CA_CERTS: tls.caCertPath,
    },
    clients: { admin, noRole: client("noRole") },
    seeded: {
      scimServicePrincipalId: spWithTemplate(SCIM_TEMPLATE_ID),
      galleryServicePrincipalId: spWithTemplate(SALESFORCE_TEMPLATE_ID),
      scimTemplateId: SCIM_TEMPLATE_ID,
      galleryTemplateId: SALESFORCE_TEMPLATE_ID,
      userIds: state.users.map((u) => u.id),
      groupIds: state.groups.map((g) => g.id),
    },
    onExchange: (listener) => server.onExchange(listener),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await engine.stop();
      await server.close();
      store.persist();
    },
  };
}
