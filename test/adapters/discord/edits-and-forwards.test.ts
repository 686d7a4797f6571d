// End to end: an edited message never starts a new answer; a forwarded message is answered as if written here.
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import type { FakeMessage } from "../../support/fake-discord.ts";
import { type DiscordHarness, startDiscordHarness, transcript } from "./harness.ts";

let bot: DiscordHarness;

beforeAll(async () => {
  bot = await startDiscordHarness();
});
afterAll(async () => {
  await bot?.close();
});
afterEach(() => {
  expect(bot.discord.violations).toEqual([]);
});

/** The bot's finished answer in a channel that shows `text` (its model line has been written). */
function answerIn(channelId: string, text: string): Promise<FakeMessage> {
  return bot.discord.waitFor(`a finished answer containing "${text}" in ${channelId}`, () =>
    bot.discord
      .messagesIn(channelId)
      .find((message) => message.content.includes(text) && message.content.includes("*Model: ")),
  );
}

function allPrompts(): string {
  return bot.ai
    .chatRequests()
    .map((request) => transcript(request).join("\n"))
    .join("\n");
}

test("a forwarded message's text and files are answered in a DM as the sender's own", async () => {
  const dm = bot.discord.dmChannel();
  bot.discord.sendMessage({
    channel: dm,
    content: "",
    forwarded: {
      content: "Lunch moved to 1pm, bring the quarterly numbers.",
      attachments: [
        { filename: "numbers.txt", contentType: "text/plain; charset=utf-8", data: "Q3 revenue: 4.2M" },
      ],
    },
  });
  await answerIn(dm.id, "Lunch moved to 1pm");
  const prompt = transcript(bot.ai.chatRequests().at(-1) ?? ({} as never)).join("\n");
  expect(prompt).toContain("Lunch moved to 1pm, bring the quarterly numbers.");
  expect(prompt).toContain("Q3 revenue: 4.2M");
});

test("a forward into parley's thread continues that conversation", async () => {
  const sent = bot.discord.sendMessage({ content: `<@${bot.discord.bot.id}> help me plan the offsite` });
  await answerIn(sent.id, "help me plan the offsite");
  bot.discord.sendMessage({
    channel: { id: sent.id, type: 11, guild_id: bot.discord.guildId, parent_id: bot.discord.textChannel.id },
    content: "",
    forwarded: { content: "Venue options: the lake house or the city loft.", attachments: [] },
  });
  await answerIn(sent.id, "Venue options");
  const prompt = transcript(bot.ai.chatRequests().at(-1) ?? ({} as never)).join("\n");
  expect(prompt).toContain("help me plan the offsite");
  expect(prompt).toContain("Venue options: the lake house or the city loft.");
});

test("editing a message, even to add a mention, starts no answer", async () => {
  const dm = bot.discord.dmChannel();
  const first = bot.discord.sendMessage({ channel: dm, content: "what is 6 times 7?" });
  await answerIn(dm.id, "what is 6 times 7?");
  bot.discord.editMessage(first, "what is 6 times 9?");
  const plain = bot.discord.sendMessage({ content: "nothing for the bot here" });
  bot.discord.editMessage(plain, `<@${bot.discord.bot.id}> now answer this edited one`);
  // A message sent after the edits is answered: by then the edits would have been too, had they counted.
  bot.discord.sendMessage({ channel: dm, content: "and after the edits?" });
  await answerIn(dm.id, "and after the edits?");
  expect(allPrompts()).not.toContain("6 times 9");
  expect(allPrompts()).not.toContain("now answer this edited one");
  expect(bot.discord.messagesIn(plain.id)).toEqual([]);
  expect(bot.discord.messagesIn(dm.id).filter((message) => message.content.includes("6 times 9"))).toEqual(
    [],
  );
});
