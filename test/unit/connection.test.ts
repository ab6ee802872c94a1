/**
 * Connection settings: which source signs in (one coherent set, never mixed), how azuread's and
 * @azure/identity's names are read, and which cloud (Graph endpoint and authority together).
 * Pure: no network, no files except temporary ones.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { type ConfigSource, type ConnectionSettings, resolveConnectionSettings } from "../../provider/graph/connection";
import { CLOUDS, type Cloud } from "../../provider/graph/cloud";
import { createCredential } from "../../provider/graph/credential";
import { isUserFacingError } from "../../provider/graph/user-facing";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const cloudOf = (s: ConnectionSettings): Cloud => {
  assert.strictEqual(s.cloud.kind, "known");
  return (s.cloud as { cloud: Cloud }).cloud;
};
const credentialOf = (c: ConfigSource | undefined, env: Record<string, string>) => {
  const s = resolveConnectionSettings(c, env);
  return createCredential(s.signIn, cloudOf(s));
};
/** A ConfigurationError (no stack trace) whose message names every one of `names`. */
const naming =
  (...names: string[]) =>
  (e: unknown) => {
    assert.ok(isUserFacingError(e), `a user-facing error, got ${String(e)}`);
    for (const n of names) assert.ok(e.message.includes(n), `names ${n}: ${e.message}`);
    return true;
  };

