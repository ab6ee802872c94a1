/**
 * The seeded tenant: a deterministic function of the seed. Same seed, same tenant id, users,
 * groups, apps, client credentials and template schemas.
 */
import type { SynchronizationSchema } from "../../provider/graph/types";
import { deriveSeed, Rng } from "../core/rng";
import { emptyScimTargetState } from "../scim/state";
import { readComplex } from "../tenant/schema-model";
import { IDENTITY_SPECS } from "../identity/seeded-identities";
import { GROUPS, PEOPLE } from "./people";
import { VARIED_GROUPS, VARIED_PEOPLE } from "./varied-people";
import { directoryExtensionName } from "../tenant/directory-model";
import { scimTemplateSchema } from "./scim-template";
import salesforceSchemaJson from "./salesforce-schema.json";
import { GRAPH_APP_ID } from "../identity/tokens";
import {
  STATE_FORMAT_VERSION,
  type AppRoleAssignmentRecord,
  type ClientApp,
  type GroupResource,
  type ServicePrincipalResource,
  type TemplateRecord,
  type TenantState,
  type UserResource,
} from "../tenant/store";

export const SCIM_TEMPLATE_ID = "scim";
const LEGACY_SCIM_TEMPLATE_ID = "customappsso";
export const SALESFORCE_TEMPLATE_ID = "salesforce";
const SCIM_APP_DISPLAY_NAME = "Contoso SCIM App";
const SALESFORCE_APP_DISPLAY_NAME = "Salesforce";
/** Entra's application template for "non-gallery" apps (global cloud), per the instantiate docs. */
const NON_GALLERY_APPLICATION_TEMPLATE_ID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
/** Microsoft's tenant, owner of first-party apps such as Microsoft Graph. */
const MICROSOFT_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

const ADMIN_ROLES = ["Synchronization.ReadWrite.All", "Application.Read.All", "User.Read.All", "Group.Read.All"] as const;
const NO_ROLE_ROLES = ["Application.Read.All"] as const;
/**
 * The `syncOnly` client: what a least-privileged provisioning pipeline holds, Synchronization
 * read/write and no directory read permission at all (no User.*, Group.*, GroupMember.*,
 * Application.*, Directory.*): every directory read answers it 403 Authorization_RequestDenied.
 */
const SYNC_ONLY_ROLES = ["Synchronization.ReadWrite.All"] as const;
/** The directory extension seeded on the SCIM app's registration (values on some varied people). */
const BADGE_EXTENSION = "badgeNumber";

const USER_COUNT = 10;
const TENANT_DOMAIN = "contoso.com";
const SEED_EPOCH = Date.UTC(2024, 0, 15, 8, 0, 0);

