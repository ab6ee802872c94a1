/**
 * Public programmatic API of the Graph synchronization emulator.
 *
 *   const emu = await startEmulator({ stateFile: "tenant.json" });
 *   // point any Graph client at emu.env (AZURE_* + ENTRA_SYNC_GRAPH_ENDPOINT + NODE_EXTRA_CA_CERTS)
 *   await emu.stop();
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { systemClock, type Clock } from "./core/clock";
import { ensureCaFiles, loadServerTls } from "./identity/ca";
import { loadClientCertificate } from "./identity/client-certificate";
import { GithubActionsIssuer, type ActionsRequest, type ActionsRun } from "./identity/github-actions";
import { FEDERATED_AUDIENCE, GITHUB_ACTIONS_ISSUER, SEEDED_REPOSITORY } from "./identity/seeded-identities";
import { EmulatorEngine, type CycleMode } from "./provisioning/engine";
import { TargetHttp } from "./provisioning/target-http";
import { ScimTarget, type ScimTargetInfo } from "./scim/target";
import { FaultInjector } from "./faults/injector";
import { resolveFaultConfig, type FaultConfig } from "./faults/config";
import { addIdentityClients, buildSeedTenant, SALESFORCE_TEMPLATE_ID, SCIM_TEMPLATE_ID } from "./seed";
import { addBulkScimApps, bulkScimAppIds } from "./seed/bulk";
import { EmulatorServer, type GraphExchange } from "./server/server";
import { loadStateFile, Store, type ClientHandle } from "./tenant/store";
import { TokenService } from "./identity/tokens";

export type { GraphExchange } from "./server/server";
export type { ScimTargetInfo } from "./scim/target";
export type { ScimFailureMode } from "./scim/failure-mode";
export type { ScimResourceRecord } from "./tenant/store";
export { FaultConfigError, type FaultConfig, type FaultRule, type ConsistencySettings } from "./faults/config";
export type { RequestLogEntry } from "./control/request-log";
export type { ActionsRequest, ActionsRun } from "./identity/github-actions";
export { ManualClock, type Clock, type ClockTimer } from "./core/clock";
export type { CycleMode } from "./provisioning/engine";

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
  /**
   * "scheduled" (default): cycles run on timers, `cycleDelayMs` after a start or restart, then every
   * `cycleIntervalMs`. "manual": no timers; a cycle runs only when asked (POST /_emulator/cycles),
   * so a test decides when a job's status moves. PUT /_emulator/config switches it at run time.
   */
  cycles?: CycleMode;
  /** Max items per collection page before @odata.nextLink. Default 100. */
  pageSize?: number;
  /**
   * Port of the SCIM target application (on 127.0.0.1). Default 0: the port of the previous run
   * when the state file remembers one and it is free, else ephemeral.
   */
  scimPort?: number;
  /**
   * Faults from the start (same shape as PUT /_emulator/faults; see emulator/README.md), e.g.
   * `{ rules: [{ latency: { ms: 50 } }] }`. POST /_emulator/reset comes back to these. Invalid
   * settings make startEmulator reject with a FaultConfigError.
   */
  faults?: FaultConfig;
  /** N more non-gallery SCIM apps in a fresh tenant, for scale tests and `npm run bench` (seed/bulk.ts). Default 0. */
  extraScimApps?: number;
  /**
   * The clock every time the emulator writes down and every wait it makes go by (cycle timers,
   * injected latency, Retry-After and consistency windows, token lifetimes, status times). Default
   * the system clock; a test passes a ManualClock and moves time itself.
   */
  clock?: Clock;
}

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  displayName: string;
  roles: string[];
}

