/**
 * The fault configuration: the JSON that `PUT /_emulator/faults`, `startEmulator({ faults })` and
 * the CLI's `--faults FILE` accept, and its validation. Validation is strict (unknown settings,
 * wrong types and out-of-range values are refused with the offending path) because a typo that
 * silently disables a fault gives falsely green tests.
 *
 *   {
 *     "seed": 7,
 *     "rules": [
 *       { "latency": { "ms": 50 } },
 *       { "method": "POST", "path": "servicePrincipals/:sp/synchronization/jobs/:job/start",
 *         "throttle": { "probability": 0.5, "retryAfterSeconds": 2 }, "maxFaults": 3 }
 *     ],
 *     "consistency": { "jobCreate": { "reads": 2 }, "jobDelete": { "ms": 500 }, "secretsUpdate": { "reads": 1 } }
 *   }
 */

/** Fault outcomes, in the order one random draw is mapped onto them (see injector.ts). */
export const FAULT_OUTCOMES = ["throttle", "serviceUnavailable", "gatewayTimeout", "dropConnection"] as const;
export type FaultOutcome = (typeof FAULT_OUTCOMES)[number];

/** Which requests a rule can target: Graph calls (default) or the OAuth/OpenID endpoints. */
export type FaultTargetKind = "graph" | "oauth";

export interface ProbabilitySetting {
  /** Chance in [0, 1] that a matching request gets this outcome. */
  probability: number;
}

export interface RetryAfterSetting extends ProbabilitySetting {
  /** Whole seconds, as Graph sends them in Retry-After. */
  retryAfterSeconds?: number;
  /**
   * Emulator-only: the wait in milliseconds, for fast tests. Retry-After still carries whole
   * seconds (rounded up, so honouring it is never early); `retry-after-ms` carries the exact value.
   */
  retryAfterMs?: number;
}

export type LatencySetting =
  | { ms: number }
  | { minMs: number; maxMs: number }
  /** Normal distribution, clipped at 0. */
  | { meanMs: number; stddevMs: number };

export interface FaultRule {
  /** Default "graph". OAuth endpoints are only ever faulted by rules that say "oauth". */
  kind?: FaultTargetKind;
  /** HTTP method, or "*" (default) for any. */
  method?: string;
  /**
   * Path pattern; default every path. Graph: segments after /v1.0 or /beta, normalized like the
   * router does (`start` == `microsoft.graph.start`, `jobs('x')` == `jobs/x`), e.g.
   * "servicePrincipals/:sp/synchronization/jobs/:job/start" (the `route` of a request-log entry).
   * OAuth: the whole path, e.g. ":tenant/oauth2/v2.0/token". `:name` or `*` matches one segment,
   * `**` any number of segments; literals compare case-insensitively.
   */
  path?: string;
  /** Stop injecting outcomes (not latency) from this rule after this many. */
  maxFaults?: number;
  throttle?: RetryAfterSetting;
  serviceUnavailable?: RetryAfterSetting;
  gatewayTimeout?: ProbabilitySetting;
  dropConnection?: ProbabilitySetting;
  latency?: LatencySetting;
  /**
   * Wait this long after handling the request, before answering: the request has taken effect
   * while the client still waits, which is what a client killed (or timed out) at that moment
   * leaves behind. `latency` waits before handling.
   */
  answerDelay?: LatencySetting;
}

/** How long a change stays invisible (or a deleted object visible) to reads. */
export type ConsistencyWindow = { ms: number } | { reads: number };

export interface ConsistencySettings {
  /** A new job answers GET with 404 and is missing from the job list. */
  jobCreate?: ConsistencyWindow;
  /** A deleted job still answers GET (200, last state) and stays in the job list. */
  jobDelete?: ConsistencyWindow;
  /** GET secrets (and GET synchronization) return the secrets as they were before the PUT. */
  secretsUpdate?: ConsistencyWindow;
}

/**
 * Who is throttled again when calling before a Retry-After has passed: the same request (same
 * client, method and path: Dev Proxy's RetryAfterPlugin watches "a subsequent request to the same
 * URL"), or every call of the client (Graph's own per-application rate limits).
 */
export const THROTTLE_SCOPES = ["request", "client"] as const;
export type ThrottleScope = (typeof THROTTLE_SCOPES)[number];

