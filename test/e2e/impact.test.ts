/**
 * End to end: the impact preview through the real Pulumi CLI (examples/scim-schema on a running
 * job of the emulator's SCIM app). A `pulumi preview` of a mapping change prints the predicted
 * impact under the schema resource and writes the JSON report (entra-sync:impactReport); the `up`
 * and the provisioning cycle that follow give the target exactly the predicted values; a preview
 * with nothing to change makes no Graph call at all.
 */

import * as assert from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { ImpactReport } from "../../provider/impact/report";
import { useEmulator } from "../support/emulator";
import { changes, createTestStack, type TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("e2e: impact preview of a schema change (examples/scim-schema)", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator({ cycles: "manual" });
  let testStack: TestStack;
  let stack: Stack;
  let sp: string;
  let jobId: string;
  let reportFile: string;
  const stackName = `impact-${process.pid}`;
  const graphRequests = async () => ((await fixture().graph.control("GET", "/requests")).body.value as { kind: string }[]).filter((r) => r.kind === "graph");
  const cycle = async () => assert.strictEqual((await fixture().graph.control("POST", "/cycles")).status, 200);
  const scimUsers = async () =>
    new Map(((await fixture().graph.control("GET", "/scim/Users")).body.value as Record<string, any>[]).map((u) => [u.userName as string, u]));

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    const secrets = await fixture().graph.request("PUT", `/servicePrincipals/${sp}/synchronization/secrets`, {
      value: [
        { key: "BaseAddress", value: emulator.scimTarget.baseAddress },
        { key: "SecretToken", value: emulator.scimTarget.token },
      ],
    });
    assert.strictEqual(secrets.status, 204, JSON.stringify(secrets.body));
    const created = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" });
    assert.strictEqual(created.status, 201);
    jobId = created.body.id;
    assert.strictEqual((await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/start`)).status, 204);
    reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-impact-")), "impact.json");
    testStack = await createTestStack(path.join(repoRoot, "examples", "scim-schema"), stackName, emulator);
    stack = testStack.stack;
    await stack.setAllConfig({ servicePrincipalId: { value: sp }, jobId: { value: jobId }, "entra-sync:impactReport": { value: reportFile } });
    assert.deepStrictEqual(changes((await stack.up()).summary), { create: 2 });
    await cycle();
  });

  after(async () => {
    await testStack?.dispose();
  });

  it("a preview with nothing to change makes no Graph call", async () => {
    await fixture().graph.control("DELETE", "/requests");
    const preview = await stack.preview();
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), {});
    assert.deepStrictEqual(await graphRequests(), []);
    assert.doesNotMatch(preview.stdout, /impact on job/);
  });

  it("a preview of a constant's change prints the impact and writes the report; up and the cycle do what it said", async () => {
    fs.rmSync(reportFile, { force: true });
    await stack.setConfig("defaultTitle", { value: "Staff" });
    await fixture().graph.control("DELETE", "/requests");
    const preview = await stack.preview();
    process.stdout.write(
      `${preview.stdout
        .split("\n")
        .filter((l) => l.includes("impact on job"))
        .map((l) => `      | ${l.trim()}`)
        .join("\n")}\n`,
    );
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), { update: 1 });
    assert.match(preview.stdout, /impact on job [^:]+: the next provisioning cycle, predicted on a sample of \d+ users/);
    assert.match(preview.stdout, /impact on job [^:]+: User \(Provision Microsoft Entra ID Users\): \d+ users sampled, in scope \d+ -> \d+, [1-9]\d* updated/);
    assert.match(preview.stdout, /title: [1-9]\d* change: [^ ]+ -> "Employee" => "Staff"/);
    const reads = (await graphRequests()).length;
    const doc = JSON.parse(fs.readFileSync(reportFile, "utf8")) as { version: number; reports: Record<string, ImpactReport> };
    assert.strictEqual(doc.version, 1);
    const report = doc.reports[`${sp}/${jobId}`];
    assert.ok(report, Object.keys(doc.reports).join(", "));
    assert.strictEqual(reads, 2 + report.graphCalls, "the two schema reads and the sample's");
    const predicted = report.mappings.find((m) => m.key === "User")!.objects.filter((o) => o.inScopeAfter);
    assert.ok(predicted.length > 0);

    assert.deepStrictEqual(changes((await stack.up()).summary), { update: 1 });
    await cycle();
    const users = await scimUsers();
    const mismatches = predicted
      .filter((o) => users.get(o.label)?.title !== o.after.title)
      .map((o) => `${o.label}: predicted ${o.after.title}, target ${users.get(o.label)?.title}`);
    assert.deepStrictEqual(mismatches, []);
  });
});
