/**
 * Wall time of preview, up, a second preview, refresh and destroy of a stack of N apps (each: its
 * SCIM secrets, a started job, a schema customization), against the latency lower bound; state
 * size per resource; peak memory of the provider process.
 */

import * as fs from "fs";
import { basePlan } from "./calls";
import { type BenchContext, BenchStack, type CallCount, type Checkpoints, type MemoryPeaks, type OpMeasurement, type OpName } from "./harness";
import { SCALE_KINDS, SCALE_MINIMUM, STATE_RESOURCES, TYPE_OF } from "./plan";

export interface ScaleOperation {
  /** "preview", "up", "preview (no-op)", "refresh", "destroy". */
  operation: string;
  op: OpName;
  wallMs: number;
  calls: CallCount;
  minimumCalls: number;
  /** max(minimum calls x latency / parallelism, dependency depth x latency). */
  boundMs: number;
  /** The same bound with the calls actually made: what perfect overlap of this provider's calls would take. */
  boundActualMs: number;
  /** wallMs / boundMs (null when the bound is 0, e.g. previews). */
  ratio: number | null;
  ratioActual: number | null;
  memory: MemoryPeaks;
  changes: Record<string, number>;
  /** Graph calls per app by resource type (route-attributed). */
  perAppByType: Record<string, number>;
}

export interface StateSize {
  checkpointBytes: number;
  /** checkpoint bytes / resources of this package. */
  bytesPerResource: number;
  /** Mean compact-JSON bytes of one resource's state entry, by type. */
  perType: Record<string, { count: number; meanBytes: number; providerBytes: number }>;
  /** `__provider` bytes per resource, both copies (inputs and outputs), largest over resources. */
  providerBytesPerResource: number;
}

export interface ScaleResult {
  apps: number;
  /** When the engine saved the checkpoint during each operation. */
  checkpoints: Checkpoints;
  resources: number;
  operations: ScaleOperation[];
  state: StateSize;
  /** Largest provider-process peak RSS over the operations, bytes. */
  providerPeakBytes: number;
}

const STEPS: { operation: string; op: OpName }[] = [
  { operation: "preview", op: "preview" },
  { operation: "up", op: "up" },
  { operation: "preview (no-op)", op: "preview" },
  { operation: "refresh", op: "refresh" },
  { operation: "destroy", op: "destroy" },
];

/** Which resource type a Graph route belongs to in the scale stack (secrets, job, schema only). */
export function typeOfRoute(route: string): string {
  if (/\/schema$/.test(route)) return TYPE_OF.schema;
  if (/synchronization\/secrets$/.test(route) || /^GET servicePrincipals\/:sp$/.test(route)) return TYPE_OF.secrets;
  if (/synchronization\/jobs/.test(route)) return TYPE_OF.job;
  return "other";
}

export function lowerBoundMs(calls: number, depth: number, latencyMs: number, parallel: number): number {
  return Math.max((calls * latencyMs) / parallel, depth * latencyMs);
}

export function stateSize(checkpointFile: string): StateSize {
  const text = fs.readFileSync(checkpointFile, "utf8");
  const resources: any[] = JSON.parse(text).checkpoint?.latest?.resources ?? [];
  const ours = resources.filter((r) => typeof r.type === "string" && r.type.startsWith("pulumi-nodejs:dynamic/"));
  const perType: StateSize["perType"] = {};
  let providerMax = 0;
  for (const r of ours) {
    const type = r.type.split(":").pop();
    const entry = (perType[type] ??= { count: 0, meanBytes: 0, providerBytes: 0 });
    const bytes = Buffer.byteLength(JSON.stringify(r));
    const provider = ["inputs", "outputs"].reduce((n, k) => n + Buffer.byteLength(JSON.stringify(r[k]?.__provider ?? "")), 0);
    entry.meanBytes += (bytes - entry.meanBytes) / (entry.count + 1);
    entry.providerBytes = Math.max(entry.providerBytes, provider);
    entry.count++;
    providerMax = Math.max(providerMax, provider);
  }
  const checkpointBytes = Buffer.byteLength(text);
  return {
    checkpointBytes,
    bytesPerResource: ours.length ? checkpointBytes / ours.length : 0,
    perType,
    providerBytesPerResource: providerMax,
  };
}

export async function measureScale(
  ctx: BenchContext,
  servicePrincipalIds: string[],
  apps: number,
  latencyMs: number,
  parallel: number,
  checkpoints: Checkpoints,
): Promise<ScaleResult> {
  const sps = servicePrincipalIds.slice(0, apps);
  if (sps.length < apps) throw new Error(`need ${apps} service principals, have ${sps.length}`);
  const stack = await BenchStack.create(ctx, `scale-${apps}-${checkpoints}`, basePlan(sps, SCALE_KINDS), checkpoints);
  const operations: ScaleOperation[] = [];
  let state: StateSize | undefined;
  try {
    for (const step of STEPS) {
      ctx.note(`scale ${apps} (checkpoints: ${checkpoints}): ${step.operation}`);
      const m: OpMeasurement = await stack.run(step.op);
      if (step.op === "up") state = stateSize(stack.checkpointFile());
      const min = SCALE_MINIMUM[step.operation];
      const minimumCalls = min.callsPerApp * apps;
      const depth = apps > 0 ? min.depth : 0;
      const boundMs = lowerBoundMs(minimumCalls, depth, latencyMs, parallel);
      const boundActualMs = lowerBoundMs(m.calls.graph, depth, latencyMs, parallel);
      const perAppByType: Record<string, number> = {};
      for (const [route, n] of Object.entries(m.calls.byRoute)) {
        const type = typeOfRoute(route);
        perAppByType[type] = (perAppByType[type] ?? 0) + n / apps;
      }
      operations.push({
        operation: step.operation,
        op: step.op,
        wallMs: m.wallMs,
        calls: m.calls,
        minimumCalls,
        boundMs,
        boundActualMs,
        ratio: boundMs > 0 ? m.wallMs / boundMs : null,
        ratioActual: boundActualMs > 0 ? m.wallMs / boundActualMs : null,
        memory: m.memory,
        changes: m.changes,
        perAppByType,
      });
      ctx.note(
        `  ${(m.wallMs / 1000).toFixed(1)} s, ${m.calls.graph} Graph calls (+${m.calls.oauth} OAuth), provider peak ${(m.memory.provider / 2 ** 20).toFixed(0)} MiB, ${JSON.stringify(m.changes)}`,
      );
    }
  } finally {
    await stack.dispose();
  }
  if (!state) throw new Error("no state measured");
  return {
    apps,
    checkpoints,
    resources: apps * SCALE_KINDS.reduce((n, kind) => n + STATE_RESOURCES[kind], 0),
    operations,
    state,
    providerPeakBytes: Math.max(...operations.map((o) => o.memory.provider)),
  };
}
