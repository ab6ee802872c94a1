/**
 * The request log (GET/DELETE /_emulator/requests): what an entry holds, `since` filtering, and
 * that no secret (request bodies, tokens, query strings) can appear in it.
 */
import { strict as assert } from "node:assert";
import { ManualClock, type RequestLogEntry } from "../../emulator/index";
import { control, graphClient, request, startTestEmulator, tokenFor, type TestEmulator } from "../support/emulator-http";

describe("emulator request log", () => {
  let emu: TestEmulator;
  let token: string;
  let g: ReturnType<typeof graphClient>;
  // The log's times are the emulator clock's: this one moves only when a test moves it.
  let clock: ManualClock;

  before(async () => {
    clock = new ManualClock();
    emu = await startTestEmulator({ clock });
    token = await tokenFor(emu, emu.clients.admin);
    g = graphClient(emu, token);
  });
  after(async () => {
    await emu.stop();
  });

  const log = async (query = ""): Promise<{ value: RequestLogEntry[]; latestSeq: number }> => (await control(emu, "GET", `requests${query}`)).body;

  it("records method, path, route, status, timing and both request ids of every Graph and OAuth call", async () => {
    const { latestSeq } = await log();
    const mine = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const sp = emu.seeded.scimServicePrincipalId;
    const res = await g("POST", `/v1.0/servicePrincipals/${sp}/synchronization/jobs/nope/microsoft.graph.start?x=1`, undefined, { "client-request-id": mine });
    assert.equal(res.status, 404);
    const [entry, ...rest] = (await log(`?since=${latestSeq}`)).value;
    assert.deepEqual(rest, []);
    const { startedAt, endedAt, durationMs, ...fixed } = entry;
    assert.deepEqual(fixed, {
      seq: latestSeq + 1,
      kind: "graph",
      method: "POST",
      host: new URL(emu.graphEndpoint).host,
      path: `/v1.0/servicePrincipals/${sp}/synchronization/jobs/nope/microsoft.graph.start`,
      route: "servicePrincipals/:sp/synchronization/jobs/:job/start",
      status: 404,
      requestId: res.headers["request-id"],
      clientRequestId: mine,
    });
    assert.ok(Date.parse(startedAt) <= Date.parse(endedAt));
    assert.equal(durationMs, Date.parse(endedAt) - Date.parse(startedAt));

    await g("GET", "/v1.0/nowhere");
    const unrouted = (await log(`?since=${latestSeq + 1}`)).value[0];
    assert.equal(unrouted.route, undefined, "no route for a path no Graph route matches");
  });

  it("filters with since=<seq> (after it) or since=<ISO time> (started at or after it) and rejects anything else", async () => {
    const before = (await log()).latestSeq;
    await g("GET", "/v1.0/servicePrincipals");
    // Entries are timed by the emulator's clock, which has not moved since: move it on, so the
    // second request starts after \`middle\` and the first before it.
    await clock.advance(5);
    const middle = new Date(clock.now());
    await clock.advance(5);
    await g("GET", "/v1.0/users");
    const bySeq = (await log(`?since=${before}`)).value;
    assert.deepEqual(
      bySeq.map((e) => e.path),
      ["/v1.0/servicePrincipals", "/v1.0/users"],
    );
    const byTime = (await log(`?since=${encodeURIComponent(middle.toISOString())}`)).value;
    assert.deepEqual(
      byTime.map((e) => e.path),
      ["/v1.0/users"],
    );
    const bad = await control(emu, "GET", "requests?since=yesterday");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /'since' must be a sequence number or an ISO 8601 time/);
  });

  it("clears on DELETE and keeps counting, so a saved seq stays meaningful", async () => {
    const before = (await log()).latestSeq;
    assert.equal((await control(emu, "DELETE", "requests")).status, 204);
    assert.deepEqual((await log()).value, []);
    await g("GET", "/v1.0/servicePrincipals");
    const after = await log(`?since=${before}`);
    assert.deepEqual(
      after.value.map((e) => e.seq),
      [before + 1],
    );
    assert.equal(after.latestSeq, before + 1);
  });

  it("never contains a secret: no bodies, no tokens, no query strings", async () => {
    const secret = "scim-token-that-must-not-leak-7f3a";
    const sp = emu.seeded.scimServicePrincipalId;
    assert.equal((await g("PUT", `/v1.0/servicePrincipals/${sp}/synchronization/secrets`, { value: [{ key: "SecretToken", value: secret }] })).status, 204);
    await g("POST", `/v1.0/servicePrincipals/${sp}/synchronization/jobs/validateCredentials`, {
      templateId: "scim",
      credentials: [{ key: "SecretToken", value: secret }],
    });
    await g("GET", `/v1.0/servicePrincipals?$filter=displayName eq '${secret}'`);
    await request(emu, "POST", `/${emu.tenantId}/oauth2/v2.0/token`, {
      rawBody: new URLSearchParams({ grant_type: "client_credentials", client_id: emu.clients.admin.clientId, client_secret: secret }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const text = JSON.stringify(await log());
    assert.ok(text.includes("/synchronization/secrets"), "the PUT itself is logged");
    for (const forbidden of [secret, token, emu.clients.admin.clientSecret, "displayName"]) {
      assert.ok(!text.includes(forbidden), `the log contains ${forbidden.slice(0, 12)}…`);
    }
  });
});
