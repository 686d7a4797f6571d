// Prometheus metrics on parley's own registry, fed by the turn lifecycle and the adapters' rate-limit reports.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { TurnSummary } from "./turn-summary.ts";

/** The label used when a turn had no model (help, usage, reset…). */
export const NO_MODEL = "none";

/** Seconds: a first token comes in well under a second, or after a reasoning model thought for minutes. */
const FIRST_TOKEN_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];
/** Seconds: a whole turn, from the platform's event to the last message shown. */
const TURN_BUCKETS_SECONDS = [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300];

/** parley's metrics. */
export interface ParleyMetrics {
  registry: Registry;
  /** A reply started (replies in flight + 1). */
  replyStarted(): void;
  /** A reply ended (replies in flight − 1) and how it went. */
  replyFinished(summary: TurnSummary): void;
  /** A platform answered 429 (or its client held a request back for a rate limit). */
  rateLimited(platform: string): void;
}

/** Creates the metrics; `processMetrics` also collects Node's default process metrics into the registry. */
export function createMetrics(options: { processMetrics?: boolean } = {}): ParleyMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const turns = new Counter({
    name: "parley_turns_total",
    help: "Turns answered, by platform, command, model and outcome.",
    labelNames: ["platform", "command", "model", "outcome"] as const,
    registers,
  });
  const firstToken = new Histogram({
    name: "parley_first_token_seconds",
    help: "Time from the provider request's start to its first text.",
    labelNames: ["model"] as const,
    buckets: FIRST_TOKEN_BUCKETS_SECONDS,
    registers,
  });
  const turnDuration = new Histogram({
    name: "parley_turn_duration_seconds",
    help: "Time from a turn's start to its last message shown.",
    labelNames: ["platform", "command"] as const,
    buckets: TURN_BUCKETS_SECONDS,
    registers,
  });
  const tokens = new Counter({
    name: "parley_tokens_total",
    help: "Tokens sent to (in) and received from (out) the provider, by model.",
    labelNames: ["model", "direction"] as const,
    registers,
  });
  const cost = new Counter({
    name: "parley_cost_usd_total",
    help: "Provider cost in US dollars, as the provider reported it, by model.",
    labelNames: ["model"] as const,
    registers,
  });
  const errors = new Counter({
    name: "parley_errors_total",
    help: "Turns that ended in an error, by platform and error code.",
    labelNames: ["platform", "code"] as const,
    registers,
  });
  const refusals = new Counter({
    name: "parley_refusals_total",
    help: "Turns refused before the provider was called, by platform and what refused them (a limit, or access).",
    labelNames: ["platform", "limit"] as const,
    registers,
  });
  const inFlight = new Gauge({
    name: "parley_replies_in_flight",
    help: "Replies being written right now.",
    registers,
  });
  const rateLimited = new Counter({
    name: "parley_platform_rate_limited_total",
    help: "Rate limits hit on a chat platform's API, by platform.",
    labelNames: ["platform"] as const,
    registers,
  });

  return {
    registry,
    replyStarted: () => inFlight.inc(),
    replyFinished(summary) {
      inFlight.dec();
      const model = summary.model ?? NO_MODEL;
      turns.inc({ platform: summary.platform, command: summary.command, model, outcome: summary.outcome });
      turnDuration.observe({ platform: summary.platform, command: summary.command }, summary.ms / 1000);
      if (summary.providerFirstTokenMs !== undefined)
        firstToken.observe({ model }, summary.providerFirstTokenMs / 1000);
      if (summary.promptTokens) tokens.inc({ model, direction: "in" }, summary.promptTokens);
      if (summary.completionTokens) tokens.inc({ model, direction: "out" }, summary.completionTokens);
      if (summary.costUsd) cost.inc({ model }, summary.costUsd);
      if (summary.outcome === "error") {
        errors.inc({ platform: summary.platform, code: summary.errorCode ?? "unknown" });
      }
      if (summary.refusedBy) refusals.inc({ platform: summary.platform, limit: summary.refusedBy });
    },
    rateLimited: (platform) => rateLimited.inc({ platform }),
  };
}
