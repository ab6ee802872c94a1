/**
 * The benchmark's outputs: JSON for machines, a markdown report for people, and an SVG chart of
 * wall time against the latency lower bound (drawn by hand: no charting dependency).
 */

import type { CallCountRow } from "./calls";
import { shortRoute } from "./harness";
import type { ScaleResult } from "./scale";
import type { SchemaTiming } from "./schema-timing";
import type { ExportTiming } from "./export-timing";

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  /** null when the run did not measure it (e.g. size 100 not among --sizes). */
  met: boolean | null;
  note?: string;
}

export interface BenchReport {
  formatVersion: 1;
  startedAt: string;
  durationMs: number;
  /** 1-minute load averages at the start and the end: the machine is shared, so say how busy it was. */
  machine: { loadAverage: { start: number; end: number }; cpus: number; node: string; platform: string; pulumiCli: string; pulumiSdk: string };
  settings: {
    latencyMs: number;
    parallel: number;
    parallelSource: string;
    sizes: number[];
    /** Sizes also run with the checkpoint saved after every step. */
    everyStepSizes: number[];
    callCountSize: number;
    notes: string[];
  };
  callCounts: CallCountRow[];
  /** The same five operations on a stack without resources: the CLI's and engine's fixed cost. */
  overhead: ScaleResult | null;
  scale: ScaleResult[];
  schemaTiming: SchemaTiming | null;
  exportTiming?: ExportTiming | null;
  goals: Goal[];
}

const MB = 1_000_000;
const s = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const mb = (bytes: number) => (bytes ? `${(bytes / MB).toFixed(0)} MB` : "—");

export const PROVIDER_MEMORY_LIMIT = 200 * MB;
export const PROVIDER_TEXT_LIMIT = 2048;
export const RATIO_GOAL = 1.3;

export function evaluateGoals(r: Pick<BenchReport, "callCounts" | "scale">): Goal[] {
  const goals: Goal[] = [];
  if (r.callCounts.length > 0) {
    const above = r.callCounts.filter((c) => c.perResource > c.minimum);
    goals.push({
      goal: "Graph calls per operation equal the minimum (healthy tenant)",
      target: "every row of the calls table",
      measured: above.length === 0 ? "all at the minimum" : above.map((c) => `${c.kind} ${c.operation}: ${num(c.perResource)} vs ${c.minimum}`).join("; "),
      met: above.length === 0,
    });
  }
  const at100 = r.scale.find((x) => x.apps === 100 && x.checkpoints === "end");
  const at100EveryStep = r.scale.find((x) => x.apps === 100 && x.checkpoints === "every-step");
  for (const op of ["up", "refresh"]) {
    const o = at100?.operations.find((x) => x.operation === op);
    const e = at100EveryStep?.operations.find((x) => x.operation === op);
    goals.push({
      goal: `\`pulumi ${op}\` of 100 jobs within ${RATIO_GOAL}x of the latency bound`,
      target: `wall / bound <= ${RATIO_GOAL}`,
      measured:
        o && o.ratio !== null
          ? `${s(o.wallMs)} s / ${s(o.boundMs)} s = ${o.ratio.toFixed(2)}x` +
            (e && e.ratio !== null ? ` (${e.ratio.toFixed(2)}x with the state saved after every step)` : "")
          : "not measured",
      met: o && o.ratio !== null ? o.ratio <= RATIO_GOAL : null,
    });
  }
  const providerText = Math.max(0, ...r.scale.map((x) => x.state.providerBytesPerResource));
  goals.push({
    goal: "Serialized provider per resource",
    target: `<= ${PROVIDER_TEXT_LIMIT} bytes (both copies)`,
    measured: r.scale.length ? `${providerText} bytes` : "not measured",
    met: r.scale.length ? providerText <= PROVIDER_TEXT_LIMIT : null,
  });
  const at500 = r.scale.find((x) => x.apps === 500 && x.checkpoints === "end");
  goals.push({
    goal: "Provider process memory at 500 jobs (1,500 resources)",
    target: `peak RSS < ${PROVIDER_MEMORY_LIMIT / MB} MB`,
    measured: at500 ? `${mb(at500.providerPeakBytes)} peak` : "not measured",
    met: at500 ? at500.providerPeakBytes > 0 && at500.providerPeakBytes < PROVIDER_MEMORY_LIMIT : null,
  });
  return goals;
}

