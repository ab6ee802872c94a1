/**
 * The benchmark's instruments: the emulator's request log (Graph and OAuth calls per operation),
 * a sampler of the Pulumi processes' memory (/proc), a raw Graph client for setup done out of
 * band, and a Pulumi stack of bench/program driven through the Automation API with the project's
 * CLI.
 */

import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { performance } from "perf_hooks";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { RequestLogEntry, RunningEmulator } from "../emulator/index";
import type { RawGraph } from "../test/support/raw-graph";
import type { BenchPlan } from "./plan";

export const benchRoot = __dirname;
export const repoRoot = path.resolve(__dirname, "..");

// --- request log ---------------------------------------------------------------------------------

/** GET /_emulator/requests, paged by sequence number; polled so that a long operation never overruns the log's 10 000 entries. */
export class RequestLogReader {
  constructor(private readonly endpoint: string) {}

  async read(since: number): Promise<{ value: RequestLogEntry[]; latestSeq: number }> {
    const response = await fetch(`${this.endpoint}/_emulator/requests?since=${since}`);
    if (!response.ok) throw new Error(`GET /_emulator/requests: ${response.status} ${await response.text()}`);
    return (await response.json()) as { value: RequestLogEntry[]; latestSeq: number };
  }

  async latestSeq(): Promise<number> {
    return (await this.read(Number.MAX_SAFE_INTEGER)).latestSeq;
  }

  /** Collect every entry after `since` until stop(); fails if the log dropped entries in between. */
  collect(since: number, intervalMs = 1000): { stop(): Promise<RequestLogEntry[]> } {
    const entries: RequestLogEntry[] = [];
    let last = since;
    let failure: Error | undefined;
    let pending: Promise<void> = Promise.resolve();
    const poll = () =>
      (pending = pending.then(async () => {
        try {
          const page = await this.read(last);
          if (page.value.length > 0 && page.value[0].seq !== last + 1) {
            failure ??= new Error(`request log overran: entries ${last + 1}..${page.value[0].seq - 1} were dropped`);
          }
          entries.push(...page.value);
          if (page.value.length > 0) last = page.value[page.value.length - 1].seq;
        } catch (e) {
          failure ??= e as Error;
        }
      }));
    // poll() chains onto `pending`, which stop() awaits; its failures land in `failure`.
    const timer = setInterval(() => void poll(), intervalMs);
    return {
      stop: async () => {
        clearInterval(timer);
        await poll();
        if (failure) throw failure;
        return entries;
      },
    };
  }
}

export interface CallCount {
  /** Graph requests (kind "graph"), whatever their status. */
  graph: number;
  /** Token and OpenID metadata requests (kind "oauth"). */
  oauth: number;
  /** Graph requests by "METHOD route", e.g. "POST servicePrincipals/:sp/synchronization/jobs/:job/start". */
  byRoute: Record<string, number>;
  /** OAuth/OpenID requests by "METHOD path" (tenant id as :tenant). */
  oauthByPath: Record<string, number>;
  /** Graph requests that did not succeed (status 0 or >= 400), by status. */
  failures: Record<string, number>;
  /** From the first Graph request's start to the last one's end, ms (0 without calls). */
  spanMs: number;
  /** Sum of the Graph requests' durations (latency included), ms. */
  busyMs: number;
  /** busyMs / spanMs: how many Graph requests were in flight on average while any was. */
  meanInFlight: number;
  maxInFlight: number;
}

export function countCalls(entries: RequestLogEntry[]): CallCount {
  const count: CallCount = { graph: 0, oauth: 0, byRoute: {}, oauthByPath: {}, failures: {}, spanMs: 0, busyMs: 0, meanInFlight: 0, maxInFlight: 0 };
  const graph = entries.filter((e) => e.kind === "graph");
  if (graph.length > 0) {
    const events = graph.flatMap((e) => [
      { t: Date.parse(e.startedAt), d: 1 },
      { t: Date.parse(e.endedAt), d: -1 },
    ]);
    events.sort((a, b) => a.t - b.t || a.d - b.d);
    let inFlight = 0;
    for (const ev of events) count.maxInFlight = Math.max(count.maxInFlight, (inFlight += ev.d));
    count.spanMs = events[events.length - 1].t - events[0].t;
    count.busyMs = graph.reduce((n, e) => n + (Date.parse(e.endedAt) - Date.parse(e.startedAt)), 0);
    count.meanInFlight = count.spanMs > 0 ? count.busyMs / count.spanMs : 0;
  }
  for (const e of entries) {
    if (e.kind === "oauth") {
      count.oauth++;
      const key = `${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ":tenant")}`;
      count.oauthByPath[key] = (count.oauthByPath[key] ?? 0) + 1;
      continue;
    }
    count.graph++;
    const key = `${e.method} ${e.route ?? e.path}`;
    count.byRoute[key] = (count.byRoute[key] ?? 0) + 1;
    if (e.status === 0 || e.status >= 400) count.failures[String(e.status)] = (count.failures[String(e.status)] ?? 0) + 1;
  }
  return count;
}

