/**
 * The emulator runs users' regular expressions in linear time: a parseExpression call with a
 * pattern that backtracks exponentially no longer freezes it. The emulator runs in its own process
 * here, so that a frozen one fails the test (its routes stop answering; mocha's timeout fires)
 * instead of freezing the test runner with it.
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { request } from "../support/emulator-http";

const ROOT = path.resolve(__dirname, "..", "..");
const ADVERSARIAL = `${"a".repeat(50_000)}!`;

interface Emulator {
  child: ChildProcess;
  target: { graphEndpoint: string; caCertPath: string };
  token: string;
  sync: string;
}

async function startEmulatorProcess(): Promise<Emulator> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "--", path.join(ROOT, "emulator", "cli.ts"), "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d.toString();
      const nl = buffer.indexOf("\n");
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.once("exit", (code) => reject(new Error(`emulator exited (${code}) before printing: ${stderr}`)));
  });
  const info = JSON.parse(firstLine);
  const target = { graphEndpoint: info.graphEndpoint, caCertPath: info.env.NODE_EXTRA_CA_CERTS };
  const tokenResponse = await request(target, "POST", `/${info.env.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
    rawBody: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: info.env.AZURE_CLIENT_ID,
      client_secret: info.env.AZURE_CLIENT_SECRET,
      scope: "https://graph.microsoft.com/.default",
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  const token = tokenResponse.body.access_token as string;
  const apps = await request(target, "GET", `/v1.0/servicePrincipals?$filter=displayName eq 'Contoso SCIM App'`, { token });
  return { child, target, token, sync: `/v1.0/servicePrincipals/${apps.body.value[0].id}/synchronization` };
}

describe("emulator: regular expressions in linear time", () => {
  let emu: Emulator;
  const graph = (method: string, url: string, body?: unknown) => request(emu.target, method, url, { token: emu.token, body });
  const parseExpression = (expression: string, mail: string) =>
    graph("POST", `${emu.sync}/templates/scim/schema/parseExpression`, {
      expression,
      targetAttributeDefinition: null,
      testInputObject: { definition: null, properties: [{ key: "mail", value: mail }] },
    });

  before(async () => {
    emu = await startEmulatorProcess();
  });
  after(() => {
    if (emu?.child.exitCode === null) emu.child.kill("SIGKILL");
  });

  it("answers parseExpression with (a+)+$ on 50,000 a's and a '!' while Graph and the control plane keep answering", async () => {
    const [noMatch, oneMatch, servicePrincipal, health] = await Promise.all([
      parseExpression('Replace([mail], , "(a+)+$", , "x", , )', ADVERSARIAL),
      parseExpression('Replace([mail], , "(a+)+!", , "x", , )', ADVERSARIAL),
      graph("GET", emu.sync.replace(/\/synchronization$/, "")),
      request(emu.target, "GET", "/_emulator/health"),
    ]);
    assert.equal(noMatch.status, 200, noMatch.text.slice(0, 500));
    assert.equal(noMatch.body.evaluationSucceeded, true, JSON.stringify(noMatch.body.error));
    assert.deepEqual(noMatch.body.evaluationResult, [ADVERSARIAL]);
    assert.equal(oneMatch.status, 200, oneMatch.text.slice(0, 500));
    assert.deepEqual(oneMatch.body.evaluationResult, ["x"]);
    assert.equal(servicePrincipal.status, 200, servicePrincipal.text);
    assert.equal(servicePrincipal.body.displayName, "Contoso SCIM App");
    assert.equal(health.status, 200, health.text);
    assert.equal(health.body.status, "ok");
  });

  it("reports a pattern the linear-time engine cannot run as a parse failure naming the feature", async () => {
    const res = await parseExpression('Replace([mail], , "(?<=@)contoso", , "x", , )', "jo@contoso.com");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.parsingSucceeded, false);
    assert.equal(res.body.error.code, "ExpressionParsingFailed");
    assert.match(res.body.error.message, /lookbehind \(\?<=\.\.\.\) at 0 is not supported/);
  });

  it("rejects a schema PUT whose REGEX MATCH clause the linear-time engine cannot run", async () => {
    const jobId = (await graph("POST", `${emu.sync}/jobs`, { templateId: "scim" })).body.id;
    const schema = (await graph("GET", `${emu.sync}/jobs/${jobId}/schema`)).body;
    schema.synchronizationRules[0].objectMappings[0].scope = {
      groups: [{ name: "g", clauses: [{ sourceOperandName: "mail", operatorName: "REGEX MATCH", targetOperand: { values: ["(\\w+)\\1"] } }] }],
      inputFilterGroups: [],
      categoryFilterGroups: [],
    };
    const res = await graph("PUT", `${emu.sync}/jobs/${jobId}/schema`, schema);
    assert.equal(res.status, 400, res.text);
    // The sync backend's message is itself an error document, as Graph relays it.
    const inner = JSON.parse(res.body.error.message).error;
    assert.equal(inner.code, "InvalidSchema");
    assert.match(inner.message, /scoping filter on 'mail': Invalid regular expression: \/\(\\w\+\)\\1\/: backreference \\1 at 5 is not supported/);
  });
});
