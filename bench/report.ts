// The bench's result as one document: settings, the relay's definition, and per platform every level's figures.
import { type Figures, ratio } from "./measure.ts";
import type { AnswerSettings, Platform } from "./run-level.ts";

/** parley over the relay for each figure that has a ratio (null where the relay's figure is zero). */
export interface Ratios {
  eventToProviderRequestP50: number | null;
  eventToProviderRequestP99: number | null;
  firstTokenToPlatformP50: number | null;
  firstTokenToPlatformP99: number | null;
  cpuMsPerTurn: number | null;
  peakRssMb: number | null;
}

/** One concurrency level. */
export interface ConcurrencyReport {
  conversations: number;
  turnsPerConversation: number;
  parley: Figures;
  relay: Figures;
  ratio: Ratios;
}

/** One history level: parley against the relay's one storage-free baseline. */
export interface HistoryReport {
  storedMessages: number;
  parley: Figures;
  ratio: Ratios;
  /** parley's figure here over its figure at the smallest history level (the 10,000-vs-10 target). */
  versusSmallestLevel: { eventToProviderRequestP50: number | null; cpuMsPerTurn: number | null };
}

/** Everything measured on one platform. */
export interface PlatformReport {
  platform: Platform;
  /** Which user event the bench sends. */
  event: string;
  concurrency: ConcurrencyReport[];
  history: { turnsPerLevel: number; relayBaseline: Figures | null; levels: HistoryReport[] };
}

/** The whole run. */
export interface BenchReport {
  settings: AnswerSettings & { conversationLevels: number[]; historyLevels: number[] };
  /** What the bare relay does, so the ratios can be read. */
  relay: string;
  /** How the bots log during the run. */
  logging: string;
  platforms: PlatformReport[];
  /** Errors over every level and bot. */
  errors: number;
  elapsedSeconds: number;
}

export const RELAY_DEFINITION =
  "bare relay = platform client → fetch → one platform call, no storage. Discord: discord.js; on /ask it defers " +
  "(type 5) and starts the streamed provider fetch at once, at the first token PATCHes the original response once " +
  "with that text, and reads the rest of the stream without platform calls. Slack: Bolt in HTTP mode (as parley " +
  "runs here); on app_mention (acked by Bolt) it fetches the stream and posts the first token's text once with " +
  "chat.postMessage in the thread.";

export const EVENT_DESCRIPTIONS: Record<Platform, string> = {
  discord: "/ask slash command (INTERACTION_CREATE over the gateway), one thread per conversation",
  slack: "app_mention in a channel thread (signed HTTP delivery to Bolt), one thread per conversation",
};

/** The ratios of parley's figures to the relay's. */
export function ratios(parley: Figures, relay: Figures): Ratios {
  return {
    eventToProviderRequestP50: ratio(parley.eventToProviderRequestMs.p50, relay.eventToProviderRequestMs.p50),
    eventToProviderRequestP99: ratio(parley.eventToProviderRequestMs.p99, relay.eventToProviderRequestMs.p99),
    firstTokenToPlatformP50: ratio(parley.firstTokenToPlatformMs.p50, relay.firstTokenToPlatformMs.p50),
    firstTokenToPlatformP99: ratio(parley.firstTokenToPlatformMs.p99, relay.firstTokenToPlatformMs.p99),
    cpuMsPerTurn: ratio(parley.cpuMsPerTurn, relay.cpuMsPerTurn),
    peakRssMb: ratio(parley.peakRssMb, relay.peakRssMb),
  };
}

/** Errors of every figure set in a platform's report. */
export function platformErrors(report: PlatformReport): number {
  const all = [
    ...report.concurrency.flatMap((level) => [level.parley, level.relay]),
    ...report.history.levels.map((level) => level.parley),
    ...(report.history.relayBaseline ? [report.history.relayBaseline] : []),
  ];
  return all.reduce((sum, figures) => sum + figures.errors, 0);
}