/** "POST …/jobs/:job/start" for tables: the route without its common prefix. */
export function shortRoute(key: string): string {
  return key.replace("servicePrincipals/:sp/synchronization/", "…/");
}

// --- process memory ------------------------------------------------------------------------------

export type ProcessRole = "provider" | "program" | "engine";

export interface MemoryPeaks {
  /** Peak resident set (VmHWM) in bytes per role, the largest over that role's processes; 0 = not seen. */
  provider: number;
  program: number;
  engine: number;
  /** Processes seen per role. */
  seen: Record<ProcessRole, number>;
}

/** A process's role from its command line, for descendants of this process only. */
function roleOf(args: string[]): ProcessRole | undefined {
  if (args.length === 0) return undefined;
  const exe = path.basename(args[0]);
  if (exe === "pulumi") return "engine";
  if (exe !== "node" && !exe.startsWith("node")) return undefined;
  if (args.includes("-e")) return undefined; // the launcher's `node -e require.resolve(...)`
  if (args.some((a) => /cmd[/\\]dynamic-provider([/\\]index\.js)?$/.test(a))) return "provider";
  if (args.some((a) => /cmd[/\\]run([/\\]index\.js)?$/.test(a))) return "program";
  return undefined;
}

/**
 * Samples /proc every `intervalMs` for processes descending from this one (Automation API ->
 * pulumi -> plugin launcher -> node), recording each one's VmHWM (the kernel's own peak RSS, so a
 * short spike between two samples is not missed, as long as the process is sampled once before
 * it exits). Linux only; elsewhere the peaks stay 0.
 */
export function sampleMemory(intervalMs = 200): { stop(): MemoryPeaks } {
  const peaks: MemoryPeaks = { provider: 0, program: 0, engine: 0, seen: { provider: 0, program: 0, engine: 0 } };
  const parents = new Map<number, number>();
  /** null = not a descendant of this process. */
  const roles = new Map<number, ProcessRole | null>();
  const ours = new Set<number>();
  const self = process.pid;
  const parentOf = (pid: number): number | undefined => {
    if (parents.has(pid)) return parents.get(pid);
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(pid, ppid);
      return ppid;
    } catch {
      return undefined;
    }
  };
  const descends = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 32; hops++) {
      p = parentOf(p);
      if (p === self) return true;
    }
    return false;
  };
  const tick = () => {
    let pids: number[];
    try {
      pids = fs
        .readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .map(Number);
    } catch {
      return;
    }
    for (const pid of pids) {
      let role = roles.get(pid);
      if (role === null) continue;
      if (role === undefined) {
        if (!ours.has(pid) && !descends(pid)) {
          // Not ours; a process is only ever re-parented to init, so it never becomes ours.
          roles.set(pid, null);
          continue;
        }
        ours.add(pid);
        // Read the command line until it names a role: a child is a copy of its parent (e.g. the
        // plugin launcher's shell) until it execs node.
        try {
          role = roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean));
        } catch {
          continue;
        }
        if (!role) continue;
        roles.set(pid, role);
        peaks.seen[role]++;
      }
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        if (hwm) peaks[role] = Math.max(peaks[role], Number(hwm[1]) * 1024);
      } catch {
        /* exited */
      }
    }
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return peaks;
    },
  };
}

// --- the stack -----------------------------------------------------------------------------------

export interface BenchContext {
  emulator: RunningEmulator;
  graph: RawGraph;
  log: RequestLogReader;
  /** A directory of this run under bench/results/tmp (backends, the program's copy). */
  workDir: string;
  /** `<root>/bin/pulumi` is the CLI (scripts/pulumi-cli.js). */
  pulumiRoot: string;
  /** --parallel for every operation; undefined = the engine's default. */
  parallel?: number;
  /** Progress lines (stderr). */
  note(line: string): void;
}

/** When the engine saves the checkpoint: after every step (the default) or only at the end (PULUMI_SKIP_CHECKPOINTS). */
export type Checkpoints = "every-step" | "end";

export type OpName = "preview" | "up" | "refresh" | "destroy";

export interface OpMeasurement {
  op: OpName;
  wallMs: number;
  calls: CallCount;
  memory: MemoryPeaks;
  /** The engine's summary of resource operations (without "same"). */
  changes: Record<string, number>;
  /** First and last request-log sequence numbers the operation covered (exclusive, inclusive). */
  seq: { after: number; through: number };
}