export interface FaultConfig {
  /** Mixed with the emulator's seed to seed the fault stream. Default 0. */
  seed?: number;
  rules?: FaultRule[];
  consistency?: ConsistencySettings;
  /** Default "request". */
  throttleScope?: ThrottleScope;
}

/** A validated configuration with its defaults filled in. */
export interface ResolvedFaultConfig {
  seed: number;
  rules: FaultRule[];
  consistency: ConsistencySettings;
  throttleScope: ThrottleScope;
}

export const NO_FAULTS: ResolvedFaultConfig = Object.freeze({ seed: 0, rules: [], consistency: {}, throttleScope: "request" });

export class FaultConfigError extends Error {
  override readonly name = "FaultConfigError";
}

const METHODS = ["*", "GET", "POST", "PUT", "PATCH", "DELETE"];
const KINDS: readonly FaultTargetKind[] = ["graph", "oauth"];

type Json = Record<string, unknown>;

/** Validate a configuration (parsed JSON) and fill in defaults; throws FaultConfigError. */
export function resolveFaultConfig(value: unknown): ResolvedFaultConfig {
  const body = readObject(value, "faults", ["seed", "rules", "consistency", "throttleScope"]);
  const rules = body.rules === undefined ? [] : body.rules;
  if (!Array.isArray(rules)) throw new FaultConfigError("'rules' must be an array.");
  return {
    seed: body.seed === undefined ? 0 : readNumber(body.seed, "seed", { min: 0, integer: true }),
    rules: rules.map((rule, i) => readRule(rule, `rules[${i}]`)),
    consistency: body.consistency === undefined ? {} : readConsistency(body.consistency, "consistency"),
    throttleScope: readThrottleScope(body.throttleScope),
  };
}

function readThrottleScope(value: unknown): ThrottleScope {
  if (value === undefined) return "request";
  if (typeof value === "string" && (THROTTLE_SCOPES as readonly string[]).includes(value)) return value as ThrottleScope;
  throw new FaultConfigError(`'throttleScope' must be one of ${THROTTLE_SCOPES.join(", ")}.`);
}

function readRule(value: unknown, path: string): FaultRule {
  const raw = readObject(value, path, [
    "kind",
    "method",
    "path",
    "maxFaults",
    "throttle",
    "serviceUnavailable",
    "gatewayTimeout",
    "dropConnection",
    "latency",
    "answerDelay",
  ]);
  const rule: FaultRule = {};
  if (raw.kind !== undefined) rule.kind = readChoice(raw.kind, `${path}.kind`, KINDS);
  if (raw.method !== undefined) rule.method = readChoice(String(raw.method).toUpperCase(), `${path}.method`, METHODS);
  if (raw.path !== undefined) rule.path = readPathPattern(raw.path, `${path}.path`);
  if (raw.maxFaults !== undefined) rule.maxFaults = readNumber(raw.maxFaults, `${path}.maxFaults`, { min: 0, integer: true });
  if (raw.throttle !== undefined) rule.throttle = readRetryAfter(raw.throttle, `${path}.throttle`);
  if (raw.serviceUnavailable !== undefined) rule.serviceUnavailable = readRetryAfter(raw.serviceUnavailable, `${path}.serviceUnavailable`);
  if (raw.gatewayTimeout !== undefined) rule.gatewayTimeout = { probability: readProbability(raw.gatewayTimeout, `${path}.gatewayTimeout`, []) };
  if (raw.dropConnection !== undefined) rule.dropConnection = { probability: readProbability(raw.dropConnection, `${path}.dropConnection`, []) };
  if (raw.latency !== undefined) rule.latency = readLatency(raw.latency, `${path}.latency`);
  if (raw.answerDelay !== undefined) rule.answerDelay = readLatency(raw.answerDelay, `${path}.answerDelay`);
  const total = FAULT_OUTCOMES.reduce((sum, outcome) => sum + (rule[outcome]?.probability ?? 0), 0);
  if (total > 1 + 1e-9) throw new FaultConfigError(`The probabilities of ${path} add up to ${total}; at most 1.`);
  return rule;
}