const label = (x: ScaleResult) => (x.apps === 0 ? "empty stack" : `${x.apps} (${x.resources})${x.checkpoints === "every-step" ? ", state saved every step" : ""}`);
const mainRuns = (r: BenchReport) => r.scale.filter((x) => x.checkpoints === "end");

const mark = (met: boolean | null) => (met === null ? "not measured" : met ? "met" : "**missed**");

export function markdownReport(r: BenchReport): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    `# \`npm run bench\` results`,
    ``,
    `Run of ${r.startedAt} on ${r.machine.cpus} CPUs (${r.machine.platform}, Node ${r.machine.node}), Pulumi CLI ${r.machine.pulumiCli} / @pulumi/pulumi ${r.machine.pulumiSdk}; took ${(r.durationMs / 60_000).toFixed(1)} min; 1-minute load average ${r.machine.loadAverage.start.toFixed(1)} at the start, ${r.machine.loadAverage.end.toFixed(1)} at the end (the machine is shared).`,
    `Graph emulator with **${r.settings.latencyMs} ms** injected on every Graph call (OAuth calls not delayed); engine parallelism **${r.settings.parallel}** (${r.settings.parallelSource}).`,
    ...r.settings.notes.map((n) => `- ${n}`),
    ``,
    `## Goals`,
    ``,
    `| goal | target | measured | |`,
    `|---|---|---|---|`,
    ...r.goals.map((g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${mark(g.met)} |`),
    ``,
  );

  if (r.callCounts.length > 0) {
    push(
      `## Graph calls per resource per operation`,
      ``,
      `${r.settings.callCountSize} resources of one type per stack (one per service principal), counted in the emulator's request log; OAuth = token/metadata requests of the whole operation. Minimum = what the API allows (see bench/plan.ts).`,
      ``,
      `| resource | operation | calls / resource | minimum | calls by route (per resource) | OAuth / op | engine summary |`,
      `|---|---|---:|---:|---|---:|---|`,
    );
    for (const c of r.callCounts) {
      const routes = Object.entries(c.byRoute)
        .map(([route, n]) => `${shortRoute(route)} ×${num(n)}`)
        .join(", ");
      const over = c.perResource > c.minimum ? ` (**+${num(c.perResource - c.minimum)}**)` : "";
      const summaryOk = JSON.stringify(sortKeys(c.changes)) === JSON.stringify(sortKeys(c.expectedChanges));
      push(
        `| ${c.kind} | ${c.operation} | ${num(c.perResource)}${over} | ${c.minimum} | ${routes || "—"} | ${c.oauth} | ${summaryText(c.changes)}${summaryOk ? "" : ` (expected ${summaryText(c.expectedChanges)})`} |`,
      );
    }
    push(``);
  }

  if (r.scale.length > 0) {
    push(
      `## Wall time against the latency bound`,
      ``,
      `Each app = one service principal with its SynchronizationSecrets, a started SynchronizationJob (dependsOn the secrets; in state, the job and its SynchronizationJobActivation child) and a SynchronizationSchema customization of that job: 4 resources.`,
      `Bound = max(minimum Graph calls × ${r.settings.latencyMs} ms / ${r.settings.parallel}, dependency depth × ${r.settings.latencyMs} ms); "bound (actual calls)" uses the calls this provider made, so its ratio isolates how well they overlap. Wall time is the whole CLI command as the Automation API runs it; Graph span = first Graph request's start to the last one's end; mean in flight = Graph request time / span (at most the parallelism when every resource operation is one call at a time).`,
      ``,
      `| apps (resources) | operation | wall s | Graph calls | minimum | bound s | wall / bound | bound (actual calls) s | wall / that | Graph span s | mean in flight | ms / resource over the empty stack | provider peak | engine summary |`,
      `|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|`,
    );
    const rows = [...(r.overhead ? [r.overhead] : []), ...r.scale];
    for (const x of rows) {
      for (const o of x.operations) {
        push(
          `| ${label(x)} | ${o.operation} | ${s(o.wallMs)} | ${o.calls.graph}${o.calls.oauth ? ` +${o.calls.oauth} OAuth` : ""} | ${o.minimumCalls} | ${s(o.boundMs)} | ${o.ratio === null ? "—" : `${o.ratio.toFixed(2)}x`} | ${s(o.boundActualMs)} | ${o.ratioActual === null ? "—" : `${o.ratioActual.toFixed(2)}x`} | ${o.calls.graph ? s(o.calls.spanMs) : "—"} | ${o.calls.graph ? o.calls.meanInFlight.toFixed(1) : "—"} | ${perResourceOver(r, x, o)} | ${mb(o.memory.provider)} | ${summaryText(o.changes)} |`,
        );
      }
    }
    push(``, `![wall time against the latency bound](chart.svg)`, ``);

    push(
      `### Graph calls per app by resource type`,
      ``,
      `| apps | operation | ${["SynchronizationSecrets", "SynchronizationJob (with its activation)", "SynchronizationSchema"].join(" | ")} |`,
      `|---|---|---:|---:|---:|`,
    );
    for (const x of mainRuns(r)) {
      for (const o of x.operations.filter((o) => o.calls.graph > 0)) {
        const t = (k: string) => num(o.perAppByType[k] ?? 0);
        push(`| ${x.apps} | ${o.operation} | ${t("SynchronizationSecrets")} | ${t("SynchronizationJob")} | ${t("SynchronizationSchema")} |`);
      }
    }
    push(``);

    push(
      `## State size (checkpoint after \`up\`)`,
      ``,
      `| apps | checkpoint | bytes / resource | SynchronizationSecrets | SynchronizationJob | SynchronizationJobActivation | SynchronizationSchema | serialized provider / resource (2 copies) |`,
      `|---|---:|---:|---:|---:|---:|---:|---:|`,
    );
    for (const x of mainRuns(r)) {
      const t = (k: string) => (x.state.perType[k] ? `${Math.round(x.state.perType[k].meanBytes)} B` : "—");
      push(
        `| ${x.apps} | ${(x.state.checkpointBytes / 1000).toFixed(0)} kB | ${Math.round(x.state.bytesPerResource)} B | ${t("SynchronizationSecrets")} | ${t("SynchronizationJob")} | ${t("SynchronizationJobActivation")} | ${t("SynchronizationSchema")} | ${x.state.providerBytesPerResource} B |`,
      );
    }
    push(``, `Per type: one resource's state entry as compact JSON; the checkpoint file itself is indented.`, ``);

    push(
      `## Peak memory (RSS high-water mark, largest over the five operations)`,
      ``,
      `| apps (resources) | provider process | program (language host's node) | pulumi engine |`,
      `|---|---:|---:|---:|`,
    );
    for (const x of rows) {
      const peak = (k: "provider" | "program" | "engine") => mb(Math.max(...x.operations.map((o) => o.memory[k])));
      push(`| ${label(x)} | ${peak("provider")} | ${peak("program")} | ${peak("engine")} |`);
    }
    push(``);
  }

  if (r.schemaTiming) {
    const t = r.schemaTiming;
    push(
      `## Schema merge and diff (~1 MB)`,
      ``,
      `${(t.schemaBytes / 1e6).toFixed(2)} MB schema (emulator/seed/large-template.ts), median of ${t.iterations} iterations after one warm-up; merge + effectiveMappings + detectDrift (non-strict and strict) = **${t.mergeAndDiffMedianMs.toFixed(1)} ms**.`,
      ``,
      `| step | median ms |`,
      `|---|---:|`,
      ...Object.entries(t.medianMs).map(([k, v]) => `| ${k} | ${v.toFixed(1)} |`),
      ``,
    );
  }
  if (r.exportTiming) {
    const t = r.exportTiming;
    push(
      `## export --all`,
      ``,
      `${t.apps} apps with a job each, among ${t.servicePrincipals} service principals, ${r.settings.latencyMs} ms per Graph call, ${t.parallel} apps read at once: **${s(t.wallMs)} s**, ${t.graphCalls} Graph calls (${num(t.graphCalls / Math.max(1, t.apps))} per app).`,
      ``,
      `| route | calls |`,
      `|---|---:|`,
      ...Object.entries(t.byRoute)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `| ${k} | ${v} |`),
      ``,
    );
  }
  return lines.join("\n");
}

