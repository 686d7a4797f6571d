// `npm run bench`: drives parley and a bare relay against the loopback fakes and prints how they compare.
import { performance } from "node:perf_hooks";
import { type Figures, ratio } from "./measure.ts";
import { type BenchOptions, defaultTurns, parseOptions } from "./options.ts";
import { createProgress, type Progress } from "./progress.ts";
import {
  type BenchReport,
  type ConcurrencyReport,
  EVENT_DESCRIPTIONS,
  type HistoryReport,
  type PlatformReport,
  platformErrors,
  RELAY_DEFINITION,
  ratios,
} from "./report.ts";
import { type AnswerSettings, type Bot, type LevelPlan, type Platform, runLevel } from "./run-level.ts";
import { reportText } from "./table.ts";

/** Runs every level of one platform. */
async function benchPlatform(
  platform: Platform,
  options: BenchOptions,
  answers: AnswerSettings,
  progress: Progress,
): Promise<PlatformReport> {
  const run = (bot: Bot, plan: LevelPlan, label: string): Promise<Figures> =>
    runLevel(platform, bot, plan, answers, (text) =>
      progress.update(`[${platform}] ${bot} ${label}: ${text}`),
    );
  const concurrency: ConcurrencyReport[] = [];
  for (const conversations of options.conversationLevels) {
    const rounds = options.turns ?? defaultTurns(conversations);
    const plan: LevelPlan = { kind: "concurrent", conversations, rounds };
    const label = `${conversations} conversations × ${rounds} turns`;
    const parley = await run("parley", plan, label);
    const relay = await run("relay", plan, label);
    concurrency.push({
      conversations,
      turnsPerConversation: rounds,
      parley,
      relay,
      ratio: ratios(parley, relay),
    });
  }
  const historyTurns = options.turns ?? options.historyTurns;
  let relayBaseline: Figures | null = null;
  const history: HistoryReport[] = [];
  if (options.historyLevels.length > 0) {
    // The relay stores nothing: one run with fresh conversations, in the same conditions, is its baseline.
    relayBaseline = await run(
      "relay",
      { kind: "history", storedMessages: 0, rounds: historyTurns },
      `history baseline × ${historyTurns} turns`,
    );
    for (const storedMessages of options.historyLevels) {
      const parley = await run(
        "parley",
        { kind: "history", storedMessages, rounds: historyTurns },
        `${storedMessages} stored messages × ${historyTurns} turns`,
      );
      const smallest = history[0]?.parley ?? parley;
      history.push({
        storedMessages,
        parley,
        ratio: ratios(parley, relayBaseline),
        versusSmallestLevel: {
          eventToProviderRequestP50: ratio(
            parley.eventToProviderRequestMs.p50,
            smallest.eventToProviderRequestMs.p50,
          ),
          cpuMsPerTurn: ratio(parley.cpuMsPerTurn, smallest.cpuMsPerTurn),
        },
      });
    }
  }
  return {
    platform,
    event: EVENT_DESCRIPTIONS[platform],
    concurrency,
    history: { turnsPerLevel: historyTurns, relayBaseline, levels: history },
  };
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const startedAtMs = performance.now();
  // A run that hangs fails loudly; the bots are child processes and die with the bench's SIGKILLs in runLevel,
  // and with this process when it exits.
  const overall = setTimeout(() => {
    process.stderr.write(`\nbench: gave up after ${options.timeoutMs / 1000} s (--timeout-s)\n`);
    process.exit(1);
  }, options.timeoutMs);
  const answers: AnswerSettings = {
    firstTokenMs: options.firstTokenMs,
    tokensPerSecond: options.tokensPerSecond,
    answerTokens: options.answerTokens,
    roundGraceMs: options.roundGraceMs,
  };
  const progress = createProgress();
  const platforms: PlatformReport[] = [];
  for (const platform of options.platforms)
    platforms.push(await benchPlatform(platform, options, answers, progress));
  progress.done();
  clearTimeout(overall);
  const report: BenchReport = {
    settings: {
      ...answers,
      conversationLevels: options.conversationLevels,
      historyLevels: options.historyLevels,
    },
    relay: RELAY_DEFINITION,
    logging: "parley logs at its default level (info) to stderr, which the bench reads",
    platforms,
    errors: platforms.reduce((sum, platform) => sum + platformErrors(platform), 0),
    elapsedSeconds: Math.round((performance.now() - startedAtMs) / 100) / 10,
  };
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${reportText(report)}\n`);
  process.exitCode = report.errors > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
