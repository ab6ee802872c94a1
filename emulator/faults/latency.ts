/**
 * Injected latency: a draw from the configured distribution (fixed, uniform, or normal clipped at
 * 0), always from the fault stream so a seed replays the same delays.
 */
import type { LatencySetting } from "./config";
import type { Rng } from "../core/rng";

/** Milliseconds to wait before answering (whole milliseconds; never negative). */
export function drawLatencyMs(setting: LatencySetting, rng: Rng): number {
  if ("ms" in setting) return Math.round(setting.ms);
  if ("minMs" in setting) return Math.round(setting.minMs + rng.next() * (setting.maxMs - setting.minMs));
  return Math.max(0, Math.round(setting.meanMs + standardNormal(rng) * setting.stddevMs));
}

/** Box–Muller transform: two uniform draws give one standard normal value. */
function standardNormal(rng: Rng): number {
  const u1 = 1 - rng.next(); // (0, 1]: log(0) would be -Infinity
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
