/**
 * The round trip of `pulumi-entra-sync export`, through the real Pulumi CLI: a tenant set up the
 * way an administrator does it in the portal (raw Graph calls only, none of this package's
 * resources), exported to a project that installs this package from its packed tarball, then
 *  - its first `pulumi up` adopts everything and writes nothing to Graph,
 *  - preview and refresh expect no changes,
 *  - one edited attribute mapping previews as that leaf and writes only that schema,
 *  - and the tenant afterwards is the tenant before, but for that edit.
 */

import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { RequestLogEntry } from "../../emulator/control/request-log";
import { runExportCommand } from "../../provider/export/command";
import { normalizedSchema } from "../../provider/schema/normalize";
import { stableStringify } from "../../provider/schema/stable-json";
import { useEmulator } from "../support/emulator";
import { RequestLogCursor } from "../support/request-log";
import { changes, createTestStack, type TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");
const COST_CENTER = "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter";
const SOURCE_COST_CENTER = "extension_6f3a2b1c_costCenter";

describe("e2e: export a tenant and take it over with no write", function () {
  this.timeout(15 * 60_000);
  // No provisioning cycles: a cycle between export and up could change how a job runs.
  const fixture = useEmulator({ extraScimApps: 2, cycleDelayMs: 3_600_000 });
  const requestLog = new RequestLogCursor(() => fixture().graph);
  let workDir: string;
  let projectDir: string;
  let testStack: TestStack;
  let stack: Stack;
  let apps: string[];
  let tenantBefore: string;
  let printed = "";

  const graph = (method: string, p: string, body?: unknown) =>
    fixture().graph.expect(
      method === "POST" && !p.endsWith("parseExpression") && p.endsWith("/jobs") ? 201 : method === "GET" || p.endsWith("parseExpression") ? 200 : 204,
      method,
      p,
      body,
    );
  const sync = (sp: string) => `/servicePrincipals/${sp}/synchronization`;

  /** What the tenant holds for the apps: secret digests, jobs (id, schedule) and their schemas. Not job status: cycles run. */
  async function tenant(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const sp of apps) {
      const digests = (await fixture().graph.control("GET", `/servicePrincipals/${sp}/secretDigests`)).body.value;
      const jobs = (await graph("GET", `${sync(sp)}/jobs`)).value as { id: string; templateId: string; schedule: { state: string } }[];
      const schemas: Record<string, unknown> = {};
      for (const j of jobs) schemas[j.id] = normalizedSchema(await graph("GET", `${sync(sp)}/jobs/${j.id}/schema`));
      out[sp] = { digests, jobs: jobs.map((j) => ({ id: j.id, templateId: j.templateId, state: j.schedule.state })), schemas };
    }
    return out;
  }

  /** The portal's way: a customized schema written whole, as the schema editor saves it. */
  async function customizeInPortal(sp: string, jobId: string): Promise<void> {
    const schemaPath = `${sync(sp)}/jobs/${jobId}/schema`;
    const schema = await graph("GET", schemaPath);
    const parsed = await graph("POST", `${schemaPath}/parseExpression`, {
      expression: 'Join(" ", [givenName], [surname])',
      testInputObject: null,
      targetAttributeDefinition: null,
    });
    const source = schema.directories.find((d: { name: string }) => d.name === "Azure Active Directory").objects.find((o: { name: string }) => o.name === "User");
    const target = schema.directories.find((d: { name: string }) => d.name === "customappsso").objects.find((o: { name: string }) => o.name === "User");
    const attribute = (name: string) => ({
      anchor: false,
      apiExpressions: [],
      caseExact: false,
      defaultValue: null,
      flowNullValues: false,
      metadata: [],
      multivalued: false,
      mutability: "ReadWrite",
      name,
      referencedObjects: [],
      required: false,
      type: "String",
    });
    source.attributes.push(attribute(SOURCE_COST_CENTER));
    target.attributes.push(attribute(COST_CENTER));
    const user = schema.synchronizationRules[0].objectMappings.find((om: { sourceObjectName: string }) => om.sourceObjectName === "User");
    const mapping = (name: string) => user.attributeMappings.find((m: { targetAttributeName: string }) => m.targetAttributeName === name);
    mapping("displayName").source = parsed.parsedExpression;
    mapping("title").source = { expression: '"Employee"', name: "Employee", parameters: [], type: "Constant" };
    user.attributeMappings = user.attributeMappings.filter((m: { targetAttributeName: string }) => m.targetAttributeName !== "preferredLanguage");
    user.attributeMappings.push({
      defaultValue: null,
      exportMissingReferences: false,
      flowBehavior: "FlowWhenChanged",
      flowType: "Always",
      matchingPriority: 0,
      source: { expression: `[${SOURCE_COST_CENTER}]`, name: SOURCE_COST_CENTER, parameters: [], type: "Attribute" },
      targetAttributeName: COST_CENTER,
    });
    const clause = (attr: string, value: string) => ({ sourceOperandName: attr, operatorName: "EQUALS", targetOperand: { values: [value] } });
    user.scope = {
      categoryFilterGroups: [],
      inputFilterGroups: [],
      groups: [
        { name: "sales", clauses: [clause("department", "Sales")] },
        { name: "engineering", clauses: [clause("department", "Engineering"), clause("country", "NL")] },
      ],
    };
    await graph("PUT", schemaPath, schema);
  }

  before(async () => {
    const { emulator } = fixture();
    apps = [emulator.seeded.scimServicePrincipalId, ...emulator.seeded.extraScimServicePrincipalIds];
    const target = emulator.scimTarget;
    // Three SCIM apps as an administrator sets them up: credentials, settings, jobs.
    const [customized, paused, running] = apps;
    await graph("PUT", `${sync(customized)}/secrets`, {
      value: [
        { key: "BaseAddress", value: target.baseAddress },
        { key: "SecretToken", value: target.token },
        { key: "SyncAll", value: "false" },
        { key: "SyncNotificationSettings", value: '{"Enabled":true,"Recipients":"ops@contoso.test","DeleteThresholdEnabled":true,"DeleteThresholdValue":250}' },
      ],
    });
    for (const [sp, n] of [
      [paused, 2],
      [running, 3],
    ] as const) {
      await graph("PUT", `${sync(sp)}/secrets`, {
        value: [
          { key: "BaseAddress", value: `https://app${n}.example.test/scim` },
          { key: "SecretToken", value: `token-${n}` },
        ],
      });
    }
    const jobOf = async (sp: string) => (await graph("POST", `${sync(sp)}/jobs`, { templateId: "scim" })).id as string;
    const customizedJob = await jobOf(customized);
    await customizeInPortal(customized, customizedJob);
    await graph("POST", `${sync(customized)}/jobs/${customizedJob}/start`);
    const pausedJob = await jobOf(paused);
    await graph("POST", `${sync(paused)}/jobs/${pausedJob}/pause`);
    const runningJob = await jobOf(running);
    await graph("POST", `${sync(running)}/jobs/${runningJob}/start`);
    tenantBefore = stableStringify(await tenant());

    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-export-"));
    projectDir = path.join(workDir, "provisioning");
    execFileSync("npm", ["pack", "--pack-destination", workDir], { cwd: repoRoot, stdio: "ignore" });
    const tarball = fs.readdirSync(workDir).find((f) => f.endsWith(".tgz"))!;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => ((printed += chunk), true);
    let code: number;
    try {
      code = await runExportCommand(["--all", "--out", projectDir, "--project", "roundtrip", "--package-spec", `file:../${tarball}`]);
    } finally {
      process.stdout.write = write;
    }
    assert.strictEqual(code, 0, printed);
  });

  after(async () => {
    await testStack?.dispose();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("writes a project for the three apps, deterministic, with no absolute paths", async () => {
    const files = fs.readdirSync(projectDir).sort();
    assert.deepStrictEqual(files, [".gitignore", "Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);
    const index = fs.readFileSync(path.join(projectDir, "index.ts"), "utf8");
    assert.strictEqual((index.match(/new SynchronizationJob\(/g) ?? []).length, 3);
    assert.strictEqual((index.match(/new SynchronizationSecrets\(/g) ?? []).length, 3);
    assert.strictEqual((index.match(/new SynchronizationSchema\(/g) ?? []).length, 1, "only the customized job's schema differs from its template");
    assert.match(index, /preferredLanguage: \{\n\s+remove: true,/);
    assert.match(index, /title: \{\n\s+constant: "Employee",/);
    assert.match(index, /notificationEmail: "ops@contoso\.test"/);
    assert.match(index, /accidentalDeletionThreshold: 250/);
    assert.ok(!index.includes(os.tmpdir()) && !index.includes(repoRoot), "no absolute paths");
    assert.ok(!index.includes(fixture().emulator.scimTarget.token), "no masked value: they are secret config");
    // The same tenant, the same files.
    const again = path.join(workDir, "again");
    const code = await runExportCommand([
      "--all",
      "--out",
      again,
      "--project",
      "roundtrip",
      "--package-spec",
      `file:../${fs.readdirSync(workDir).find((f) => f.endsWith(".tgz"))}`,
    ]);
    assert.strictEqual(code, 0);
    for (const f of files) assert.strictEqual(fs.readFileSync(path.join(again, f), "utf8"), fs.readFileSync(path.join(projectDir, f), "utf8"), f);
    assert.match(printed, /next: set the masked secrets/);
  });

  it("installs against the packed package and type-checks under strict", () => {
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: projectDir, stdio: "ignore" });
    execFileSync(path.join(projectDir, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: projectDir, stdio: "inherit" });
  });

  it("its first pulumi up adopts everything and writes nothing to Graph", async () => {
    testStack = await createTestStack(projectDir, `export-${process.pid}`, fixture().emulator);
    stack = testStack.stack;
    const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
    const secretKeys = [...readme.matchAll(/pulumi config set --secret (\S+) /g)].map((m) => m[1]);
    assert.strictEqual(secretKeys.length, 3, "one SecretToken per app");
    for (const key of secretKeys) await stack.setConfig(key, { value: "placeholder: the value the app uses", secret: true });
    await requestLog.mark();
    const up = await stack.up();
    assert.strictEqual(up.summary.result, "succeeded");
    assert.match(up.stdout, /the live schema says what the program declares; the first up writes nothing/);
    const writes = (await requestLog.since()).filter((r: RequestLogEntry) => r.kind === "graph" && r.method !== "GET");
    assert.deepStrictEqual(
      writes.map((r) => `${r.method} ${r.route}`),
      [],
      "no Graph write",
    );
    assert.strictEqual(stableStringify(await tenant()), tenantBefore, "the tenant is as it was");
    for (const sp of apps) assert.strictEqual((await graph("GET", `${sync(sp)}/jobs`)).value.length, 1, "no second job");
  });

  it("preview and refresh expect no changes", async () => {
    await stack.preview({ expectNoChanges: true });
    await stack.refresh({ expectNoChanges: true });
  });

  it("one edited attribute mapping previews as that leaf and writes only that schema", async () => {
    const indexPath = path.join(projectDir, "index.ts");
    const index = fs.readFileSync(indexPath, "utf8");
    fs.writeFileSync(indexPath, index.replace('constant: "Employee"', 'constant: "Staff"'));
    const preview = await stack.preview({ diff: true });
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), { update: 1 });
    assert.match(preview.stdout, /constant\s*:\s*"Employee" => "Staff"/);
    await requestLog.mark();
    await stack.up();
    const writes = (await requestLog.since()).filter((r) => r.kind === "graph" && r.method !== "GET");
    assert.deepStrictEqual(
      writes.map((r) => `${r.method} ${r.route}`),
      ["PUT servicePrincipals/:sp/synchronization/jobs/:job/schema"],
    );
    assert.ok(writes[0].path.includes(apps[0]), "the customized app's job");

    // The tenant afterwards: as before, but for that one mapping.
    const afterwards = (await tenant()) as Record<
      string,
      { schemas: Record<string, { synchronizationRules: { objectMappings: { attributeMappings: { targetAttributeName: string; source: { name: string } }[] }[] }[] }> }
    >;
    const expected = JSON.parse(tenantBefore);
    const [jobId] = Object.keys(expected[apps[0]].schemas);
    const title = (schema: (typeof afterwards)[string]["schemas"][string]) =>
      schema.synchronizationRules[0].objectMappings[0].attributeMappings.find((m) => m.targetAttributeName === "title")!;
    assert.strictEqual(title(afterwards[apps[0]].schemas[jobId]).source.name, "Staff");
    title(afterwards[apps[0]].schemas[jobId]).source = title(expected[apps[0]].schemas[jobId]).source;
    assert.strictEqual(stableStringify(afterwards), stableStringify(expected));
  });
});