/** (wall - the empty stack's wall for the same operation) / resources, in ms: what each resource adds. */
function perResourceOver(r: BenchReport, x: ScaleResult, o: ScaleResult["operations"][number]): string {
  const fixed = r.overhead?.operations.find((e) => e.operation === o.operation);
  if (!fixed || x.resources === 0) return "—";
  return ((o.wallMs - fixed.wallMs) / x.resources).toFixed(1);
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

function summaryText(changes: Record<string, number>): string {
  const e = Object.entries(changes);
  return e.length ? e.map(([k, v]) => `${k} ${v}`).join(", ") : "no changes";
}

// --- chart ---------------------------------------------------------------------------------------

const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Grouped bars per stack size: wall time, bound with the calls made, bound with the minimum calls. */
export function svgChart(r: BenchReport): string {
  const panels = mainRuns(r);
  const panelW = 330;
  const panelH = 260;
  const left = 50;
  const top = 56;
  const width = left + panels.length * (panelW + 20) + 10;
  const height = top + panelH + 70;
  const series = [
    { label: "wall time", color: "#2b6cb0", value: (o: ScaleResult["operations"][number]) => o.wallMs },
    { label: "bound, calls made", color: "#ed8936", value: (o: ScaleResult["operations"][number]) => o.boundActualMs },
    { label: "bound, minimum calls", color: "#48bb78", value: (o: ScaleResult["operations"][number]) => o.boundMs },
  ];
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">Wall time vs latency lower bound (${r.settings.latencyMs} ms per Graph call, parallelism ${r.settings.parallel})</text>`,
  );
  series.forEach((x, i) => {
    const lx = left + i * 150;
    out.push(`<rect x="${lx}" y="30" width="12" height="12" fill="${x.color}"/>`, `<text x="${lx + 16}" y="40">${esc(x.label)}</text>`);
  });
  if (r.overhead) {
    const lx = left + series.length * 150;
    out.push(`<line x1="${lx}" x2="${lx + 12}" y1="36" y2="36" stroke="#718096" stroke-dasharray="3,2"/>`, `<text x="${lx + 16}" y="40">empty stack (fixed cost)</text>`);
  }
  panels.forEach((p, pi) => {
    const x0 = left + pi * (panelW + 20);
    const max = Math.max(1, ...p.operations.flatMap((o) => series.map((x) => x.value(o)))) / 1000;
    const step = niceStep(max / 5);
    const yMax = Math.ceil(max / step) * step;
    const y = (sec: number) => top + panelH - (sec / yMax) * panelH;
    out.push(`<text x="${x0 + panelW / 2}" y="${top - 4}" text-anchor="middle" font-weight="bold">${p.apps} apps (${p.resources} resources)</text>`);
    for (let v = 0; v <= yMax + 1e-9; v += step) {
      out.push(
        `<line x1="${x0}" x2="${x0 + panelW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e2e8f0"/>`,
        `<text x="${x0 - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${+v.toFixed(2)} s</text>`,
      );
    }
    const groupW = panelW / p.operations.length;
    const barW = (groupW - 12) / series.length;
    p.operations.forEach((o, oi) => {
      const gx = x0 + oi * groupW + 6;
      series.forEach((x, si) => {
        const v = x.value(o) / 1000;
        const h = (v / yMax) * panelH;
        out.push(
          `<rect x="${(gx + si * barW).toFixed(1)}" y="${(top + panelH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${x.color}"><title>${esc(`${o.operation}: ${x.label} ${v.toFixed(2)} s`)}</title></rect>`,
        );
      });
      const fixed = r.overhead?.operations.find((x) => x.operation === o.operation);
      if (fixed) {
        const fy = Math.max(top, y(fixed.wallMs / 1000)).toFixed(1);
        out.push(
          `<line x1="${(gx - 2).toFixed(1)}" x2="${(gx + groupW - 10).toFixed(1)}" y1="${fy}" y2="${fy}" stroke="#718096" stroke-dasharray="3,2"><title>${esc(`${o.operation}: empty stack ${(fixed.wallMs / 1000).toFixed(2)} s`)}</title></line>`,
        );
      }
      out.push(`<text x="${(gx + (groupW - 12) / 2).toFixed(1)}" y="${top + panelH + 14}" text-anchor="middle">${esc(o.operation.replace(" (no-op)", " 2"))}</text>`);
      if (o.ratio !== null) {
        out.push(`<text x="${(gx + (groupW - 12) / 2).toFixed(1)}" y="${top + panelH + 28}" text-anchor="middle" fill="#555">${o.ratio.toFixed(1)}x</text>`);
      }
    });
    out.push(`<line x1="${x0}" x2="${x0 + panelW}" y1="${top + panelH}" y2="${top + panelH}" stroke="#333"/>`);
  });
  out.push(
    `<text x="${left}" y="${height - 12}" fill="#555">ratio under each group: wall time / bound with the minimum calls ("preview 2" = the no-op preview)</text>`,
    `</svg>`,
  );
  return out.join("\n") + "\n";
}

function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}
