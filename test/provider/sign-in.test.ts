/**
 * Sign-in by every method, end to end: settings as a user gives them (ARM_*, AZURE_*, stack config)
 * -> the provider's connection resolution and credential factory -> @azure/identity -> the
 * emulator's token endpoint (or IMDS, or the Azure CLI) -> a Graph call with the token. And each
 * wrong setting fails with a message that names it. The cloud tests resolve Microsoft's host names
 * to the emulator in this process (test/support/cloud-hosts.ts): they prove that `environment`
 * picks Graph and the authority together, without a network.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { decodeJwt } from "jose";
import type { RequestLogEntry } from "../../emulator/index";
import { type Cloud, readMetadataCloud } from "../../provider/graph/cloud";
import { graphApi } from "../../provider/graph/client";
import { type ConnectionSettings, resolveConnectionSettings } from "../../provider/graph/connection";
import { createCredential } from "../../provider/graph/credential";
import { isGraphRequestError } from "../../provider/graph/errors";
import { isUserFacingError } from "../../provider/graph/user-facing";
import { redirectCloudHosts } from "../support/cloud-hosts";
import { useEmulator } from "../support/emulator";

type Env = Record<string, string>;

describe("sign-in by each method, against the emulator", function () {
  this.timeout(60_000);
  const fixture = useEmulator();
  const emu = () => fixture().emulator;
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-sign-in-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Endpoint overrides: the settings a user points at an emulator (or a proxy) with. */
  const endpoints = (): Env => ({ ENTRA_SYNC_GRAPH_ENDPOINT: emu().graphEndpoint, AZURE_AUTHORITY_HOST: emu().authorityHost });
  const settingsFor = (env: Env, config?: Record<string, string>) => resolveConnectionSettings(config && { get: (k) => config[k] }, env);
  const cloudOf = (s: ConnectionSettings): Promise<Cloud> => (s.cloud.kind === "known" ? Promise.resolve(s.cloud.cloud) : readMetadataCloud(s.cloud));

  /** Sign in with these settings, call Graph with the result, and say who signed in. */
  async function signIn(env: Env, config?: Record<string, string>): Promise<string> {
    const s = settingsFor(env, config);
    const cloud = await cloudOf(s);
    const credential = createCredential(s.signIn, cloud);
    const token = await credential.getToken(`${cloud.graphResource}/.default`);
    assert.ok(token, "a token");
    const sps = await graphApi(s).get<{ value: unknown[] }>("/servicePrincipals?$top=1", "list service principals");
    assert.ok(Array.isArray(sps.value), "Graph accepted the token");
    return decodeJwt(token.token).appid as string;
  }

  /** The failure of a Graph call made with these settings. */
  async function failure(env: Env, config?: Record<string, string>): Promise<Error> {
    try {
      await graphApi(settingsFor(env, config)).get("/servicePrincipals?$top=1", "list service principals");
    } catch (e) {
      assert.ok(isGraphRequestError(e) || isUserFacingError(e), `a user-facing error, got ${e instanceof Error ? e.stack : String(e)}`);
      assert.strictEqual((e as Error).stack, "", "no stack trace");
      return e;
    }
    return assert.fail("expected the sign-in to fail");
  }

  describe("client secret", () => {
    it("value (ARM_CLIENT_SECRET) or file (ARM_CLIENT_SECRET_FILE_PATH), and azuread:clientSecret in stack config", async () => {
      const admin = emu().clients.admin;
      const arm = { ARM_TENANT_ID: emu().tenantId, ARM_CLIENT_ID: admin.clientId };
      assert.strictEqual(await signIn({ ...endpoints(), ...arm, ARM_CLIENT_SECRET: admin.clientSecret }), admin.clientId);
      const file = path.join(dir, "secret");
      fs.writeFileSync(file, `${admin.clientSecret}\n`);
      assert.strictEqual(await signIn({ ...endpoints(), ...arm, ARM_CLIENT_SECRET_FILE_PATH: file }), admin.clientId);
      const config = { "azuread:tenantId": emu().tenantId, "azuread:clientId": admin.clientId, "azuread:clientSecret": admin.clientSecret };
      assert.strictEqual(await signIn(endpoints(), config), admin.clientId);
    });

    it("stack config's client id never signs in with the environment's secret of another application", async () => {
      const e = await failure(
        { ...endpoints(), ARM_TENANT_ID: emu().tenantId, ARM_CLIENT_ID: emu().clients.admin.clientId, ARM_CLIENT_SECRET: emu().clients.admin.clientSecret },
        { "entra-sync:tenantId": emu().tenantId, "entra-sync:clientId": emu().clients.noRole.clientId },
      );
      assert.match(e.message, /entra-sync:clientId is set, but nothing to sign in with: set entra-sync:clientSecret/);
    });
  });

  describe("client certificate", () => {
    const certEnv = (): Env => ({ ...endpoints(), ARM_TENANT_ID: emu().tenantId, ARM_CLIENT_ID: emu().identities.certificate.clientId });

    it("PEM file, PKCS#12 file with password, base64 PKCS#12 (ARM_CLIENT_CERTIFICATE), and AZURE_CLIENT_CERTIFICATE_PATH", async () => {
      const { certificate } = emu().identities;
      assert.strictEqual(await signIn({ ...certEnv(), ARM_CLIENT_CERTIFICATE_PATH: certificate.pemPath }), certificate.clientId);
      assert.strictEqual(
        await signIn({ ...certEnv(), ARM_CLIENT_CERTIFICATE_PATH: certificate.pfxPath, ARM_CLIENT_CERTIFICATE_PASSWORD: certificate.password }),
        certificate.clientId,
      );
      assert.strictEqual(
        await signIn({ ...certEnv(), ARM_CLIENT_CERTIFICATE: certificate.pfxBase64, ARM_CLIENT_CERTIFICATE_PASSWORD: certificate.password }),
        certificate.clientId,
      );
      const azure = { ...endpoints(), AZURE_TENANT_ID: emu().tenantId, AZURE_CLIENT_ID: certificate.clientId, AZURE_CLIENT_CERTIFICATE_PATH: certificate.pemPath };
      assert.strictEqual(await signIn(azure), certificate.clientId);
    });

    it("names the wrong setting: password, file, certificate not registered on the app", async () => {
      const { certificate } = emu().identities;
      const wrongPassword = await failure({ ...certEnv(), ARM_CLIENT_CERTIFICATE_PATH: certificate.pfxPath, ARM_CLIENT_CERTIFICATE_PASSWORD: "not-it" });
      assert.match(wrongPassword.message, /ARM_CLIENT_CERTIFICATE_PASSWORD does not open the PKCS#12 bundle in ARM_CLIENT_CERTIFICATE_PATH/);
      assert.ok(!wrongPassword.message.includes("not-it"));
      const noPassword = await failure({ ...certEnv(), ARM_CLIENT_CERTIFICATE_PATH: certificate.pfxPath });
      assert.match(noPassword.message, /ARM_CLIENT_CERTIFICATE_PATH: the PKCS#12 bundle needs a password/);
      const missing = await failure({ ...certEnv(), ARM_CLIENT_CERTIFICATE_PATH: path.join(dir, "none.pfx") });
      assert.match(missing.message, /ARM_CLIENT_CERTIFICATE_PATH: cannot read the certificate file .*ENOENT/);
      const notBase64 = await failure({ ...certEnv(), ARM_CLIENT_CERTIFICATE: "%%%" });
      assert.match(notBase64.message, /ARM_CLIENT_CERTIFICATE must be the base64 encoding/);
      // The admin app has no certificate registered: Entra's answer, with what to fix.
      const unregistered = await failure({
        ...endpoints(),
        ARM_TENANT_ID: emu().tenantId,
        ARM_CLIENT_ID: emu().clients.admin.clientId,
        ARM_CLIENT_CERTIFICATE_PATH: certificate.pemPath,
      });
      assert.match(unregistered.message, /AADSTS700027/);
      assert.match(unregistered.message, /upload the certificate's public part to the app registration/);
    });
  });

  describe("OIDC (workload identity federation)", () => {
    const oidcEnv = (): Env => ({ ...endpoints(), ARM_TENANT_ID: emu().tenantId, ARM_CLIENT_ID: emu().identities.federated.clientId, ARM_USE_OIDC: "true" });

    it("GitHub Actions: ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN as the runner sets them, or ARM_OIDC_REQUEST_URL/_TOKEN", async () => {
      const { requestUrl, requestToken } = await emu().identities.githubActions();
      const federated = emu().identities.federated.clientId;
      assert.strictEqual(await signIn({ ...oidcEnv(), ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }), federated);
      assert.strictEqual(await signIn({ ...oidcEnv(), ARM_OIDC_REQUEST_URL: requestUrl, ARM_OIDC_REQUEST_TOKEN: requestToken }), federated);
      // Stack config (azuread's names) with the runner's variables.
      const config = { "azuread:tenantId": emu().tenantId, "azuread:clientId": federated, "azuread:useOidc": "true" };
      assert.strictEqual(await signIn({ ...endpoints(), ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }, config), federated);
      // The ID token was asked for with azuread's audience.
      const log = (await fixture().graph.control("GET", "/requests")).body.value as RequestLogEntry[];
      assert.ok(log.some((e) => e.path === "/github-actions/idtoken" && e.status === 200));
    });

    it("a token (ARM_OIDC_TOKEN), a token file (ARM_OIDC_TOKEN_FILE_PATH), AKS workload identity and AZURE_FEDERATED_TOKEN_FILE", async () => {
      const idToken = await githubIdToken();
      const federated = emu().identities.federated.clientId;
      assert.strictEqual(await signIn({ ...oidcEnv(), ARM_OIDC_TOKEN: idToken }), federated);
      const file = path.join(dir, "token");
      fs.writeFileSync(file, idToken);
      assert.strictEqual(await signIn({ ...oidcEnv(), ARM_OIDC_TOKEN_FILE_PATH: file }), federated);
      const webhook = { AZURE_CLIENT_ID: federated, AZURE_TENANT_ID: emu().tenantId, AZURE_FEDERATED_TOKEN_FILE: file };
      assert.strictEqual(await signIn({ ...endpoints(), ARM_USE_AKS_WORKLOAD_IDENTITY: "true", ...webhook }), federated);
      assert.strictEqual(await signIn({ ...endpoints(), ...webhook }), federated, "AZURE_* alone, as WorkloadIdentityCredential reads them");
    });

    it("names what is wrong: no token, a rejected request token, a subject without a federated credential", async () => {
      const none = await failure(oidcEnv());
      assert.match(none.message, /ARM_USE_OIDC is true, but there is no OIDC token: set ARM_OIDC_TOKEN/);
      const { requestUrl } = await emu().identities.githubActions();
      const rejected = await failure({ ...oidcEnv(), ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "expired-or-wrong" });
      assert.match(rejected.message, /answered 401: check ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN/);
      assert.doesNotMatch(rejected.message, /Check the credentials the provider uses/, "one explanation, not two");
      assert.ok(!rejected.message.includes("expired-or-wrong"), "the request token is never echoed");
      const feature = await emu().identities.githubActions({ ref: "refs/heads/feature" });
      const wrongSubject = await failure({ ...oidcEnv(), ACTIONS_ID_TOKEN_REQUEST_URL: feature.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: feature.requestToken });
      assert.match(wrongSubject.message, /AADSTS700213/);
      assert.match(wrongSubject.message, /repo:contoso\/entra-provisioning:ref:refs\/heads\/feature/);
      assert.match(wrongSubject.message, /federated credential/);
    });

    async function githubIdToken(): Promise<string> {
      const { requestUrl, requestToken } = await emu().identities.githubActions();
      const url = new URL(requestUrl);
      url.searchParams.set("audience", "api://AzureADTokenExchange");
      const res = await fetch(url, { headers: { authorization: `Bearer ${requestToken}` } });
      return ((await res.json()) as { value: string }).value;
    }
  });

  describe("managed identity", () => {
    // MSAL keeps the managed identity endpoint (and client) of a process's first managed identity
    // request for the whole process, whoever made it: each of these sign-ins runs in a fresh Node
    // process, with only the settings given, as a provider process would.
    const msiEnv = (): Env => ({ ...endpoints(), ARM_USE_MSI: "true", ARM_MSI_ENDPOINT: `${emu().identities.imdsEndpoint}/metadata/identity/oauth2/token` });

    function signInElsewhere(env: Env, config?: Record<string, string>): Promise<{ appid?: string; error?: string }> {
      const dist = (m: string) => JSON.stringify(path.join(__dirname, "..", "..", "dist", "provider", "graph", m));
      const script = `
        const { resolveConnectionSettings } = require(${dist("connection")});
        const { createCredential } = require(${dist("credential")});
        const { graphApi } = require(${dist("client")});
        const config = JSON.parse(process.argv[1]);
        (async () => {
          const s = resolveConnectionSettings({ get: (k) => config[k] }, process.env);
          try {
            const token = await createCredential(s.signIn, s.cloud.cloud).getToken(s.cloud.cloud.graphResource + "/.default");
            await graphApi(s).get("/servicePrincipals?$top=1", "list service principals");
            const appid = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString()).appid;
            process.stdout.write(JSON.stringify({ appid }));
          } catch (e) {
            try { await graphApi(s).get("/servicePrincipals?$top=1", "list service principals"); } catch (f) { e = f; }
            process.stdout.write(JSON.stringify({ error: e.message }));
          }
        })();`;
      const childEnv = { PATH: process.env.PATH ?? "", NODE_EXTRA_CA_CERTS: emu().caCertPath, ...env };
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", script, JSON.stringify(config ?? {})], { env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.on("error", reject);
        child.on("close", () => resolve(JSON.parse(out)));
      });
    }

    it("system-assigned, and user-assigned chosen by ARM_CLIENT_ID (or azuread:clientId)", async () => {
      assert.deepStrictEqual(await signInElsewhere(msiEnv()), { appid: emu().identities.systemIdentity.clientId });
      const user = emu().identities.userIdentity.clientId;
      assert.deepStrictEqual(await signInElsewhere({ ...msiEnv(), ARM_CLIENT_ID: user }), { appid: user });
      const config = { "azuread:useMsi": "true", "azuread:clientId": user, "azuread:msiEndpoint": msiEnv().ARM_MSI_ENDPOINT };
      assert.deepStrictEqual(await signInElsewhere(endpoints(), config), { appid: user });
    });

    it("an identity the machine does not have fails with IMDS's answer", async () => {
      const { error } = await signInElsewhere({ ...msiEnv(), ARM_CLIENT_ID: "00000000-0000-4000-8000-00000000abcd" });
      assert.match(error ?? "", /could not get an access token/);
      assert.match(error ?? "", /Identity not found/);
      assert.match(error ?? "", /no managed identity with that client id: set the client id of a user-assigned identity .*ARM_CLIENT_ID/);
    });
  });

  describe("Azure CLI", () => {
    let savedPath: string | undefined;
    let profile: string;
    before(() => {
      savedPath = process.env.PATH;
      process.env.PATH = `${path.join(__dirname, "..", "support", "fake-az")}${path.delimiter}${process.env.PATH}`;
      profile = path.join(dir, "az-profile.json");
    });
    after(() => {
      process.env.PATH = savedPath;
      delete process.env.FAKE_AZ_PROFILE;
    });

    it("ARM_USE_CLI (and azuread:useCli) sign in as whoever `az login` signed in", async () => {
      const admin = emu().clients.admin;
      fs.writeFileSync(
        profile,
        JSON.stringify({ authorityHost: emu().authorityHost, tenantId: emu().tenantId, clientId: admin.clientId, clientSecret: admin.clientSecret }),
      );
      process.env.FAKE_AZ_PROFILE = profile;
      assert.strictEqual(await signIn({ ENTRA_SYNC_GRAPH_ENDPOINT: emu().graphEndpoint, ARM_USE_CLI: "true", ARM_TENANT_ID: emu().tenantId }), admin.clientId);
      assert.strictEqual(await signIn({ ENTRA_SYNC_GRAPH_ENDPOINT: emu().graphEndpoint }, { "azuread:useCli": "true" }), admin.clientId);
    });

    it("not logged in: az's own advice", async () => {
      process.env.FAKE_AZ_PROFILE = path.join(dir, "no-profile.json");
      const e = await failure({ ENTRA_SYNC_GRAPH_ENDPOINT: emu().graphEndpoint, ARM_USE_CLI: "true" });
      assert.match(e.message, /az login/);
    });
  });

  describe("clouds: environment picks Graph and the authority together (no network: host names resolve to the emulator)", () => {
    let stopRedirect: () => void;
    before(() => {
      stopRedirect = redirectCloudHosts(emu().graphEndpoint);
    });
    after(() => stopRedirect());

    /** Sign in and call Graph without endpoint overrides; return the hosts the requests went to. */
    async function hostsReached(env: Env): Promise<{ authority: string[]; graph: string[] }> {
      const since = (await fixture().graph.control("GET", "/requests")).body.latestSeq;
      const admin = emu().clients.admin;
      assert.strictEqual(await signIn({ ARM_TENANT_ID: emu().tenantId, ARM_CLIENT_ID: admin.clientId, ARM_CLIENT_SECRET: admin.clientSecret, ...env }), admin.clientId);
      const log = (await fixture().graph.control("GET", `/requests?since=${since}`)).body.value as RequestLogEntry[];
      const hosts = (kind: string) => [...new Set(log.filter((e) => e.kind === kind).map((e) => e.host))].sort();
      return { authority: hosts("oauth"), graph: hosts("graph") };
    }

    it("default: the global cloud", async () => {
      assert.deepStrictEqual(await hostsReached({}), { authority: ["login.microsoftonline.com"], graph: ["graph.microsoft.com"] });
    });

    it("ARM_ENVIRONMENT=usgovernment: login.microsoftonline.us and graph.microsoft.us; dod: dod-graph.microsoft.us", async () => {
      assert.deepStrictEqual(await hostsReached({ ARM_ENVIRONMENT: "usgovernment" }), { authority: ["login.microsoftonline.us"], graph: ["graph.microsoft.us"] });
      assert.deepStrictEqual(await hostsReached({ ARM_ENVIRONMENT: "dod" }), { authority: ["login.microsoftonline.us"], graph: ["dod-graph.microsoft.us"] });
    });

    it("china, by environment or by AZURE_AUTHORITY_HOST alone: never the global Graph", async () => {
      // MSAL signs in at China's preferred network name, login.partner.microsoftonline.cn, an alias
      // of login.chinacloudapi.cn in its built-in metadata.
      const china = { authority: ["login.partner.microsoftonline.cn"], graph: ["microsoftgraph.chinacloudapi.cn"] };
      assert.deepStrictEqual(await hostsReached({ ARM_ENVIRONMENT: "china" }), china);
      assert.deepStrictEqual(await hostsReached({ AZURE_AUTHORITY_HOST: "https://login.chinacloudapi.cn" }), china);
    });

    it("a metadata host (ARM_METADATA_HOSTNAME) moves both to the cloud it describes", async () => {
      const own = new URL(emu().graphEndpoint).host;
      assert.deepStrictEqual(await hostsReached({ ARM_METADATA_HOSTNAME: emu().identities.metadataHost }), { authority: [own], graph: [own] });
    });
  });
});
