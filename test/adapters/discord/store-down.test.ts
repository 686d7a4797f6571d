// Discord with its Redis store gone: every asker hears why, once, and the provider is never called blind.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { STORE_DOWN_MESSAGE } from "../../../src/store/store-errors.ts";
import { startTestRedis, type TestRedis } from "../../support/redis-server.ts";
import { type DiscordHarness, startDiscordHarness } from "./harness.ts";

let redis: TestRedis;
let bot: DiscordHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  bot = await startDiscordHarness({ env: { STORE_URL: redis.url } });
  await redis.kill();
});
afterAll(async () => {
  await bot?.close();
  await redis?.close();
});

describe("when the store is unreachable", () => {
  test("a slash command gets one private sentence saying why, and no provider call", async () => {
    const interaction = bot.discord.sendCommand("ask", { prompt: "are you there?" });
    const body = await bot.discord.waitFor("the interaction's response", () => interaction.callbackBody);
    expect(body).toEqual({
      type: 4,
      data: { content: STORE_DOWN_MESSAGE, flags: 64, allowed_mentions: { parse: [], replied_user: false } },
    });
    expect(bot.ai.chatRequests()).toHaveLength(0);
    expect(bot.discord.violations).toEqual([]);
  });

  test("a mention is answered with the same sentence instead of silence, and no provider call", async () => {
    const sent = bot.discord.sendMessage({ content: `<@${bot.discord.bot.id}> hello?` });
    // In the thread opened on the mention, or (if it could not be opened) in the channel, replying to it.
    const answer = await bot.discord.waitFor("the answer", () =>
      [
        ...bot.discord.messagesIn(sent.id),
        ...bot.discord
          .messagesIn(bot.discord.textChannel.id)
          .filter((message) => message.replyTo === sent.id),
      ].find((message) => message.content.includes(STORE_DOWN_MESSAGE)),
    );
    expect(answer.content).not.toContain("Echo");
    expect(bot.ai.chatRequests()).toHaveLength(0);
  });
});