/** The clients that sign in without a secret (identity/seeded-identities.ts), and how to reach them. */
export interface EmulatorIdentities {
  /** An app whose registration holds the emulator home's client certificate; no secret. */
  certificate: {
    clientId: string;
    displayName: string;
    /** Private key + certificate, PEM (AZURE_CLIENT_CERTIFICATE_PATH, ARM_CLIENT_CERTIFICATE_PATH). */
    pemPath: string;
    /** PKCS#12 bundle (ARM_CLIENT_CERTIFICATE_PATH) and its base64 (ARM_CLIENT_CERTIFICATE). */
    pfxPath: string;
    pfxBase64: string;
    /** The bundle's password (ARM_CLIENT_CERTIFICATE_PASSWORD). */
    password: string;
  };
  /** An app with federated credentials for GitHub Actions runs of `repository` (main branch, pull requests). */
  federated: { clientId: string; displayName: string; issuer: string; repository: string; subjects: string[]; audience: string };
  /** Managed identities; IMDS is `imdsEndpoint` (AZURE_POD_IDENTITY_AUTHORITY_HOST, or ARM_MSI_ENDPOINT + the token path). */
  systemIdentity: { clientId: string; displayName: string };
  userIdentity: { clientId: string; displayName: string };
  imdsEndpoint: string;
  /** ARM_METADATA_HOSTNAME of a custom cloud whose sign-in and Graph are this emulator. */
  metadataHost: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN for a workflow run (default: a push to main of `federated.repository`). */
  githubActions(run?: ActionsRun): Promise<ActionsRequest>;
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
  /**
   * Client-secret clients: `admin` (Synchronization.ReadWrite.All and directory reads), `noRole`
   * (Application.Read.All, no Synchronization.*), `syncOnly` (Synchronization.ReadWrite.All and no
   * directory read: users, groups, members and appRoleAssignedTo answer it 403).
   */
  clients: { admin: EmulatorClient; noRole: EmulatorClient; syncOnly: EmulatorClient };
  identities: EmulatorIdentities;
  seeded: {
    scimServicePrincipalId: string;
    galleryServicePrincipalId: string;
    scimTemplateId: "scim";
    galleryTemplateId: string;
    userIds: string[];
    groupIds: string[];
    /** Users and groups assigned to the SCIM app (the only ones provisioned unless SyncAll is "true"). */
    scimAppAssignments: { userIds: string[]; groupIds: string[] };
    /** Service principals of the `extraScimApps` SCIM apps (template "scim"), in order; [] without. */
    extraScimServicePrincipalIds: string[];
  };
  /**
   * The SCIM 2.0 application the emulator hosts: set the SCIM app's BaseAddress/SecretToken
   * secrets to `baseAddress`/`token` and provisioning reaches it. Also readable through
   * GET /_emulator/scim/Users and switchable into failure modes through PUT /_emulator/scim/failure.
   */
  scimTarget: ScimTargetInfo;
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
  cycles: "scheduled",
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
  // Before any side effect, so a bad configuration fails fast.
  const faultConfig = resolveFaultConfig(opts.faults ?? {});
  const home = opts.home ?? defaultHome();
  const host = opts.host ?? DEFAULTS.host;
  const log = hooks.log ?? (() => undefined);
  const clock = opts.clock ?? systemClock;
  const tls = loadServerTls(home);
  const identity = {
    tokens: await TokenService.load(home, clock),
    clientCertificate: loadClientCertificate(home),
    actions: await GithubActionsIssuer.load(home, clock),
  };

  const loaded = opts.stateFile ? loadStateFile(opts.stateFile) : undefined;
  const extraScimApps = opts.extraScimApps ?? 0;
  // The seeded tenant, with the extra apps: what a fresh emulator starts from and POST /_emulator/reset goes back to.
  const seededTenant = (seed: number) => addBulkScimApps(buildSeedTenant(seed), extraScimApps);
  // State files written before the sign-in identities existed get them (identity/seeded-identities.ts).
  const store = new Store(loaded ? addIdentityClients(loaded) : seededTenant(opts.seed ?? DEFAULTS.seed), opts.stateFile);
  store.persist();
  const engine = new EmulatorEngine(
    store,
    {
      cycleDelayMs: opts.cycleDelayMs ?? DEFAULTS.cycleDelayMs,
      cycleIntervalMs: opts.cycleIntervalMs ?? DEFAULTS.cycleIntervalMs,
      pageSize: opts.pageSize ?? DEFAULTS.pageSize,
      cycles: opts.cycles ?? DEFAULTS.cycles,
    },
    { freshTenant: () => seededTenant(store.state.seed), log, clock, targetHttp: new TargetHttp(fs.readFileSync(tls.caCertPath, "utf8")) },
  );
  const faults = new FaultInjector(store.state.seed, faultConfig, () => clock.now());
  // The target application listens on loopback only, with a certificate from the same CA.
  const scimTarget = await ScimTarget.start({ tenant: store, tls, host: "127.0.0.1", port: opts.scimPort ?? 0, log, clock });
  const server = new EmulatorServer(engine, identity, tls, { log, clock, faults, scimTarget });
  let port: number;
  try {
    port = await server.listen(opts.port ?? DEFAULTS.port, host);
  } catch (err) {
    await scimTarget.stop();
    throw err;
  }
  engine.armRunningJobs();