export function buildSeedTenant(seed: number): TenantState {
  const rng = new Rng(seed);
  const tenantId = rng.guid();

  const users = seedUsers(rng);
  const groups = seedGroups(rng);
  const graphSp = servicePrincipal({
    id: rng.guid(),
    appId: GRAPH_APP_ID,
    displayName: "Microsoft Graph",
    appOwnerOrganizationId: MICROSOFT_TENANT_ID,
    servicePrincipalNames: [GRAPH_APP_ID, "https://graph.microsoft.com", "https://graph.microsoft.us"],
    appRoleAssignmentRequired: false,
    tags: [],
  });

  const clients: ClientApp[] = [];
  const clientSps: ServicePrincipalResource[] = [];
  for (const [handle, displayName, roles] of [
    ["admin", "Entra Sync Emulator Admin", ADMIN_ROLES],
    ["noRole", "Entra Sync Emulator Reader", NO_ROLE_ROLES],
  ] as const) {
    const appId = rng.guid();
    const sp = servicePrincipal({
      id: rng.guid(),
      appId,
      displayName,
      appOwnerOrganizationId: tenantId,
      appRoleAssignmentRequired: false,
      tags: ["HideApp", "WindowsAzureActiveDirectoryIntegratedApp"],
    });
    clientSps.push(sp);
    clients.push({
      handle,
      clientId: appId,
      // Entra client secrets look like "abc8Q~<34 chars>".
      clientSecret: `${rng.chars(3, ALNUM)}8Q~${rng.chars(34, SECRET_ALPHABET)}`,
      displayName,
      roles: [...roles],
      servicePrincipalId: sp.id,
    });
  }

  const scimAppId = rng.guid();
  const scimSp = servicePrincipal({
    id: rng.guid(),
    appId: scimAppId,
    displayName: SCIM_APP_DISPLAY_NAME,
    appOwnerOrganizationId: tenantId,
    applicationTemplateId: NON_GALLERY_APPLICATION_TEMPLATE_ID,
    appRoles: [msiamAccessRole(rng.guid()), userRole(rng.guid())],
    tags: ["WindowsAzureActiveDirectoryCustomSingleSignOnApplication", "WindowsAzureActiveDirectoryIntegratedApp"],
  });
  const scimTemplate: TemplateRecord = {
    template: {
      id: SCIM_TEMPLATE_ID,
      applicationId: scimAppId,
      default: true,
      description: "Provision users and groups to any SCIM 2.0 compliant endpoint.",
      discoverable: true,
      factoryTag: "CustomSCIM",
      metadata: [
        { key: "IsOAuthEnabled", value: "false" },
        { key: "IsSynchronizationAgentRequired", value: "false" },
      ],
      schema: templateSchema(SCIM_TEMPLATE_ID, scimTemplateSchema({ sourceDirectoryId: rng.guid(), targetDirectoryId: rng.guid(), ruleId: rng.guid() })),
    },
    jobSettings: [{ name: "QuarantineTooManyDeletesThreshold", value: "500" }],
  };

  // The legacy generic SCIM connector that older non-gallery apps list beside (or instead of)
  // "scim": same schema, another template id. It lets a template change be exercised.
  const scimIds = scimTemplate.template.schema;
  const legacyScimTemplate: TemplateRecord = {
    template: {
      ...scimTemplate.template,
      id: LEGACY_SCIM_TEMPLATE_ID,
      default: false,
      description: "Provision users and groups to a SCIM 2.0 endpoint (legacy generic connector).",
      schema: templateSchema(LEGACY_SCIM_TEMPLATE_ID, JSON.parse(JSON.stringify(scimIds)) as typeof scimIds),
    },
    jobSettings: scimTemplate.jobSettings.map((s) => ({ ...s })),
  };

  const salesforceAppId = rng.guid();
  const salesforceSp = servicePrincipal({
    id: rng.guid(),
    appId: salesforceAppId,
    displayName: SALESFORCE_APP_DISPLAY_NAME,
    appOwnerOrganizationId: tenantId,
    applicationTemplateId: rng.guid(),
    appRoles: [msiamAccessRole(rng.guid()), userRole(rng.guid())],
    homepage: "https://login.salesforce.com/?metadata=salesforce|ISV9.1|primary|z",
    replyUrls: ["https://login.salesforce.com"],
    tags: ["WindowsAzureActiveDirectoryIntegratedApp"],
  });
  const { _provenance: _unused, ...salesforceBody } = salesforceSchemaJson as Record<string, unknown>;
  const salesforceTemplate: TemplateRecord = {
    template: {
      id: SALESFORCE_TEMPLATE_ID,
      applicationId: salesforceAppId,
      default: true,
      description: "Provision users to Salesforce.",
      discoverable: true,
      factoryTag: "salesforce",
      metadata: [
        { key: "GalleryApplicationIdentifier", value: "salesforce" },
        { key: "IsOAuthEnabled", value: "false" },
      ],
      schema: templateSchema(SALESFORCE_TEMPLATE_ID, salesforceBody as unknown as SynchronizationSchema),
    },
    jobSettings: [{ name: "QuarantineTooManyDeletesThreshold", value: "500" }],
  };

  const state: TenantState = {
    formatVersion: STATE_FORMAT_VERSION,
    seed,
    idRngState: 0,
    tenantId,
    tenantDomain: TENANT_DOMAIN,
    clients,
    servicePrincipals: [scimSp, salesforceSp, ...clientSps, graphSp],
    users,
    groups,
    groupMembers: seedGroupMembers(groups, users),
    synchronization: {
      [scimSp.id]: { secrets: null, templates: [scimTemplate, legacyScimTemplate], jobs: [] },
      [salesforceSp.id]: { secrets: null, templates: [salesforceTemplate], jobs: [] },
    },
    appRoleAssignments: seedScimAppAssignments(seed, scimSp, users, groups),
    scimTarget: emptyScimTargetState(seed),
  };
  state.idRngState = rng.currentState;
  addVariedPeople(state, scimSp);
  return addIdentityClients(state);
}

