// Turns a level's turns and process readings into the figures the bench reports.
import type { Turn } from "./turns.ts";

/** Nearest-rank percentiles, in ms. */
export interface Percentiles {
  p50: number;
  p99: number;
}

/** Everything measured for one bot at one level. */
export interface Figures {
  /** Turns the bench sent. */
  turns: number;
  /** Turns with both latencies measured (event → provider request, first token → platform call). */
  measuredTurns: number;
  /** Turns whose expected text the fake platform's final state shows. */
  answeredTurns: number;
  /** Turns not completed in time, failed deliveries and error lines the bot logged. */
  errors: number;
  /** A few of those errors, for a first look. */
  errorSamples: string[];
  eventToProviderRequestMs: Percentiles;
  firstTokenToPlatformMs: Percentiles;
  /** User+system CPU of the bot over the level (turns and its idle background alike), per turn sent. */
  cpuMsPerTurn: number;
  /** The bot's CPU per second while idle, sampled just before the turns (background work, not turns). */
  idleCpuMsPerSecond: number;
  /** Wall time of the level's turns, over which cpuMsPerTurn was measured. */
  levelSeconds: number;
  peakRssMb: number;
  platform429s: number;
  /** Provider requests that carried no bench question (parley's own extra calls, if any). */
  otherProviderRequests: number;
}

/** The value at nearest rank `percent` of `values`; NaN when there are none (JSON shows null: loud in the test). */
export function percentile(values: number[], percent: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((first, second) => first - second);
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** p50 and p99 of `values`, rounded to 0.1 ms. */
export function percentiles(values: number[]): Percentiles {
  return { p50: round(percentile(values, 50)), p99: round(percentile(values, 99)) };
}

/** Rounds to one decimal. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The intervals of the turns that have both ends of them. */
export function intervals(
  turns: Turn[],
  from: (turn: Turn) => number | undefined,
  to: (turn: Turn) => number | undefined,
): number[] {
  return turns.flatMap((turn) => {
    const start = from(turn);
    const end = to(turn);
    return start === undefined || end === undefined ? [] : [end - start];
  });
}

/** True when a turn has both latencies measured. */
export function isMeasured(turn: Turn): boolean {
  return (
    turn.eventAtMs !== undefined &&
    turn.providerRequestAtMs !== undefined &&
    turn.firstTokenAtMs !== undefined &&
    turn.firstAnswerCallAtMs !== undefined
  );
}

/** parley's figure over the relay's, or null when the relay's is zero (or either is missing). */
export function ratio(parley: number, relay: number): number | null {
  if (!Number.isFinite(parley) || !Number.isFinite(relay) || relay === 0) return null;
  return Math.round((parley / relay) * 100) / 100;
}
