/**
 * The OAuth side: token endpoint (success and Entra-shaped errors), OpenID metadata, JWKS, instance
 * discovery, and @azure/identity's ClientSecretCredential against the emulator.
 */
import { strict as assert } from "node:assert";
import { ClientSecretCredential } from "@azure/identity";
import { decodeJwt, createLocalJWKSet, jwtVerify } from "jose";
import { request, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator OAuth endpoints", () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => {
    await emu.stop();
  });

  const form = (fields: Record<string, string>) => ({
    rawBody: new URLSearchParams(fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

  it("issues an RS256 Graph token with tenant, app id and roles claims", async () => {
    const res = await request(
      emu,
      "POST",
      `/${emu.tenantId}/oauth2/v2.0/token`,
      form({
        grant_type: "client_credentials",
        client_id: emu.clients.admin.clientId,
        client_secret: emu.clients.admin.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      }),
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, "Bearer");
    assert.equal(res.body.expires_in, 3599);
    assert.equal(res.body.ext_expires_in, 3599);
    const claims = decodeJwt(res.body.access_token);
    assert.equal(claims.aud, "https://graph.microsoft.com");
    assert.equal(claims.iss, `https://sts.windows.net/${emu.tenantId}/`);
    assert.equal(claims.tid, emu.tenantId);
    assert.equal(claims.appid, emu.clients.admin.clientId);
    assert.equal(claims.azp, emu.clients.admin.clientId);
    assert.deepEqual(claims.roles, emu.clients.admin.roles);
    assert.ok((claims.exp as number) - (claims.iat as number) >= 3599);
  });

  it("answers a wrong secret with 401 invalid_client AADSTS7000215", async () => {
    const res = await request(
      emu,
      "POST",
      `/${emu.tenantId}/oauth2/v2.0/token`,
      form({
        grant_type: "client_credentials",
        client_id: emu.clients.admin.clientId,
        client_secret: "not-the-secret",
        scope: "https://graph.microsoft.com/.default",
      }),
    );
    assert.equal(res.status, 401);
    assert.equal(res.body.error, "invalid_client");
    assert.deepEqual(res.body.error_codes, [7000215]);
    assert.match(res.body.error_description, /^AADSTS7000215: Invalid client secret provided\./);
    for (const field of ["timestamp", "trace_id", "correlation_id"]) assert.equal(typeof res.body[field], "string", field);
    assert.ok(!res.text.includes(emu.clients.admin.clientSecret), "the error must not echo any secret");
  });

  it("answers an unknown client with 400 unauthorized_client AADSTS700016", async () => {
    const res = await request(
      emu,
      "POST",
      `/${emu.tenantId}/oauth2/v2.0/token`,
      form({
        grant_type: "client_credentials",
        client_id: "11111111-2222-3333-4444-555555555555",
        client_secret: "x",
        scope: "https://graph.microsoft.com/.default",
      }),
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error, "unauthorized_client");
    assert.deepEqual(res.body.error_codes, [700016]);
  });

  it("answers an unknown tenant with AADSTS90002", async () => {
    const res = await request(
      emu,
      "POST",
      "/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token",
      form({
        grant_type: "client_credentials",
        client_id: emu.clients.admin.clientId,
        client_secret: emu.clients.admin.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      }),
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error_codes, [90002]);
  });

  it("rejects a scope without /.default and a foreign resource", async () => {
    const base = { grant_type: "client_credentials", client_id: emu.clients.admin.clientId, client_secret: emu.clients.admin.clientSecret };
    const noDefault = await request(emu, "POST", `/${emu.tenantId}/oauth2/v2.0/token`, form({ ...base, scope: "https://graph.microsoft.com/User.Read" }));
    assert.equal(noDefault.status, 400);
    assert.equal(noDefault.body.error, "invalid_scope");
    const foreign = await request(emu, "POST", `/${emu.tenantId}/oauth2/v2.0/token`, form({ ...base, scope: "https://management.azure.com/.default" }));
    assert.equal(foreign.status, 400);
    assert.deepEqual(foreign.body.error_codes, [500011]);
  });

  it("publishes OpenID metadata and a JWKS that verifies issued tokens", async () => {
    const config = await request(emu, "GET", `/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(config.status, 200);
    assert.equal(config.body.token_endpoint, `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`);
    assert.equal(config.body.issuer, `${emu.authorityHost}/${emu.tenantId}/v2.0`);
    const jwksRes = await request(emu, "GET", new URL(config.body.jwks_uri).pathname);
    assert.equal(jwksRes.status, 200);
    const token = await tokenFor(emu, emu.clients.noRole);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwksRes.body), { audience: "https://graph.microsoft.com" });
    assert.equal(payload.appid, emu.clients.noRole.clientId);
  });

  it("answers instance discovery with this host as the only alias", async () => {
    const authorize = encodeURIComponent(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize`);
    const res = await request(emu, "GET", `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`);
    assert.equal(res.status, 200);
    const host = new URL(emu.authorityHost).host;
    assert.deepEqual(res.body.metadata, [{ preferred_network: host, preferred_cache: host, aliases: [host] }]);
    assert.equal(res.body.tenant_discovery_endpoint, `${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
  });
});

describe("ClientSecretCredential (@azure/identity 4.13) against the emulator", function () {
  let emu: TestEmulator;
  before(async function () {
    emu = await startTestEmulator();
    // Node reads NODE_EXTRA_CA_CERTS once at start-up: the mocha process must have been started with it.
    assert.equal(process.env.NODE_EXTRA_CA_CERTS, emu.caCertPath, `start mocha with NODE_EXTRA_CA_CERTS=${emu.caCertPath} (run ensureCa() first)`);
  });
  after(async () => {
    await emu.stop();
  });

  it("gets a token with disableInstanceDiscovery: true", async () => {
    const credential = new ClientSecretCredential(emu.tenantId, emu.clients.admin.clientId, emu.clients.admin.clientSecret, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
    });
    const started = Date.now();
    const token = await credential.getToken("https://graph.microsoft.com/.default");
    const elapsed = Date.now() - started;
    console.log(`      token acquisition (disableInstanceDiscovery: true): ${elapsed} ms`);
    assert.equal(decodeJwt(token.token).appid, emu.clients.admin.clientId);
    assert.ok(token.expiresOnTimestamp > Date.now() + 3_000_000);
    // The credential called the emulator's OpenID metadata and token endpoints, nothing else of ours.
    const log = (await request(emu, "GET", "/_emulator/requests")).body.value as { path: string; kind: string }[];
    assert.ok(log.some((e) => e.path === `/${emu.tenantId}/oauth2/v2.0/token`));
  });

  it("without disableInstanceDiscovery MSAL asks login.microsoftonline.com first: works online, fails fast offline", async function () {
    const credential = new ClientSecretCredential(emu.tenantId, emu.clients.admin.clientId, emu.clients.admin.clientSecret, {
      authorityHost: emu.authorityHost,
    });
    const started = Date.now();
    let outcome: string;
    try {
      const token = await credential.getToken("https://graph.microsoft.com/.default");
      assert.equal(decodeJwt(token.token).appid, emu.clients.admin.clientId);
      outcome = "token";
    } catch (err) {
      // MSAL's instance discovery URL is hard-coded to https://login.microsoftonline.com; without
      // internet access it cannot resolve the authority and gives up (it must not hang).
      assert.match(String((err as Error).message), /endpoints_resolution_error|Endpoints cannot be resolved/);
      outcome = "endpoints_resolution_error";
    }
    const elapsed = Date.now() - started;
    console.log(`      token acquisition (instance discovery on): ${outcome} after ${elapsed} ms`);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
  });
});