/** Copy bench/program into the run's directory once: stack config files land there, not in the source tree. */
function programDir(workDir: string): string {
  const dir = path.join(workDir, "program");
  if (!fs.existsSync(path.join(dir, "index.ts"))) {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(benchRoot, "program", f), path.join(dir, f));
  }
  return dir;
}

export class BenchStack {
  private constructor(
    readonly ctx: BenchContext,
    readonly stack: Stack,
    readonly name: string,
    readonly backend: string,
  ) {}

  /**
   * `checkpoints: "end"` sets PULUMI_SKIP_CHECKPOINTS: the engine writes the state once at the end
   * instead of the whole checkpoint after every step (which the file backend does by default).
   */
  static async create(ctx: BenchContext, name: string, plan: BenchPlan, checkpoints: Checkpoints = "every-step"): Promise<BenchStack> {
    const backend = path.join(ctx.workDir, "backends", name);
    fs.rmSync(backend, { recursive: true, force: true });
    fs.mkdirSync(backend, { recursive: true });
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: name, workDir: programDir(ctx.workDir) },
      {
        pulumiCommand: await PulumiCommand.get({ root: ctx.pulumiRoot }),
        envVars: {
          ...ctx.emulator.env,
          PULUMI_BACKEND_URL: `file://${backend}`,
          PULUMI_CONFIG_PASSPHRASE: "bench",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
          // Measure the provider, not the TypeScript type checker on the program.
          PULUMI_NODEJS_TRANSPILE_ONLY: "true",
          ...(checkpoints === "end" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
          PATH: `${path.join(ctx.pulumiRoot, "bin")}${path.delimiter}${process.env.PATH}`,
        },
      },
    );
    const s = new BenchStack(ctx, stack, name, backend);
    await stack.setAllConfig({ scimToken: { value: "bench-token-not-a-secret", secret: true } });
    await s.setPlan(plan);
    return s;
  }

  async setPlan(plan: BenchPlan): Promise<void> {
    await this.stack.setConfig("plan", { value: JSON.stringify(plan) });
  }

  /** Run one operation, counting its Graph calls in the emulator's log and sampling memory. */
  async run(op: OpName): Promise<OpMeasurement> {
    const after = await this.ctx.log.latestSeq();
    const collector = this.ctx.log.collect(after);
    const sampler = sampleMemory();
    const started = performance.now();
    let changes: Record<string, number> = {};
    let failure: unknown;
    try {
      changes = await this.operation(op);
    } catch (e) {
      failure = e;
    }
    // Stop the instruments whatever happened, so a failed operation leaves no timer behind.
    const wallMs = performance.now() - started;
    const memory = sampler.stop();
    const entries = await collector.stop();
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the operation threw, as it was
    if (failure) throw failure;
    const through = entries.length > 0 ? entries[entries.length - 1].seq : after;
    return {
      op,
      wallMs,
      calls: countCalls(entries),
      memory,
      changes: Object.fromEntries(Object.entries(changes).filter(([k]) => k !== "same")),
      seq: { after, through },
    };
  }

  private async operation(op: OpName): Promise<Record<string, number>> {
    const opts = { parallel: this.ctx.parallel };
    switch (op) {
      case "preview":
        return (await this.stack.preview(opts)).changeSummary ?? {};
      case "up":
        return (await this.stack.up(opts)).summary.resourceChanges ?? {};
      case "refresh":
        return (await this.stack.refresh(opts)).summary.resourceChanges ?? {};
      case "destroy":
        return (await this.stack.destroy(opts)).summary.resourceChanges ?? {};
    }
  }

  /** The checkpoint as it sits in the file backend. */
  checkpointFile(): string {
    const stacks = path.join(this.backend, ".pulumi", "stacks");
    const found = fs
      .readdirSync(stacks, { recursive: true, encoding: "utf8" })
      .map((f) => path.join(stacks, f))
      .filter((f) => path.basename(f) === `${this.name}.json`);
    if (found.length !== 1) throw new Error(`expected one checkpoint of ${this.name} under ${stacks}, found ${found.length}`);
    return found[0];
  }

  async dispose(): Promise<void> {
    await this.stack.destroy().catch(() => undefined);
    await this.stack.workspace.removeStack(this.name).catch(() => undefined);
    fs.rmSync(this.backend, { recursive: true, force: true });
  }
}

/** Pulumi's default --parallel, as the CLI reports it (4 x GOMAXPROCS unless PULUMI_PARALLEL is set). */
export function engineDefaultParallel(pulumiRoot: string): number {
  const help = execFileSync(path.join(pulumiRoot, "bin", "pulumi"), ["up", "--help"], { encoding: "utf8" });
  const m = /--parallel int32\s.*\(default (\d+)\)/.exec(help);
  if (!m) throw new Error("cannot find the default of --parallel in `pulumi up --help`");
  return Number(m[1]);
}
