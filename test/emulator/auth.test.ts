/**
 * Every Graph call is authenticated (401 InvalidAuthenticationToken) and authorized by app role
 * (403 Authorization_RequestDenied).
 */
import { strict as assert } from "node:assert";
import { SignJWT, generateKeyPair } from "jose";
import { defaultHome } from "../../emulator/index";
import { TokenService } from "../../emulator/identity/tokens";
import { graphClient, request, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator authentication and authorization", () => {
  let emu: TestEmulator;
  let adminToken: string;
  let noRoleToken: string;
  let sp: string;
  before(async () => {
    emu = await startTestEmulator();
    adminToken = await tokenFor(emu, emu.clients.admin);
    noRoleToken = await tokenFor(emu, emu.clients.noRole);
    sp = emu.seeded.scimServicePrincipalId;
  });
  after(async () => {
    await emu.stop();
  });

  function assertInvalidToken(res: { status: number; body: any; headers: Record<string, string> }, message: RegExp): void {
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "InvalidAuthenticationToken");
    assert.match(res.body.error.message, message);
    assert.match(res.headers["www-authenticate"] ?? "", /^Bearer /);
  }

  it("rejects a call without a token (401, WWW-Authenticate)", async () => {
    assertInvalidToken(await request(emu, "GET", "/v1.0/servicePrincipals"), /Access token is empty/);
  });

  it("rejects a call to an unknown route without a token with 401 too", async () => {
    assertInvalidToken(await request(emu, "GET", "/v1.0/nothingHere"), /Access token is empty/);
  });

  it("rejects a malformed token", async () => {
    assertInvalidToken(await request(emu, "GET", "/v1.0/servicePrincipals", { token: "not-a-jwt" }), /not well formed/);
  });

  it("rejects a token signed by another key", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ tid: emu.tenantId, appid: emu.clients.admin.clientId, roles: emu.clients.admin.roles })
      .setProtectedHeader({ alg: "RS256" })
      .setAudience("https://graph.microsoft.com")
      .setIssuer(`https://sts.windows.net/${emu.tenantId}/`)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    assertInvalidToken(await request(emu, "GET", "/v1.0/servicePrincipals", { token: forged }), /Invalid signature/);
  });

  it("rejects an expired token", async () => {
    const tokens = await TokenService.load(defaultHome());
    const twoHoursAgo = Math.floor(Date.now() / 1000) - 7200;
    const expired = await tokens.issue(
      { tenantId: emu.tenantId, clientId: emu.clients.admin.clientId, servicePrincipalId: "x", roles: emu.clients.admin.roles },
      twoHoursAgo,
    );
    assertInvalidToken(await request(emu, "GET", "/v1.0/servicePrincipals", { token: expired }), /expired/);
  });

  it("accepts a token whose audience is the Graph app id", async () => {
    const tokens = await TokenService.load(defaultHome());
    const token = await tokens.issue({ tenantId: emu.tenantId, clientId: emu.clients.admin.clientId, servicePrincipalId: "x", roles: emu.clients.admin.roles });
    assert.equal((await request(emu, "GET", "/v1.0/servicePrincipals", { token })).status, 200);
  });

  it("lets the noRole client list service principals (Application.Read.All)", async () => {
    const res = await graphClient(emu, noRoleToken)("GET", "/v1.0/servicePrincipals");
    assert.equal(res.status, 200);
  });

  it("denies the noRole client synchronization reads and writes with 403 Authorization_RequestDenied", async () => {
    const g = graphClient(emu, noRoleToken);
    for (const [method, path, body] of [
      ["GET", `/v1.0/servicePrincipals/${sp}/synchronization/jobs`, undefined],
      ["GET", `/v1.0/servicePrincipals/${sp}/synchronization/templates`, undefined],
      ["POST", `/v1.0/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" }],
      ["PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: [{ key: "SyncAll", value: "false" }] }],
    ] as const) {
      const res = await g(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, "Authorization_RequestDenied");
      assert.equal(res.body.error.message, "Insufficient privileges to complete the operation.");
    }
    // The denied writes changed nothing.
    const jobs = await graphClient(emu, adminToken)("GET", `/v1.0/servicePrincipals/${sp}/synchronization/jobs`);
    assert.deepEqual(jobs.body.value, []);
    const secrets = await graphClient(emu, adminToken)("GET", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`);
    assert.equal(secrets.status, 404);
  });

  it("denies the noRole client user reads (no User.Read.All)", async () => {
    const res = await graphClient(emu, noRoleToken)("GET", "/v1.0/users");
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "Authorization_RequestDenied");
  });
});
