// Two real parley processes on one Redis enforce one set of limits: neither lets a person past them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAimlApi, startFakeAimlApi } from "../support/fake-aimlapi.ts";
import { type FakeDiscord, startFakeDiscord } from "../support/fake-discord.ts";
import { type ParleyProcess, startParleyProcess } from "../support/parley-process.ts";
import { startTestRedis, type TestRedis } from "../support/redis-server.ts";

let redis: TestRedis;
let provider: FakeAimlApi;
let discord: FakeDiscord;
const replicas: ParleyProcess[] = [];

beforeAll(async () => {
  [redis, provider, discord] = await Promise.all([startTestRedis(), startFakeAimlApi(), startFakeDiscord()]);
  for (let index = 0; index < 2; index++) {
    const identified = discord.gateway.identifies.length;
    const replica = startParleyProcess({
      AIML_API_KEY: "replica-test-key-0123456789",
      AIML_BASE_URL: provider.url,
      STORE_URL: redis.url,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      LIMIT_USER_TURNS_PER_MINUTE: "3",
      LIMIT_USER_DAILY_TOKENS: "500",
    });
    replicas.push(replica);
    await discord.waitFor(
      "the replica to identify and be ready",
      () => discord.gateway.identifies.length > identified && replica.output().includes("parley is running"),
      20_000,
    );
  }
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) replica.destroy();
  await Promise.all([discord?.close(), provider?.close(), redis?.close()]);
});

/** The one message the bot left in a mention's thread, once it is final. */
const onlyMessageIn = (threadId: string) => {
  const messages = discord.messagesIn(threadId);
  return messages.length === 1 ? messages[0]?.content : undefined;
};

describe("limits across two replicas", () => {
  it("lets exactly LIMIT_USER_TURNS_PER_MINUTE of 10 mentions sent at once to both replicas through", async () => {
    const sent = Array.from({ length: 10 }, (_, index) =>
      discord.sendMessage({ content: `<@${discord.bot.id}> burst ${index}`, toSession: index % 2 }),
    );
    const outcomes = await discord.waitFor(
      "every mention answered or refused",
      () => {
        const texts = sent.map(({ id }) => onlyMessageIn(id));
        const settled = texts.every(
          (text, index) =>
            text === `Echo: Alice: burst ${index}\n\n*Model: gpt-4.1-mini-2025-04-14*` ||
            text?.includes("questions a minute"),
        );
        return settled ? texts : undefined;
      },
      30_000,
    );
    expect(outcomes.filter((text) => text?.startsWith("Echo: Alice: burst"))).toHaveLength(3);
    const refusals = outcomes.filter((text) => !text?.startsWith("Echo:"));
    expect(refusals).toHaveLength(7);
    for (const refusal of refusals)
      expect(refusal).toContain("Your limit of 3 questions a minute is reached (3 in the last minute)");
    expect(
      provider.chatRequests().filter((body) => JSON.stringify(body.messages).includes("burst")),
    ).toHaveLength(3);
    expect(discord.violations).toEqual([]);
  }, 60_000);

  it("refuses on one replica a person whose daily tokens were used up on the other", async () => {
    const bob = discord.users.bob;
    provider.enqueue({ usage: { prompt_tokens: 400, completion_tokens: 200 } });
    const first = discord.sendMessage({
      content: `<@${discord.bot.id}> spend a lot`,
      author: bob,
      toSession: 0,
    });
    await discord.waitFor("the first answer", () =>
      onlyMessageIn(first.id)?.startsWith("Echo: Bob: spend a lot"),
    );
    const requestsBefore = provider.chatRequests().length;
    const second = discord.sendMessage({
      content: `<@${discord.bot.id}> and more`,
      author: bob,
      toSession: 1,
    });
    const refusal = await discord.waitFor("the refusal", () => onlyMessageIn(second.id));
    expect(refusal).toMatch(
      /Your daily limit of 500 tokens is used up \(600 used today\); it resets at 00:00 UTC/,
    );
    expect(provider.chatRequests()).toHaveLength(requestsBefore);
    expect(discord.violations).toEqual([]);
  }, 30_000);
});
