/**
 * The call-count part of `npm run bench` on a tiny stack (2 resources per type, no latency),
 * through the real Pulumi CLI: every count it reports must equal what an independent observer
 * (the emulator's exchange listener) saw during that operation, every operation must have done
 * what its name says, and the report must have its structure. Timings are never asserted.
 */

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { useEmulator } from "../support/emulator";
import { measureCallCounts, type CallCountRow } from "../../bench/calls";
import { benchRoot } from "../../bench/harness";
import { type BenchReport, evaluateGoals, markdownReport } from "../../bench/report";
import { benchContext } from "../../bench/run";

describe("e2e: npm run bench, call counts", function () {
  this.timeout(15 * 60_000);
  // No provisioning cycles: they would change job status between operations.
  const fixture = useEmulator({ extraScimApps: 2, cycleDelayMs: 3_600_000 });
  const workDir = path.join(benchRoot, "results", "tmp", `test-${process.pid}`);
  const observed = new Map<string, number>();
  let rows: CallCountRow[] = [];

  before(async () => {
    const root = process.env.ENTRA_SYNC_PULUMI_ROOT;
    if (!root) throw new Error("ENTRA_SYNC_PULUMI_ROOT is not set: run the tests with `npm test`");
    const { emulator, exchanges } = fixture();
    const ctx = benchContext(emulator, { workDir, pulumiRoot: root });
    rows = await measureCallCounts(ctx, emulator.seeded.extraScimServicePrincipalIds, {
      size: 2,
      // One kind made entirely by the program, one that needs jobs and secrets set up out of band.
      kinds: ["job", "provisionOnDemand", "schema"],
      hooks: {
        before: () => {
          exchanges.length = 0;
        },
        after: (kind, operation) => observed.set(`${kind} ${operation}`, exchanges.length),
      },
    });
  });

  after(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it("measures every operation of every kind asked for", () => {
    assert.deepStrictEqual(
      rows.map((r) => `${r.kind} ${r.operation}`),
      [
        ...["preview (create)", "create", "preview (no-op)", "update: restart trigger", "update: enabled", "refresh", "delete"].map((o) => `job ${o}`),
        ...["preview (create)", "create", "preview (no-op)", "update", "refresh", "delete"].map((o) => `provisionOnDemand ${o}`),
        ...["preview (create)", "create", "preview (no-op)", "preview (change)", "update", "refresh", "delete"].map((o) => `schema ${o}`),
      ],
    );
  });

  it("counts exactly the Graph calls the emulator served during each operation", () => {
    for (const r of rows) {
      const key = `${r.kind} ${r.operation}`;
      assert.strictEqual(r.total.graph, observed.get(key), `${key}: the report's count vs the exchanges observed`);
      assert.strictEqual(r.perResource * r.resources, r.total.graph, key);
      const byRoute = Object.values(r.byRoute).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(byRoute - r.perResource) < 1e-9, `${key}: routes add up`);
      assert.ok(r.seq.through >= r.seq.after, key);
    }
  });

  it("each operation did what its name says, and the Graph calls that go with it", () => {
    for (const r of rows) {
      assert.deepStrictEqual(r.changes, r.expectedChanges, `${r.kind} ${r.operation}: engine summary`);
      // 404 is how a delete learns the object is gone; anything else would be a fault on a healthy tenant.
      assert.deepStrictEqual(
        Object.keys(r.total.failures).filter((status) => status !== "404"),
        [],
        `${r.kind} ${r.operation}: failed Graph calls`,
      );
    }
    const routes = (kind: string, operation: string) => Object.keys(rows.find((r) => r.kind === kind && r.operation === operation)!.byRoute);
    assert.ok(routes("job", "create").includes("POST servicePrincipals/:sp/synchronization/jobs"));
    assert.ok(routes("job", "create").includes("POST servicePrincipals/:sp/synchronization/jobs/:job/start"));
    assert.ok(routes("job", "update: enabled").includes("POST servicePrincipals/:sp/synchronization/jobs/:job/pause"));
    assert.ok(routes("job", "update: restart trigger").includes("POST servicePrincipals/:sp/synchronization/jobs/:job/restart"));
    assert.ok(routes("job", "delete").includes("DELETE servicePrincipals/:sp/synchronization/jobs/:job"));
    assert.ok(routes("provisionOnDemand", "create").includes("POST servicePrincipals/:sp/synchronization/jobs/:job/provisionOnDemand"));
  });

  it("previews make no Graph calls (but a schema's of a change: reads only), and nothing goes below the API's minimum", () => {
    for (const r of rows) {
      const reads = r.kind === "schema" && (r.operation === "preview (change)" || r.operation === "preview (create)");
      if (r.op === "preview" && !reads) assert.strictEqual(r.total.graph, 0, `${r.kind} ${r.operation}`);
      if (reads)
        assert.ok(
          Object.keys(r.byRoute).every((route) => route.startsWith("GET ")),
          `${r.kind} ${r.operation}: reads only`,
        );
      assert.ok(r.perResource >= r.minimum, `${r.kind} ${r.operation}: ${r.perResource} calls under the minimum ${r.minimum}: the minimum table is wrong`);
      if (r.op !== "preview") assert.ok(r.minimumWhy.length > 0, `${r.kind} ${r.operation}: the minimum says why`);
    }
  });

  it("reports the rows and the calls goal", () => {
    for (const r of rows.filter((x) => x.kind === "schema")) {
      process.stdout.write(
        `      schema ${r.operation}: ${r.perResource} Graph calls per resource (${Object.entries(r.byRoute)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")})\n`,
      );
    }
    const report = { callCounts: rows, scale: [] } as unknown as BenchReport;
    const goals = evaluateGoals(report);
    assert.strictEqual(goals[0].goal, "Graph calls per operation equal the minimum (healthy tenant)");
    assert.strictEqual(
      goals[0].met,
      rows.every((r) => r.perResource <= r.minimum),
    );
    const md = markdownReport({
      ...report,
      formatVersion: 1,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      machine: { loadAverage: { start: 0, end: 0 }, cpus: 2, node: process.version, platform: "test", pulumiCli: "", pulumiSdk: "" },
      settings: { latencyMs: 0, parallel: 8, parallelSource: "test", sizes: [], everyStepSizes: [], callCountSize: 2, notes: [] },
      overhead: null,
      schemaTiming: null,
      goals,
    });
    for (const r of rows)
      assert.ok(
        md.includes(`| ${r.kind} | ${r.operation} | ${Number.isInteger(r.perResource) ? r.perResource : r.perResource.toFixed(2)}`),
        `${r.kind} ${r.operation} in the table`,
      );
  });
});
