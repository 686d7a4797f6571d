// Runs one level for one bot: fresh fakes and a fresh bot process, the turns, then the process's readings.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../src/config.ts";
import { freePort } from "../test/support/redis-server.ts";
import { startBotProcess, startScriptFlags } from "./bot-process.ts";
import { startDiscordWorld } from "./discord-world.ts";
import { startBenchProvider } from "./fake-provider.ts";
import { type Figures, intervals, isMeasured, percentiles, round } from "./measure.ts";
import type { Conversation, PlatformWorld } from "./platform-world.ts";
import { cpuTimeMs, peakRssMb } from "./proc-stats.ts";
import { seedHistory } from "./seed-history.ts";
import { startSlackWorld } from "./slack-world.ts";
import { isComplete, type Turn, TurnBook } from "./turns.ts";

export type Platform = "discord" | "slack";
export type Bot = "parley" | "relay";

/** How the fake provider answers, the same for every level. */
export interface AnswerSettings {
  firstTokenMs: number;
  tokensPerSecond: number;
  /** Tokens in every answer. */
  answerTokens: number;
  /** How long a round may take beyond its answers' own streaming time before its open turns count as errors. */
  roundGraceMs: number;
}

/**
 * A level: `conversations` conversations that each get `rounds` turns, all conversations' turns of a round sent at
 * once; or (with `storedMessages`) `rounds` turns one after another, each in its own conversation holding that many
 * stored messages (its own, so every turn meets the full history and not one parley already trimmed).
 */
export type LevelPlan =
  | { kind: "concurrent"; conversations: number; rounds: number }
  | { kind: "history"; storedMessages: number; rounds: number };

/** Reports what the level is doing, for the progress line. */
export type LevelProgress = (text: string) => void;

const ENTRIES: Record<Bot, Record<Platform, string>> = {
  parley: {
    discord: new URL("../adapters/main.ts", import.meta.url).pathname,
    slack: new URL("../adapters/main.ts", import.meta.url).pathname,
  },
  relay: {
    discord: new URL("./relay-discord.ts", import.meta.url).pathname,
    slack: new URL("./relay-slack.ts", import.meta.url).pathname,
  },
};

/** How long the bot may take to connect. */
const STARTUP_TIMEOUT_MS = 30_000;
/** Pause after the last answer, so bookkeeping that follows it (storing the exchange) counts as the turn's CPU. */
const SETTLE_MS = 300;
/** How long the bot's idle CPU is sampled, before the turns. */
const IDLE_SAMPLE_MS = 1000;
/** The model parley asks for by default; the relay asks for the same. */
const DEFAULT_CHAT_MODEL = loadConfig({ AIML_API_KEY: "bench-provider-key" }).models.chat;

