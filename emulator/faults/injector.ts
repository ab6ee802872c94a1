/**
 * Fault injection: decides, per request, the injected latency and whether the request is answered
 * with a fault (429, 503, 504, dropped connection) instead of being handled.
 *
 * Determinism: every draw comes from one stream seeded by (emulator seed, fault seed), restarted
 * whenever a configuration is applied. A request that matches at least one rule always takes the
 * same draws (one for the outcome, then the latency's), whatever the outcome and whether the
 * client was early, so the same seed and the same order of requests replay the same faults.
 * Requests no rule matches take no draws, so unrelated traffic does not shift the sequence.
 *
 * Combining rules: settings of later matching rules override earlier ones, per setting (a global
 * rule first, then route rules that refine it). One uniform draw u picks the outcome: throttle if
 * u < p(throttle), else serviceUnavailable if u < p(throttle) + p(serviceUnavailable), and so on.
 */
import {
  FAULT_OUTCOMES,
  NO_FAULTS,
  type FaultOutcome,
  type FaultRule,
  type LatencySetting,
  type ProbabilitySetting,
  type ResolvedFaultConfig,
  type RetryAfterSetting,
} from "./config";
import { ConsistencyWindows } from "./consistency";
import { drawLatencyMs } from "./latency";
import { ruleMatches, type FaultTarget } from "./match";
import type { AnnouncedWait } from "./responses";
import { ThrottledClients } from "./throttle";
import { systemClock } from "../core/clock";
import { deriveSeed, Rng } from "../core/rng";

/** Graph's Retry-After when a throttle rule gives none. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface FaultDecision {
  /** Wait this long before handling the request. */
  latencyMs: number;
  /** Wait this long after handling it, before answering (a rule's answerDelay). */
  answerDelayMs?: number;
  outcome?: FaultOutcome;
  /** Retry-After to announce with the outcome, if any. */
  wait?: AnnouncedWait;
  /** The client arrived while a Retry-After it was given was still running (answered 429 again). */
  early: boolean;
}

export class FaultInjector {
  readonly consistency: ConsistencyWindows;
  private config: ResolvedFaultConfig = NO_FAULTS;
  private rng: Rng;
  /** Outcomes injected so far, per rule index (for maxFaults). */
  private injected: number[] = [];
  private readonly throttled = new ThrottledClients();

  constructor(
    private readonly emulatorSeed: number,
    /** What reset() goes back to: the faults the emulator was started with. */
    private readonly initial: ResolvedFaultConfig = NO_FAULTS,
    /** The emulator's clock (Retry-After waits, consistency windows). */
    private readonly now: () => number = () => systemClock.now(),
  ) {
    this.consistency = new ConsistencyWindows(() => this.config.consistency, now);
    this.rng = this.freshStream();
    this.configure(initial);
  }

  get current(): ResolvedFaultConfig {
    return this.config;
  }

  /** Apply a configuration: restarts the random stream and forgets throttled clients and open windows. */
  configure(config: ResolvedFaultConfig): void {
    this.config = config;
    this.rng = this.freshStream();
    this.injected = config.rules.map(() => 0);
    this.throttled.clear();
    this.consistency.clear();
  }

  /** Back to the faults the emulator started with (control-plane reset). */
  reset(): void {
    this.configure(this.initial);
  }

  decide(target: FaultTarget, client: string): FaultDecision {
    const matching = this.config.rules.flatMap((rule, index) => (ruleMatches(rule, target) ? [{ rule, index }] : []));
    let decision: FaultDecision = { latencyMs: 0, early: false };
    if (matching.length > 0) decision = this.draw(matching);

    // Graph and the token endpoint throttle separately: a Graph 429 never re-throttles sign-ins.
    const throttleKey = this.config.throttleScope === "client" ? `${target.kind}|${client}` : `${target.kind}|${client}|${target.method} ${target.segments.join("/")}`;
    const nowMs = this.now();
    const pending = this.throttled.pending(throttleKey, nowMs);
    if (pending) return { ...decision, outcome: "throttle", wait: { ms: pending.remainingMs, exactMs: pending.exactMs }, early: true };
    if (decision.outcome === "throttle" && decision.wait && decision.wait.ms > 0) {
      this.throttled.throttle(throttleKey, nowMs + decision.wait.ms, decision.wait.exactMs);
    }
    return decision;
  }

  private draw(matching: { rule: FaultRule; index: number }[]): FaultDecision {
    let latency: LatencySetting | undefined;
    let answerDelay: LatencySetting | undefined;
    const outcomes = new Map<FaultOutcome, { setting: ProbabilitySetting; index: number }>();
    for (const { rule, index } of matching) {
      if (rule.latency) latency = rule.latency;
      if (rule.answerDelay) answerDelay = rule.answerDelay;
      const exhausted = rule.maxFaults !== undefined && this.injected[index] >= rule.maxFaults;
      if (exhausted) continue;
      for (const outcome of FAULT_OUTCOMES) {
        const setting = rule[outcome];
        if (setting) outcomes.set(outcome, { setting, index });
      }
    }

    const u = this.rng.next();
    const latencyMs = latency ? drawLatencyMs(latency, this.rng) : 0;
    // Drawn only when configured, so the streams of existing configurations replay unchanged.
    const delay = answerDelay ? { answerDelayMs: drawLatencyMs(answerDelay, this.rng) } : {};
    let cumulative = 0;
    for (const outcome of FAULT_OUTCOMES) {
      const chosen = outcomes.get(outcome);
      if (!chosen) continue;
      cumulative += chosen.setting.probability;
      if (u < cumulative) {
        this.injected[chosen.index] += 1;
        return { latencyMs, ...delay, outcome, wait: announcedWait(outcome, chosen.setting), early: false };
      }
    }
    return { latencyMs, ...delay, early: false };
  }

  private freshStream(): Rng {
    return new Rng(deriveSeed(this.emulatorSeed, `faults:${this.config.seed}`));
  }
}

function announcedWait(outcome: FaultOutcome, setting: RetryAfterSetting): AnnouncedWait | undefined {
  if (setting.retryAfterMs !== undefined) return { ms: setting.retryAfterMs, exactMs: true };
  if (setting.retryAfterSeconds !== undefined) return { ms: setting.retryAfterSeconds * 1000, exactMs: false };
  return outcome === "throttle" ? { ms: DEFAULT_RETRY_AFTER_SECONDS * 1000, exactMs: false } : undefined;
}
