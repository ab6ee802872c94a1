/**
 * Cross-cutting Graph protocol behaviour: OData error bodies, request-id/client-request-id headers,
 * unknown routes and methods, unimplemented operations, determinism.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import forge from "node-forge";
import { ensureCa } from "../../emulator/index";
import { graphClient, request, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator Graph protocol", () => {
  let emu: TestEmulator;
  let token: string;
  let g: ReturnType<typeof graphClient>;
  before(async () => {
    emu = await startTestEmulator();
    token = await tokenFor(emu, emu.clients.admin);
    g = graphClient(emu, token);
  });
  after(async () => {
    await emu.stop();
  });

  function assertODataError(res: { body: any; headers: Record<string, string> }, code: string): void {
    assert.deepEqual(Object.keys(res.body), ["error"]);
    assert.equal(res.body.error.code, code);
    assert.equal(typeof res.body.error.message, "string");
    const inner = res.body.error.innerError;
    assert.match(inner.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(inner["request-id"], res.headers["request-id"]);
    assert.equal(inner["client-request-id"], res.headers["client-request-id"]);
    assert.match(res.headers["content-type"], /^application\/json/);
  }

  it("puts request-id and client-request-id on every response and echoes the client's id", async () => {
    const mine = "7f1c3b0e-1111-4222-8333-944455556666";
    const ok = await g("GET", "/v1.0/servicePrincipals", undefined, { "client-request-id": mine });
    assert.match(ok.headers["request-id"], /^[0-9a-f-]{36}$/);
    assert.equal(ok.headers["client-request-id"], mine);
    const err = await g("GET", "/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000000", undefined, { "client-request-id": mine });
    assertODataError(err, "Request_ResourceNotFound");
    assert.equal(err.body.error.innerError["client-request-id"], mine);
    const noId = await g("GET", "/v1.0/servicePrincipals");
    assert.equal(noId.headers["client-request-id"], noId.headers["request-id"]);
  });

  it("answers an unknown segment outside synchronization like Graph (400 BadRequest)", async () => {
    const res = await g("GET", "/v1.0/servicePrincipalz");
    assert.equal(res.status, 400);
    assertODataError(res, "BadRequest");
    assert.equal(res.body.error.message, "Resource not found for the segment 'servicePrincipalz'.");
    const version = await g("GET", "/v2.0/servicePrincipals");
    assert.equal(version.status, 400);
    assert.match(version.body.error.message, /Invalid version/);
  });

  it("answers unknown paths and verbs under synchronization with the syncfabric 404", async () => {
    const sp = emu.seeded.scimServicePrincipalId;
    for (const [method, p] of [
      ["GET", `/v1.0/servicePrincipals/${sp}/synchronization/gadgets`],
      ["DELETE", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`],
      ["POST", `/v1.0/servicePrincipals/${sp}/synchronization/templates/scim`],
    ] as const) {
      const res = await g(method, p);
      assert.equal(res.status, 404, `${method} ${p}`);
      assertODataError(res, "UnknownError");
      assert.match(JSON.parse(res.body.error.message).Message, /^No HTTP resource was found/);
    }
  });

  it("answers a wrong method on a directory route with 405 and Allow", async () => {
    const res = await g("PUT", "/v1.0/users");
    assert.equal(res.status, 405);
    assertODataError(res, "Request_BadRequest");
    assert.equal(res.headers.allow, "GET");
  });

  it("answers known-but-unimplemented operations with 501, not a fake success", async () => {
    const sp = emu.seeded.scimServicePrincipalId;
    const res = await g("POST", `/v1.0/servicePrincipals/${sp}/synchronization/jobs/x/bulkUpload`, { schemas: [], Operations: [] });
    assert.equal(res.status, 501);
    assertODataError(res, "NotImplemented");
  });

  it("rejects a body that is not JSON", async () => {
    const res = await request(emu, "POST", `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/jobs`, {
      token,
      rawBody: "{templateId: scim",
      headers: { "content-type": "application/json" },
    });
    assert.equal(res.status, 400);
    assertODataError(res, "BadRequest");
  });

  it("mints the same tenant and ids for the same seed, different ones for another seed", async () => {
    const a = await startTestEmulator({ seed: 42 });
    const b = await startTestEmulator({ seed: 42 });
    const c = await startTestEmulator({ seed: 43 });
    try {
      assert.equal(a.tenantId, b.tenantId);
      assert.deepEqual(a.seeded, b.seeded);
      assert.deepEqual(a.clients, b.clients);
      assert.notEqual(a.tenantId, c.tenantId);
      const jobIdOf = async (e: TestEmulator) => {
        const client = graphClient(e, await tokenFor(e, e.clients.admin));
        await client("GET", "/v1.0/servicePrincipals"); // request ids must not shift resource ids
        return (await client("POST", `/v1.0/servicePrincipals/${e.seeded.scimServicePrincipalId}/synchronization/jobs`, { templateId: "scim" })).body.id;
      };
      const idA = await jobIdOf(a);
      await graphClient(b, await tokenFor(b, b.clients.admin))("GET", "/v1.0/users");
      assert.equal(idA, await jobIdOf(b));
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });
});

describe("emulator CA", () => {
  it("creates a CA and a server certificate for 127.0.0.1/localhost once, then reuses them", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "emu-ca-"));
    const first = ensureCa(home);
    const caPem = fs.readFileSync(first.caCertPath, "utf8");
    const second = ensureCa(home);
    assert.equal(second.caCertPath, first.caCertPath);
    assert.equal(fs.readFileSync(second.caCertPath, "utf8"), caPem, "ensureCa must be idempotent");
    const ca = forge.pki.certificateFromPem(caPem);
    const server = forge.pki.certificateFromPem(fs.readFileSync(path.join(home, "server.pem"), "utf8"));
    assert.ok(ca.verify(server), "server certificate is signed by the CA");
    const san = server.getExtension("subjectAltName") as { altNames: { type: number; ip?: string; value?: string }[] };
    assert.ok(san.altNames.some((n) => n.type === 7 && n.ip === "127.0.0.1"));
    assert.ok(san.altNames.some((n) => n.type === 2 && n.value === "localhost"));
    assert.equal((ca.publicKey as forge.pki.rsa.PublicKey).n.bitLength(), 2048);
    assert.ok((ca.getExtension("basicConstraints") as { cA: boolean }).cA);
  });
});
