/**
 * Tenant state: everything the emulated tenant holds, as one JSON-serializable object, plus the
 * Store that owns it (in memory; optionally persisted to a state file after every mutation with
 * an atomic rename, and loaded from it at start).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { KeyValuePair, SynchronizationJob, SynchronizationSchema, SynchronizationSecretKey, SynchronizationTemplate } from "../../provider/graph/types";
import { writeAtomic } from "../core/files";
import { Rng } from "../core/rng";

export const STATE_FORMAT_VERSION = 1;

/** The handle RunningEmulator.clients uses (identity/seeded-identities.ts seeds the sign-in methods' clients). */
export type ClientHandle = "admin" | "noRole" | "syncOnly" | "certificate" | "federated" | "systemIdentity" | "userIdentity";

export interface ClientApp {
  handle: ClientHandle;
  clientId: string;
  /** Absent for clients that sign in otherwise (certificate, federated credential, managed identity). */
  clientSecret?: string;
  displayName: string;
  roles: string[];
  servicePrincipalId: string;
  /** The app registration holds the emulator home's client certificate (identity/client-certificate.ts). */
  certificate?: true;
  /** Federated identity credentials of the app registration, as Graph's federatedIdentityCredential. */
  federatedIdentityCredentials?: FederatedIdentityCredential[];
  /** A managed identity: "system" is the one IMDS answers for without a client id. */
  managedIdentity?: "system" | "user";
}

export interface FederatedIdentityCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

/** A servicePrincipal as Graph returns it (only members the v1.0 schema declares). */
export type ServicePrincipalResource = Record<string, unknown> & { id: string; appId: string; displayName: string };

/**
 * A user as Graph serves it (tenant/directory-model.ts names the properties; an absent one reads as
 * null), plus `managerId`, the id behind Graph's `manager` navigation property, which is not a
 * property and never served as one.
 */
export type UserResource = Record<string, unknown> & { id: string; userPrincipalName: string; displayName: string; managerId?: string | null };

export type GroupResource = Record<string, unknown> & { id: string; displayName: string };

export interface SecretPair {
  key: SynchronizationSecretKey;
  value: string;
}

export interface TemplateRecord {
  /** The template as Graph returns it, schema inline. */
  template: SynchronizationTemplate & { schema: SynchronizationSchema };
  /** Job settings a job created from this template inherits. */
  jobSettings: KeyValuePair[];
}

/** Engine-side state of a job that Graph does not expose. */
export interface JobEngineState {
  /** Set by start/restart(Watermark)/schema change: the next cycle reprocesses everything. */
  nextCycleIsInitial: boolean;
  /** Schema revision counter behind schema.version. */
  schemaRevision: number;
  /** What the job has provisioned where, and its escrows (absent until the first export). */
  connector?: ConnectorStore;
}

export interface JobRecord {
  job: SynchronizationJob;
  schema: SynchronizationSchema;
  engine: JobEngineState;
}

export interface SynchronizationRecord {
  /** null until the first PUT .../secrets (GET .../secrets then answers 404). */
  secrets: SecretPair[] | null;
  templates: TemplateRecord[];
  jobs: JobRecord[];
}

export interface TenantState {
  formatVersion: number;
  seed: number;
  /** Persisted state of the id stream, so ids minted after a restart never repeat. */
  idRngState: number;
  tenantId: string;
  tenantDomain: string;
  clients: ClientApp[];
  servicePrincipals: ServicePrincipalResource[];
  users: UserResource[];
  groups: GroupResource[];
  /** Group object id -> member object ids, users and groups (GET /groups/{id}/members; read by provisioning). */
  groupMembers: Record<string, string[]>;
  /** Directory extension properties registered on applications; absent in older state files. */
  directoryExtensions?: DirectoryExtension[];
  /** Keyed by service principal object id. */
  synchronization: Record<string, SynchronizationRecord>;
  /** Users and groups assigned to applications (appRoleAssignedTo); absent in older state files. */
  appRoleAssignments?: AppRoleAssignmentRecord[];
  /** The SCIM target application's data; absent in older state files (created on first use). */
  scimTarget?: ScimTargetState;
}