describe("connection settings: which source signs in", () => {
  it("takes tenant, client id and credential from the first source that names a client id", () => {
    const env = {
      ARM_TENANT_ID: "arm-t",
      ARM_CLIENT_ID: "arm-c",
      ARM_CLIENT_SECRET: "arm-s",
      AZURE_TENANT_ID: "az-t",
      AZURE_CLIENT_ID: "az-c",
      AZURE_CLIENT_SECRET: "az-s",
    };
    const fromConfig = resolveConnectionSettings(config({ "azuread:tenantId": "ad-t", "azuread:clientId": "ad-c", "azuread:clientSecret": "ad-s" }), env);
    assert.strictEqual(fromConfig.signIn.source, "azuread");
    assert.deepStrictEqual([fromConfig.tenantId, fromConfig.clientId, fromConfig.signIn.clientSecret?.value], ["ad-t", "ad-c", "ad-s"]);
    const fromArm = resolveConnectionSettings(undefined, env);
    assert.strictEqual(fromArm.signIn.source, "ARM");
    assert.deepStrictEqual([fromArm.tenantId, fromArm.clientId, fromArm.signIn.clientSecret?.value], ["arm-t", "arm-c", "arm-s"]);
    const { ARM_TENANT_ID, ARM_CLIENT_ID, ARM_CLIENT_SECRET, ...azureOnly } = env;
    assert.strictEqual(resolveConnectionSettings(undefined, azureOnly).signIn.source, "AZURE");
    assert.strictEqual(
      resolveConnectionSettings(config({ "entra-sync:tenantId": "es-t", "entra-sync:clientId": "es-c", "entra-sync:clientSecret": "s" }), env).signIn.source,
      "entra-sync",
    );
  });

  it("never combines a client id with another source's secret: stack config's client id without a credential is an error", () => {
    const env = { ARM_TENANT_ID: "arm-t", ARM_CLIENT_ID: "arm-c", ARM_CLIENT_SECRET: "another-apps-secret" };
    assert.throws(
      () => credentialOf(config({ "entra-sync:tenantId": "t", "entra-sync:clientId": "c" }), env),
      naming("entra-sync:clientId", "nothing to sign in with", "entra-sync:clientSecret"),
    );
    const e = (() => {
      try {
        credentialOf(config({ "entra-sync:tenantId": "t", "entra-sync:clientId": "c" }), env);
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    assert.ok(e && !e.message.includes("another-apps-secret"), "no secret value in the message");
  });

  it("refuses sign-in settings of an earlier source that the chosen source would leave unused", () => {
    const env = { ARM_TENANT_ID: "arm-t", ARM_CLIENT_ID: "arm-c", ARM_CLIENT_SECRET: "arm-s" };
    assert.throws(() => resolveConnectionSettings(config({ "entra-sync:clientSecret": "orphan" }), env), naming("entra-sync:clientSecret", "ARM_CLIENT_ID"));
    assert.throws(() => resolveConnectionSettings(config({ "azuread:tenantId": "other-tenant" }), env), naming("azuread:tenantId", "ARM_CLIENT_ID"));
    // The same value repeated is no conflict, and a method turned off says nothing.
    assert.strictEqual(resolveConnectionSettings(config({ "azuread:tenantId": "arm-t", "azuread:useMsi": "false" }), env).signIn.source, "ARM");
  });

  it("reads azuread's names: secret file, certificate (path or base64, password), OIDC, managed identity, CLI", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-settings-"));
    const secretFile = path.join(dir, "secret");
    fs.writeFileSync(secretFile, "from-file\n");
    const fromFile = resolveConnectionSettings(undefined, { ARM_TENANT_ID: "t", ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET_FILE_PATH: secretFile });
    assert.ok(createCredential(fromFile.signIn, cloudOf(fromFile)) instanceof ClientSecretCredential);
    assert.throws(
      () => credentialOf(undefined, { ARM_TENANT_ID: "t", ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "other", ARM_CLIENT_SECRET_FILE_PATH: secretFile }),
      naming("ARM_CLIENT_SECRET", "ARM_CLIENT_SECRET_FILE_PATH", "differ"),
    );
    assert.throws(
      () => credentialOf(undefined, { ARM_TENANT_ID: "t", ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET_FILE_PATH: path.join(dir, "missing") }),
      naming("ARM_CLIENT_SECRET_FILE_PATH", "ENOENT"),
    );
    const s = resolveConnectionSettings(
      config({
        "azuread:tenantId": "t",
        "azuread:clientId": "c",
        "azuread:clientCertificate": "Zm9v",
        "azuread:clientCertificatePassword": "p",
        "azuread:useOidc": "true",
        "azuread:oidcRequestUrl": "https://example.test/token",
        "azuread:oidcRequestToken": "rt",
        "azuread:msiEndpoint": "http://169.254.169.254/metadata/identity/oauth2/token",
        "azuread:environment": "usgovernment",
        "azuread:metadataHost": "management.usgovcloudapi.net",
      }),
      {},
    );
    assert.deepStrictEqual(
      [s.signIn.clientCertificate?.name, s.signIn.clientCertificatePassword?.name, s.signIn.useOidc?.value, s.signIn.oidcRequestUrl?.name, s.signIn.msiEndpoint?.name],
      ["azuread:clientCertificate", "azuread:clientCertificatePassword", true, "azuread:oidcRequestUrl", "azuread:msiEndpoint"],
    );
    assert.strictEqual(s.cloud.kind, "metadata", "metadataHost wins over environment, as in azuread");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("OIDC: GitHub Actions' request URL and token under both names, or a token, or a token file", () => {
    const arm = { ARM_TENANT_ID: "t", ARM_CLIENT_ID: "c", ARM_USE_OIDC: "true" };
    const runner = { ACTIONS_ID_TOKEN_REQUEST_URL: "https://runner.test/idtoken?x=1", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "rt" };
    assert.ok(credentialOf(undefined, { ...arm, ...runner }) instanceof ClientAssertionCredential);
    const armNames = resolveConnectionSettings(undefined, { ...arm, ARM_OIDC_REQUEST_URL: "https://a.test/x", ARM_OIDC_REQUEST_TOKEN: "t2", ...runner });
    assert.strictEqual(armNames.signIn.oidcRequestUrl?.name, "ARM_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_URL comes before the runner's");
    // Stack config that turns OIDC on uses the runner's values too: they belong to the job, not to an application.
    const fromConfig = resolveConnectionSettings(config({ "azuread:tenantId": "t", "azuread:clientId": "c", "azuread:useOidc": "true" }), runner);
    assert.strictEqual(fromConfig.signIn.oidcRequestToken?.name, "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    assert.ok(credentialOf(undefined, { ...arm, ARM_OIDC_TOKEN: "a.b.c" }) instanceof ClientAssertionCredential);
    const tokenFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-oidc-")), "token");
    fs.writeFileSync(tokenFile, "a.b.c");
    assert.ok(credentialOf(undefined, { ...arm, ARM_OIDC_TOKEN_FILE_PATH: tokenFile }) instanceof WorkloadIdentityCredential);
    assert.throws(() => credentialOf(undefined, arm), naming("ARM_USE_OIDC", "ARM_OIDC_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "id-token: write"));
    assert.throws(
      () => credentialOf(undefined, { ...arm, ACTIONS_ID_TOKEN_REQUEST_URL: "https://runner.test/x" }),
      naming("ACTIONS_ID_TOKEN_REQUEST_URL", "ARM_OIDC_REQUEST_TOKEN"),
    );
    assert.throws(() => credentialOf(undefined, { ...arm, ARM_OIDC_TOKEN_FILE_PATH: `${tokenFile}.missing` }), naming("ARM_OIDC_TOKEN_FILE_PATH", "ENOENT"));
  });

  it("AKS workload identity and AZURE_FEDERATED_TOKEN_FILE, reconciled with what is configured", () => {
    const tokenFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-aks-")), "token");
    fs.writeFileSync(tokenFile, "a.b.c");
    const webhook = { AZURE_CLIENT_ID: "wi-c", AZURE_TENANT_ID: "wi-t", AZURE_FEDERATED_TOKEN_FILE: tokenFile };
    const aks = resolveConnectionSettings(undefined, { ARM_USE_AKS_WORKLOAD_IDENTITY: "true", ...webhook });
    assert.deepStrictEqual([aks.signIn.source, aks.clientId, aks.tenantId], ["ARM", "wi-c", "wi-t"]);
    assert.ok(createCredential(aks.signIn, cloudOf(aks)) instanceof WorkloadIdentityCredential);
    assert.throws(
      () => resolveConnectionSettings(undefined, { ARM_USE_AKS_WORKLOAD_IDENTITY: "true", ARM_CLIENT_ID: "other", ...webhook }),
      naming("ARM_CLIENT_ID", "AZURE_CLIENT_ID"),
    );
    assert.throws(
      () => credentialOf(undefined, { ARM_USE_AKS_WORKLOAD_IDENTITY: "true", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t" }),
      naming("ARM_USE_AKS_WORKLOAD_IDENTITY", "AZURE_FEDERATED_TOKEN_FILE"),
    );
    // As @azure/identity reads AZURE_*: the webhook's variables alone are workload identity.
    assert.ok(credentialOf(undefined, webhook) instanceof WorkloadIdentityCredential);
  });

  it("managed identity: system-assigned, user-assigned by ARM_CLIENT_ID; Azure CLI by useCli", () => {
    const system = credentialOf(undefined, { ARM_USE_MSI: "true" });
    assert.ok(system instanceof ManagedIdentityCredential);
    assert.strictEqual((system as unknown as { clientId?: string }).clientId, undefined);
    const user = credentialOf(undefined, { ARM_USE_MSI: "true", ARM_CLIENT_ID: "uami-client-id" });
    assert.strictEqual((user as unknown as { clientId?: string }).clientId, "uami-client-id", "the client id selects the user-assigned identity");
    assert.ok(credentialOf(config({ "azuread:useCli": "true" }), {}) instanceof AzureCliCredential);
    assert.ok(credentialOf(undefined, { ARM_USE_CLI: "true", ARM_TENANT_ID: "t" }) instanceof AzureCliCredential);
    assert.throws(
      () => credentialOf(undefined, { ARM_USE_MSI: "true", ARM_MSI_ENDPOINT: "http://169.254.169.254/other" }),
      naming("ARM_MSI_ENDPOINT", "/metadata/identity/oauth2/token"),
    );
  });

  it("reads booleans as Terraform does and names a value that is not one", () => {
    for (const v of ["true", "TRUE", "1", "t"]) assert.strictEqual(resolveConnectionSettings(undefined, { ARM_USE_MSI: v }).signIn.useMsi?.value, true, v);
    assert.strictEqual(resolveConnectionSettings(undefined, { ARM_USE_MSI: "false" }).signIn.source, undefined);
    assert.throws(() => resolveConnectionSettings(undefined, { ARM_USE_OIDC: "yes please" }), naming("ARM_USE_OIDC", "true or false", '"yes please"'));
    assert.throws(() => resolveConnectionSettings(config({ "azuread:useMsi": "maybe" }), {}), naming("azuread:useMsi"));
  });

  it("falls back to DefaultAzureCredential when no source names a sign-in, and names missing pieces otherwise", () => {
    assert.ok(credentialOf(undefined, {}) instanceof DefaultAzureCredential);
    assert.ok(credentialOf(config({ "entra-sync:tenantId": "t" }), {}) instanceof DefaultAzureCredential);
    assert.throws(() => credentialOf(undefined, { ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "s" }), naming("Client secret", "ARM_TENANT_ID"));
    assert.throws(() => credentialOf(config({ "azuread:clientId": "c", "azuread:clientCertificatePath": "/x.pfx" }), {}), naming("azuread:tenantId"));
  });
});

describe("connection settings: the cloud", () => {
  it("defaults to the global cloud, v1.0, and reads ENTRA_SYNC_GRAPH_ENDPOINT as a place, not a cloud", () => {
    const d = resolveConnectionSettings(undefined, {});
    assert.deepStrictEqual(cloudOf(d), CLOUDS.public);
    assert.strictEqual(d.graphEndpoint, "https://graph.microsoft.com");
    assert.strictEqual(d.graphApiVersion, "v1.0");
    const e = resolveConnectionSettings(undefined, { ENTRA_SYNC_GRAPH_ENDPOINT: "https://127.0.0.1:8443/", AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443" });
    assert.deepStrictEqual(cloudOf(e), { ...CLOUDS.public, graphEndpoint: "https://127.0.0.1:8443", authorityHost: "https://127.0.0.1:8443" });
  });

  it("environment selects Graph, its resource and the authority together", () => {
    for (const [name, cloud] of [
      ["usgovernment", CLOUDS.usgovernment],
      ["USGovernmentL4", CLOUDS.usgovernment],
      ["dod", CLOUDS.dod],
      ["china", CLOUDS.china],
      ["global", CLOUDS.public],
      ["public", CLOUDS.public],
    ] as const) {
      assert.deepStrictEqual(cloudOf(resolveConnectionSettings(undefined, { ARM_ENVIRONMENT: name })), cloud, name);
    }
    assert.deepStrictEqual(cloudOf(resolveConnectionSettings(config({ "azuread:environment": "china" }), {})), CLOUDS.china);
    assert.throws(() => resolveConnectionSettings(undefined, { ARM_ENVIRONMENT: "germany" }), naming("ARM_ENVIRONMENT", "closed in 2021"));
    assert.throws(() => resolveConnectionSettings(config({ "entra-sync:environment": "mars" }), {}), naming("entra-sync:environment", "usgovernment"));
  });

  it("an authority of a national cloud alone brings that cloud's Graph; one that contradicts environment is an error", () => {
    const china = resolveConnectionSettings(undefined, { AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn" });
    assert.deepStrictEqual(cloudOf(china), CLOUDS.china);
    assert.strictEqual(china.graphEndpoint, "https://microsoftgraph.chinacloudapi.cn");
    assert.throws(
      () => resolveConnectionSettings(undefined, { ARM_ENVIRONMENT: "usgovernment", AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn" }),
      naming("AZURE_AUTHORITY_HOST", "ARM_ENVIRONMENT", "china"),
    );
    assert.throws(
      () => resolveConnectionSettings(config({ "entra-sync:graphEndpoint": "https://graph.microsoft.us" }), { AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn" }),
      naming("entra-sync:graphEndpoint", "AZURE_AUTHORITY_HOST"),
    );
  });

  it("explicit endpoints elsewhere move where requests go and keep the environment's resource", () => {
    const s = resolveConnectionSettings(undefined, {
      ARM_ENVIRONMENT: "usgovernment",
      ENTRA_SYNC_GRAPH_ENDPOINT: "https://127.0.0.1:9443",
      AZURE_AUTHORITY_HOST: "https://127.0.0.1:9443",
    });
    assert.deepStrictEqual(cloudOf(s), {
      name: "usgovernment",
      graphResource: "https://graph.microsoft.us",
      graphEndpoint: "https://127.0.0.1:9443",
      authorityHost: "https://127.0.0.1:9443",
    });
    assert.throws(() => resolveConnectionSettings(undefined, { ENTRA_SYNC_GRAPH_ENDPOINT: "http://127.0.0.1:9443" }), naming("ENTRA_SYNC_GRAPH_ENDPOINT", "https"));
    assert.throws(() => resolveConnectionSettings(undefined, { ARM_METADATA_HOSTNAME: "https://management.azure.com/" }), naming("ARM_METADATA_HOSTNAME", "host name"));
  });

  it("rejects an unknown API version and a non-positive consistency timeout, naming where they were set", () => {
    assert.throws(() => resolveConnectionSettings(config({ "entra-sync:graphApiVersion": "v2" }), {}), naming("entra-sync:graphApiVersion"));
    assert.throws(() => resolveConnectionSettings(undefined, { ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS: "0" }), naming("ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS"));
  });
});
