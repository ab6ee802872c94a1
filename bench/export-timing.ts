/**
 * How long `pulumi-entra-sync export --all` takes for N apps over a Graph with latency, and the
 * Graph calls it makes, counted in the emulator's request log. Each app is set up out of band first
 * (secrets and a job, as the portal leaves them), outside the measured window.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { runExport } from "../provider/export/command";
import { resetConnectionSettings } from "../provider/graph/connection";
import type { BenchContext } from "./harness";

export interface ExportTiming {
  apps: number;
  /** Service principals in the tenant (--all reads the list and asks each for its jobs). */
  servicePrincipals: number;
  wallMs: number;
  graphCalls: number;
  byRoute: Record<string, number>;
  parallel: number;
}

export async function measureExport(ctx: BenchContext, sps: string[], apps: number, parallel = 8): Promise<ExportTiming> {
  const chosen = sps.slice(0, apps);
  ctx.note(`export: setting up ${chosen.length} apps`);
  for (const sp of chosen) {
    const sync = `/servicePrincipals/${sp}/synchronization`;
    await ctx.graph.expect(204, "PUT", `${sync}/secrets`, {
      value: [
        { key: "BaseAddress", value: "https://bench.example/scim" },
        { key: "SecretToken", value: "bench-token" },
      ],
    });
    await ctx.graph.expect(201, "POST", `${sync}/jobs`, { templateId: "scim" });
  }
  // The export reads the same environment the provider would: the emulator's admin client.
  const saved = { ...process.env };
  Object.assign(process.env, ctx.emulator.env);
  resetConnectionSettings();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "entra-sync-bench-export-"));
  try {
    const since = await ctx.log.latestSeq();
    const t0 = performance.now();
    const result = await runExport({ scope: { all: true }, out, project: "bench", packageSpec: "*", parallel, force: true });
    const wallMs = performance.now() - t0;
    const entries = (await ctx.log.read(since)).value.filter((e) => e.kind === "graph");
    const byRoute: Record<string, number> = {};
    for (const e of entries) byRoute[`${e.method} ${e.route ?? e.path}`] = (byRoute[`${e.method} ${e.route ?? e.path}`] ?? 0) + 1;
    const servicePrincipals = (await ctx.graph.expect(200, "GET", "/servicePrincipals?$select=id")).value.length;
    return { apps: result.apps.length, servicePrincipals, wallMs, graphCalls: entries.length, byRoute, parallel };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetConnectionSettings();
  }
}
