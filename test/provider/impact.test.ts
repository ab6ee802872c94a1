/**
 * The impact preview against the emulator, proven against the cycle that follows: for a series of
 * schema changes (a constant, an expression, a removed mapping, an extension attribute, a scoping
 * clause that drops users), previewProvisioningImpact predicts, the schema handler writes the
 * change, one provisioning cycle runs (manual cycles: no timer decides when), and what the SCIM
 * target holds afterwards must equal the prediction for every sampled object: each value the
 * proposed schema flows, each value that stops flowing kept, each user leaving scope disabled,
 * each failing entry left as it was. Then: a failing expression at preview, the schema handler's
 * check (lines, JSON file, no Graph call on a no-op), and the missing-permission degradation.
 */

import * as assert from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseScimPath, readScimValue, sameScimValue } from "../../emulator/provisioning/scim-path";
import { setLogSink } from "../../provider/graph/log";
import type { SchemaInputs, SchemaOutputs } from "../../provider/handlers/schema";
import { runImpactCommand } from "../../provider/impact/command";
import { previewProvisioningImpact } from "../../provider/impact/preview";
import type { ImpactReport, ValueText } from "../../provider/impact/report";
import { forgetWrittenImpactReports } from "../../provider/impact/report-file";
import type { SchemaCustomizations } from "../../provider/schema/customization";
import { handlerOf } from "../../provider/state/contract";
import { createDeclaredJob } from "../support/declared-job";
import { useEmulator } from "../support/emulator";

const handler = handlerOf("SynchronizationSchema");
const secretsHandler = handlerOf("SynchronizationSecrets");

type Resource = Record<string, unknown> & { id: string };

/** What was compared, and what differed, between a prediction and the target after the cycle. */
interface Verdict {
  objects: number;
  values: number;
  mismatches: string[];
}

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Each step adds one change to the previous step's customizations. */
const STEPS: [string, (previous: SchemaCustomizations) => SchemaCustomizations][] = [
  ["a constant", (p) => user(p, { attributeMappings: { title: { constant: "Staff" } } })],
  ["an expression", (p) => user(p, { attributeMappings: { displayName: { expression: 'Join(", ", [surname], [givenName])' } } })],
  ["a removed mapping", (p) => user(p, { attributeMappings: { preferredLanguage: { remove: true } } })],
  // An Entra extension attribute (onPremisesExtensionAttributes) and an employeeOrgData member into enterprise attributes the target keeps.
  [
    "an extension attribute",
    (p) =>
      user(p, {
        attributeMappings: { [`${ENTERPRISE}:costCenter`]: { source: "extensionAttribute1" }, [`${ENTERPRISE}:division`]: { source: "employeeOrgData.division" } },
      }),
  ],
  [
    "a scoping clause that drops users",
    (p) =>
      user(p, {
        scope: {
          enabledStaff: [
            { attribute: "accountEnabled", operator: "IS TRUE" },
            { attribute: "department", operator: "IS NOT NULL" },
          ],
        },
      }),
  ],
];

function user(previous: SchemaCustomizations, change: { attributeMappings?: Record<string, object>; scope?: object }): SchemaCustomizations {
  const u = previous.objectMappings?.User ?? {};
  return {
    ...previous,
    objectMappings: {
      ...previous.objectMappings,
      User: {
        ...u,
        ...(change.attributeMappings ? { attributeMappings: { ...u.attributeMappings, ...change.attributeMappings } } : {}),
        ...(change.scope ? { scope: change.scope as never } : {}),
      },
    },
  };
}

