/**
 * The benchmark's pure parts (`npm run bench`): counting and overlap from request-log entries,
 * the latency bound, goals, the report and chart, argument parsing, and the extra SCIM apps the
 * emulator seeds for it. Timings are never asserted.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RequestLogEntry } from "../../emulator/index";
import { buildSeedTenant } from "../../emulator/seed";
import { addBulkScimApps, bulkScimAppIds, MAX_EXTRA_SCIM_APPS } from "../../emulator/seed/bulk";
import type { CallCountRow } from "../../bench/calls";
import { countCalls } from "../../bench/harness";
import { type BenchReport, evaluateGoals, markdownReport, svgChart } from "../../bench/report";
import { parseArgs } from "../../bench/run";
import { lowerBoundMs, type ScaleResult, stateSize, typeOfRoute } from "../../bench/scale";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
let seq = 0;
function entry(kind: "graph" | "oauth", method: string, route: string, startMs: number, endMs: number, status = 200): RequestLogEntry {
  return {
    seq: ++seq,
    kind,
    method,
    host: "127.0.0.1:8443",
    path: kind === "oauth" ? "/11111111-2222-4333-8444-555555555555/oauth2/v2.0/token" : `/v1.0/${route}`,
    ...(kind === "graph" ? { route } : {}),
    status,
    startedAt: new Date(T0 + startMs).toISOString(),
    endedAt: new Date(T0 + endMs).toISOString(),
    durationMs: endMs - startMs,
    requestId: "r",
    clientRequestId: "c",
  };
}

describe("bench: counting calls", () => {
  it("counts Graph and OAuth calls apart, by route, with failures", () => {
    const c = countCalls([
      entry("oauth", "POST", "", 0, 5),
      entry("graph", "GET", "servicePrincipals/:sp/synchronization/jobs/:job", 0, 50),
      entry("graph", "GET", "servicePrincipals/:sp/synchronization/jobs/:job", 10, 60, 404),
      entry("graph", "POST", "servicePrincipals/:sp/synchronization/jobs/:job/start", 100, 150),
    ]);
    assert.equal(c.graph, 3);
    assert.equal(c.oauth, 1);
    assert.deepEqual(c.oauthByPath, { "POST /:tenant/oauth2/v2.0/token": 1 });
    assert.deepEqual(c.byRoute, {
      "GET servicePrincipals/:sp/synchronization/jobs/:job": 2,
      "POST servicePrincipals/:sp/synchronization/jobs/:job/start": 1,
    });
    assert.deepEqual(c.failures, { "404": 1 });
    // Span 0..150, 150 ms of requests: one in flight on average, two at most.
    assert.equal(c.spanMs, 150);
    assert.equal(c.busyMs, 150);
    assert.equal(c.meanInFlight, 1);
    assert.equal(c.maxInFlight, 2);
  });

  it("reports nothing in flight without calls", () => {
    const c = countCalls([entry("oauth", "POST", "", 0, 5)]);
    assert.deepEqual([c.graph, c.spanMs, c.meanInFlight, c.maxInFlight], [0, 0, 0, 0]);
  });

  it("attributes scale-stack routes to resource types", () => {
    assert.equal(typeOfRoute("PUT servicePrincipals/:sp/synchronization/secrets"), "SynchronizationSecrets");
    assert.equal(typeOfRoute("GET servicePrincipals/:sp"), "SynchronizationSecrets");
    assert.equal(typeOfRoute("POST servicePrincipals/:sp/synchronization/jobs"), "SynchronizationJob");
    assert.equal(typeOfRoute("POST servicePrincipals/:sp/synchronization/jobs/:job/start"), "SynchronizationJob");
    assert.equal(typeOfRoute("GET servicePrincipals/:sp/synchronization/templates/:tpl/schema"), "SynchronizationSchema");
    assert.equal(typeOfRoute("DELETE servicePrincipals/:sp/synchronization/jobs/:job/schema"), "SynchronizationSchema");
  });

  it("bounds by throughput or by the dependency chain, whichever is longer", () => {
    assert.equal(lowerBoundMs(500, 5, 50, 8), 3125);
    assert.equal(lowerBoundMs(10, 5, 50, 8), 250);
    assert.equal(lowerBoundMs(0, 0, 50, 8), 0);
  });
});

describe("bench: options", () => {
  it("defaults to 10, 100 and 500 jobs at 50 ms", () => {
    const o = parseArgs([]);
    assert.deepEqual(o.sizes, [10, 100, 500]);
    assert.equal(o.latencyMs, 50);
    assert.equal(o.parallel, undefined);
    assert.deepEqual([...o.only].sort(), ["calls", "export", "scale", "schema"]);
    assert.equal(o.exportApps, 100);
  });

  it("parses sizes, latency, parallelism and a selection", () => {
    const o = parseArgs(["--sizes", "2,20", "--latency=0", "--parallel", "16", "--only", "calls", "--every-step-sizes", ""]);
    assert.deepEqual(o.sizes, [2, 20]);
    assert.equal(o.latencyMs, 0);
    assert.equal(o.parallel, 16);
    assert.deepEqual([...o.only], ["calls"]);
    assert.deepEqual(o.everyStepSizes, []);
  });

  it("rejects what it does not know", () => {
    assert.throws(() => parseArgs(["--sizes", "ten"]), /non-negative integers/);
    assert.throws(() => parseArgs(["--fast"]), /unknown option --fast/);
  });
});

function fakeScale(apps: number, checkpoints: ScaleResult["checkpoints"], upMs: number): ScaleResult {
  const op = (operation: string, wallMs: number, boundMs: number) => ({
    operation,
    op: "up" as const,
    wallMs,
    calls: countCalls([]),
    minimumCalls: 0,
    boundMs,
    boundActualMs: boundMs,
    ratio: boundMs ? wallMs / boundMs : null,
    ratioActual: boundMs ? wallMs / boundMs : null,
    memory: { provider: 150e6, program: 200e6, engine: 100e6, seen: { provider: 1, program: 1, engine: 1 } },
    changes: {},
    perAppByType: {},
  });
  return {
    apps,
    checkpoints,
    resources: apps * 3,
    operations: [op("preview", 2000, 0), op("up", upMs, 3000), op("refresh", 2000, 1900)],
    state: { checkpointBytes: 1000, bytesPerResource: 900, perType: {}, providerBytesPerResource: 1150 },
    providerPeakBytes: 150e6,
  };
}

const row = (perResource: number, minimum: number): CallCountRow => ({
  kind: "job",
  operation: "create",
  op: "up",
  resources: 2,
  perResource,
  minimum,
  minimumWhy: "",
  byRoute: { "POST servicePrincipals/:sp/synchronization/jobs": 1 },
  oauth: 2,
  total: countCalls([]),
  changes: { create: 3 },
  expectedChanges: { create: 3 },
  wallMs: 1,
  seq: { after: 0, through: 1 },
});

describe("bench: goals and report", () => {
  it("judges each goal from the figures, and says when one was not measured", () => {
    const goals = evaluateGoals({ callCounts: [row(4, 2)], scale: [fakeScale(100, "end", 3600), fakeScale(100, "every-step", 9000)] });
    const by = Object.fromEntries(goals.map((g) => [g.goal.split(" ").slice(0, 2).join(" "), g]));
    assert.equal(by["Graph calls"].met, false);
    assert.match(by["Graph calls"].measured, /job create: 4 vs 2/);
    assert.equal(by["`pulumi up`"].met, true); // 3.6 s / 3 s = 1.2x, the per-step run only noted
    assert.match(by["`pulumi up`"].measured, /1\.20x.*3\.00x with the state saved after every step/);
    assert.equal(by["`pulumi refresh`"].met, true);
    assert.equal(by["Serialized provider"].met, true);
    assert.equal(by["Provider process"].met, null, "no 500-job run");
    assert.equal(evaluateGoals({ callCounts: [row(2, 2)], scale: [] })[0].met, true);
  });

  it("writes markdown with every section and an SVG with a bar per figure", () => {
    const scale = [fakeScale(10, "end", 5000), fakeScale(100, "end", 9000), fakeScale(100, "every-step", 20000)];
    const report: BenchReport = {
      formatVersion: 1,
      startedAt: "2026-01-01T00:00:00.000Z",
      durationMs: 60_000,
      machine: { loadAverage: { start: 1, end: 1 }, cpus: 2, node: "v20", platform: "linux x64", pulumiCli: "v3.248.0", pulumiSdk: "3.248.0" },
      settings: { latencyMs: 50, parallel: 8, parallelSource: "default", sizes: [10, 100], everyStepSizes: [100], callCountSize: 2, notes: [] },
      callCounts: [row(4, 2)],
      overhead: fakeScale(0, "end", 3000),
      scale,
      schemaTiming: { schemaBytes: 970_000, iterations: 3, medianMs: { mergeSchema: 12 }, mergeAndDiffMedianMs: 40 },
      goals: [],
    };
    report.goals = evaluateGoals(report);
    const md = markdownReport(report);
    for (const heading of [
      "## Goals",
      "## Graph calls per resource per operation",
      "## Wall time against the latency bound",
      "## State size",
      "## Peak memory",
      "## Schema merge and diff",
    ]) {
      assert.ok(md.includes(heading), heading);
    }
    assert.match(md, /\| job \| create \| 4 \(\*\*\+2\*\*\) \| 2 \|/);
    assert.match(md, /\| 100 \(300\), state saved every step \| up \| 20\.0 \|/);
    assert.match(md, /\| empty stack \| up \|/);
    const svg = svgChart(report);
    assert.ok(svg.startsWith("<svg") && svg.trimEnd().endsWith("</svg>"));
    // Two panels (the every-step run is in the table only), three operations, three series.
    assert.equal((svg.match(/<rect [^>]*><title>/g) ?? []).length, 2 * 3 * 3);
    assert.ok(!svg.includes("NaN"));
  });

  it("measures state per resource type and the serialized provider's two copies", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-state-"));
    const file = path.join(dir, "s.json");
    const provider = "exports.handler = function () {};";
    fs.writeFileSync(
      file,
      JSON.stringify({
        checkpoint: {
          latest: {
            resources: [
              { type: "pulumi:pulumi:Stack", urn: "s" },
              { type: "pulumi-nodejs:dynamic/entra-sync:SynchronizationJob", inputs: { __provider: provider }, outputs: { __provider: provider, jobId: "x" } },
              { type: "pulumi-nodejs:dynamic/entra-sync:SynchronizationJob", inputs: { __provider: provider }, outputs: { __provider: provider, jobId: "yy" } },
            ],
          },
        },
      }),
    );
    const size = stateSize(file);
    assert.equal(size.perType.SynchronizationJob.count, 2);
    assert.equal(size.providerBytesPerResource, 2 * Buffer.byteLength(JSON.stringify(provider)));
    assert.equal(size.bytesPerResource, size.checkpointBytes / 2);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("emulator: extra SCIM apps for scale runs (seed/bulk.ts)", () => {
  it("adds N SCIM apps with their own template, deterministically, without shifting seeded ids", () => {
    const plain = buildSeedTenant(7);
    const a = addBulkScimApps(buildSeedTenant(7), 3);
    const b = addBulkScimApps(buildSeedTenant(7), 3);
    const ids = bulkScimAppIds(a);
    assert.equal(ids.length, 3);
    assert.deepEqual(ids, bulkScimAppIds(b));
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(a.servicePrincipals.slice(0, plain.servicePrincipals.length), plain.servicePrincipals);
    assert.equal(a.idRngState, plain.idRngState, "the id stream is untouched");
    for (const id of ids) {
      const sp = a.servicePrincipals.find((s) => s.id === id)!;
      const templates = a.synchronization[id].templates;
      assert.deepEqual(
        templates.map((t) => t.template.id),
        ["scim"],
      );
      assert.equal(templates[0].template.applicationId, sp.appId);
      assert.equal(a.synchronization[id].secrets, null);
    }
    assert.notDeepEqual(bulkScimAppIds(addBulkScimApps(buildSeedTenant(8), 3)), ids, "another seed, other ids");
    assert.deepEqual(bulkScimAppIds(addBulkScimApps(buildSeedTenant(7), 0)), []);
    assert.throws(() => addBulkScimApps(buildSeedTenant(7), MAX_EXTRA_SCIM_APPS + 1), RangeError);
  });
});
