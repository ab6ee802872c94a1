/**
 * SynchronizationSchema's handler called directly (as the Pulumi provider process calls it)
 * against an in-process emulator: Graph calls per operation, drift, the baseline on delete.
 */

import * as assert from "assert";
import { resetConnectionSettings } from "../../provider/graph/connection";
import { isGraphRequestError } from "../../provider/graph/errors";
import type { SynchronizationSchema } from "../../provider/graph/types";
import type { SchemaInputs, SchemaOutputs } from "../../provider/handlers/schema";
import { SchemaMergeError } from "../../provider/schema/merge";
import { normalizedSchema } from "../../provider/schema/normalize";
import { stableStringify } from "../../provider/schema/stable-json";
import { setLogSink } from "../../provider/graph/log";
import { useEmulator } from "../support/emulator";
import { COST_CENTER, sampleCustomizations } from "../support/schema-fixtures";
import { handlerOf } from "../../provider/state/contract";

const handler = handlerOf("SynchronizationSchema");

describe("SynchronizationSchema handler", function () {
  const fixture = useEmulator();
  let sp: string;
  let jobId: string;

  const schemaPath = () => `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`;
  const live = async (): Promise<SynchronizationSchema> => (await fixture().graph.request("GET", schemaPath())).body;
  const calls = () =>
    fixture().exchanges.map(
      (x) =>
        `${x.method} ${x.path
          .replace(/^\/v1\.0/, "")
          .replace(sp, "{sp}")
          .replace(jobId, "{job}")}`,
    );
  const inputs = (extra: Partial<SchemaInputs> = {}): SchemaInputs => ({
    servicePrincipalId: sp,
    jobId,
    strict: false,
    ...sampleCustomizations(),
    ...extra,
  });

  before(async () => {
    sp = fixture().emulator.seeded.scimServicePrincipalId;
    const created = await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" });
    jobId = created.body.id;
  });

  let id: string;
  let outs: SchemaOutputs;

  it("check of a create rejects a misspelled name with no request at all, and up's real template agrees", async () => {
    const typo = inputs();
    typo.objectMappings!.User.attributeMappings!.userName = { source: "userPrincipleName" };
    await fixture().graph.control("DELETE", "/requests");
    const { failures = [] } = await handler.check({}, { ...typo });
    assert.deepStrictEqual(
      failures.map((f) => f.property),
      ["objectMappings.User.attributeMappings.userName.source"],
    );
    assert.match(failures[0].reason, /did you mean 'userPrincipalName'\?.*bundled/);
    assert.deepStrictEqual((await fixture().graph.control("GET", "/requests")).body.value, [], "no Graph call, no sign-in");
    assert.deepStrictEqual((await handler.check({}, { ...inputs() })).failures, undefined, "the sample customization passes");
    // What the first up would find against the emulator's template: the same name, before any write.
    fixture().exchanges.length = 0;
    await assert.rejects(handler.create(typo), /userName\.source: source attribute 'userPrincipleName' is not defined.*did you mean 'userPrincipalName'/);
    assert.deepStrictEqual(
      calls(),
      ["GET /servicePrincipals/{sp}/synchronization/templates/scim/schema", "GET /servicePrincipals/{sp}/synchronization/jobs/{job}/schema"],
      "reads only: nothing written",
    );
  });

  it("create reads the template's and the job's schema and PUTs the merged one: 3 calls", async () => {
    fixture().exchanges.length = 0;
    ({ id, outs } = await handler.create(inputs()));
    assert.deepStrictEqual(calls(), [
      "GET /servicePrincipals/{sp}/synchronization/templates/scim/schema",
      "GET /servicePrincipals/{sp}/synchronization/jobs/{job}/schema",
      "PUT /servicePrincipals/{sp}/synchronization/jobs/{job}/schema",
    ]);
    assert.strictEqual(id, `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`);
    assert.strictEqual(outs.baselineTemplateId, "scim");
    assert.strictEqual(outs.effectiveMappings.User.attributeMappings.title.constant, "Employee");
    assert.deepStrictEqual(outs.driftedPaths, []);
  });

  it("read is one GET and finds no drift right after create", async () => {
    fixture().exchanges.length = 0;
    const read = await handler.read(id, outs);
    assert.deepStrictEqual(calls(), ["GET /servicePrincipals/{sp}/synchronization/jobs/{job}/schema"]);
    assert.deepStrictEqual(read.props?.driftedPaths, []);
    const { objectMappings, extensionAttributes } = read.inputs as SchemaInputs;
    assert.deepStrictEqual({ objectMappings, extensionAttributes }, sampleCustomizations());
  });

  it("diff calls nothing, settles on equivalent input, and checks references against the recorded baseline", async () => {
    fixture().exchanges.length = 0;
    const same = inputs();
    same.objectMappings!.User.attributeMappings!.displayName = { expression: 'Join( " ",[givenName],  [surname] )' };
    assert.strictEqual((await handler.diff(id, outs, same)).changes, false);
    const changed = inputs();
    changed.objectMappings!.User.attributeMappings!.title = { constant: "Staff" };
    // A job has one schema: were it replaced, the old one goes first.
    assert.deepStrictEqual(await handler.diff(id, outs, changed), { changes: true, replaces: [], deleteBeforeReplace: true });
    assert.deepStrictEqual((await handler.diff(id, outs, inputs({ servicePrincipalId: sp.toUpperCase() }))).replaces, [], "the same GUID in upper case");
    const typo = inputs();
    typo.objectMappings!.User.attributeMappings!.titel = { source: "jobTitle" };
    await assert.rejects(handler.diff(id, outs, typo), (e: unknown) => e instanceof SchemaMergeError && /titel.*did you mean 'title'/.test(e.message) && e.stack === "");
    assert.deepStrictEqual((await handler.diff(id, outs, inputs({ jobId: "scim.other" }))).replaces, ["jobId"]);
    assert.deepStrictEqual(calls(), []);
  });

  it("update PUTs the new merge: 3 calls", async () => {
    fixture().exchanges.length = 0;
    const news = inputs();
    news.objectMappings!.User.attributeMappings!.title = { constant: "Staff" };
    ({ outs } = await handler.update(id, outs, news));
    assert.strictEqual(calls().length, 3);
    const title = (await live()).synchronizationRules[0].objectMappings[0].attributeMappings.find((m) => m.targetAttributeName === "title");
    assert.strictEqual(title?.source?.name, "Staff");
  });

  it("a write of what the live schema says already is no write (an adoption's first up)", async () => {
    fixture().exchanges.length = 0;
    const news = inputs();
    news.objectMappings!.User.attributeMappings!.title = { constant: "Staff" };
    // The same customization, written differently: an equivalent expression with other spacing.
    news.objectMappings!.User.attributeMappings!.displayName = { expression: 'Join( " ",[givenName],  [surname] )' };
    ({ outs } = await handler.update(id, outs, news));
    assert.deepStrictEqual(calls(), [
      "GET /servicePrincipals/{sp}/synchronization/templates/scim/schema",
      "GET /servicePrincipals/{sp}/synchronization/jobs/{job}/schema",
    ]);
  });

  it("an update that does not fit the template fails before writing anything", async () => {
    const before = stableStringify(normalizedSchema(await live()));
    fixture().exchanges.length = 0;
    const news = inputs();
    // A name neither SCIM nor the template defines.
    news.objectMappings!.User.attributeMappings!.favoriteColor = { source: "mailNickname" };
    await assert.rejects(handler.update(id, outs, news), /objectMappings\.User\.attributeMappings\.favoriteColor: target attribute 'favoriteColor' is not defined/);
    assert.ok(
      calls().every((c) => c.startsWith("GET ")),
      calls().join("\n"),
    );
    assert.strictEqual(stableStringify(normalizedSchema(await live())), before);
  });

  it("a raw schema document is written as given: a GET (is it there already?) and the PUT", async () => {
    const raw = normalizedSchema(await live());
    raw.synchronizationRules[0].objectMappings[1].enabled = false;
    fixture().exchanges.length = 0;
    const rawInputs: SchemaInputs = { servicePrincipalId: sp, jobId, strict: false, templateId: "scim", rawSchema: raw };
    const result = await handler.update(id, outs, rawInputs);
    assert.deepStrictEqual(calls(), ["GET /servicePrincipals/{sp}/synchronization/jobs/{job}/schema", "PUT /servicePrincipals/{sp}/synchronization/jobs/{job}/schema"]);
    assert.strictEqual(result.outs.effectiveMappings.Group.enabled, false);
    const read = await handler.read(id, result.outs);
    assert.deepStrictEqual(read.props?.driftedPaths, []);
    outs = (await handler.update(id, result.outs, inputs())).outs;
  });

  it("delete puts back the template's value where the resource customized, and nothing else", async () => {
    fixture().exchanges.length = 0;
    await handler.delete(id, outs);
    assert.deepStrictEqual(calls(), [
      "GET /servicePrincipals/{sp}/synchronization/templates/scim/schema",
      "GET /servicePrincipals/{sp}/synchronization/jobs/{job}/schema",
      "PUT /servicePrincipals/{sp}/synchronization/jobs/{job}/schema",
    ]);
    const template = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/templates/scim/schema`);
    assert.strictEqual(stableStringify(normalizedSchema(await live())), stableStringify(normalizedSchema(template.body)));
  });

  it("with strict, delete is one DELETE, which resets the whole schema to the template's", async () => {
    ({ outs } = await handler.create(inputs({ strict: true })));
    fixture().exchanges.length = 0;
    await handler.delete(id, outs);
    assert.deepStrictEqual(calls(), ["DELETE /servicePrincipals/{sp}/synchronization/jobs/{job}/schema"]);
    const template = await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/templates/scim/schema`);
    assert.strictEqual(stableStringify(normalizedSchema(await live())), stableStringify(normalizedSchema(template.body)));
  });

  describe("the first up on a job that exists: check says which live paths it changes", () => {
    let lines: string[];
    let restore: () => void;
    beforeEach(() => {
      lines = [];
      restore = setLogSink((line) => lines.push(line));
    });
    afterEach(() => restore());

    it("names the paths, keyed like the inputs, reading only", async () => {
      jobId = (await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" })).body.id;
      id = `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`;
      fixture().exchanges.length = 0;
      assert.deepStrictEqual((await handler.check({}, { ...inputs() })).failures, undefined);
      assert.ok(
        fixture().exchanges.every((x) => x.method === "GET"),
        "reads only",
      );
      const line = lines.find((l) => l.includes(`schema of job ${jobId}: the first up changes`));
      assert.ok(line, lines.join("\n"));
      for (const path of ["objectMappings.User.attributeMappings.title", "objectMappings.User.attributeMappings.preferredLanguage", "objectMappings.User.scope"]) {
        assert.ok(line.includes(path), `${path} in ${line}`);
      }
      assert.ok(!line.includes("attributeMappings.userName"), "and nothing the program leaves as it is");
    });

    it("says the first up writes nothing when the live schema says what the program declares (an exported program)", async () => {
      ({ outs } = await handler.create(inputs()));
      lines.length = 0;
      await handler.check({}, { ...inputs() });
      assert.ok(
        lines.some((l) => l.includes(`schema of job ${jobId}: the live schema says what the program declares; the first up writes nothing`)),
        lines.join("\n"),
      );
    });

    it("a job that does not exist yet (created by the same up) says nothing, and fails nothing", async () => {
      assert.deepStrictEqual((await handler.check({}, { ...inputs({ jobId: "scim.notyet.notyet" }) })).failures, undefined);
      assert.deepStrictEqual(lines, []);
    });
  });

  describe("what is not customized is left as it is live (unless strict)", () => {
    before(async () => {
      // The suite's own job: the tests above end by deleting theirs.
      jobId = (await fixture().graph.request("POST", `/servicePrincipals/${sp}/synchronization/jobs`, { templateId: "scim" })).body.id;
      id = `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema`;
    });

    /** The live schema with `edit` applied to the User object mapping, as an edit in the portal would. */
    const editInPortal = async (edit: (mappings: SynchronizationSchema["synchronizationRules"][0]["objectMappings"][0]) => void) => {
      const schema = await live();
      edit(schema.synchronizationRules[0].objectMappings[0]);
      assert.strictEqual((await fixture().graph.request("PUT", schemaPath(), schema)).status, 204);
    };
    const userMapping = async (target: string) =>
      (await live()).synchronizationRules[0].objectMappings[0].attributeMappings.find((m) => m.targetAttributeName === target);
    const templateMapping = async (target: string) =>
      (
        await fixture().graph.request("GET", `/servicePrincipals/${sp}/synchronization/templates/scim/schema`)
      ).body.synchronizationRules[0].objectMappings[0].attributeMappings.find((m: { targetAttributeName: string }) => m.targetAttributeName === target);
    const portalExternalId = (om: SynchronizationSchema["synchronizationRules"][0]["objectMappings"][0]) => {
      const nick = om.attributeMappings.find((m) => m.targetAttributeName === "externalId")!;
      nick.source = { expression: '"portal"', name: "portal", parameters: [], type: "Constant" };
    };

    it("an edit in the portal of a mapping the program does not name survives create, update and delete", async () => {
      await fixture().graph.request("DELETE", schemaPath());
      await editInPortal(portalExternalId);
      ({ outs } = await handler.create(inputs()));
      assert.strictEqual((await userMapping("externalId"))?.source?.name, "portal", "create keeps it");
      const news = inputs();
      news.objectMappings!.User.attributeMappings!.title = { constant: "Staff" };
      ({ outs } = await handler.update(id, outs, news));
      assert.strictEqual((await userMapping("externalId"))?.source?.name, "portal", "an unrelated update keeps it");
      assert.strictEqual((await userMapping("title"))?.source?.name, "Staff");
      await handler.delete(id, outs);
      assert.strictEqual((await userMapping("externalId"))?.source?.name, "portal", "delete keeps it");
      assert.deepStrictEqual(await userMapping("title"), await templateMapping("title"), "and puts back what it customized");
    });

    it("a customization the program drops goes back to the template's; the extension attribute is never doubled", async () => {
      await fixture().graph.request("DELETE", schemaPath());
      ({ outs } = await handler.create(inputs()));
      ({ outs } = await handler.update(id, outs, inputs()));
      const attributes = (await live()).directories
        .flatMap((d) => d.objects)
        .flatMap((o) => o.attributes)
        .filter((a) => a.name === COST_CENTER);
      assert.strictEqual(attributes.length, 1, "written once, however often the schema is written");
      const fewer = inputs();
      delete fewer.objectMappings!.User.attributeMappings!.title;
      delete fewer.objectMappings!.User.attributeMappings!.preferredLanguage;
      ({ outs } = await handler.update(id, outs, fewer));
      assert.deepStrictEqual(await userMapping("title"), await templateMapping("title"));
      assert.deepStrictEqual(await userMapping("preferredLanguage"), await templateMapping("preferredLanguage"), "a removal undone puts the mapping back");
    });

    it("with strict, the same edit is drift: refresh names it and the next write puts the template's value back", async () => {
      await fixture().graph.request("DELETE", schemaPath());
      ({ outs } = await handler.create(inputs({ strict: true })));
      await editInPortal(portalExternalId);
      const read = await handler.read(id, outs);
      assert.ok(
        read.props!.driftedPaths.some((p) => p.startsWith("objectMappings.User.attributeMappings.externalId")),
        read.props!.driftedPaths.join(", "),
      );
      ({ outs } = await handler.update(id, read.props!, inputs({ strict: true })));
      assert.deepStrictEqual(await userMapping("externalId"), await templateMapping("externalId"));
    });

    it("delete leaves the schema alone while another resource of the program declares it (a rename, a replacement)", async () => {
      await fixture().graph.request("DELETE", schemaPath());
      ({ outs } = await handler.create(inputs()));
      await handler.check({}, { ...inputs() }); // the renamed resource's check, in the same deployment
      fixture().exchanges.length = 0;
      await handler.delete(id, outs);
      assert.deepStrictEqual(calls(), [], "nothing written");
      assert.strictEqual((await userMapping("title"))?.source?.name, "Employee");
    });
  });

  it("a job Graph does not show yet: its schema calls are retried in the client's consistency window, each round logged", async () => {
    const saved = process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS;
    process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS = "1";
    resetConnectionSettings();
    const lines: string[] = [];
    const restoreLog = setLogSink((line) => lines.push(line));
    try {
      const unseen = "scim.0123456789abcdef.not-visible-yet";
      fixture().exchanges.length = 0;
      await assert.rejects(handler.create(inputs({ jobId: unseen, templateId: "scim" })), (e: unknown) => isGraphRequestError(e) && e.status === 404);
      const reads = calls().filter((c) => c === `GET /servicePrincipals/{sp}/synchronization/jobs/${unseen}/schema`);
      assert.ok(reads.length > 1, `read again while waiting: ${calls().join(", ")}`);
      assert.ok(
        lines.some((l) => l.includes(`404 while waiting for synchronization job ${unseen} to become visible`)),
        lines.join("\n"),
      );
    } finally {
      restoreLog();
      if (saved === undefined) delete process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS;
      else process.env.ENTRA_SYNC_CONSISTENCY_TIMEOUT_SECONDS = saved;
      resetConnectionSettings();
    }
  });

  it("read of a schema whose job is gone removes it from state", async () => {
    await fixture().graph.request("DELETE", `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`);
    const read = await handler.read(id, outs);
    assert.strictEqual(read.id, "");
  });
});