describe("impact preview against the emulator: the prediction is what the cycle does", function () {
  this.timeout(120_000);
  const fixture = useEmulator({ cycles: "manual" });
  let sp: string;
  let jobId: string;
  let outs: SchemaOutputs;
  let id: string;
  let customizations: SchemaCustomizations = {};
  const verdicts: [string, Verdict][] = [];

  const inputs = (c: SchemaCustomizations): SchemaInputs => ({ servicePrincipalId: sp, jobId, strict: false, ...structuredClone(c) });
  const cycle = async () => {
    const r = await fixture().graph.control("POST", "/cycles");
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
  };
  const target = async (): Promise<{ users: Map<string, Resource>; groups: Map<string, Resource> }> => {
    const users = (await fixture().graph.control("GET", "/scim/Users")).body.value as Resource[];
    const groups = (await fixture().graph.control("GET", "/scim/Groups")).body.value as Resource[];
    return { users: new Map(users.map((u) => [String(u.userName), u])), groups: new Map(groups.map((g) => [String(g.displayName), g])) };
  };

  /** The prediction against the target before and after the cycle. */
  function judge(report: ImpactReport, before: Awaited<ReturnType<typeof target>>, after: Awaited<ReturnType<typeof target>>): Verdict {
    const verdict: Verdict = { objects: 0, values: 0, mismatches: [] };
    const labels = new Map(report.mappings.flatMap((m) => m.objects.map((o) => [o.id, o.label] as const)));
    for (const m of report.mappings) {
      const side = m.targetObjectName === "Group" ? "groups" : "users";
      for (const o of m.objects) {
        verdict.objects += 1;
        const was = before[side].get(o.label);
        const now = after[side].get(o.label);
        const differ = (what: string) => verdict.mismatches.push(`${m.key} ${o.label} (${o.action}): ${what}`);
        if (["fail", "skip", "leaveAsIs", "outOfScope"].includes(o.action)) {
          if (JSON.stringify(stripMeta(was)) !== JSON.stringify(stripMeta(now))) differ(`predicted untouched, but it changed`);
          continue;
        }
        if (o.action === "deprovision") {
          if (side === "users" ? now?.active !== false : now !== undefined)
            differ(`predicted ${side === "users" ? "disabled" : "deleted"}, found ${JSON.stringify(now?.active)}`);
          continue;
        }
        if (!now) {
          differ("predicted in the target, not there");
          continue;
        }
        for (const [attribute, value] of Object.entries(o.after)) {
          if (attribute === "members") continue; // exported as PATCHes of member ids, compared below for groups
          const expected = expectedScim(value, labels, after.users);
          if (expected === SKIP) continue;
          verdict.values += 1;
          const actual = readScimValue(now, parseScimPath(attribute)!);
          if (!sameScimValue(actual, expected)) differ(`${attribute}: predicted ${JSON.stringify(expected)}, target has ${JSON.stringify(actual)}`);
        }
        for (const attribute of Object.keys(o.before)) {
          if (attribute in o.after || !was) continue;
          verdict.values += 1;
          const path = parseScimPath(attribute)!;
          if (!sameScimValue(readScimValue(now, path), readScimValue(was, path))) differ(`${attribute}: stops flowing, so the target should keep its value`);
        }
      }
    }
    return verdict;
  }

  before(async () => {
    const emulator = fixture().emulator;
    sp = emulator.seeded.scimServicePrincipalId;
    await secretsHandler.create({ servicePrincipalId: sp, credentials: { BaseAddress: emulator.scimTarget.baseAddress, SecretToken: emulator.scimTarget.token } });
    jobId = (await createDeclaredJob({ servicePrincipalId: sp, templateId: "scim" })).job.outs.jobId;
    ({ id, outs } = await handler.create(inputs(customizations)));
    await cycle();
    const { users } = await target();
    assert.ok(users.size >= 3, `the first cycle provisions the assigned users (${users.size})`);
  });

  for (const [what, change] of STEPS) {
    it(`${what}: every sampled object ends up as predicted`, async () => {
      const next = change(customizations);
      const report = await previewProvisioningImpact({ servicePrincipalId: sp, jobId, ...structuredClone(next), previousCustomizations: customizations });
      assert.deepStrictEqual(report.notes, []);
      const userImpact = report.mappings.find((m) => m.key === "User")!;
      assert.ok(userImpact.sampled >= 3, `users sampled: ${userImpact.sampled}`);
      const before = await target();
      ({ outs } = await handler.update(id, outs, inputs(next)));
      customizations = next;
      await cycle();
      const verdict = judge(report, before, await target());
      verdicts.push([what, verdict]);
      assert.deepStrictEqual(verdict.mismatches, [], `${what}: predicted vs actual`);
      assert.ok(verdict.values > 0, "values were compared");
      // The change is visible in the prediction itself.
      if (what === "a constant")
        assert.ok(
          userImpact.attributes.some((a) => a.targetAttribute === "title" && a.changed > 0),
          JSON.stringify(userImpact.attributes),
        );
      if (what === "a removed mapping") assert.ok(userImpact.attributes.some((a) => a.targetAttribute === "preferredLanguage" && a.stopsFlowing >= 0));
      if (what === "an extension attribute")
        assert.ok(
          userImpact.attributes.some((a) => a.targetAttribute === `${ENTERPRISE}:costCenter` && a.changed > 0),
          JSON.stringify(userImpact.attributes),
        );
      if (what === "a scoping clause that drops users")
        assert.ok(userImpact.leavingCount > 0, `users leave scope: ${JSON.stringify(userImpact.objects.map((o) => [o.label, o.action]))}`);
    });
  }

  after(() => {
    // The measured accuracy, for the record (the assertions above are the proof).
    for (const [what, v] of verdicts)
      process.stdout.write(`      accuracy, ${what}: ${v.objects} objects, ${v.values} values compared, ${v.mismatches.length} mismatches\n`);
  });

  it("a function applied to a missing attribute is reported with its property path and the users it fails for; up still works", async () => {
    // employeeHireDate is ISO 8601 in Entra; read as AD generalized time, it fails for every user who has one.
    const failing = user(customizations, { attributeMappings: { nickName: { expression: 'FormatDateTime([employeeHireDate], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")' } } });
    const report = await previewProvisioningImpact({ servicePrincipalId: sp, jobId, ...structuredClone(failing), previousCustomizations: customizations });
    const u = report.mappings.find((m) => m.key === "User")!;
    assert.ok(u.failures.length > 0, JSON.stringify(u));
    assert.strictEqual(u.failures[0].property, "objectMappings.User.attributeMappings.nickName.expression");
    assert.ok(u.failures[0].objects.length > 0);
    const before = await target();
    ({ outs } = await handler.update(id, outs, inputs(failing)));
    await cycle();
    const verdict = judge(report, before, await target());
    assert.deepStrictEqual(verdict.mismatches, []);
    ({ outs } = await handler.update(id, outs, inputs(customizations)));
  });

  describe("in the schema handler's check", () => {
    let lines: string[] = [];
    let restore: () => void;
    let file: string;
    beforeEach(() => {
      lines = [];
      restore = setLogSink((l) => lines.push(l));
      file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "impact-")), "impact.json");
      forgetWrittenImpactReports();
    });
    afterEach(() => {
      restore();
      delete process.env.ENTRA_SYNC_IMPACT_REPORT;
      delete process.env.ENTRA_SYNC_IMPACT_REDACT;
      fixture().useClient(fixture().emulator.clients.admin);
    });

    it("a no-op preview makes no Graph call and prints no impact", async () => {
      await fixture().graph.control("DELETE", "/requests");
      const result = await handler.check({ ...inputs(customizations) }, { ...inputs(customizations) });
      assert.strictEqual(result.failures, undefined);
      assert.deepStrictEqual((await fixture().graph.control("GET", "/requests")).body.value, []);
      assert.deepStrictEqual(
        lines.filter((l) => l.includes("impact")),
        [],
      );
    });

    it("a change prints the report and writes the JSON file, with a bounded number of reads and no write", async () => {
      process.env.ENTRA_SYNC_IMPACT_REPORT = file;
      fixture().useClient(fixture().emulator.clients.admin);
      await fixture().graph.control("DELETE", "/requests");
      const next = user(customizations, {
        attributeMappings: { title: { constant: "Contractor" }, nickName: { expression: 'FormatDateTime([employeeHireDate], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")' } },
        scope: { notLogistics: [{ attribute: "department", operator: "NOT EQUALS", values: ["Logistics"] }] },
      });
      await handler.check({ ...inputs(customizations) }, { ...inputs(next) });
      process.stdout.write(`${lines.map((l) => `      | ${l}`).join("\n")}\n`);
      const requests = (await fixture().graph.control("GET", "/requests")).body.value as { kind: string; method: string; path: string }[];
      assert.deepStrictEqual(
        requests.filter((r) => r.method !== "GET" && !/token/.test(r.path)),
        [],
        "reads only",
      );
      const text = lines.join("\n");
      assert.match(text, /impact on job .*: the next provisioning cycle, predicted on a sample of \d+ users/);
      assert.match(text, /title: \d+ change: .* -> "Staff" => "Contractor"/);
      assert.match(text, /leaving scope \(disabled\): .*@contoso\.com/);
      assert.match(text, /evaluation error at objectMappings\.User\.attributeMappings\.nickName\.expression: .*; fails for 2 objects: .*@contoso\.com, .*@contoso\.com/);
      const doc = JSON.parse(fs.readFileSync(file, "utf8"));
      const report: ImpactReport = doc.reports[`${sp}/${jobId}`];
      assert.ok(report.mappings.find((m) => m.key === "User")!.objects.some((o) => o.after.title === "Contractor"));
      const graphReads = requests.filter((r) => r.kind === "graph").length;
      // 2 schema reads + the report's own (secrets, assignments, members, users in 15s, groups).
      assert.strictEqual(graphReads, 2 + report.graphCalls, JSON.stringify(requests.map((r) => r.path)));
      process.stdout.write(`      graph reads for a previewed change: ${graphReads}\n`);
    });

    it("impactRedact: counts only, no value of a person", async () => {
      process.env.ENTRA_SYNC_IMPACT_REDACT = "true";
      fixture().useClient(fixture().emulator.clients.admin);
      const next = user(customizations, { attributeMappings: { title: { constant: "Contractor" } } });
      await handler.check({ ...inputs(customizations) }, { ...inputs(next) });
      const text = lines.join("\n");
      assert.match(text, /title: \d+ change/);
      assert.doesNotMatch(text, /Contractor|"Staff"/);
    });
  });

  it("a schema created on the job (which exists): check reports the first up's impact, reusing its two schema reads", async () => {
    const lines: string[] = [];
    const restore = setLogSink((l) => lines.push(l));
    try {
      fixture().exchanges.length = 0;
      const next = user(customizations, { attributeMappings: { title: { constant: "Intern" } } });
      assert.strictEqual((await handler.check({}, { ...inputs(next) })).failures, undefined);
      assert.ok(
        lines.some((l) => l.includes(`schema of job ${jobId}: the first up changes`)),
        lines.join("\n"),
      );
      assert.ok(
        lines.some((l) => /title: \d+ change: .* => "Intern"/.test(l)),
        lines.join("\n"),
      );
      const schemaReads = fixture().exchanges.filter((x) => /\/schema$/.test(x.path.split("?")[0]));
      assert.strictEqual(schemaReads.length, 2, schemaReads.map((x) => x.path).join(", "));
    } finally {
      restore();
    }
  });

  it("`pulumi-entra-sync impact` prints the report and writes the JSON file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "impact-cli-"));
    const proposed = path.join(dir, "proposed.json");
    const previous = path.join(dir, "previous.json");
    fs.writeFileSync(proposed, JSON.stringify(user(customizations, { attributeMappings: { title: { constant: "Intern" } } })));
    fs.writeFileSync(previous, JSON.stringify(customizations));
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => (out.push(String(chunk)), true);
    let code: number;
    try {
      code = await runImpactCommand([
        "--service-principal",
        sp,
        "--job",
        jobId,
        "--customizations",
        proposed,
        "--previous",
        previous,
        "--json",
        path.join(dir, "r.json"),
      ]);
    } finally {
      process.stdout.write = write;
    }
    assert.strictEqual(code, 0, out.join(""));
    assert.match(out.join(""), /title: \d+ change: .* -> "Staff" => "Intern"/);
    assert.ok(JSON.parse(fs.readFileSync(path.join(dir, "r.json"), "utf8")).reports[`${sp}/${jobId}`]);
  });

  it("without permission to read users, the report degrades to one line and check still passes", async function () {
    const clients = fixture().emulator.clients as Record<string, { clientId: string; clientSecret: string } | undefined>;
    if (!clients.syncOnly) this.skip();
    fixture().useClient(clients.syncOnly as never);
    const lines: string[] = [];
    const restore = setLogSink((l) => lines.push(l));
    try {
      const next = user(customizations, { attributeMappings: { title: { constant: "Contractor" } } });
      const result = await handler.check({ ...inputs(customizations) }, { ...inputs(next) });
      assert.strictEqual(result.failures, undefined);
      const line = lines.find((l) => /impact unavailable: missing permission [A-Za-z.]+ \(GET \/[^ ]+ answered 403\)/.test(l));
      assert.ok(line, lines.join("\n"));
      process.stdout.write(`      | ${line}\n`);
    } finally {
      restore();
      fixture().useClient(fixture().emulator.clients.admin);
    }
  });
});

const SKIP = Symbol("not compared");

/** A predicted value as the target stores it; references become the target ids of the referenced objects. */
function expectedScim(value: ValueText, labels: Map<string, string>, users: Map<string, Resource>): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const ids = value.references.map((ref) => users.get(labels.get(ref) ?? "")?.id);
    // A reference to an object outside the sample (or not provisioned) cannot be told from here.
    if (ids.some((x) => x === undefined)) return SKIP;
    return ids.length === 1 ? { value: ids[0] } : ids;
  }
  return value;
}

function stripMeta(resource: Resource | undefined): unknown {
  if (!resource) return undefined;
  const { meta: _meta, ...rest } = resource;
  return rest;
}
