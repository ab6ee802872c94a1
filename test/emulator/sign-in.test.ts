/**
 * The emulator signs in by each method Entra offers, over the wire: client assertions signed with
 * a registered certificate, federated tokens from its GitHub-Actions-style issuer, managed
 * identities (IMDS), the Azure metadata document of a custom cloud, and national clouds by host
 * name. Every rejection carries the AADSTS code Entra answers with.
 */
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createLocalJWKSet, decodeJwt, generateKeyPair, importPKCS8, jwtVerify, SignJWT } from "jose";
import { defaultHome } from "../../emulator/index";
import { buildSeedTenant } from "../../emulator/seed";
import { control, graphClient, request, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const form = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

describe("emulator sign-in: certificates, federated credentials, managed identities, clouds", () => {
  let emu: TestEmulator;
  let tokenEndpoint: string;
  before(async () => {
    emu = await startTestEmulator();
    tokenEndpoint = `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`;
  });
  after(async () => {
    await emu.stop();
  });

  /** POST the client credentials grant with a client assertion; `host` addresses another cloud. */
  const exchange = (clientId: string, assertion: string, extra: Record<string, string> = {}, host?: string) =>
    request(emu, "POST", `/${emu.tenantId}/oauth2/v2.0/token`, {
      ...form({
        grant_type: "client_credentials",
        client_id: clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
        scope: "https://graph.microsoft.com/.default",
        ...extra,
      }),
      ...(host ? { headers: { "content-type": "application/x-www-form-urlencoded", host } } : {}),
    });
  const expectAadsts = (res: { status: number; body: any }, status: number, code: number, text?: RegExp) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.deepEqual(res.body.error_codes, [code]);
    assert.match(res.body.error_description, new RegExp(`^AADSTS${code}: `));
    if (text) assert.match(res.body.error_description, text);
  };

  describe("client assertions signed with a certificate", () => {
    let key: crypto.KeyObject;
    let x5tS256: string;
    before(() => {
      const pem = fs.readFileSync(emu.identities.certificate.pemPath, "utf8");
      key = crypto.createPrivateKey(pem);
      const cert = new crypto.X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0]);
      x5tS256 = crypto.createHash("sha256").update(cert.raw).digest("base64url");
    });
    /** What MSAL builds: PS256, x5t#S256, iss = sub = client id, aud = the token endpoint, 10 minutes. */
    const assertion = (o: { key?: crypto.KeyObject; x5t?: string; iss?: string; sub?: string; aud?: string | string[]; exp?: number; nbf?: number } = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const clientId = emu.identities.certificate.clientId;
      return new SignJWT({})
        .setProtectedHeader({ alg: "PS256", typ: "JWT", "x5t#S256": o.x5t ?? x5tS256 })
        .setIssuer(o.iss ?? clientId)
        .setSubject(o.sub ?? o.iss ?? clientId)
        .setAudience(o.aud ?? tokenEndpoint)
        .setJti(crypto.randomUUID())
        .setNotBefore(o.nbf ?? now)
        .setExpirationTime(o.exp ?? now + 600)
        .sign(o.key ?? key);
    };

    it("accepts the certificate's assertion and issues the app's token", async () => {
      const res = await exchange(emu.identities.certificate.clientId, await assertion());
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(decodeJwt(res.body.access_token).appid, emu.identities.certificate.clientId);
      // The token works on Graph.
      assert.equal((await graphClient(emu, res.body.access_token)("GET", "/v1.0/servicePrincipals?$top=1")).status, 200);
    });

    it("accepts the tenant's domain in the audience and an RS256 assertion with x5t", async () => {
      const pem = fs.readFileSync(emu.identities.certificate.pemPath, "utf8");
      const x5t = crypto
        .createHash("sha1")
        .update(new crypto.X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0]).raw)
        .digest("base64url");
      const now = Math.floor(Date.now() / 1000);
      const clientId = emu.identities.certificate.clientId;
      const rs256 = await new SignJWT({})
        .setProtectedHeader({ alg: "RS256", x5t })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(`${emu.authorityHost}/contoso.com/oauth2/v2.0/token`)
        .setExpirationTime(now + 600)
        .sign(key);
      assert.equal((await exchange(clientId, rs256)).status, 200);
    });

    it("rejects a certificate the app does not hold (AADSTS700027, thumbprint named)", async () => {
      const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
      const res = await exchange(emu.identities.certificate.clientId, await assertion({ key: privateKey, x5t: Buffer.alloc(32, 7).toString("base64url") }));
      expectAadsts(res, 401, 700027, /not registered on application\. \[Reason - The key was not found\., Thumbprint of key used by client: '0707/);
      // The admin app holds no certificate at all.
      const admin = await exchange(emu.clients.admin.clientId, await assertion({ iss: emu.clients.admin.clientId }));
      expectAadsts(admin, 401, 700027, /The key was not found/);
    });

    it("rejects a signature the registered certificate does not verify (AADSTS700027)", async () => {
      const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
      expectAadsts(await exchange(emu.identities.certificate.clientId, await assertion({ key: privateKey })), 401, 700027, /invalid signature/);
    });

    it("rejects another audience, an expired assertion, sub != iss, and another app's id", async () => {
      const id = emu.identities.certificate.clientId;
      expectAadsts(await exchange(id, await assertion({ aud: "https://login.microsoftonline.com/other/oauth2/v2.0/token" })), 401, 50012, /audience/);
      expectAadsts(await exchange(id, await assertion({ aud: [tokenEndpoint, `${emu.authorityHost}/${emu.tenantId}/v2.0`] })), 401, 5002741);
      const past = Math.floor(Date.now() / 1000) - 3600;
      expectAadsts(await exchange(id, await assertion({ nbf: past - 600, exp: past })), 401, 700024, /not within its valid time range/);
      expectAadsts(await exchange(id, await assertion({ sub: "someone-else" })), 401, 50048);
      expectAadsts(await exchange(id, await assertion({ iss: emu.clients.admin.clientId })), 401, 700021, /doesn't match 'client_id'/);
    });

    it("rejects a missing assertion type and a malformed assertion", async () => {
      const id = emu.identities.certificate.clientId;
      const noType = await request(
        emu,
        "POST",
        `/${emu.tenantId}/oauth2/v2.0/token`,
        form({ grant_type: "client_credentials", client_id: id, client_assertion: await assertion(), scope: "https://graph.microsoft.com/.default" }),
      );
      expectAadsts(noType, 400, 90014, /client_assertion_type/);
      expectAadsts(await exchange(id, "not.a.jwt"), 401, 50027);
    });

    it("the certificate client has no secret", async () => {
      const res = await request(
        emu,
        "POST",
        `/${emu.tenantId}/oauth2/v2.0/token`,
        form({
          grant_type: "client_credentials",
          client_id: emu.identities.certificate.clientId,
          client_secret: "anything",
          scope: "https://graph.microsoft.com/.default",
        }),
      );
      expectAadsts(res, 401, 7000215);
    });
  });

  describe("the GitHub-Actions-style OIDC issuer and federated credentials", () => {
    /** What a workflow's step does: GET the request URL with the request token and an audience. */
    const idToken = async (run?: Parameters<TestEmulator["identities"]["githubActions"]>[0], audience = "api://AzureADTokenExchange") => {
      const { requestUrl, requestToken } = await emu.identities.githubActions(run);
      const url = new URL(requestUrl);
      url.searchParams.set("audience", audience);
      const res = await request(emu, "GET", `${url.pathname}${url.search}`, { token: requestToken });
      assert.equal(res.status, 200, res.text);
      return res.body.value as string;
    };

    it("answers the runner's token request with an ID token for the audience asked for, and 401 without the request token", async () => {
      const token = await idToken();
      const claims = decodeJwt(token);
      assert.equal(claims.iss, "https://token.actions.githubusercontent.com");
      assert.equal(claims.sub, "repo:contoso/entra-provisioning:ref:refs/heads/main");
      assert.equal(claims.aud, "api://AzureADTokenExchange");
      assert.equal(claims.repository, "contoso/entra-provisioning");
      const { requestUrl } = await emu.identities.githubActions();
      const anonymous = await request(emu, "GET", new URL(requestUrl).pathname);
      assert.equal(anonymous.status, 401);
      const forged = await request(emu, "GET", new URL(requestUrl).pathname, { token: "not-a-request-token" });
      assert.equal(forged.status, 401);
      // Without an audience parameter GitHub's default: the owner's URL.
      const { requestToken } = await emu.identities.githubActions();
      const plain = await request(emu, "GET", new URL(requestUrl).pathname, { token: requestToken });
      assert.equal(decodeJwt(plain.body.value).aud, "https://github.com/contoso");
    });

    it("publishes the issuer's discovery document and keys, which verify its tokens", async () => {
      const discovery = await request(emu, "GET", "/github-actions/.well-known/openid-configuration");
      assert.equal(discovery.body.issuer, "https://token.actions.githubusercontent.com");
      const jwks = await request(emu, "GET", new URL(discovery.body.jwks_uri).pathname);
      const { payload } = await jwtVerify(await idToken(), createLocalJWKSet(jwks.body), { issuer: discovery.body.issuer });
      assert.equal(payload.aud, "api://AzureADTokenExchange");
    });

    it("makes runs of other events through the control plane, with GitHub's subject for each", async () => {
      const pr = await control(emu, "POST", "github-actions/runs", { eventName: "pull_request", ref: "refs/pull/7/merge" });
      assert.equal(pr.body.subject, "repo:contoso/entra-provisioning:pull_request");
      const env = await control(emu, "POST", "github-actions/runs", { environment: "production" });
      assert.equal(env.body.subject, "repo:contoso/entra-provisioning:environment:production");
      assert.equal((await control(emu, "POST", "github-actions/runs", { branch: "main" })).status, 400);
      assert.equal((await control(emu, "POST", "github-actions/runs", { repository: "no-slash" })).status, 400);
    });

    it("exchanges a token that matches a federated credential for the app's Graph token", async () => {
      const federated = emu.identities.federated.clientId;
      for (const run of [undefined, { eventName: "pull_request", ref: "refs/pull/7/merge" }]) {
        const res = await exchange(federated, await idToken(run));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(decodeJwt(res.body.access_token).appid, federated);
      }
    });

    it("rejects another subject (AADSTS700213), another case (7002138), another audience (700212), another issuer (700211)", async () => {
      const federated = emu.identities.federated.clientId;
      expectAadsts(
        await exchange(federated, await idToken({ ref: "refs/heads/feature" })),
        400,
        700213,
        /subject 'repo:contoso\/entra-provisioning:ref:refs\/heads\/feature'/,
      );
      expectAadsts(await exchange(federated, await idToken({ repository: "Contoso/Entra-Provisioning" })), 400, 7002138, /case-insensitive/);
      expectAadsts(await exchange(federated, await idToken(undefined, "api://SomethingElse")), 400, 700212, /audience 'api:\/\/SomethingElse'/);
      const { privateKey } = await generateKeyPair("RS256");
      const foreign = await new SignJWT({})
        .setProtectedHeader({ alg: "RS256" })
        .setIssuer("https://issuer.example.test")
        .setSubject("repo:contoso/entra-provisioning:ref:refs/heads/main")
        .setAudience("api://AzureADTokenExchange")
        .setExpirationTime("5m")
        .sign(privateKey);
      expectAadsts(await exchange(federated, foreign), 400, 700211, /issuer 'https:\/\/issuer\.example\.test'/);
    });

    it("rejects a token for an app without federated credentials (AADSTS70021), a forged one (700027) and an expired one (700024)", async () => {
      expectAadsts(await exchange(emu.clients.admin.clientId, await idToken()), 400, 70021, /Assertion Subject: 'repo:contoso/);
      const { privateKey } = await generateKeyPair("RS256");
      const claims = decodeJwt(await idToken());
      const forged = await new SignJWT({ ...claims }).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
      expectAadsts(await exchange(emu.identities.federated.clientId, forged), 401, 700027);
      // The issuer's own key, an hour too late.
      const issuerKey = await importPKCS8(fs.readFileSync(path.join(defaultHome(), "github-actions-signing-key.pem"), "utf8"), "RS256");
      const past = Math.floor(Date.now() / 1000) - 3600;
      const expired = await new SignJWT({ ...claims, iat: past - 300, nbf: past - 300, exp: past }).setProtectedHeader({ alg: "RS256" }).sign(issuerKey);
      expectAadsts(await exchange(emu.identities.federated.clientId, expired), 401, 700024);
    });
  });

  describe("managed identities (IMDS)", () => {
    const imds = (query: string, headers: Record<string, string> = { metadata: "true" }) =>
      request(emu, "GET", `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent("https://graph.microsoft.com")}${query}`, { headers });

    it("answers for the system-assigned identity, and for a user-assigned one by client id", async () => {
      const system = await imds("");
      assert.equal(system.status, 200, system.text);
      assert.equal(decodeJwt(system.body.access_token).appid, emu.identities.systemIdentity.clientId);
      assert.equal(system.body.resource, "https://graph.microsoft.com");
      assert.match(system.body.expires_on, /^\d+$/);
      const user = await imds(`&client_id=${emu.identities.userIdentity.clientId}`);
      assert.equal(decodeJwt(user.body.access_token).appid, emu.identities.userIdentity.clientId);
      assert.equal((await graphClient(emu, user.body.access_token)("GET", "/v1.0/servicePrincipals?$top=1")).status, 200);
    });

    it("refuses a request without Metadata: true, an unknown identity and another resource", async () => {
      assert.deepEqual((await imds("", {})).body, { error: "invalid_request", error_description: "Required metadata header not specified" });
      assert.equal((await imds(`&client_id=${emu.clients.admin.clientId}`)).body.error_description, "Identity not found");
      const other = await request(emu, "GET", "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com", {
        headers: { metadata: "true" },
      });
      assert.equal(other.body.error, "invalid_resource");
    });
  });

  describe("clouds", () => {
    it("describes a custom cloud whose sign-in and Graph are the emulator (Azure metadata service)", async () => {
      const current = await request(emu, "GET", "/metadata/endpoints?api-version=2022-09-01");
      assert.equal(current.body.authentication.loginEndpoint, `${emu.authorityHost}/`);
      assert.equal(current.body.microsoftGraphResourceId, `${emu.graphEndpoint}/`);
      const old = await request(emu, "GET", "/metadata/endpoints?api-version=2019-05-01");
      assert.ok(Array.isArray(old.body) && old.body[0].name === "EntraSyncEmulator");
      // A token for that cloud's Graph resource (the emulator's origin) works on its Graph.
      const res = await request(
        emu,
        "POST",
        `/${emu.tenantId}/oauth2/v2.0/token`,
        form({
          grant_type: "client_credentials",
          client_id: emu.clients.admin.clientId,
          client_secret: emu.clients.admin.clientSecret,
          scope: `${emu.graphEndpoint}/.default`,
        }),
      );
      assert.equal(decodeJwt(res.body.access_token).aud, emu.graphEndpoint);
      assert.equal((await graphClient(emu, res.body.access_token)("GET", "/v1.0/servicePrincipals?$top=1")).status, 200);
    });

    it("reached as a national cloud's authority, issues tokens for that cloud's Graph only; that Graph accepts only those", async () => {
      const ask = (scope: string, host: string) =>
        request(emu, "POST", `/${emu.tenantId}/oauth2/v2.0/token`, {
          rawBody: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: emu.clients.admin.clientId,
            client_secret: emu.clients.admin.clientSecret,
            scope,
          }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", host },
        });
      const usgov = await ask("https://graph.microsoft.us/.default", "login.microsoftonline.us");
      assert.equal(usgov.status, 200, usgov.text);
      assert.equal(decodeJwt(usgov.body.access_token).aud, "https://graph.microsoft.us");
      expectAadsts(await ask("https://graph.microsoft.com/.default", "login.microsoftonline.us"), 400, 500011);
      const china = await ask("https://microsoftgraph.chinacloudapi.cn/.default", "login.chinacloudapi.cn");
      assert.equal(decodeJwt(china.body.access_token).iss, `https://sts.chinacloudapi.cn/${emu.tenantId}/`);

      const graphAt = (host: string, token: string) => request(emu, "GET", "/v1.0/servicePrincipals?$top=1", { token, headers: { host } });
      assert.equal((await graphAt("graph.microsoft.us", usgov.body.access_token)).status, 200);
      const global = await tokenFor(emu, emu.clients.admin);
      const wrongCloud = await graphAt("graph.microsoft.us", global);
      assert.equal(wrongCloud.status, 401);
      assert.match(wrongCloud.body.error.message, /Invalid audience/);
      assert.equal((await graphAt(new URL(emu.graphEndpoint).host, usgov.body.access_token)).status, 401, "the global Graph refuses a US Government token");
      const metadata = await request(emu, "GET", `/${emu.tenantId}/v2.0/.well-known/openid-configuration`, { headers: { host: "login.microsoftonline.us" } });
      assert.equal(metadata.body.token_endpoint, `https://login.microsoftonline.us/${emu.tenantId}/oauth2/v2.0/token`);
      assert.equal(metadata.body.msgraph_host, "graph.microsoft.us");
    });

    it("logs the host each request was sent to", async () => {
      const { latestSeq } = (await control(emu, "GET", "requests")).body;
      await request(emu, "GET", `/${emu.tenantId}/v2.0/.well-known/openid-configuration`, { headers: { host: "login.chinacloudapi.cn" } });
      const [entry] = (await control(emu, "GET", `requests?since=${latestSeq}`)).body.value;
      assert.equal(entry.host, "login.chinacloudapi.cn");
    });
  });

  it("gives a state file written before these identities existed the same identities a fresh tenant has", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-identities-"));
    const stateFile = path.join(dir, "state.json");
    const fresh = buildSeedTenant(3);
    const identityIds = new Set(fresh.clients.filter((c) => c.handle !== "admin" && c.handle !== "noRole").map((c) => c.servicePrincipalId));
    const old = {
      ...fresh,
      clients: fresh.clients.filter((c) => c.handle === "admin" || c.handle === "noRole"),
      servicePrincipals: fresh.servicePrincipals.filter((sp) => !identityIds.has(sp.id)),
    };
    fs.writeFileSync(stateFile, JSON.stringify(old));
    const upgraded = await startTestEmulator({ stateFile, seed: 3 });
    try {
      assert.equal(upgraded.identities.certificate.clientId, fresh.clients.find((c) => c.handle === "certificate")!.clientId);
      assert.equal(upgraded.identities.userIdentity.clientId, fresh.clients.find((c) => c.handle === "userIdentity")!.clientId);
      assert.equal(upgraded.clients.admin.clientId, fresh.clients.find((c) => c.handle === "admin")!.clientId);
      const sps = (await control(upgraded, "GET", "state")).body.servicePrincipals as { id: string }[];
      assert.deepEqual(sps.map((sp) => sp.id).sort(), fresh.servicePrincipals.map((sp) => sp.id).sort());
    } finally {
      await upgraded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
