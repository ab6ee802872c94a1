/**
 * `npm run bench [-- --sizes 10,100,500 --latency 50 --call-size 5 --parallel N --only calls,scale,schema]`
 *
 * One run against an in-process Graph emulator with injected latency and N extra SCIM apps:
 *   1. Graph calls per resource per operation, per resource type (bench/calls.ts);
 *   2. wall time of preview, up, no-op preview, refresh and destroy for stacks of each size, with
 *      an empty stack for the fixed cost, against the latency bound; state size; peak memory
 *      of the provider process (bench/scale.ts);
 *   3. merge and diff time of a ~1 MB schema (bench/schema-timing.ts);
 *   4. `export --all` of 100 apps (or --export-apps N): wall time and Graph calls (bench/export-timing.ts).
 * Writes bench/results/latest.{json,md} and bench/results/chart.svg. Started by scripts/bench.js,
 * which builds the package and sets NODE_EXTRA_CA_CERTS and the Pulumi CLI's location.
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { type RunningEmulator, startEmulator } from "../emulator/index";
import { type CallCountRow, measureCallCounts } from "./calls";
import { RawGraph } from "../test/support/raw-graph";
import { benchRoot, type BenchContext, engineDefaultParallel, repoRoot, RequestLogReader } from "./harness";
import { type BenchReport, evaluateGoals, markdownReport, svgChart } from "./report";
import { measureScale, type ScaleResult } from "./scale";
import { measureSchemaTiming, type SchemaTiming } from "./schema-timing";
import { type ExportTiming, measureExport } from "./export-timing";

export interface BenchOptions {
  sizes: number[];
  latencyMs: number;
  callCountSize: number;
  /** Undefined: the engine's default. */
  parallel?: number;
  only: Set<"calls" | "scale" | "schema" | "export">;
  exportApps: number;
  outDir: string;
  keepWorkDir: boolean;
  /**
   * Sizes also measured with the file backend's default of saving the whole checkpoint after every
   * step (the main runs save it once at the end: PULUMI_SKIP_CHECKPOINTS). Default: the sizes <= 100.
   */
  everyStepSizes?: number[];
}

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    sizes: [10, 100, 500],
    latencyMs: 50,
    callCountSize: 5,
    only: new Set(["calls", "scale", "schema", "export"]),
    exportApps: 100,
    outDir: path.join(benchRoot, "results"),
    keepWorkDir: false,
  };
  const ints = (v: string, flag: string) =>
    v.split(",").map((x) => {
      const n = Number(x.trim());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} takes non-negative integers, got "${v}"`);
      return n;
    });
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i] ?? "";
    switch (flag) {
      case "--sizes":
        options.sizes = ints(value(), flag).filter((n) => n > 0);
        break;
      case "--latency":
        options.latencyMs = ints(value(), flag)[0];
        break;
      case "--call-size":
        options.callCountSize = Math.max(1, ints(value(), flag)[0]);
        break;
      case "--parallel":
        options.parallel = Math.max(1, ints(value(), flag)[0]);
        break;
      case "--only":
        options.only = new Set(
          value()
            .split(",")
            .map((x) => x.trim()) as ("calls" | "scale" | "schema" | "export")[],
        );
        break;
      case "--out":
        options.outDir = path.resolve(value());
        break;
      case "--every-step-sizes":
        options.everyStepSizes = value() === "" ? [] : ints(value(), flag).filter((n) => n > 0);
        break;
      case "--export-apps":
        options.exportApps = ints(value(), flag)[0];
        break;
      case "--keep":
        options.keepWorkDir = true;
        break;
      case "--help":
        console.log(fs.readFileSync(__filename, "utf8").split("*/")[0]);
        process.exit(0);
        break; // not reached: process.exit does not return
      default:
        throw new Error(`unknown option ${argv[i]} (see --help)`);
    }
  }
  return options;
}

export function benchContext(emulator: RunningEmulator, opts: { workDir: string; pulumiRoot: string; parallel?: number; note?: (l: string) => void }): BenchContext {
  return {
    emulator,
    graph: new RawGraph(emulator),
    log: new RequestLogReader(emulator.graphEndpoint),
    workDir: opts.workDir,
    pulumiRoot: opts.pulumiRoot,
    parallel: opts.parallel,
    note: opts.note ?? (() => undefined),
  };
}

function versionOf(pkg: string): string {
  return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [repoRoot] }), "utf8")).version;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const pulumiRoot = process.env.ENTRA_SYNC_PULUMI_ROOT;
  if (!pulumiRoot) throw new Error("ENTRA_SYNC_PULUMI_ROOT is not set: run the benchmark with `npm run bench`");
  const startedAt = new Date();
  const loadStart = os.loadavg()[0];
  const t0 = performance.now();
  const note = (line: string) => process.stderr.write(`[bench +${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);
  const defaultParallel = engineDefaultParallel(pulumiRoot);
  const parallel = options.parallel ?? defaultParallel;
  const workDir = path.join(benchRoot, "results", "tmp", `run-${process.pid}`);

  let callCounts: CallCountRow[] = [];
  let overhead: ScaleResult | null = null;
  const scale: ScaleResult[] = [];
  let schemaTiming: SchemaTiming | null = null;
  let exportTiming: ExportTiming | null = null;

  if (options.only.has("schema")) {
    note("schema merge and diff timing");
    schemaTiming = measureSchemaTiming();
  }
  const everyStepSizes = options.everyStepSizes ?? options.sizes.filter((n) => n <= 100);
  const needApps = Math.max(
    options.only.has("calls") ? options.callCountSize : 0,
    options.only.has("export") ? options.exportApps : 0,
    ...(options.only.has("scale") ? [...options.sizes, ...everyStepSizes] : [0]),
  );
  if (needApps > 0 || options.only.has("scale")) {
    const emulator = await startEmulator({
      extraScimApps: needApps,
      faults: options.latencyMs > 0 ? { rules: [{ latency: { ms: options.latencyMs } }] } : undefined,
      // No provisioning cycles during the run: they would compete for the CPU and change job status between operations.
      cycleDelayMs: 24 * 3_600_000,
    });
    fs.mkdirSync(workDir, { recursive: true });
    const ctx = benchContext(emulator, { workDir, pulumiRoot, parallel: options.parallel, note });
    const sps = emulator.seeded.extraScimServicePrincipalIds;
    try {
      if (options.only.has("calls")) {
        callCounts = await measureCallCounts(ctx, sps, { size: options.callCountSize });
      }
      if (options.only.has("scale")) {
        overhead = await measureScale(ctx, sps, 0, options.latencyMs, parallel, "end");
        for (const size of options.sizes) scale.push(await measureScale(ctx, sps, size, options.latencyMs, parallel, "end"));
        for (const size of everyStepSizes) scale.push(await measureScale(ctx, sps, size, options.latencyMs, parallel, "every-step"));
      }
      // Last: it leaves a job on each app it measures.
      if (options.only.has("export") && options.exportApps > 0) {
        note(`export --all of ${options.exportApps} apps`);
        exportTiming = await measureExport(ctx, sps, options.exportApps);
      }
    } finally {
      await emulator.stop();
      if (!options.keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
    }
  }

  const report: BenchReport = {
    formatVersion: 1,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - t0,
    machine: {
      loadAverage: { start: loadStart, end: os.loadavg()[0] },
      cpus: os.availableParallelism?.() ?? os.cpus().length,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      pulumiCli: execFileSync(path.join(pulumiRoot, "bin", "pulumi"), ["version"], { encoding: "utf8" }).trim(),
      pulumiSdk: versionOf("@pulumi/pulumi"),
    },
    settings: {
      latencyMs: options.latencyMs,
      parallel,
      parallelSource:
        options.parallel === undefined
          ? `the engine's default --parallel: 4 x GOMAXPROCS${process.env.PULUMI_PARALLEL ? ", from PULUMI_PARALLEL" : ""} (pkg/cmd/pulumi/operations/up.go defaultParallel)`
          : "--parallel given to the benchmark",
      sizes: options.sizes,
      everyStepSizes,
      callCountSize: options.callCountSize,
      notes: [
        "Operations run through the Automation API (`up`, `refresh`, `destroy` with --skip-preview, as `pulumi up --yes --skip-preview` would) on a file:// backend in bench/results/tmp.",
        "The program is TypeScript run with PULUMI_NODEJS_TRANSPILE_ONLY=true, so program type-checking is not in the figures.",
        'Main runs set PULUMI_SKIP_CHECKPOINTS=true (state saved once, at the end of each operation), so the figures show the provider and the engine rather than the file backend rewriting the whole checkpoint after every step; the rows marked "every step" are the file backend\'s default, for comparison.',
        "No provisioning cycles run during the benchmark (cycleDelayMs = 24 h), and no faults but the latency: a healthy tenant.",
      ],
    },
    callCounts,
    overhead,
    scale,
    schemaTiming,
    exportTiming,
    goals: [],
  };
  report.goals = evaluateGoals(report);
  return report;
}

export function writeReport(report: BenchReport, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    "latest.json": JSON.stringify(report, null, 1) + "\n",
    "latest.md": markdownReport(report) + "\n",
    ...(report.scale.length ? { "chart.svg": svgChart(report) } : {}),
  };
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}

if (require.main === module) {
  (async () => {
    const options = parseArgs(process.argv.slice(2));
    const report = await runBench(options);
    const files = writeReport(report, options.outDir);
    console.log(markdownReport(report));
    console.error(`\nwrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")} in ${(report.durationMs / 60_000).toFixed(1)} min`);
  })().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