/**
 * The varied people and their groups (varied-people.ts), appended after the demo users and groups,
 * with their managers, memberships, SCIM app assignments and the SCIM app's directory extension
 * `badgeNumber`. Ids come from the seed's "varied-people" stream, so nothing seeded before moved.
 */
function addVariedPeople(state: TenantState, scimSp: ServicePrincipalResource): void {
  const rng = new Rng(deriveSeed(state.seed, "varied-people"));
  const badge = directoryExtensionName(String(scimSp.appId), BADGE_EXTENSION);
  state.directoryExtensions = [
    { id: rng.guid(), name: badge, appDisplayName: String(scimSp.displayName), dataType: "String", isMultiValued: false, targetObjects: ["User"] },
  ];
  const ids = new Map<string, string>();
  for (const p of VARIED_PEOPLE) ids.set(p.key, rng.guid());
  for (const g of VARIED_GROUPS) ids.set(g.key, rng.guid());
  VARIED_PEOPLE.forEach((p, index) => {
    const user = {
      ...p.properties,
      id: ids.get(p.key)!,
      createdDateTime: new Date(SEED_EPOCH + (index + 1) * 3_600_000).toISOString().replace(".000Z", "Z"),
      ...(p.badgeNumber ? { [badge]: p.badgeNumber } : {}),
      ...(p.manager ? { managerId: ids.get(p.manager)! } : {}),
    } as unknown as UserResource;
    state.users.push(user);
  });
  VARIED_GROUPS.forEach((g, index) => {
    const group = {
      id: ids.get(g.key)!,
      deletedDateTime: null,
      createdDateTime: new Date(SEED_EPOCH + (GROUPS.length + index) * 3_600_000).toISOString().replace(".000Z", "Z"),
      ...g.properties,
    } as unknown as GroupResource;
    state.groups.push(group);
    state.groupMembers[group.id] = g.members.map((key) => ids.get(key)!);
  });
  const allCompany = state.groups.find((g) => g.displayName === "All Company");
  if (allCompany) state.groupMembers[allCompany.id].push(...VARIED_PEOPLE.map((p) => ids.get(p.key)!));

  const roles = (scimSp.appRoles as { id: string; displayName: string }[]) ?? [];
  const roleId = (name: string) => {
    const role = roles.find((r) => r.displayName === name);
    if (!role) throw new Error(`the SCIM app has no ${name} role`);
    return role.id;
  };
  const principals = [
    ...VARIED_GROUPS.filter((g) => g.assignedToScimApp).map((g) => ({ key: g.key, name: String(g.properties.displayName), type: "Group" as const, role: "User" })),
    ...VARIED_PEOPLE.filter((p) => p.scimAppRole).map((p) => ({ key: p.key, name: String(p.properties.displayName), type: "User" as const, role: p.scimAppRole! })),
  ];
  const before = (state.appRoleAssignments ?? []).length;
  state.appRoleAssignments = [
    ...(state.appRoleAssignments ?? []),
    ...principals.map((p, index) => ({
      id: rng.chars(43, BASE64URL),
      appRoleId: roleId(p.role),
      createdDateTime: new Date(SEED_EPOCH + 2 * 86_400_000 + (before + index) * 60_000).toISOString().replace(".000Z", "Z"),
      principalDisplayName: p.name,
      principalId: ids.get(p.key)!,
      principalType: p.type,
      resourceDisplayName: String(scimSp.displayName),
      resourceId: scimSp.id,
    })),
  ];
}

/**
 * The `syncOnly` client (SYNC_ONLY_ROLES), from the seed's "sync-only-client" stream; also added
 * to state files written before it existed.
 */
function addSyncOnlyClient(state: TenantState): void {
  if (state.clients.some((c) => c.handle === "syncOnly")) return;
  const rng = new Rng(deriveSeed(state.seed, "sync-only-client"));
  const appId = rng.guid();
  const objectId = rng.guid();
  const displayName = "Provisioning Pipeline (sync only)";
  if (!state.servicePrincipals.some((sp) => sp.id === objectId)) {
    state.servicePrincipals.push(
      servicePrincipal({
        id: objectId,
        appId,
        displayName,
        appOwnerOrganizationId: state.tenantId,
        appRoleAssignmentRequired: false,
        tags: ["HideApp", "WindowsAzureActiveDirectoryIntegratedApp"],
      }),
    );
  }
  state.clients.push({
    handle: "syncOnly",
    clientId: appId,
    clientSecret: `${rng.chars(3, ALNUM)}8Q~${rng.chars(34, SECRET_ALPHABET)}`,
    displayName,
    roles: [...SYNC_ONLY_ROLES],
    servicePrincipalId: objectId,
  });
}