  const originHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const origin = `https://${originHost}:${port}`;
  const state = store.state;
  const find = (handle: ClientHandle) => {
    const c = state.clients.find((x) => x.handle === handle);
    if (!c) throw new Error(`tenant state has no ${handle} client`);
    return c;
  };
  const client = (handle: "admin" | "noRole" | "syncOnly"): EmulatorClient => {
    const c = find(handle);
    return { clientId: c.clientId, clientSecret: c.clientSecret ?? "", displayName: c.displayName, roles: [...c.roles] };
  };
  const federated = find("federated");
  const cert = identity.clientCertificate;
  const identities: EmulatorIdentities = {
    certificate: {
      clientId: find("certificate").clientId,
      displayName: find("certificate").displayName,
      pemPath: cert.pemPath,
      pfxPath: cert.pfxPath,
      pfxBase64: cert.pfxBase64,
      password: cert.password,
    },
    federated: {
      clientId: federated.clientId,
      displayName: federated.displayName,
      issuer: GITHUB_ACTIONS_ISSUER,
      repository: SEEDED_REPOSITORY,
      subjects: (federated.federatedIdentityCredentials ?? []).map((f) => f.subject),
      audience: FEDERATED_AUDIENCE,
    },
    systemIdentity: { clientId: find("systemIdentity").clientId, displayName: find("systemIdentity").displayName },
    userIdentity: { clientId: find("userIdentity").clientId, displayName: find("userIdentity").displayName },
    imdsEndpoint: origin,
    metadataHost: new URL(origin).host,
    githubActions: (run) => identity.actions.requestFor(origin, run),
  };
  const admin = client("admin");
  const spWithTemplate = (templateId: string) => {
    const entry = Object.entries(state.synchronization).find(([, r]) => r.templates.some((t) => t.template.id === templateId));
    if (!entry) throw new Error(`tenant state has no service principal with template ${templateId}`);
    return entry[0];
  };

  const assignedTo = (servicePrincipalId: string) => {
    const assignments = (state.appRoleAssignments ?? []).filter((a) => a.resourceId === servicePrincipalId);
    return {
      userIds: assignments.filter((a) => a.principalType === "User").map((a) => a.principalId),
      groupIds: assignments.filter((a) => a.principalType === "Group").map((a) => a.principalId),
    };
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
    clients: { admin, noRole: client("noRole"), syncOnly: client("syncOnly") },
    identities,
    seeded: {
      scimServicePrincipalId: spWithTemplate(SCIM_TEMPLATE_ID),
      galleryServicePrincipalId: spWithTemplate(SALESFORCE_TEMPLATE_ID),
      scimTemplateId: SCIM_TEMPLATE_ID,
      galleryTemplateId: SALESFORCE_TEMPLATE_ID,
      userIds: state.users.map((u) => u.id),
      groupIds: state.groups.map((g) => g.id),
      scimAppAssignments: assignedTo(spWithTemplate(SCIM_TEMPLATE_ID)),
      extraScimServicePrincipalIds: bulkScimAppIds(state),
    },
    scimTarget,
    onExchange: (listener) => server.onExchange(listener),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await engine.stop();
      await server.close();
      await scimTarget.stop();
      store.persist();
    },
  };
}
