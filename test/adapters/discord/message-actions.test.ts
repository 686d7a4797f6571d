// End to end: a message's Apps menu (Explain, Summarize, Translate to English) answers privately about that message.
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import type { FakeInteraction } from "../../support/fake-discord.ts";
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

/** The private reply's text once its answer is finished (the model line shows). */
async function finishedReply(interaction: FakeInteraction): Promise<string> {
  return bot.discord.waitFor(`the reply to ${interaction.command}`, () => {
    const text = bot.discord
      .repliesTo(interaction)
      .map((message) => message.content)
      .join("\n");
    return text.includes("*Model: ") ? text : undefined;
  });
}

/** The last prompt the provider received, as "role: text" lines. */
function lastPrompt(): string {
  const last = bot.ai.chatRequests().at(-1);
  if (!last) throw new Error("no chat request reached the provider");
  return transcript(last).join("\n");
}

test("Explain answers privately about the chosen message, with no mention and no Message Content", async () => {
  const target = bot.discord.sendMessage({ content: "The p99 regressed after the GC change, rolling back." });
  const interaction = bot.discord.sendMessageCommand("Explain", target, { user: bot.discord.users.bob });
  const reply = await finishedReply(interaction);
  expect(interaction.callbackBody).toEqual({ type: 5, data: { flags: 64 } });
  expect(bot.discord.repliesTo(interaction)[0]?.ephemeral).toBe(true);
  expect(reply).toContain("The p99 regressed after the GC change");
  expect(lastPrompt()).toMatch(/Explain the following message in plain words/);
  expect(lastPrompt()).toContain("Alice: The p99 regressed after the GC change, rolling back.");
  // Nothing was posted in the channel, and the channel's own conversation holds nothing of it.
  expect(bot.discord.messagesIn(bot.discord.textChannel.id).filter((message) => !message.ephemeral)).toEqual(
    [],
  );
});

test("Translate to English quotes the message alone", async () => {
  bot.discord.sendMessage({ content: "Context that must not be translated." });
  const target = bot.discord.sendMessage({ content: "¿Podemos mover la reunión al jueves?" });
  const interaction = bot.discord.sendMessageCommand("Translate to English", target);
  await finishedReply(interaction);
  expect(lastPrompt()).toMatch(/Translate the following message into English/);
  expect(lastPrompt()).toContain("¿Podemos mover la reunión al jueves?");
  expect(lastPrompt()).not.toContain("Context that must not be translated.");
});

test("Summarize reads the channel's messages up to the chosen one, oldest first, and nothing after it", async () => {
  const channel = bot.discord.textChannel;
  bot.discord.sendMessage({ content: "Ship on Tuesday.", author: bot.discord.users.bob });
  const target = bot.discord.sendMessage({ content: "Agreed, Tuesday it is." });
  bot.discord.sendMessage({ content: "A later message, after the chosen one." });
  const interaction = bot.discord.sendMessageCommand("Summarize", target);
  await finishedReply(interaction);
  const prompt = lastPrompt();
  expect(prompt).toMatch(/Summarize the following conversation/);
  expect(prompt.indexOf("Bob: Ship on Tuesday.")).toBeGreaterThan(-1);
  expect(prompt.indexOf("Bob: Ship on Tuesday.")).toBeLessThan(
    prompt.indexOf("Alice (selected): Agreed, Tuesday it is."),
  );
  expect(prompt).not.toContain("A later message");
  const history = bot.discord.requests.find(
    (request) => request.method === "GET" && request.template === "/channels/{channel_id}/messages",
  );
  expect(history?.path).toBe(`/channels/${channel.id}/messages`);
});

test("a message with nothing to read is refused with a sentence", async () => {
  const target = bot.discord.sendMessage({ content: "" });
  const interaction = bot.discord.sendMessageCommand("Explain", target);
  const body = await bot.discord.waitFor("the refusal", () => interaction.callbackBody);
  expect(body).toMatchObject({
    type: 4,
    data: { content: "That message has no text or files I can read.", flags: 64 },
  });
});
