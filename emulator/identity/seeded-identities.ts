/**
 * The seeded applications and identities that sign in by each method Entra offers besides a client
 * secret, so that every sign-in path of a client can be exercised for real:
 *
 *   certificate     an app registration holding the emulator's client certificate
 *                   (client-certificate.ts); no secret
 *   federated       an app registration with federated credentials that trust GitHub Actions' OIDC
 *                   tokens for one repository (the emulator issues them: github-actions.ts); no secret
 *   systemIdentity  the system-assigned managed identity IMDS answers for (imds.ts)
 *   userIdentity    a user-assigned managed identity, chosen by its client id
 *
 * All hold the admin client's Graph application permissions. Their ids come from their own seeded
 * stream, so adding them did not move the ids of anything seeded before.
 */

import type { ClientHandle, FederatedIdentityCredential } from "../tenant/store";

/** GitHub Actions' issuer: the emulator signs tokens for it with a key of its own (github-actions.ts). */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
/** The audience Entra's federated credentials expect by default (and azuread asks for). */
export const FEDERATED_AUDIENCE = "api://AzureADTokenExchange";
/** The repository the federated client trusts. */
export const SEEDED_REPOSITORY = "contoso/entra-provisioning";

interface IdentitySpec {
  handle: Exclude<ClientHandle, "admin" | "noRole" | "syncOnly">;
  displayName: string;
  servicePrincipalType: "Application" | "ManagedIdentity";
  certificate?: true;
  federatedIdentityCredentials?: FederatedIdentityCredential[];
  managedIdentity?: "system" | "user";
}

/** In this order, from the seed's "identities" stream: each takes an app id then an object id. */
export const IDENTITY_SPECS: readonly IdentitySpec[] = [
  { handle: "certificate", displayName: "Provisioning Pipeline (certificate)", servicePrincipalType: "Application", certificate: true },
  {
    handle: "federated",
    displayName: "Provisioning Pipeline (GitHub Actions)",
    servicePrincipalType: "Application",
    federatedIdentityCredentials: [
      // What the portal's "GitHub Actions deploying Azure resources" scenario writes for a branch,
      // for pull requests and for a deployment environment (examples/gitops uses all three).
      { name: "main-branch", issuer: GITHUB_ACTIONS_ISSUER, subject: `repo:${SEEDED_REPOSITORY}:ref:refs/heads/main`, audiences: [FEDERATED_AUDIENCE] },
      { name: "pull-requests", issuer: GITHUB_ACTIONS_ISSUER, subject: `repo:${SEEDED_REPOSITORY}:pull_request`, audiences: [FEDERATED_AUDIENCE] },
      { name: "production-environment", issuer: GITHUB_ACTIONS_ISSUER, subject: `repo:${SEEDED_REPOSITORY}:environment:production`, audiences: [FEDERATED_AUDIENCE] },
    ],
  },
  { handle: "systemIdentity", displayName: "vm-provisioning-runner", servicePrincipalType: "ManagedIdentity", managedIdentity: "system" },
  { handle: "userIdentity", displayName: "id-entra-provisioning", servicePrincipalType: "ManagedIdentity", managedIdentity: "user" },
];
