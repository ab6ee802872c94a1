/**
 * End to end: examples/scim-schema through the real Pulumi CLI on the non-gallery SCIM app — the
 * preview names the customized properties, refresh reports out-of-band edits (managed paths, and
 * unmanaged ones in strict mode), up repairs them, destroy restores the template's schema exactly.
 */

import * as assert from "assert";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { SynchronizationSchema } from "../../provider/graph/types";
import { normalizedSchema } from "../../provider/schema/normalize";
import { stableStringify } from "../../provider/schema/stable-json";
import { useEmulator } from "../support/emulator";
import { changes, createTestStack, type TestStack } from "../support/pulumi";

const repoRoot = path.resolve(__dirname, "..", "..");
const COST_CENTER = "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter";

/** The resource lines of a `--diff` preview that mark a changed leaf (`~ key: old => new`, `+ key: ...`, `- key: ...`). */
function changedLeaves(stdout: string): string[] {
  return stdout
    .split(/^Outputs:/m)[0]
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^[~+-] [^:]+: (?![{[]\s*$)/.test(l) && !/^[~+-] pulumi/.test(l));
}

describe("e2e: SynchronizationSchema (examples/scim-schema)", function () {
  this.timeout(10 * 60_000);
  const fixture = useEmulator();
  let testStack: TestStack;
  let stack: Stack;
  let sp: string;
  let jobId: string;
  const stackName = `schema-${process.pid}`;

  const schemaPath = () => `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`;
  const liveSchema = async (): Promise<SynchronizationSchema> => {
    const r = await fixture().graph.request("GET", schemaPath());
    assert.strictEqual(r.status, 200);
    return r.body;
  };
  const userMapping = (schema: SynchronizationSchema, objectIndex: number, target: string) =>
    schema.synchronizationRules[0].objectMappings[objectIndex].attributeMappings.find((m) => m.targetAttributeName === target);
  const editOutOfBand = async (edit: (s: SynchronizationSchema) => void) => {
    const schema = normalizedSchema(await liveSchema());
    edit(schema);
    const r = await fixture().graph.request("PUT", schemaPath(), schema);
    assert.strictEqual(r.status, 204, JSON.stringify(r.body));
  };
  const schemaOutputs = async () => {
    const state = await stack.exportStack();
    return state.deployment.resources.find((r: any) => r.type.endsWith(":SynchronizationSchema")).outputs;
  };

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    const created = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" });
    assert.strictEqual(created.status, 201);
    jobId = created.body.id;
    testStack = await createTestStack(path.join(repoRoot, "examples", "scim-schema"), stackName, emulator);
    stack = testStack.stack;
    await stack.setAllConfig({ servicePrincipalId: { value: sp }, jobId: { value: jobId } });
  });

  after(async () => {
    await testStack?.dispose();
  });

  it("the first preview of the fresh stack rejects a misspelled source attribute by property path, calling no Graph", async () => {
    const requestLog = async () => (await fixture().graph.control("GET", "/requests")).body.value as { kind: string; method: string; path: string }[];
    const previewError = () =>
      stack.preview().then(
        () => assert.fail("preview must fail"),
        (e: Error) => e,
      );
    await stack.setConfig("costCenterSource", { value: "extensionAtribute1" });
    try {
      await fixture().graph.control("DELETE", "/requests");
      const error = await previewError();
      const property = `objectMappings.User.attributeMappings["${COST_CENTER}"].source`;
      assert.ok(error.message.includes(property), `names ${property}\n${error.message}`);
      assert.match(error.message, /source attribute 'extensionAtribute1' is not defined on Azure Active Directory\.User; did you mean 'extensionAttribute1'\?/);
      assert.match(error.message, /bundled catalog of template "scim"/);
      assert.doesNotMatch(error.message, /\n\s+at .*\.(js|ts):\d+/, "no stack trace");
      assert.deepStrictEqual(await requestLog(), [], "the emulator received no request during the preview");

      // The way out when a tenant's template is newer than the bundled catalog: the name is left
      // to the first up, which checks it against the tenant's real template.
      await stack.setConfig("entra-sync:bundledCatalogs", { value: "false" });
      // The impact preview of that first write (test/e2e/impact.test.ts) is off here: its reads are its own.
      await stack.setConfig("entra-sync:impactSampleSize", { value: "0" });
      await fixture().graph.control("DELETE", "/requests");
      const preview = await stack.preview();
      assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), { create: 2 }, "the stack and the schema");
      // The name is not checked; the only calls are the two reads that show, for a schema created on
      // a job that exists, which live paths the first up would change.
      assert.deepStrictEqual(
        (await requestLog())
          .filter((r) => r.kind === "graph")
          .map((r) => `${r.method} ${r.path.replace(/^\/v1\.0\/servicePrincipals\/[^/]+\/synchronization/, "")}`)
          .sort(),
        [`GET /jobs/${jobId}/schema`, "GET /templates/scim/schema"],
      );
    } finally {
      await stack.removeAllConfig(["costCenterSource", "entra-sync:bundledCatalogs", "entra-sync:impactSampleSize"]);
    }
  });

  it("preview of the create shows the customizations, not the template's mappings", async () => {
    const preview = await stack.preview({ diff: true });
    const out = preview.stdout;
    for (const shown of ["displayName", "Join(", "title", "Employee", "preferredLanguage", "remove", COST_CENTER, "sales", "marketing", "extensionAttributes"]) {
      assert.ok(out.includes(shown), `preview shows ${shown}\n${out}`);
    }
    for (const hidden of ["userName", "name.givenName", "phoneNumbers"]) {
      assert.ok(!out.includes(hidden), `preview does not list the unmanaged mapping ${hidden}`);
    }
  });

  it("up writes baseline + customizations, and the second preview is empty", async () => {
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { create: 2 });
    const live = await liveSchema();
    assert.strictEqual(userMapping(live, 0, "displayName")?.source?.type, "Function");
    assert.strictEqual(userMapping(live, 0, "title")?.source?.name, "Employee");
    assert.strictEqual(userMapping(live, 0, "preferredLanguage"), undefined);
    assert.strictEqual(userMapping(live, 0, COST_CENTER)?.source?.name, "extensionAttribute1");
    assert.strictEqual(userMapping(live, 0, "userName")?.source?.name, "userPrincipalName", "unmanaged mappings keep the template's value");
    const scope = live.synchronizationRules[0].objectMappings[0].scope;
    assert.deepStrictEqual(scope?.groups.map((g) => g.name).sort(), ["marketing", "sales"]);
    const target = live.directories.find((d) => d.name === "customappsso")!;
    assert.ok(target.objects.find((o) => o.name === "User")!.attributes.some((a) => a.name === COST_CENTER));

    const preview = await stack.preview();
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), {});
  });

  it("a change to one mapping previews as that one property", async () => {
    await stack.setConfig("defaultTitle", { value: "Staff" });
    const preview = await stack.preview({ diff: true });
    assert.deepStrictEqual(changes({ resourceChanges: preview.changeSummary }), { update: 1 });
    const leaves = changedLeaves(preview.stdout);
    assert.deepStrictEqual(leaves, ['~ constant: "Employee" => "Staff"'], preview.stdout);
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { update: 1 });
    assert.strictEqual(userMapping(await liveSchema(), 0, "title")?.source?.name, "Staff");
  });

  it("refresh reports an out-of-band edit of a managed mapping, and up repairs it", async () => {
    await editOutOfBand((s) => {
      userMapping(s, 0, "title")!.source = { expression: '"Contractor"', name: "Contractor", parameters: [], type: "Constant" };
    });
    const refresh = await stack.refresh();
    assert.deepStrictEqual(changes(refresh.summary), { update: 1 });
    assert.deepStrictEqual((await schemaOutputs()).driftedPaths, ["objectMappings.User.attributeMappings.title.constant"]);
    const preview = await stack.preview({ diff: true });
    assert.deepStrictEqual(changedLeaves(preview.stdout), ['~ constant: "Contractor" => "Staff"'], preview.stdout);
    const up = await stack.up();
    assert.deepStrictEqual(changes(up.summary), { update: 1 });
    assert.strictEqual(userMapping(await liveSchema(), 0, "title")?.source?.name, "Staff");
    assert.deepStrictEqual((await schemaOutputs()).driftedPaths, []);
  });

  it("an edit of an unmanaged mapping is drift only in strict mode", async () => {
    const editGroupExternalId = () =>
      editOutOfBand((s) => {
        userMapping(s, 1, "externalId")!.flowType = "ObjectAddOnly";
      });
    await editGroupExternalId();
    const lenient = await stack.refresh();
    assert.deepStrictEqual(changes(lenient.summary), {});

    await stack.setConfig("strict", { value: "true" });
    assert.deepStrictEqual(changes((await stack.up()).summary), { update: 1 });
    assert.strictEqual(userMapping(await liveSchema(), 1, "externalId")?.flowType, "Always", "up wrote the template's value back");

    await editGroupExternalId();
    const strict = await stack.refresh();
    assert.deepStrictEqual(changes(strict.summary), { update: 1 });
    assert.deepStrictEqual((await schemaOutputs()).driftedPaths, ["objectMappings.Group.attributeMappings.externalId.flowType"]);
    assert.deepStrictEqual(changes((await stack.up()).summary), { update: 1 });
    assert.strictEqual(userMapping(await liveSchema(), 1, "externalId")?.flowType, "Always");
    assert.deepStrictEqual(changes({ resourceChanges: (await stack.preview()).changeSummary }), {});
  });

  it("destroy restores the template's schema exactly", async () => {
    await stack.destroy();
    const template = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/templates/scim/schema`);
    assert.strictEqual(template.status, 200);
    assert.strictEqual(stableStringify(normalizedSchema(await liveSchema())), stableStringify(normalizedSchema(template.body)));
  });
});
