// Fifty answers streaming at once through discord.js share Discord's message buckets: no 429, every answer whole.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RESTEvents } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordAdapter, startDiscordAdapter } from "../../adapters/discord/start.ts";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/logger.ts";
import { createParley, type Parley } from "../../src/parley.ts";
import { type FakeAimlApi, startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { type FakeDiscord, startFakeDiscord } from "../support/fake-discord.ts";
import type { FakeRateLimit } from "../support/fake-discord-state.ts";
import { ANSWER_COUNT, answerFor, enqueueStreamedAnswers, questionFor } from "./streamed-answers.ts";

/** Discord's message buckets scaled down: 8 writes per second per channel and per interaction, fake and parley alike. */
const MESSAGE_RATE: FakeRateLimit = { limit: 8, windowMs: 1_000 };

let discord: FakeDiscord;
let provider: FakeAimlApi;
let parley: Parley;
let adapter: DiscordAdapter;
let directory: string;
/** Requests discord.js held back because a route's bucket was spent: parley's own pacing should leave none. */
const heldByDiscordJs: string[] = [];
/** Interaction writes discord.js held back for the bot's global limit, which Discord does not apply to them. */
const interactionWritesHeldGlobally: string[] = [];

beforeAll(async () => {
  discord = await startFakeDiscord({
    rateLimits: { channelPosts: MESSAGE_RATE, channelEdits: MESSAGE_RATE, interactionWrites: MESSAGE_RATE },
  });
  provider = await startFakeAimlApi();
  directory = mkdtempSync(join(tmpdir(), "parley-pacing-"));
  const config = loadConfig({
    AIML_API_KEY: "test-key",
    AIML_BASE_URL: provider.url,
    STORE_URL: `sqlite://${join(directory, "parley.sqlite")}`,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    LOG_LEVEL: "silent",
  });
  const logger = silentLogger();
  parley = await createParley(config, { logger, maxRetries: 0 });
  // The same rate as the fake's buckets, with a margin for discord.js's own reading of their reset times.
  const editBudget = { ...MESSAGE_RATE, marginMs: 300 };
  adapter = await startDiscordAdapter({ config, engine: parley.engine, logger, editBudget });
  for (const rest of [adapter.client.rest, adapter.interactionRest]) {
    rest.on(RESTEvents.RateLimited, (info) => {
      // The global limit (50 requests a second for the whole bot) is discord.js's to keep, outside interactions.
      if (!info.global) heldByDiscordJs.push(`${info.method} ${info.route} for ${info.timeToReset} ms`);
      else if (info.route.startsWith("/webhooks/") || info.route.startsWith("/interactions/"))
        interactionWritesHeldGlobally.push(`${info.method} ${info.route}`);
    });
  }
});

afterAll(async () => {
  await adapter?.stop();
  await parley?.close();
  await discord?.close();
  await provider?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

/** Each answer as Discord shows it at the end: the text, then the line naming the model that answered. */
const expected = Array.from(
  { length: ANSWER_COUNT },
  (_, index) => `${answerFor(index)}\n\n*Model: gpt-4.1-mini-2025-04-14*`,
);

/** Waits until every answer shows its complete text, then checks no bucket was ever overdrawn. */
async function expectCompleteWithout429(answers: () => string[]): Promise<void> {
  await discord.waitFor(
    `all ${ANSWER_COUNT} answers complete`,
    () => answers().every((text, index) => text === expected[index]),
    60_000,
  );
  expect(discord.rateLimited).toEqual([]);
  // Parley kept within every bucket itself: discord.js never had to queue a write (without the pacer it does).
  expect(heldByDiscordJs).toEqual([]);
  expect(discord.violations).toEqual([]);
  expect(answers()).toEqual(expected);
}

describe("fifty Discord answers streaming at once", () => {
  it("mentions in one channel: each answer in its own thread, no 429, every answer complete", async () => {
    enqueueStreamedAnswers(provider);
    const mentions = Array.from({ length: ANSWER_COUNT }, (_, index) =>
      discord.sendMessage({ content: `<@${discord.bot.id}> ${questionFor(index)}` }),
    );
    await expectCompleteWithout429(() =>
      mentions.map((mention) =>
        discord
          .messagesIn(mention.id)
          .map((message) => message.content)
          .join("\n"),
      ),
    );
  }, 90_000);

  it("slash commands in fifty threads: no 429, every answer complete", async () => {
    // One conversation per thread: commands in one channel would be answered one after another.
    const threads = Array.from({ length: ANSWER_COUNT }, (_, index) => discord.addThread(`pacing ${index}`));
    enqueueStreamedAnswers(provider);
    const interactions = threads.map((thread, index) =>
      discord.sendCommand("ask", { prompt: questionFor(index) }, { channel: thread }),
    );
    await expectCompleteWithout429(() =>
      interactions.map((interaction) =>
        discord
          .repliesTo(interaction)
          .map((message) => message.content)
          .join("\n"),
      ),
    );
    // Fifty answers' edits exceed 50 requests a second: none of them waited for the bot's global second.
    expect(interactionWritesHeldGlobally).toEqual([]);
  }, 90_000);

  it("mentions where no thread may be opened: fifty answers share one channel's buckets, no 429, all complete", async () => {
    const channel = discord.textChannel;
    for (let index = 0; index < ANSWER_COUNT; index++) {
      discord.failNext(
        "POST /channels/{channel_id}/messages/{message_id}/threads",
        403,
        50013,
        "Missing Permissions",
      );
    }
    enqueueStreamedAnswers(provider);
    const startedAtMs = Date.now();
    const mentions = Array.from({ length: ANSWER_COUNT }, (_, index) =>
      discord.sendMessage({ content: `<@${discord.bot.id}> ${questionFor(index)}`, channel }),
    );
    await expectCompleteWithout429(() =>
      mentions.map((mention) =>
        discord
          .messagesIn(channel.id)
          .filter((message) => message.replyTo === mention.id)
          .map((message) => message.content)
          .join("\n"),
      ),
    );
    // Every write in the shared channel stayed within its bucket, posts and edits each.
    const writes = discord.requests.filter(
      (request) => request.atMs >= startedAtMs && request.path.startsWith(`/channels/${channel.id}/`),
    );
    for (const route of [
      "POST /channels/{channel_id}/messages",
      "PATCH /channels/{channel_id}/messages/{message_id}",
    ]) {
      const times = writes
        .filter((request) => `${request.method} ${request.template}` === route)
        .map((request) => request.atMs);
      expect(times.length).toBeGreaterThanOrEqual(ANSWER_COUNT);
      for (let index = MESSAGE_RATE.limit; index < times.length; index++) {
        expect((times[index] ?? 0) - (times[index - MESSAGE_RATE.limit] ?? 0)).toBeGreaterThanOrEqual(
          MESSAGE_RATE.windowMs,
        );
      }
    }
  }, 90_000);
});
