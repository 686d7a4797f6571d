// The bench's command line: which platforms, levels and pacing to run, and how to print the result.
import type { Platform } from "./run-level.ts";

/** Everything a bench run needs to know. */
export interface BenchOptions {
  json: boolean;
  platforms: Platform[];
  conversationLevels: number[];
  historyLevels: number[];
  /** Turns per conversation at each conversation level (and turns per history level), when given. */
  turns: number | undefined;
  /** Turns per history level when --turns is not given. */
  historyTurns: number;
  firstTokenMs: number;
  tokensPerSecond: number;
  answerTokens: number;
  /** How long a round may run past its answers' streaming time before its unanswered turns count as errors. */
  roundGraceMs: number;
  /** The whole run fails after this long. */
  timeoutMs: number;
}

export const USAGE = `Usage: npm run bench -- [options]
  --platform discord|slack     one platform (default: both)
  --conversations 1,50,500     concurrent conversation levels ("none": skip them)
  --history 10,1000,10000      stored-message levels ("none": skip them)
  --turns N                    turns per conversation at every level (default: 10 at 1, 4 up to 50, 1 above;
                               10 per history level)
  --first-token-ms N           the fake provider's delay before the first token (default 300)
  --tokens-per-second N        the fake provider's token rate (default 50)
  --answer-tokens N            tokens in every answer (default 60)
  --round-grace-s N            how long a round may run past its answers' streaming before its unanswered
                               turns count as errors (default 30)
  --timeout-s N                the whole run's limit (default 1200)
  --smoke                      tiny counts: conversations 1,2; history 10,100; 2 turns; fast answers
  --json                       print one JSON document on stdout and nothing else`;

/** The default turns per conversation at a conversation level: 10 to 500 turns, bounded in time. */
export function defaultTurns(conversations: number): number {
  if (conversations <= 1) return 10;
  if (conversations <= 50) return 4;
  return 1;
}

/** Parses argv (after the script's own path); throws a usage error naming the bad option. */
export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    json: false,
    platforms: ["discord", "slack"],
    conversationLevels: [1, 50, 500],
    historyLevels: [10, 1000, 10_000],
    turns: undefined,
    historyTurns: 10,
    firstTokenMs: 300,
    tokensPerSecond: 50,
    answerTokens: 60,
    roundGraceMs: 30_000,
    timeoutMs: 1_200_000,
  };
  const given = new Set<string>();
  for (let index = 0; index < argv.length; index++) {
    const name = argv[index] ?? "";
    const value = (): string => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return next;
    };
    given.add(name);
    switch (name) {
      case "--json":
        options.json = true;
        break;
      case "--smoke":
        break;
      case "--platform": {
        const platform = value();
        if (platform !== "discord" && platform !== "slack")
          throw new Error(`--platform: expected discord or slack, got "${platform}"`);
        options.platforms = [platform];
        break;
      }
      case "--conversations":
        options.conversationLevels = wholeNumbers(name, value());
        break;
      case "--history":
        options.historyLevels = wholeNumbers(name, value());
        break;
      case "--turns":
        options.turns = wholeNumber(name, value());
        break;
      case "--first-token-ms":
        options.firstTokenMs = wholeNumber(name, value(), 0);
        break;
      case "--tokens-per-second":
        options.tokensPerSecond = wholeNumber(name, value());
        break;
      case "--answer-tokens":
        options.answerTokens = wholeNumber(name, value(), 2);
        break;
      case "--round-grace-s":
        options.roundGraceMs = wholeNumber(name, value(), 0) * 1000;
        break;
      case "--timeout-s":
        options.timeoutMs = wholeNumber(name, value()) * 1000;
        break;
      default:
        throw new Error(`unknown option "${name}"\n${USAGE}`);
    }
  }
  if (given.has("--smoke")) {
    // Tiny counts and fast answers; anything given explicitly still wins.
    if (!given.has("--conversations")) options.conversationLevels = [1, 2];
    if (!given.has("--history")) options.historyLevels = [10, 100];
    if (!given.has("--turns")) options.turns = 2;
    if (!given.has("--first-token-ms")) options.firstTokenMs = 20;
    if (!given.has("--tokens-per-second")) options.tokensPerSecond = 400;
    if (!given.has("--answer-tokens")) options.answerTokens = 12;
    if (!given.has("--round-grace-s")) options.roundGraceMs = 10_000;
    if (!given.has("--timeout-s")) options.timeoutMs = 240_000;
  }
  return options;
}

function wholeNumber(name: string, text: string, least = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < least)
    throw new Error(`${name}: expected a whole number of at least ${least}, got "${text}"`);
  return value;
}

/** A comma list of whole numbers; "none" skips those levels. */
function wholeNumbers(name: string, text: string): number[] {
  if (text === "none") return [];
  return text.split(",").map((part) => wholeNumber(name, part.trim()));
}
