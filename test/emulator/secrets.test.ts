/**
 * PUT/GET .../synchronization/secrets: merge by key, delete by empty value, masking, enum
 * validation, the JSON-valued SyncNotificationSettings rule, and redaction everywhere else.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { control, graphClient, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator synchronization secrets", () => {
  let emu: TestEmulator;
  let g: ReturnType<typeof graphClient>;
  let secretsPath: string;
  let stateFile: string;
  const TOKEN_VALUE = "scim-bearer-token-do-not-leak";

  before(async () => {
    stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-secrets-")), "state.json");
    emu = await startTestEmulator({ stateFile });
    g = graphClient(emu, await tokenFor(emu, emu.clients.admin));
    secretsPath = `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization/secrets`;
  });
  after(async () => {
    await emu.stop();
  });

  const put = (value: unknown[]) => g("PUT", secretsPath, { value });

  it("answers GET with 404 before secrets were ever saved", async () => {
    const res = await g("GET", secretsPath);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "UnknownError");
    assert.match(res.body.error.message, /"code":"ResourceNotFound"/);
  });

  it("stores pairs (204) and reads them back with sensitive values masked", async () => {
    const res = await put([
      { key: "BaseAddress", value: "https://scim.example.com/scim/v2" },
      { key: "SecretToken", value: TOKEN_VALUE },
      { key: "SyncAll", value: "false" },
      { key: "SyncNotificationSettings", value: '{"Enabled":false,"DeleteThresholdEnabled":false}' },
    ]);
    assert.equal(res.status, 204);
    assert.equal(res.text, "");
    const get = await g("GET", secretsPath);
    assert.equal(get.status, 200);
    assert.deepEqual(get.body.value, [
      { key: "BaseAddress", value: "https://scim.example.com/scim/v2" },
      { key: "SecretToken", value: "*" },
      { key: "SyncAll", value: "false" },
      { key: "SyncNotificationSettings", value: '{"Enabled":false,"DeleteThresholdEnabled":false}' },
    ]);
    const sync = await g("GET", `/v1.0/servicePrincipals/${emu.seeded.scimServicePrincipalId}/synchronization`);
    assert.equal(sync.body.secrets.find((p: any) => p.key === "SecretToken").value, "*");
  });

  it("merges by key: later PUTs replace named keys and keep the others", async () => {
    assert.equal((await put([{ key: "SyncAll", value: "true" }])).status, 204);
    const keys = (await g("GET", secretsPath)).body.value;
    assert.deepEqual(
      keys.find((p: any) => p.key === "SyncAll"),
      { key: "SyncAll", value: "true" },
    );
    assert.ok(keys.some((p: any) => p.key === "SecretToken"));
  });

  it("removes a key when its value is empty", async () => {
    assert.equal((await put([{ key: "SyncAll", value: "" }])).status, 204);
    const keys = (await g("GET", secretsPath)).body.value.map((p: any) => p.key);
    assert.ok(!keys.includes("SyncAll"));
    assert.ok(keys.includes("BaseAddress"));
  });

  it('refuses to blank SyncNotificationSettings (400 UnknownError/InvalidNotificationSettings) and keeps "{}"', async () => {
    const blank = await put([{ key: "SyncNotificationSettings", value: "" }]);
    assert.equal(blank.status, 400);
    assert.equal(blank.body.error.code, "UnknownError");
    const inner = JSON.parse(blank.body.error.message);
    assert.equal(inner.error.code, "InvalidNotificationSettings");
    const stillThere = (await g("GET", secretsPath)).body.value.map((p: any) => p.key);
    assert.ok(stillThere.includes("SyncNotificationSettings"));
    assert.equal((await put([{ key: "SyncNotificationSettings", value: "{}" }])).status, 204);
    const after = (await g("GET", secretsPath)).body.value.find((p: any) => p.key === "SyncNotificationSettings");
    assert.deepEqual(after, { key: "SyncNotificationSettings", value: "{}" });
  });

  it("validates keys against the synchronizationSecret enum and values as strings (all-or-nothing)", async () => {
    const before = (await g("GET", secretsPath)).body.value;
    const unknownKey = await put([
      { key: "SyncAll", value: "true" },
      { key: "NotASecretKey", value: "x" },
    ]);
    assert.equal(unknownKey.status, 400);
    assert.equal(unknownKey.body.error.code, "BadRequest");
    const nonString = await put([{ key: "SyncAll", value: true }]);
    assert.equal(nonString.status, 400);
    const wrongShape = await g("PUT", secretsPath, { credentials: [] });
    assert.equal(wrongShape.status, 400);
    assert.deepEqual((await g("GET", secretsPath)).body.value, before, "a rejected PUT must not change anything");
  });

  it("never lets a secret value reach exchanges, the request log or the state dump", async () => {
    const putExchange = emu.exchanges.find((x) => x.method === "PUT" && x.path === secretsPath && x.status === 204);
    assert.ok(putExchange);
    const everything = JSON.stringify(emu.exchanges);
    assert.ok(!everything.includes(TOKEN_VALUE), "exchange leaked the SecretToken");
    assert.ok(!everything.includes(emu.clients.admin.clientSecret));
    assert.match(JSON.stringify(putExchange.requestBody), /"\*\*\*"/);
    assert.match(putExchange.requestHeaders.authorization, /^Bearer \*\*\*$/);
    const log = await control(emu, "GET", "requests");
    assert.ok(!log.text.includes(TOKEN_VALUE));
    const state = await control(emu, "GET", "state");
    assert.ok(!state.text.includes(TOKEN_VALUE));
    assert.ok(!state.text.includes(emu.clients.admin.clientSecret));
    // The state file is the one place the value lives.
    assert.ok(fs.readFileSync(stateFile, "utf8").includes(TOKEN_VALUE));
  });
});