/** The `probability` of a setting object that may carry the `extra` keys too. */
function readProbability(value: unknown, path: string, extra: string[]): number {
  const raw = readObject(value, path, ["probability", ...extra]);
  return readNumber(raw.probability, `${path}.probability`, { min: 0, max: 1 });
}

function readRetryAfter(value: unknown, path: string): RetryAfterSetting {
  const setting: RetryAfterSetting = { probability: readProbability(value, path, ["retryAfterSeconds", "retryAfterMs"]) };
  const raw = value as Json;
  if (raw.retryAfterSeconds !== undefined && raw.retryAfterMs !== undefined) {
    throw new FaultConfigError(`${path}: give retryAfterSeconds or retryAfterMs, not both.`);
  }
  if (raw.retryAfterSeconds !== undefined) {
    setting.retryAfterSeconds = readNumber(raw.retryAfterSeconds, `${path}.retryAfterSeconds`, { min: 0, integer: true });
  }
  if (raw.retryAfterMs !== undefined) setting.retryAfterMs = readNumber(raw.retryAfterMs, `${path}.retryAfterMs`, { min: 1, integer: true });
  return setting;
}

function readLatency(value: unknown, path: string): LatencySetting {
  const raw = readObject(value, path, ["ms", "minMs", "maxMs", "meanMs", "stddevMs"]);
  const keys = Object.keys(raw).sort().join(",");
  const ms = (key: string) => readNumber(raw[key], `${path}.${key}`, { min: 0 });
  switch (keys) {
    case "ms":
      return { ms: ms("ms") };
    case "maxMs,minMs": {
      const range = { minMs: ms("minMs"), maxMs: ms("maxMs") };
      if (range.maxMs < range.minMs) throw new FaultConfigError(`${path}.maxMs must be >= minMs.`);
      return range;
    }
    case "meanMs,stddevMs":
      return { meanMs: ms("meanMs"), stddevMs: ms("stddevMs") };
    default:
      throw new FaultConfigError(`${path} must be {ms}, {minMs, maxMs} or {meanMs, stddevMs}.`);
  }
}

function readConsistency(value: unknown, path: string): ConsistencySettings {
  const raw = readObject(value, path, ["jobCreate", "jobDelete", "secretsUpdate"]);
  const settings: ConsistencySettings = {};
  for (const key of ["jobCreate", "jobDelete", "secretsUpdate"] as const) {
    if (raw[key] !== undefined) settings[key] = readWindow(raw[key], `${path}.${key}`);
  }
  return settings;
}

function readWindow(value: unknown, path: string): ConsistencyWindow {
  const raw = readObject(value, path, ["ms", "reads"]);
  const keys = Object.keys(raw);
  if (keys.length !== 1) throw new FaultConfigError(`${path} must be {ms} or {reads}.`);
  return keys[0] === "ms"
    ? { ms: readNumber(raw.ms, `${path}.ms`, { min: 0, integer: true }) }
    : { reads: readNumber(raw.reads, `${path}.reads`, { min: 0, integer: true }) };
}

function readPathPattern(value: unknown, path: string): string {
  if (typeof value !== "string") throw new FaultConfigError(`${path} must be a string.`);
  const pattern = value.replace(/^\/+|\/+$/g, "");
  if (pattern.split("/").some((segment) => segment === "")) throw new FaultConfigError(`${path} has an empty segment.`);
  return pattern;
}

function readObject(value: unknown, path: string, known: readonly string[]): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new FaultConfigError(`${path} must be a JSON object.`);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new FaultConfigError(`Unknown setting '${path}.${key}'. Known: ${known.join(", ")}.`);
  }
  return value as Json;
}

function readNumber(value: unknown, path: string, limits: { min: number; max?: number; integer?: boolean }): number {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    value >= limits.min &&
    (limits.max === undefined || value <= limits.max) &&
    (!limits.integer || Number.isInteger(value));
  if (!ok) {
    const range = limits.max === undefined ? `>= ${limits.min}` : `between ${limits.min} and ${limits.max}`;
    throw new FaultConfigError(`${path} must be ${limits.integer ? "an integer" : "a number"} ${range}.`);
  }
  return value as number;
}

function readChoice<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
  if (typeof value !== "string" || !choices.includes(value as T)) {
    throw new FaultConfigError(`${path} must be one of ${choices.join(", ")}.`);
  }
  return value as T;
}