/** A directory extension property registered on an application (Graph's extensionProperty). */
export interface DirectoryExtension {
  id: string;
  /** `extension_{appId without dashes}_{name}`, the property's name on the objects it extends. */
  name: string;
  appDisplayName: string;
  dataType: "String" | "Boolean" | "Integer" | "DateTime" | "Binary" | "LargeInteger";
  isMultiValued: boolean;
  targetObjects: ("User" | "Group")[];
}

/** An appRoleAssignment as Graph returns it from servicePrincipals/{id}/appRoleAssignedTo. */
export interface AppRoleAssignmentRecord {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  principalDisplayName: string;
  principalId: string;
  /** A service principal assigned an app role (an application permission) is not provisioned. */
  principalType: "User" | "Group" | "ServicePrincipal";
  resourceDisplayName: string;
  resourceId: string;
}

/**
 * The provisioning service's memory of a job (its "connector data store", which restart with
 * ConnectorDataStore clears; provisioning/connector-store.ts): for every source object it has
 * evaluated, the target object it is joined to and a fingerprint of the source as last seen; and
 * the escrows, entries whose export failed and that later cycles retry.
 */
export interface ConnectorEntry {
  sourceObjectName: string;
  sourceId: string;
  targetObjectName: string;
  /** The target's id (SCIM `id`) once created or matched; null while the object was only evaluated. */
  targetId: string | null;
  /** Whether the target object is provisioned and enabled (false after a disable or delete). */
  provisioned: boolean;
  /** Fingerprint of the source object and its entitlement when last processed. */
  sourceFingerprint: string;
  /** Groups: the member ids (target ids) the job has exported, to send only membership changes. */
  members?: string[];
}

export interface EscrowEntry {
  code: string;
  message: string;
  attempts: number;
  firstFailed: string;
}

export interface ConnectorStore {
  entries: Record<string, ConnectorEntry>;
  escrows: Record<string, EscrowEntry>;
}

/** A resource the SCIM target application (scim/) stores: the JSON it returns, minus `meta.location` (computed per request). */
export type ScimResourceRecord = Record<string, unknown> & {
  id: string;
  meta: { resourceType: "User" | "Group"; created: string; lastModified: string };
};

/** What the emulator's SCIM target application holds: its users and groups as SCIM resources. */
export interface ScimTargetState {
  /** Persisted position of the target's own id stream (SCIM ids are the application's, not Entra's). */
  idRngState: number;
  users: ScimResourceRecord[];
  groups: ScimResourceRecord[];
  /** Last port the target listened on, reused when free so a persisted BaseAddress stays valid. */
  lastPort?: number;
}

export class Store {
  private rng: Rng;

  constructor(
    private current: TenantState,
    private readonly stateFile: string | undefined,
  ) {
    this.rng = new Rng(current.idRngState);
  }

  get state(): TenantState {
    return this.current;
  }

  /** The id stream. Call persist (or use mutate) afterwards so its position is saved. */
  get ids(): Rng {
    return this.rng;
  }

  /** Apply a change and persist it. */
  mutate<T>(change: (state: TenantState) => T): T {
    const result = change(this.current);
    this.persist();
    return result;
  }

  /** Replace the whole state (control-plane reset). */
  replace(next: TenantState): void {
    this.current = next;
    this.rng = new Rng(next.idRngState);
    this.persist();
  }

  persist(): void {
    this.current.idRngState = this.rng.currentState;
    if (!this.stateFile) return;
    fs.mkdirSync(path.dirname(path.resolve(this.stateFile)), { recursive: true });
    writeAtomic(this.stateFile, JSON.stringify(this.current, null, 1), 0o600);
  }

  syncRecord(servicePrincipalId: string): SynchronizationRecord {
    let record = this.current.synchronization[servicePrincipalId];
    if (!record) {
      record = { secrets: null, templates: [], jobs: [] };
      this.current.synchronization[servicePrincipalId] = record;
    }
    return record;
  }
}

/** Load a state file, or return undefined when there is none. Throws on a corrupt or foreign file. */
export function loadStateFile(stateFile: string): TenantState | undefined {
  if (!fs.existsSync(stateFile)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(stateFile, "utf8")) as TenantState;
  if (parsed.formatVersion !== STATE_FORMAT_VERSION || typeof parsed.tenantId !== "string") {
    throw new Error(`${stateFile} is not an emulator state file of format ${STATE_FORMAT_VERSION} (found ${String(parsed.formatVersion)})`);
  }
  return parsed;
}