/**
 * Add the clients that sign in without a secret (identity/seeded-identities.ts) that the tenant lacks: a fresh
 * tenant, or a state file written before they existed. Their ids come from their own stream.
 */
export function addIdentityClients(state: TenantState): TenantState {
  const rng = new Rng(deriveSeed(state.seed, "identities"));
  for (const spec of IDENTITY_SPECS) {
    const appId = rng.guid();
    const objectId = rng.guid();
    if (state.clients.some((c) => c.handle === spec.handle)) continue;
    const managed = spec.servicePrincipalType === "ManagedIdentity";
    if (!state.servicePrincipals.some((sp) => sp.id === objectId))
      state.servicePrincipals.push(
        servicePrincipal({
          servicePrincipalType: spec.servicePrincipalType,
          id: objectId,
          appId,
          displayName: spec.displayName,
          appOwnerOrganizationId: state.tenantId,
          appRoleAssignmentRequired: false,
          tags: managed ? [] : ["HideApp", "WindowsAzureActiveDirectoryIntegratedApp"],
        }),
      );
    state.clients.push({
      handle: spec.handle,
      clientId: appId,
      displayName: spec.displayName,
      roles: [...ADMIN_ROLES],
      servicePrincipalId: objectId,
      ...(spec.certificate ? { certificate: true as const } : {}),
      ...(spec.federatedIdentityCredentials
        ? { federatedIdentityCredentials: spec.federatedIdentityCredentials.map((f) => ({ ...f, audiences: [...f.audiences] })) }
        : {}),
      ...(spec.managedIdentity ? { managedIdentity: spec.managedIdentity } : {}),
    });
  }
  addSyncOnlyClient(state);
  upgradeDirectory(state);
  return state;
}

/**
 * State files written before users and groups carried `proxyAddresses` and `userType`: give them
 * what the seed now writes (`SMTP:<mail>`, "Member"), which is what provisioning derived from
 * `mail` before, so their source objects do not change.
 */
function upgradeDirectory(state: TenantState): void {
  for (const o of [...state.users, ...state.groups] as Record<string, unknown>[]) {
    if (!("proxyAddresses" in o)) o.proxyAddresses = typeof o.mail === "string" ? [`SMTP:${o.mail}`] : [];
  }
  for (const u of state.users) if (!("userType" in u)) u.userType = "Member";
}

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE64URL = `${ALNUM}-_`;
/** How many of the seeded users are assigned to the SCIM app directly. */
const SCIM_APP_ASSIGNED_USERS = 3;
/** The seeded group assigned to the SCIM app (its members are in scope through it). */
const SCIM_APP_ASSIGNED_GROUP = "Engineering";

/**
 * Users and groups assigned to the SCIM app, so that "Sync only assigned users and groups" (the
 * default, SyncAll=false) has something to provision: the first seeded users and one group, each
 * with the app's "User" role. Ids come from their own stream so they do not shift other seeded ids.
 */
function seedScimAppAssignments(seed: number, app: ServicePrincipalResource, users: UserResource[], groups: GroupResource[]): AppRoleAssignmentRecord[] {
  const rng = new Rng(deriveSeed(seed, "app-role-assignments"));
  const role = (app.appRoles as { id: string; displayName: string }[]).find((r) => r.displayName === "User");
  if (!role) throw new Error("the SCIM app has no User role");
  const group = groups.find((g) => g.displayName === SCIM_APP_ASSIGNED_GROUP);
  const principals = [
    ...users.slice(0, SCIM_APP_ASSIGNED_USERS).map((u) => ({ id: u.id, name: u.displayName, type: "User" as const })),
    ...(group ? [{ id: group.id, name: group.displayName, type: "Group" as const }] : []),
  ];
  return principals.map((p, index) => ({
    // Graph's assignment ids are 43-character base64url strings.
    id: rng.chars(43, BASE64URL),
    appRoleId: role.id,
    createdDateTime: new Date(SEED_EPOCH + 86_400_000 + index * 60_000).toISOString().replace(".000Z", "Z"),
    principalDisplayName: p.name,
    principalId: p.id,
    principalType: p.type,
    resourceDisplayName: String(app.displayName),
    resourceId: app.id,
  }));
}
const SECRET_ALPHABET = `${ALNUM}-_.~`;

