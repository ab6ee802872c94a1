import * as assert from "assert";
import { ConfigSource, resolveConnectionSettings } from "../../provider/graph/connection";
import { createCredential, graphScope } from "../../provider/graph/credential";
import { ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

describe("connection settings", () => {
  it("prefers entra-sync:* over azuread:* over ARM_* over AZURE_*", () => {
    const env = { ARM_TENANT_ID: "arm-t", AZURE_TENANT_ID: "az-t", ARM_CLIENT_ID: "arm-c", AZURE_CLIENT_ID: "az-c", AZURE_CLIENT_SECRET: "az-s" };
    const s = resolveConnectionSettings(config({ "entra-sync:tenantId": "es-t", "azuread:tenantId": "ad-t", "azuread:clientId": "ad-c" }), env);
    assert.strictEqual(s.tenantId, "es-t");
    assert.strictEqual(s.clientId, "ad-c");
    assert.strictEqual(s.clientSecret, "az-s");
    const fromEnv = resolveConnectionSettings(undefined, env);
    assert.strictEqual(fromEnv.tenantId, "arm-t");
    assert.strictEqual(fromEnv.clientId, "arm-c");
  });

  it("defaults to Graph's global endpoint and v1.0, and reads ENTRA_SYNC_GRAPH_ENDPOINT", () => {
    const d = resolveConnectionSettings(undefined, {});
    assert.strictEqual(d.graphEndpoint, "https://graph.microsoft.com");
    assert.strictEqual(d.graphApiVersion, "v1.0");
    const e = resolveConnectionSettings(undefined, { ENTRA_SYNC_GRAPH_ENDPOINT: "https://127.0.0.1:8443/" });
    assert.strictEqual(e.graphEndpoint, "https://127.0.0.1:8443");
  });

  it("rejects an unknown API version and a non-positive consistency timeout", () => {
    assert.throws(() => resolveConnectionSettings(config({ "entra-sync:graphApiVersion": "v2" }), {}), /graphApiVersion/);
    assert.throws(() => resolveConnectionSettings(undefined, { ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS: "0" }), /consistencyTimeoutSeconds/);
  });

  it("chooses the credential the settings name, else DefaultAzureCredential", () => {
    const secret = createCredential(resolveConnectionSettings(undefined, { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" }));
    assert.ok(secret instanceof ClientSecretCredential);
    assert.ok(createCredential(resolveConnectionSettings(undefined, {})) instanceof DefaultAzureCredential);
    assert.throws(() => createCredential(resolveConnectionSettings(undefined, { AZURE_CLIENT_SECRET: "s" })), /tenantId and clientId/);
  });

  it("asks for Graph's own scope, also for emulators", () => {
    assert.strictEqual(graphScope("https://graph.microsoft.us"), "https://graph.microsoft.us/.default");
    assert.strictEqual(graphScope("https://127.0.0.1:9999"), "https://graph.microsoft.com/.default");
  });
});
