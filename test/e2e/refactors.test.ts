/**
 * End to end, through the real Pulumi CLI: the refactors a platform team makes to a program that
 * manages a production app's provisioning (renames without aliases, `--replace`, an id in other
 * case, a second stack on the same app, a run killed half way, a mapping edited in the portal).
 * After each, Graph (the emulator) holds what the program declares, and the stack's state agrees:
 * no credentials lost, no job deleted that a resource still holds, no job taken from its owner.
 */

import * as assert from "assert";
import * as crypto from "crypto";
import * as path from "path";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { useEmulator } from "../support/emulator";
import { killUpWhen } from "../support/kill";
import { changes, createTestStack, scimAppConfig, type TestStack } from "../support/pulumi";

const programDir = path.resolve(__dirname, "programs", "refactors");
const sha256 = (v: string) => crypto.createHash("sha256").update(v).digest("hex");

interface LiveJob {
  id: string;
  schedule: { state: string };
  status: { code: string };
}

describe("e2e: refactors never lose or take live provisioning", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  let sp: string;
  const stacks: TestStack[] = [];

  const control = (method: string, p: string, body?: unknown) => fixture().graph.control(method, p, body);
  const jobs = async (): Promise<LiveJob[]> => (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs`)).body.value;
  /** sha256 of each secret value Graph holds (the emulator's control plane; Graph's GET masks them). */
  const secretDigests = async (): Promise<Record<string, string>> =>
    Object.fromEntries(((await control("GET", `/servicePrincipals/${sp}/secretDigests`)).body.value as { key: string; sha256: string }[]).map((p) => [p.key, p.sha256]));
  const declaredCredentials = () => ({
    BaseAddress: sha256(fixture().emulator.scimTarget.baseAddress),
    SecretToken: sha256(fixture().emulator.scimTarget.token),
  });

  async function newStack(name: string, config: ConfigMap = {}): Promise<Stack> {
    const testStack = await createTestStack(programDir, `${name}-${process.pid}`, fixture().emulator);
    stacks.push(testStack);
    await testStack.stack.setAllConfig({ ...scimAppConfig(fixture().emulator), ...config });
    return testStack.stack;
  }

  async function up(stack: Stack, opts: Parameters<Stack["up"]>[0] = {}): Promise<{ changes: Record<string, number>; printed: string }> {
    let printed = "";
    const result = await stack.up({ ...opts, onOutput: (s) => (printed += s) });
    assert.strictEqual(result.summary.result, "succeeded");
    return { changes: changes(result.summary), printed };
  }

  /** Resources of the stack's state by type name (the part after the last colon). */
  async function stateResources(stack: Stack, type: string): Promise<any[]> {
    return (await stack.exportStack()).deployment.resources.filter((r: { type: string }) => r.type.endsWith(`:${type}`));
  }

  /** Graph holds exactly the jobs the stacks' states name, and the state's jobs all exist. */
  async function assertJobsMatchState(...of: Stack[]): Promise<void> {
    const inState = (await Promise.all(of.map((s) => stateResources(s, "SynchronizationJob"))))
      .flat()
      .map((r) => r.outputs.jobId)
      .sort();
    assert.deepStrictEqual((await jobs()).map((j) => j.id).sort(), inState, "the jobs in Graph are the jobs in state");
  }

  beforeEach(async () => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
    await control("POST", "/reset");
  });

  afterEach(async () => {
    await control("DELETE", "/faults");
    for (const s of stacks.splice(0).reverse()) await s.dispose();
  });

  it("renaming the secrets resource (no alias) keeps the credentials", async () => {
    const stack = await newStack("rename-secrets");
    await up(stack);
    await stack.setConfig("secretsName", { value: "scim-credentials" });
    const renamed = await up(stack);
    assert.deepStrictEqual(renamed.changes, { create: 2, delete: 2 }, "the secrets and their revision record, under the new name");
    assert.deepStrictEqual(await secretDigests(), declaredCredentials());
    const [secrets] = await stateResources(stack, "SynchronizationSecrets");
    assert.match(secrets.urn, /::scim-credentials$/);
    assert.deepStrictEqual(secrets.outputs.keys, ["BaseAddress", "SecretToken"]);
    assert.match(renamed.printed, /not removing synchronization secret SecretToken .*another resource of this program declares it/);
  });

  it("`pulumi up --replace` of the secrets keeps the credentials", async () => {
    const stack = await newStack("replace-secrets");
    await up(stack);
    const [secrets] = await stateResources(stack, "SynchronizationSecrets");
    const replaced = await up(stack, { replace: [secrets.urn] });
    assert.deepStrictEqual(replaced.changes, { replace: 1 });
    assert.deepStrictEqual(await secretDigests(), declaredCredentials());
    await assertJobsMatchState(stack);
  });

  it("the service principal id in upper case replaces nothing: the same job, the same credentials", async () => {
    const stack = await newStack("upper-case-id");
    await up(stack);
    const before = (await stack.outputs()).jobId.value;
    await stack.setConfig("servicePrincipalId", { value: sp.toUpperCase() });
    const preview = await stack.preview();
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), {}, "nothing to do");
    const again = await up(stack);
    assert.deepStrictEqual(again.changes, {});
    assert.strictEqual((await stack.outputs()).jobId.value, before);
    assert.deepStrictEqual(await secretDigests(), declaredCredentials());
    await assertJobsMatchState(stack);
  });

  it("renaming a paused pilot job: a job of its own, the old one deleted with its resource, never taken over", async () => {
    const stack = await newStack("rename-paused-job", { enabled: { value: "false" } });
    await up(stack);
    const [pilot] = await jobs();
    assert.strictEqual(pilot.schedule.state, "Disabled");
    await stack.setConfig("jobName", { value: "pilot" });
    const renamed = await up(stack);
    const [now] = await jobs();
    assert.notStrictEqual(now.id, pilot.id, "the renamed resource did not take the old resource's job");
    assert.strictEqual((await stack.outputs()).jobId.value, now.id);
    assert.match(renamed.printed, new RegExp(`${pilot.id.replace(/\./g, "\\.")} .*left alone`));
    await assertJobsMatchState(stack);
  });

  it("renaming a job with jobId naming the old resource's job moves the job (and its history) to the new name", async () => {
    const stack = await newStack("rename-adopting-job");
    await up(stack);
    const [job] = await jobs();
    await stack.setAllConfig({ jobName: { value: "provisioning" }, adoptJobId: { value: job.id } });
    const renamed = await up(stack);
    assert.match(
      renamed.printed,
      new RegExp(`not deleting synchronization job ${job.id.replace(/\./g, "\\.")} of service principal \\S+: another resource of this program holds it`),
    );
    const live = await jobs();
    assert.deepStrictEqual(
      live.map((j) => j.id),
      [job.id],
      "the same job",
    );
    assert.strictEqual(live[0].schedule.state, "Active");
    assert.strictEqual((await stack.outputs()).jobId.value, job.id);
    assert.deepStrictEqual(renamed.changes.create, 2, "the job and its activation under the new name, without a claim");
  });

  it("a second stack on the same service principal neither takes nor deletes the first stack's job or keys", async () => {
    const first = await newStack("first", { enabled: { value: "false" } });
    await up(first);
    const [firstJob] = await jobs();
    const second = await newStack("second", { withCredentials: { value: "false" }, notificationEmail: { value: "ops@contoso.test" } });
    const secondUp = await up(second);
    assert.match(secondUp.printed, /left alone/);
    const secondJobId = (await second.outputs()).jobId.value;
    assert.notStrictEqual(secondJobId, firstJob.id, "the paused job stays the first stack's");
    assert.strictEqual((await jobs()).find((j) => j.id === firstJob.id)?.schedule.state, "Disabled", "and nobody started it");
    await assertJobsMatchState(first, second);

    await second.destroy();
    assert.deepStrictEqual(
      (await jobs()).map((j) => j.id),
      [firstJob.id],
      "destroying the second stack deleted only its own job",
    );
    const digests = await secretDigests();
    assert.strictEqual(digests.BaseAddress, declaredCredentials().BaseAddress);
    assert.strictEqual(digests.SecretToken, declaredCredentials().SecretToken);
    const refresh = await first.refresh();
    assert.deepStrictEqual(changes(refresh.summary), {}, "the first stack sees nothing changed");
  });

  it("a pulumi up killed while Graph answers the secrets PUT, then the program reverted: the next up writes the declared values again", async () => {
    const stack = await newStack("killed-secrets-write");
    await up(stack);
    await stack.setConfig("scimToken", { value: "token-of-the-killed-run", secret: true });
    // Graph stores the new token, then holds the answer: the engine never learns the write happened.
    await control("PUT", "/faults", {
      rules: [{ method: "PUT", path: "servicePrincipals/:sp/synchronization/secrets", answerDelay: { ms: 30_000 } }],
    });
    await killUpWhen(stack, programDir, async () => (await secretDigests()).SecretToken === sha256("token-of-the-killed-run"));
    await control("DELETE", "/faults");
    await stack.cancel();
    // The change is reverted: the program declares what state still records.
    await stack.setConfig("scimToken", { value: fixture().emulator.scimTarget.token, secret: true });
    const preview = await stack.preview();
    assert.ok((preview.changeSummary.update ?? 0) >= 1, `the preview shows the rewrite: ${JSON.stringify(preview.changeSummary)}`);
    await up(stack);
    assert.deepStrictEqual(await secretDigests(), declaredCredentials(), "Graph holds the declared token again");
    const settled = await stack.preview();
    assert.deepStrictEqual(changes({ resourceChanges: settled.changeSummary }), {});
  });

  it("a 503 with Retry-After on the job's create: up waits what it is told, looks once, sends it again, and ends with one job", async () => {
    const stack = await newStack("create-503");
    await control("PUT", "/faults", {
      rules: [{ method: "POST", path: "servicePrincipals/:sp/synchronization/jobs", serviceUnavailable: { probability: 1, retryAfterSeconds: 1 }, maxFaults: 1 }],
    });
    const mark = (await control("GET", "/requests")).body.latestSeq;
    const { printed } = await up(stack);
    const onJobs = ((await control("GET", `/requests?since=${mark}`)).body.value as { route: string; method: string; status: number }[]).filter(
      (r) => r.route === "servicePrincipals/:sp/synchronization/jobs",
    );
    const posts = onJobs.map((r, i) => ({ ...r, i })).filter((r) => r.method === "POST");
    assert.deepStrictEqual(
      posts.map((r) => r.status),
      [503, 201],
      "refused once, sent again once",
    );
    const looks = onJobs.slice(posts[0].i + 1, posts[1].i).filter((r) => r.method === "GET");
    assert.strictEqual(looks.length, 1, "between them, one look for a job the refused request might have made");
    assert.match(printed, /asked to come back in 1s/);
    assert.strictEqual((await jobs()).length, 1);
    await assertJobsMatchState(stack);
  });

  it("a backtracking-prone expression and scoping clause pass preview and up; the emulator evaluates them in linear time and keeps answering", async () => {
    const stack = await newStack("backtracking", { redos: { value: "true" } });
    await up(stack);
    const jobId = (await stack.outputs()).jobId.value;
    const adversarial = `${"a".repeat(50_000)}!`;
    const [parsed, cycles, health] = await Promise.all([
      fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema/parseExpression`, {
        expression: 'Replace([mailNickname], , "(a+)+$", , "x", , )',
        targetAttributeDefinition: null,
        testInputObject: { definition: null, properties: [{ key: "mailNickname", value: adversarial }] },
      }),
      control("POST", "/cycles"),
      control("GET", "/health"),
    ]);
    assert.strictEqual(parsed.status, 200);
    assert.deepStrictEqual(parsed.body.evaluationResult, [adversarial], "no match: the value is unchanged");
    assert.strictEqual(cycles.status, 200, "a provisioning cycle with the same expression and clause ran");
    assert.strictEqual(health.status, 200);
  });

  it("the import resource option fails at preview, naming the input to adopt with instead, without a stack trace", async () => {
    const stack = await newStack("import-option", { importJobId: { value: "scim.0123.4567" } });
    let printed = "";
    await assert.rejects(stack.preview({ onOutput: (s) => (printed += s) }));
    assert.match(printed, /SynchronizationJob "job": the import resource option does not work for dynamic resources .*adopt the existing job with the jobId input/);
    assert.doesNotMatch(printed, /\n\s+at .*\.(js|ts):\d+/, "no stack trace");
    assert.deepStrictEqual(await jobs(), []);
  });

  describe("a mapping edited in the portal that the program does not name", () => {
    const userMapping = async (jobId: string, target: string) => {
      const schema = (await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`)).body;
      return schema.synchronizationRules[0].objectMappings[0].attributeMappings.find((m: { targetAttributeName: string }) => m.targetAttributeName === target);
    };
    const editInPortal = async (jobId: string) => {
      const schemaPath = `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`;
      const schema = (await fixture().graph.request("GET", schemaPath)).body;
      const mapping = schema.synchronizationRules[0].objectMappings[0].attributeMappings.find(
        (m: { targetAttributeName: string }) => m.targetAttributeName === "externalId",
      );
      mapping.source = { expression: '"from-the-portal"', name: "from-the-portal", parameters: [], type: "Constant" };
      assert.strictEqual((await fixture().graph.request("PUT", schemaPath, schema)).status, 204);
    };

    it("without strict it is kept by an unrelated up; with strict, refresh shows it and up puts the template's value back", async () => {
      const stack = await newStack("portal-edit", { withSchema: { value: "true" } });
      await up(stack);
      const jobId = (await stack.outputs()).jobId.value;
      const template = await userMapping(jobId, "externalId");
      await editInPortal(jobId);

      assert.deepStrictEqual(changes((await stack.refresh()).summary), {}, "not the program's: no drift");
      await stack.setConfig("title", { value: "Staff" });
      await up(stack);
      assert.strictEqual((await userMapping(jobId, "externalId")).source.name, "from-the-portal", "the unrelated up kept it");
      assert.strictEqual((await userMapping(jobId, "title")).source.name, "Staff");

      await stack.setConfig("strict", { value: "true" });
      await up(stack);
      assert.deepStrictEqual(await userMapping(jobId, "externalId"), template, "strict: the schema is the template plus the program");
      await editInPortal(jobId);
      const refresh = await stack.refresh();
      assert.deepStrictEqual(changes(refresh.summary), { update: 1 }, "strict: refresh shows the edit");
      const [schema] = await stateResources(stack, "SynchronizationSchema");
      assert.ok(
        schema.outputs.driftedPaths.some((p: string) => p.startsWith("objectMappings.User.attributeMappings.externalId")),
        schema.outputs.driftedPaths.join(", "),
      );
      const preview = await stack.preview();
      assert.strictEqual(preview.changeSummary.update, 1, "and the preview shows it being put back");
      await up(stack);
      assert.deepStrictEqual(await userMapping(jobId, "externalId"), template);
    });
  });
});