/** Template schemas go through the EDM reader so they carry the full CSDL shape. */
function templateSchema(templateId: string, body: SynchronizationSchema): SynchronizationSchema {
  const read = readComplex({ ...body, id: templateId, version: "v1.0" }, "synchronizationSchema");
  return read as unknown as SynchronizationSchema;
}

function seedUsers(rng: Rng): UserResource[] {
  // Deterministic shuffle of the pool, then the first USER_COUNT people.
  const pool = [...PEOPLE];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, USER_COUNT).map((p, index) => {
    const nickname = `${p.givenName}${p.surname[0]}`;
    const upn = `${nickname}@${TENANT_DOMAIN}`;
    return {
      id: rng.guid(),
      businessPhones: [`+1 425 555 01${String(10 + index).padStart(2, "0")}`],
      displayName: `${p.givenName} ${p.surname}`,
      givenName: p.givenName,
      jobTitle: p.jobTitle,
      mail: upn,
      mobilePhone: null,
      officeLocation: p.officeLocation,
      preferredLanguage: p.preferredLanguage,
      surname: p.surname,
      userPrincipalName: upn,
      // Returned only on $select, as Graph does.
      accountEnabled: true,
      city: p.city,
      country: p.country,
      department: p.department,
      employeeId: String(10001 + index),
      mailNickname: nickname,
      proxyAddresses: [`SMTP:${upn}`],
      state: p.state,
      userType: "Member",
      usageLocation: p.country === "United States" ? "US" : "EG",
    };
  });
}

function seedGroups(rng: Rng): GroupResource[] {
  return GROUPS.map((g, index) => ({
    id: rng.guid(),
    deletedDateTime: null,
    classification: null,
    createdDateTime: new Date(SEED_EPOCH + index * 3_600_000).toISOString().replace(".000Z", "Z"),
    description: g.description,
    displayName: g.displayName,
    groupTypes: [],
    mail: `${g.mailNickname}@${TENANT_DOMAIN}`,
    mailEnabled: true,
    mailNickname: g.mailNickname,
    proxyAddresses: [`SMTP:${g.mailNickname}@${TENANT_DOMAIN}`],
    securityEnabled: true,
    visibility: "Public",
  }));
}

function seedGroupMembers(groups: GroupResource[], users: UserResource[]): Record<string, string[]> {
  const members: Record<string, string[]> = {};
  GROUPS.forEach((g, index) => {
    members[groups[index].id] = users.filter((u) => g.departments.includes("*") || g.departments.includes(String(u.department))).map((u) => u.id);
  });
  return members;
}

function servicePrincipal(p: {
  servicePrincipalType?: "Application" | "ManagedIdentity";
  id: string;
  appId: string;
  displayName: string;
  appOwnerOrganizationId: string;
  applicationTemplateId?: string;
  appRoleAssignmentRequired?: boolean;
  appRoles?: Record<string, unknown>[];
  homepage?: string;
  replyUrls?: string[];
  servicePrincipalNames?: string[];
  tags: string[];
}): ServicePrincipalResource {
  return {
    id: p.id,
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDisplayName: p.displayName,
    appDescription: null,
    appId: p.appId,
    applicationTemplateId: p.applicationTemplateId ?? null,
    appOwnerOrganizationId: p.appOwnerOrganizationId,
    appRoleAssignmentRequired: p.appRoleAssignmentRequired ?? true,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: p.displayName,
    homepage: p.homepage ?? null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: p.replyUrls ?? [],
    servicePrincipalNames: p.servicePrincipalNames ?? [p.appId],
    servicePrincipalType: p.servicePrincipalType ?? "Application",
    signInAudience: "AzureADMyOrg",
    tags: p.tags,
    tokenEncryptionKeyId: null,
    samlSingleSignOnSettings: null,
    addIns: [],
    appRoles: p.appRoles ?? [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

function msiamAccessRole(id: string): Record<string, unknown> {
  return {
    allowedMemberTypes: ["User"],
    description: "msiam_access",
    displayName: "msiam_access",
    id,
    isEnabled: true,
    origin: "Application",
    value: null,
  };
}

function userRole(id: string): Record<string, unknown> {
  return {
    allowedMemberTypes: ["User"],
    description: "User",
    displayName: "User",
    id,
    isEnabled: true,
    origin: "Application",
    value: null,
  };
}
