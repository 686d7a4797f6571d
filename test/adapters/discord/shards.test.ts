// End to end: DISCORD_SHARDS runs that many gateway shards in one process, and guilds on every shard are answered.
import { afterEach, describe, expect, test } from "vitest";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

let bot: DiscordHarness | undefined;
afterEach(async () => {
  expect(bot?.discord.violations).toEqual([]);
  await bot?.close();
  bot = undefined;
});

/** Adds a guild on `shard`, mentions the bot in its channel and waits for the answer in the thread it opens. */
async function mentionInGuildOnShard(harness: DiscordHarness, shard: [number, number], prompt: string) {
  const guild = harness.discord.addGuild(shard);
  const client = harness.adapter.client;
  await harness.discord.waitFor(`guild ${guild.guildId} cached`, () =>
    client.guilds.cache.get(guild.guildId),
  );
  const sent = harness.discord.sendMessage({
    channel: guild.textChannel,
    content: `<@${harness.discord.bot.id}> ${prompt}`,
  });
  const answer = await harness.discord.waitFor(`the answer to "${prompt}"`, () =>
    harness.discord
      .messagesIn(sent.id)
      .find((message) => message.content.includes(prompt) && message.content.includes("*Model: ")),
  );
  return { answer, shardId: client.guilds.cache.get(guild.guildId)?.shardId };
}

/**
 * Edit pacing is tested elsewhere, and this fake's first message of a run is stored only after it compiles that
 * route's schema: on a loaded machine that alone makes the bot's first edit look early. Here the fake does not
 * rate-limit edits, so a failure means a shard problem.
 */
const unpaced = { minEditGapMs: 0 };

const sortedShards = (harness: DiscordHarness) =>
  harness.discord.gateway.identifiedShards().sort((left, right) => left[0] - right[0]);

describe("sharding", () => {
  test("DISCORD_SHARDS=2 identifies shards 0 and 1 of 2, and answers in a guild on each", async () => {
    // max_concurrency 2 lets both shards identify at once instead of 5 s apart.
    const connectionStates: boolean[] = [];
    bot = await startDiscordHarness({
      env: { DISCORD_SHARDS: "2" },
      discord: { ...unpaced, maxConcurrency: 2 },
      adapter: {
        reporter: { connected: (state) => connectionStates.push(state), rateLimited: () => undefined },
      },
    });
    // Health says connected only once both shards are ready: with one of two, half the guilds go unheard.
    expect(connectionStates[0]).toBe(false);
    expect(connectionStates.at(-1)).toBe(true);
    expect(sortedShards(bot)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const onFirst = await mentionInGuildOnShard(bot, [0, 2], "hello from shard zero");
    const onSecond = await mentionInGuildOnShard(bot, [1, 2], "hello from shard one");
    expect(onFirst.answer.content).toBe(
      "Echo: Alice: hello from shard zero\n\n*Model: gpt-4.1-mini-2025-04-14*",
    );
    expect(onSecond.answer.content).toBe(
      "Echo: Alice: hello from shard one\n\n*Model: gpt-4.1-mini-2025-04-14*",
    );
    expect([onFirst.shardId, onSecond.shardId]).toEqual([0, 1]);
    // Both shards feed one engine and one store: the provider saw both turns.
    expect(bot.ai.chatRequests()).toHaveLength(2);
  });

  test("DISCORD_SHARDS=auto runs the number Discord recommends in GET /gateway/bot", async () => {
    bot = await startDiscordHarness({
      env: { DISCORD_SHARDS: "auto" },
      discord: { ...unpaced, recommendedShards: 3, maxConcurrency: 3 },
    });
    expect(sortedShards(bot)).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(bot.adapter.client.ws.shards.size).toBe(3);
    const onLast = await mentionInGuildOnShard(bot, [2, 3], "hello from shard two");
    expect(onLast.answer.content).toBe(
      "Echo: Alice: hello from shard two\n\n*Model: gpt-4.1-mini-2025-04-14*",
    );
    expect(onLast.shardId).toBe(2);
  });

  test("without DISCORD_SHARDS one shard runs, whatever Discord recommends", async () => {
    bot = await startDiscordHarness({ discord: { recommendedShards: 4, maxConcurrency: 4 } });
    expect(sortedShards(bot)).toEqual([[0, 1]]);
  });
});
