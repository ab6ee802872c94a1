/**
 * Merge and diff time of a ~1 MB schema (emulator/seed/large-template.ts, the size of the largest
 * gallery apps): the CPU work SynchronizationSchema does per create/update (merge, keyed view,
 * strict digests) and per refresh (drift, strict and not), outside Pulumi and the network.
 */

import { performance } from "perf_hooks";
import { largeTemplateCustomizations, largeTemplateSchema } from "../emulator/seed/large-template";
import type { SynchronizationSchema } from "../provider/graph/types";
import { detectDrift, objectDigests } from "../provider/schema/drift";
import { effectiveMappings } from "../provider/schema/keyed";
import { mergeSchema } from "../provider/schema/merge";
import { normalizedSchema } from "../provider/schema/normalize";

export interface SchemaTiming {
  schemaBytes: number;
  iterations: number;
  /** Median milliseconds per step. */
  medianMs: Record<string, number>;
  /** Median of the sum merge + effectiveMappings + detectDrift (non-strict) + detectDrift (strict). */
  mergeAndDiffMedianMs: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function measureSchemaTiming(iterations = 15): SchemaTiming {
  const customizations = largeTemplateCustomizations();
  const text = JSON.stringify(largeTemplateSchema());
  const samples: Record<string, number[]> = {};
  const time = <T>(name: string, f: () => T): T => {
    const t = performance.now();
    const out = f();
    (samples[name] ??= []).push(performance.now() - t);
    return out;
  };
  // One unmeasured round first, so the JIT has seen the code.
  for (let i = 0; i <= iterations; i++) {
    const warm = i === 0;
    const baseline = time("JSON.parse (as the client reads it)", () => JSON.parse(text) as SynchronizationSchema);
    const merged = time("mergeSchema", () => mergeSchema(normalizedSchema(baseline), customizations));
    const effective = time("effectiveMappings", () => effectiveMappings(merged));
    const digests = time("objectDigests (strict)", () => objectDigests(merged, customizations));
    const live = normalizedSchema(JSON.parse(text) as SynchronizationSchema);
    time("detectDrift (non-strict)", () => detectDrift(live, { effective, objectDigests: digests }, customizations, false));
    time("detectDrift (strict)", () => detectDrift(live, { effective, objectDigests: digests }, customizations, true));
    if (warm) for (const k of Object.keys(samples)) samples[k] = [];
  }
  const medianMs = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const sums = samples.mergeSchema.map(
    (_, i) => samples.mergeSchema[i] + samples.effectiveMappings[i] + samples["detectDrift (non-strict)"][i] + samples["detectDrift (strict)"][i],
  );
  return { schemaBytes: Buffer.byteLength(text), iterations, medianMs, mergeAndDiffMedianMs: median(sums) };
}
