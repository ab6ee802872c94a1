/**
 * validateCredentials against real SCIM targets: the provisioning service's test connection
 * (GET {BaseAddress}/Users?filter=userName eq "<GUID>" with the Secret Token as bearer token),
 * and Graph's answers — 204, or 400 UnknownError carrying
 * SystemForCrossDomainIdentityManagementCredentialValidationFailure (the target refused) or
 * ...Unavailable (unreachable, or failing on its side) — for both overloads.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { control, graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

const FAILURE = "SystemForCrossDomainIdentityManagementCredentialValidationFailure";
const UNAVAILABLE = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable";

describe("emulator validateCredentials against a SCIM target", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let jobs: string;
  let jobId: string;

  before(async () => {
    emu = await startTestEmulator();
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    jobs = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/jobs`;
    jobId = (await g("POST", jobs, { templateId: "scim" })).body.id;
  });
  after(async () => {
    await emu.stop();
  });
  afterEach(async () => {
    await control(emu, "PUT", "scim/failure", { mode: "none" });
  });

  const credentials = (baseAddress: string, token: string) => [
    { key: "BaseAddress", value: baseAddress },
    { key: "SecretToken", value: token },
  ];
  /** Both overloads with the same credentials; returns [job-bound, collection-bound]. */
  const validateBoth = async (creds: { key: string; value: string }[]) => [
    await g("POST", `${jobs}/${jobId}/validateCredentials`, { credentials: creds }),
    await g("POST", `${jobs}/validateCredentials`, { useSavedCredentials: false, templateId: "scim", credentials: creds }),
  ];
  const innerError = (res: { body: any }) => JSON.parse(res.body.error.message).error as { code: string; message: string };

  it("204 for the hosted target's address and token", async () => {
    for (const res of await validateBoth(credentials(emu.scimTarget.baseAddress, emu.scimTarget.token))) {
      assert.equal(res.status, 204, res.text);
    }
    assert.deepEqual(emu.scimTarget.listUsers(), [], "the test query creates nothing");
  });

  it("400 ...CredentialValidationFailure with the target's 401 when the token is wrong", async () => {
    for (const res of await validateBoth(credentials(emu.scimTarget.baseAddress, "not-the-token"))) {
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "UnknownError");
      const inner = innerError(res);
      assert.equal(inner.code, FAILURE);
      assert.match(inner.message, /^While attempting to validate our authorization to access your application/);
      assert.match(inner.message, /Received response from Web resource\./);
      assert.match(inner.message, /Resource: https:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\?filter=userName\+eq\+"[0-9a-f-]{36}"/);
      assert.match(inner.message, /Response Status Code: Unauthorized/);
    }
  });

  it("400 ...CredentialValidationUnavailable when nothing listens at the address", async () => {
    const closed = await closedLoopbackPort();
    for (const res of await validateBoth(credentials(`https://127.0.0.1:${closed}/scim/v2`, emu.scimTarget.token))) {
      assert.equal(res.status, 400);
      const inner = innerError(res);
      assert.equal(inner.code, UNAVAILABLE);
      assert.match(inner.message, /not able to connect to your application/);
      assert.match(inner.message, /ECONNREFUSED/);
      // Like the service's own messages, it names the resource it could not reach.
      assert.match(inner.message, new RegExp(`Resource: https://127\\.0\\.0\\.1:${closed}/scim/v2/Users\\?filter=userName\\+eq\\+"[0-9a-f-]{36}"`));
    }
  });

  it("...Unavailable when the target fails on its side or drops connections, ...Failure when it refuses the token", async () => {
    const good = credentials(emu.scimTarget.baseAddress, emu.scimTarget.token);
    const cases: [string, string, RegExp][] = [
      ["serverError", UNAVAILABLE, /Response Status Code: InternalServerError/],
      ["dropConnections", UNAVAILABLE, /ECONNRESET|socket hang up/],
      ["rejectToken", FAILURE, /Response Status Code: Unauthorized/],
    ];
    for (const [mode, code, message] of cases) {
      await control(emu, "PUT", "scim/failure", { mode });
      for (const res of await validateBoth(good)) {
        assert.equal(res.status, 400, mode);
        assert.equal(innerError(res).code, code, mode);
        assert.match(innerError(res).message, message);
      }
    }
  });

  it("tests the saved secrets with useSavedCredentials (and ignores the body's)", async () => {
    const secrets = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/secrets`;
    await g("PUT", secrets, { value: credentials(emu.scimTarget.baseAddress, "stale-token") });
    const saved = await g("POST", `${jobs}/${jobId}/validateCredentials`, {
      useSavedCredentials: true,
      credentials: credentials(emu.scimTarget.baseAddress, emu.scimTarget.token),
    });
    assert.equal(saved.status, 400);
    assert.equal(innerError(saved).code, FAILURE);
    await g("PUT", secrets, { value: credentials(emu.scimTarget.baseAddress, emu.scimTarget.token) });
    assert.equal((await g("POST", `${jobs}/validateCredentials`, { useSavedCredentials: true, templateId: "scim" })).status, 204);
  });

  it('sends the test connection Entra sends: GET {BaseAddress}/Users?filter=userName eq "<GUID>" with the bearer token', async () => {
    const seen: { method: string; url: string; authorization: string | undefined }[] = [];
    const fake = http.createServer((req, res) => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/scim+json" });
      res.end(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 20 }));
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    try {
      const port = (fake.address() as AddressInfo).port;
      const [jobBound] = await validateBoth(credentials(`http://127.0.0.1:${port}/scim/`, "plain-http-token"));
      assert.equal(jobBound.status, 204, jobBound.text);
      assert.equal(seen.length, 2);
      assert.equal(seen[0].method, "GET");
      assert.match(seen[0].url, /^\/scim\/Users\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}%22$/);
      assert.equal(seen[0].authorization, "Bearer plain-http-token");
      assert.notEqual(seen[0].url, seen[1].url, "a fresh GUID per test");
    } finally {
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });

  it("keeps a Tenant URL's own query string on the test connection, after the resource path", async () => {
    const seen: string[] = [];
    const fake = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(401, { "content-type": "application/scim+json" });
      res.end(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401", detail: "Unauthorized" }));
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    try {
      const port = (fake.address() as AddressInfo).port;
      const [res] = await validateBoth(credentials(`http://127.0.0.1:${port}/scim/?aadOptscim062020&key=k1`, "t"));
      assert.match(seen[0], /^\/scim\/Users\?aadOptscim062020&key=k1&filter=userName\+eq\+%22[0-9a-f-]{36}%22$/);
      assert.match(innerError(res).message, /Resource: http:\/\/127\.0\.0\.1:\d+\/scim\/Users\?aadOptscim062020&key=k1&filter=userName\+eq\+"[0-9a-f-]{36}"/);
    } finally {
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });

  it("a target that answers something other than a ListResponse fails validation", async () => {
    const fake = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>login</html>");
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    try {
      const port = (fake.address() as AddressInfo).port;
      const [res] = await validateBoth(credentials(`http://127.0.0.1:${port}/scim`, "t"));
      assert.equal(res.status, 400);
      assert.equal(innerError(res).code, FAILURE);
      assert.match(innerError(res).message, /Response Content: <html>login<\/html>/);
    } finally {
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedLoopbackPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