/** Runs one level and returns its figures. */
export async function runLevel(
  platform: Platform,
  bot: Bot,
  plan: LevelPlan,
  answers: AnswerSettings,
  progress: LevelProgress,
): Promise<Figures> {
  const book = new TurnBook(answers.answerTokens, bot === "parley");
  const { provider, unmatchedRequests } = await startBenchProvider(book, answers);
  const world: PlatformWorld =
    platform === "discord" ? await startDiscordWorld(book) : await startSlackWorld(book, await freePort());
  const botProcess = startBotProcess(
    ENTRIES[bot][platform],
    (directory) => ({
      AIML_API_KEY: "bench-provider-key",
      AIML_BASE_URL: provider.url,
      STORE_URL: `sqlite://${join(directory, "parley.sqlite")}`,
      RELAY_MODEL: DEFAULT_CHAT_MODEL,
      ...world.botEnv,
    }),
    bot === "parley" ? startScriptFlags() : [],
  );
  const sent: { conversation: Conversation; turn: Turn }[] = [];
  const deliveryErrors: string[] = [];
  try {
    await botProcess.ready(STARTUP_TIMEOUT_MS);
    const conversations = await world.openConversations(
      plan.kind === "concurrent" ? plan.conversations : plan.rounds,
    );
    if (plan.kind === "history" && bot === "parley") {
      progress(`seeding ${conversations.length} conversations with ${plan.storedMessages} messages`);
      await seedHistory(
        `sqlite://${join(botProcess.directory, "parley.sqlite")}`,
        conversations.map((conversation) => conversation.storeId),
        plan.storedMessages,
        DEFAULT_CHAT_MODEL,
      );
    }
    // One unmeasured turn in a conversation of its own first, so the figures are not a cold start's.
    const [warmUpConversation] = await world.openConversations(1);
    if (warmUpConversation !== undefined) {
      const warmUp = book.create();
      await world.send(warmUpConversation, warmUp);
      const deadline = Date.now() + STARTUP_TIMEOUT_MS;
      while (!isComplete(warmUp) && Date.now() < deadline) await sleep(20);
      if (!isComplete(warmUp))
        throw new Error(`the warm-up turn got no answer; output ends:\n${botProcess.output().slice(-2000)}`);
    }
    // Let the bot take in the new threads (Discord's THREAD_CREATE) and finish the warm-up's bookkeeping.
    await sleep(SETTLE_MS);
    // The process's own background CPU (timers, heartbeats, GC, compilation) while nothing happens, for reading
    // CPU per turn at low load, where a turn's share of the level's wall time is large.
    const idleStartMs = cpuTimeMs(botProcess.pid);
    await sleep(IDLE_SAMPLE_MS);
    const idleCpuMsPerSecond = ((cpuTimeMs(botProcess.pid) - idleStartMs) * 1000) / IDLE_SAMPLE_MS;
    const cpuAtStartMs = cpuTimeMs(botProcess.pid);
    const levelStartedAtMs = performance.now();
    const batches =
      plan.kind === "concurrent"
        ? Array.from({ length: plan.rounds }, () => conversations)
        : conversations.map((conversation) => [conversation]);
    const roundTimeoutMs =
      answers.roundGraceMs + answers.firstTokenMs + (answers.answerTokens * 1000) / answers.tokensPerSecond;
    for (const [index, batch] of batches.entries()) {
      const round = batch.map((conversation) => ({ conversation, turn: book.create() }));
      sent.push(...round);
      const deadline = Date.now() + roundTimeoutMs;
      const deliveries = round.map(({ conversation, turn }) =>
        world.send(conversation, turn).catch((error: unknown) => {
          deliveryErrors.push(
            `turn ${turn.number}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }),
      );
      await Promise.all(deliveries);
      for (;;) {
        const done = round.filter(({ turn }) => isComplete(turn)).length;
        progress(`round ${index + 1}/${batches.length}: ${done}/${round.length} answered`);
        if (done === round.length || Date.now() > deadline) break;
        await sleep(50);
      }
    }
    await sleep(SETTLE_MS);
    const cpuUsedMs = cpuTimeMs(botProcess.pid) - cpuAtStartMs;
    const levelEndedAtMs = performance.now();
    const peakMb = peakRssMb(botProcess.pid);
    for (const { conversation, turn } of sent) turn.answered = world.shows(conversation, turn);
    const turns = sent.map(({ turn }) => turn);
    const incomplete = turns.filter((turn) => !isComplete(turn)).length;
    const failureLines = botProcess.failureLines();
    const samples = [
      ...deliveryErrors,
      ...(incomplete > 0
        ? [
            `${incomplete} turns not answered within ${Math.round(roundTimeoutMs / 1000)} s of their round's start`,
          ]
        : []),
      ...failureLines,
    ];
    return {
      turns: turns.length,
      measuredTurns: turns.filter(isMeasured).length,
      answeredTurns: turns.filter((turn) => turn.answered).length,
      errors: deliveryErrors.length + incomplete + failureLines.length,
      errorSamples: samples.slice(0, 4).map((line) => line.slice(0, 300)),
      eventToProviderRequestMs: percentiles(
        intervals(
          turns,
          (turn) => turn.eventAtMs,
          (turn) => turn.providerRequestAtMs,
        ),
      ),
      firstTokenToPlatformMs: percentiles(
        intervals(
          turns,
          (turn) => turn.firstTokenAtMs,
          (turn) => turn.firstAnswerCallAtMs,
        ),
      ),
      cpuMsPerTurn: round(cpuUsedMs / Math.max(1, turns.length)),
      idleCpuMsPerSecond: round(idleCpuMsPerSecond),
      levelSeconds: round((levelEndedAtMs - levelStartedAtMs) / 1000),
      peakRssMb: round(peakMb),
      platform429s: world.rateLimitedCount(),
      otherProviderRequests: unmatchedRequests(),
    };
  } finally {
    await botProcess.stop();
    await world.close();
    await provider.close();
  }
}
